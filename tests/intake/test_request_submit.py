"""services.public.request_submit: the first step is stored sealed, with only urgency, reply
language, key id and an hour-rounded time in plain columns, and the codename opens its mailbox."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest

from passage.audit.models import AuditEntry
from passage.core import memstore
from passage.crypto import codename as codenames
from passage.crypto import sealed
from passage.intake import payloads
from passage.intake.exceptions import InvalidInput, SignInRefused
from passage.intake.models import HelpRequest, Mailbox
from passage.intake.services import public
from passage.intake.words import wordlist
from tests.intake.support import audit_entries, raw_value, sign_in, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]


def test_the_request_is_sealed_with_only_the_sorting_columns_in_plain() -> None:
    receipt = submit(language="ru", country="RU", urgency="days")
    stored = HelpRequest.objects.get(pk=receipt.request.pk)
    assert (stored.urgency, stored.reply_language) == ("days", "ru")
    assert stored.intake_key_id == sealed.current_intake_key_id()
    assert stored.received_at.minute == stored.received_at.second == 0
    assert stored.received_at.microsecond == 0
    assert (stored.state, stored.status, stored.level, stored.level_rank) == (
        "new",
        "received",
        "",
        9,
    )
    assert stored.case is None and stored.decided_by is None and stored.decided_at is None
    assert not stored.story_received

    box = raw_value("intake_helprequest", "sealed", stored.pk)
    assert isinstance(box, bytes)
    assert b'"RU"' not in box
    assert b"country" not in box
    assert receipt.contact_phrase.encode() not in box
    assert sealed.key_id_of(box) == stored.intake_key_id
    assert payloads.open_document(box) == {
        "v": 1,
        "type": "FirstStep",
        "country": "RU",
        "urgency": "days",
        "language": "ru",
        "contact_phrase": receipt.contact_phrase,
    }


def test_the_mailbox_holds_the_lookup_hash_and_public_key_only() -> None:
    receipt = submit(language="en")
    mailbox = Mailbox.objects.get(request=receipt.request)
    private = codenames.derive_private_key(receipt.codename)
    assert bytes(mailbox.lookup) == codenames.lookup_hash(receipt.codename)
    assert bytes(mailbox.public_key) == codenames.public_key_of(private)
    assert mailbox.language == "en"
    assert mailbox.created_at.minute == mailbox.created_at.second == 0
    phrase_box = bytes(mailbox.contact_phrase)
    assert receipt.contact_phrase.encode() not in phrase_box
    assert codenames.open_with(private, phrase_box).decode() == receipt.contact_phrase

    # Neither the codename nor its private key is stored anywhere in the row.
    for column in ("lookup", "public_key", "language", "contact_phrase"):
        value = raw_value("intake_mailbox", column, mailbox.pk)
        raw = value if isinstance(value, bytes) else str(value).encode()
        assert receipt.codename.encode() not in raw
        assert private not in raw


def test_the_codename_opens_the_mailbox_and_a_wrong_one_does_not() -> None:
    receipt = submit()
    session = sign_in(receipt.codename)
    assert session.mailbox_id == receipt.request.mailbox_id
    assert session.private_key == codenames.derive_private_key(receipt.codename)
    words = receipt.codename.split(" ")
    wrong = " ".join([*words[:-1], next(w for w in wordlist("ru") if w != words[-1])])
    with pytest.raises(SignInRefused):
        sign_in(wrong)
    with pytest.raises(SignInRefused):
        sign_in(" ".join(reversed(words)))


def test_the_receipt_starts_a_mailbox_session() -> None:
    receipt = submit()
    assert receipt.session.mailbox_id == receipt.request.mailbox_id
    assert receipt.session.private_key == codenames.derive_private_key(receipt.codename)
    assert any(memstore.client().scan_iter(match=memstore.key("mailbox-session", "*")))


def test_the_audit_entry_is_public_and_timed_to_the_hour() -> None:
    receipt = submit()
    [entry] = audit_entries("request.submit", receipt.request.pk)
    assert (entry.actor, entry.object_type) == ("public", "request")
    assert entry.occurred_at.minute == entry.occurred_at.second == 0
    assert entry.occurred_at.microsecond == 0
    everything = " ".join(
        f"{e.actor} {e.action} {e.object_type} {e.object_id} {e.request_id}"
        for e in AuditEntry.objects.all()
    )
    for word in receipt.codename.split(" "):
        assert word not in everything


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"urgency": "whenever"}, "urgent"),
        ({"urgency": ""}, "urgent"),
        ({"language": "de"}, "language"),
        ({"language": ""}, "language"),
    ],
)
def test_invalid_urgency_or_language_is_refused(kwargs: dict[str, str], message: str) -> None:
    values = {"country": "RU", "urgency": "immediate", "language": "ru", **kwargs}
    with pytest.raises(InvalidInput, match=message):
        public.request_submit(**values)
    assert not HelpRequest.objects.exists()
    assert not Mailbox.objects.exists()
    assert not AuditEntry.objects.filter(action="request.submit").exists()


def _is_cyrillic(word: str) -> bool:
    return all("CYRILLIC" in unicodedata.name(ch) for ch in word)


def test_a_russian_codename_is_cyrillic_words_of_the_russian_list() -> None:
    receipt = submit(language="ru")
    words = receipt.codename.split(" ")
    assert len(words) == 6
    assert set(words) <= set(wordlist("ru"))
    assert all(_is_cyrillic(word) for word in words)
    phrase = receipt.contact_phrase.split(" ")
    assert len(phrase) == 3 and set(phrase) <= set(wordlist("ru"))


@pytest.mark.parametrize("language", ["en", "ar", "fa", "fr", "es"])
def test_codename_words_come_from_the_reply_languages_list(language: str) -> None:
    receipt = submit(language=language)
    assert set(receipt.codename.split(" ")) <= set(wordlist(language))
    if language in {"ar", "fa"}:
        assert all("ARABIC" in unicodedata.name(ch) for ch in receipt.codename.replace(" ", ""))


def test_a_lookup_collision_draws_another_codename(monkeypatch: pytest.MonkeyPatch) -> None:
    first = submit(language="en")
    real_generate = codenames.generate
    drawn: Iterator[str] = iter([first.codename, "alpha bravo charlie delta echo foxtrot"])

    def generate(words: tuple[str, ...], *, count: int = codenames.CODENAME_WORDS) -> str:
        if count == codenames.CODENAME_WORDS:
            return next(drawn)
        return real_generate(words, count=count)

    monkeypatch.setattr(codenames, "generate", generate)
    second = submit(language="en")
    assert second.codename == "alpha bravo charlie delta echo foxtrot"
    assert Mailbox.objects.count() == HelpRequest.objects.count() == 2
    # The attempt that collided left nothing behind, not even its audit entry.
    assert len(audit_entries("request.submit")) == 2
    assert sign_in(first.codename).mailbox_id == first.request.mailbox_id
