"""Mailbox check-ins and words, through the public pages and the console job: the words the
person chooses are sealed, taken in and kept encrypted; a wrong word warns the caseworker and
moves nothing; a page without check-ins on shows no form; bad input gets a 400."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from passage.accounts.models import User
from passage.alerts import kinds
from passage.alerts.models import Alert
from passage.intake import checkins as sealed_words
from passage.intake.models import Mailbox, MailboxCheckin, MailboxWords
from passage.intake.services import checkins as mailbox_checkins
from passage.intake.services import public
from passage.safety.models import CheckIn, CheckinSchedule
from passage.safety.services import checkins
from tests.cases.helpers import raw_value
from tests.cases.views.support import token_in
from tests.intake.views.support import browser
from tests.safety.conftest import CHECKIN_WORD, DURESS_WORD, Person, hour, started

pytestmark = pytest.mark.django_db


def signed_in(codename: str) -> Client:
    client = browser()
    token = token_in(client.get("/en/mailbox/").content.decode())
    response = client.post("/en/mailbox/", {"csrfmiddlewaretoken": token, "codename": codename})
    assert response.status_code == 302
    return client


def post(client: Client, path: str, **data: str) -> object:
    token = token_in(client.get("/en/mailbox/").content.decode())
    return client.post(path, {"csrfmiddlewaretoken": token, **data})


def test_no_checkin_form_until_checkins_are_on(person: Person, caseworker: User) -> None:
    client = signed_in(person.codename)
    assert "check-in" not in client.get("/en/mailbox/").content.decode().lower()
    started(person, caseworker, hour(), words=False)
    page = client.get("/en/mailbox/").content.decode()
    assert "Please check in again before" in page
    assert 'action="/en/mailbox/check-in/"' in page


def test_the_person_chooses_words_and_they_count(person: Person, caseworker: User) -> None:
    started(person, caseworker, hour() - dt.timedelta(days=1), words=False)
    client = signed_in(person.codename)
    response = post(
        client, "/en/mailbox/words/", checkin_word="Blue Kettle", duress_word="red door"
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    [row] = MailboxWords.objects.all()
    assert b"kettle" not in bytes(row.sealed).lower()
    assert checkins.checkins_open() == 1
    assert not MailboxWords.objects.exists()
    schedule = CheckinSchedule.objects.get(case=person.case)
    assert (schedule.checkin_word, schedule.duress_word) == ("blue kettle", "red door")
    assert schedule.words_set_via == CheckinSchedule.Via.MAILBOX
    stored = raw_value("safety_checkinschedule", "checkin_word", schedule.pk)
    assert isinstance(stored, bytes) and b"kettle" not in stored

    # Typed with other capitals and spaces, the word is still the word.
    assert post(client, "/en/mailbox/check-in/", word="  blue   KETTLE ").status_code == 200  # type: ignore[attr-defined]
    checkins.checkins_open()
    assert CheckIn.objects.get(case=person.case).outcome == CheckIn.Outcome.OK


def test_words_chosen_twice_replace_the_waiting_choice(person: Person) -> None:
    mailbox_checkins.words_set(session=person.session, checkin_word="first", duress_word="second")
    mailbox_checkins.words_set(session=person.session, checkin_word="third", duress_word="fourth")
    assert MailboxWords.objects.count() == 1
    # No case schedule needed: the words wait for the case, then are taken in.
    checkins.checkins_open()
    schedule = CheckinSchedule.objects.get(case=person.case)
    assert (schedule.checkin_word, schedule.duress_word) == ("third", "fourth")


def test_a_wrong_word_warns_the_caseworker_and_moves_nothing(
    person: Person, caseworker: User
) -> None:
    schedule = started(person, caseworker, hour() - dt.timedelta(days=1))
    due = Mailbox.objects.get(request__case=person.case).checkin_due_at
    mailbox_checkins.checkin_submit(session=person.session, word="sunflowers")
    checkins.checkins_open()
    assert CheckIn.objects.get(case=person.case).outcome == CheckIn.Outcome.UNKNOWN_WORD
    [alert] = Alert.objects.filter(code=kinds.CHECKIN_WORD_UNKNOWN)
    assert alert.target_user_id == caseworker.pk and alert.severity == Alert.Severity.WARNING
    assert CheckinSchedule.objects.get(pk=schedule.pk).last_checkin_at is None
    assert Mailbox.objects.get(request__case=person.case).checkin_due_at == due
    assert not person.fresh().is_frozen


def test_every_word_is_sealed_to_the_same_size() -> None:
    sizes = {
        len(sealed_words.seal_word(word)[0])
        for word in (CHECKIN_WORD, DURESS_WORD, "abc", "щ" * 40, "کلمه‌ای طولانی‌تر برای آزمایش")
    }
    assert len(sizes) == 1
    assert sealed_words.open_word(sealed_words.seal_word("Umbrella")[0]) == "umbrella"


def test_bad_input_is_a_400_that_keeps_the_session(person: Person, caseworker: User) -> None:
    started(person, caseworker, hour())
    client = signed_in(person.codename)
    too_short = post(client, "/en/mailbox/check-in/", word="ab")
    assert too_short.status_code == 400  # type: ignore[attr-defined]
    assert "3 to 40 letters" in too_short.content.decode()  # type: ignore[attr-defined]
    same = post(client, "/en/mailbox/words/", checkin_word="alpha", duress_word="ALPHA")
    assert same.status_code == 400  # type: ignore[attr-defined]
    assert "two different words" in same.content.decode()  # type: ignore[attr-defined]
    assert not MailboxCheckin.objects.exists() and not MailboxWords.objects.exists()
    assert client.get("/en/mailbox/").status_code == 200


def test_without_a_session_the_page_asks_for_the_codename(person: Person, caseworker: User) -> None:
    started(person, caseworker, hour())
    client = browser()
    token = token_in(client.get("/en/mailbox/").content.decode())
    response = client.post(
        "/en/mailbox/check-in/", {"csrfmiddlewaretoken": token, "word": CHECKIN_WORD}
    )
    assert response.status_code == 400
    assert 'name="codename"' in response.content.decode()
    assert not MailboxCheckin.objects.exists()
    # With the codename posted along, it goes through.
    response = client.post(
        "/en/mailbox/check-in/",
        {"csrfmiddlewaretoken": token, "word": CHECKIN_WORD, "codename": person.codename},
    )
    assert response.status_code == 200
    assert MailboxCheckin.objects.count() == 1


def test_a_checkin_of_a_request_without_a_case_is_dropped(memstore: None) -> None:
    receipt = public.request_submit(country="RU", urgency="days", language="en")
    mailbox_checkins.checkin_submit(session=receipt.session, word=CHECKIN_WORD)
    assert checkins.checkins_open() == 1
    assert not MailboxCheckin.objects.exists()
    assert not CheckIn.objects.exists()


def test_the_task_queued_on_commit_opens_the_checkins(person: Person, caseworker: User) -> None:
    from passage.intake.tasks import checkins_open_soon

    started(person, caseworker, hour())
    mailbox_checkins.checkin_submit(session=person.session, word=CHECKIN_WORD)
    assert checkins_open_soon.call() == 1
    assert CheckIn.objects.get(case=person.case).outcome == CheckIn.Outcome.OK
