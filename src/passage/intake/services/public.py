"""What a person asking for help can do: send the first step, add the story, use the mailbox.

These run on the intake tier: they seal with the intake public key and never hold a key that
opens a request. Every public action writes an audit entry with the actor ``public`` and its time
rounded to the hour. A request is committed before its codename is returned, so a codename shown
on screen always opens a stored request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.audit import services as audit
from passage.cases.models import Case
from passage.core import memstore
from passage.crypto import codename as codenames
from passage.intake import payloads, sessions
from passage.intake.exceptions import InvalidInput, SignInRefused, TooManyAttempts
from passage.intake.models import HelpRequest, Mailbox, RequestItem, StaffReply
from passage.intake.words import public_languages, wordlist

# Replies older than this are no longer shown, nor kept sealed for the person: a codename given
# up under torture should open as little as possible.
REPLY_WINDOW = dt.timedelta(days=30)
MAX_MESSAGE_CHARS = 20_000


@dataclass(frozen=True)
class Receipt:
    codename: str
    contact_phrase: str
    request: HelpRequest
    session: sessions.MailboxSession


def _record(action: str, object_type: str, object_id: uuid.UUID) -> None:
    audit.record(
        actor="public",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        coarse_time=True,
    )


def request_submit(*, country: str, urgency: str, language: str) -> Receipt:
    """The first step: create the mailbox and the sealed request; return the codename once."""
    if urgency not in Case.Urgency.values:
        raise InvalidInput(_("Choose how urgent it is."))
    if language not in public_languages():
        raise InvalidInput(_("Choose the language you want replies in."))
    words = wordlist(language)
    for _attempt in range(3):  # a lookup collision is astronomically rare; never fail on one
        codename = codenames.generate(words)
        private_key = codenames.derive_private_key(codename)
        public_key = codenames.public_key_of(private_key)
        contact_phrase = codenames.generate(words, count=codenames.CONTACT_PHRASE_WORDS)
        box, key_id = payloads.seal_document(
            payloads.FirstStep(
                country=country, urgency=urgency, language=language, contact_phrase=contact_phrase
            )
        )
        mailbox = Mailbox(
            lookup=codenames.lookup_hash(codename),
            public_key=public_key,
            language=language,
            contact_phrase=codenames.seal_to(public_key, contact_phrase.encode("utf-8")),
        )
        # The session first: if the memory store is down the person gets a calm 503 and nothing
        # is stored, rather than a stored request whose codename they never saw.
        session = sessions.start(mailbox_id=mailbox.pk, private_key=private_key)
        try:
            with audit.atomic():
                mailbox.save(force_insert=True)
                request = HelpRequest.objects.create(
                    mailbox=mailbox,
                    urgency=urgency,
                    reply_language=language,
                    intake_key_id=key_id,
                    sealed=box,
                )
                _record("request.submit", "request", request.pk)
        except IntegrityError:
            sessions.end(session.token)
            continue
        except BaseException:
            sessions.end(session.token)
            raise
        return Receipt(
            codename=codename, contact_phrase=contact_phrase, request=request, session=session
        )
    raise RuntimeError("Could not issue a unique codename.")


def _next_position(request: HelpRequest) -> int:
    current = RequestItem.objects.filter(request=request).aggregate(top=Max("position"))["top"]
    return (current or 0) + 1


def _add_items(
    request: HelpRequest,
    kind: str,
    document: payloads.Story | payloads.Message,
    files: list[payloads.SealedFile],
) -> None:
    position = _next_position(request)
    box, key_id = payloads.seal_document(document)
    items = [
        RequestItem(request=request, kind=kind, position=position, intake_key_id=key_id, sealed=box)
    ]
    for offset, upload in enumerate(files, start=1):
        file_box, file_key_id = payloads.seal_file(upload)
        items.append(
            RequestItem(
                request=request,
                kind=RequestItem.Kind.FILE,
                position=position + offset,
                intake_key_id=file_key_id,
                sealed=file_box,
            )
        )
    RequestItem.objects.bulk_create(items)


# The columns the intake tier reads of a request (its database role may read no others:
# docs/intake-database-role.sql).
_PUBLIC_COLUMNS = ("id", "mailbox_id", "state", "status", "story_received")


def _request_of(session: sessions.MailboxSession) -> HelpRequest:
    request = (
        HelpRequest.objects.select_for_update()
        .filter(mailbox_id=session.mailbox_id)
        .only(*_PUBLIC_COLUMNS)
        .first()
    )
    if request is None:
        raise SignInRefused(_("This mailbox no longer exists."))
    return request


def story_submit(
    *,
    session: sessions.MailboxSession,
    story: payloads.Story,
    files: list[payloads.SealedFile],
) -> HelpRequest:
    """The second step, sealed like the first. Sent twice, the later one is kept as well."""
    if not (story.happened.strip() or story.fears.strip() or story.situations or files):
        raise InvalidInput(_("Tell us at least a little about what happened, or tick a box."))
    with audit.atomic():
        request = _request_of(session)
        _add_items(request, RequestItem.Kind.STORY, story, files)
        request.story_received = True
        request.save(update_fields=["story_received"])
        _record("request.story", "request", request.pk)
    return request


def message_send(
    *, session: sessions.MailboxSession, text: str, files: list[payloads.SealedFile]
) -> None:
    """A message from the person through the mailbox, sealed to the intake key."""
    if not text.strip() and not files:
        raise InvalidInput(_("Write a message or add a file."))
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput(_("The message is too long; send it in two parts."))
    with audit.atomic():
        request = _request_of(session)
        _add_items(request, RequestItem.Kind.MESSAGE, payloads.Message(text=text), files)
        if request.state == HelpRequest.State.REPLIED:
            # Back on top of the screener's list: the person answered.
            request.state = HelpRequest.State.READ
            request.save(update_fields=["state"])
        _record("mailbox.message", "request", request.pk)


def _failures_key() -> str:
    return memstore.key("mailbox-failures", str(int(timezone.now().timestamp()) // 60))


def mailbox_sign_in(*, codename: str) -> sessions.MailboxSession:
    """Open the mailbox a codename names. Wrong codenames count against a global limit."""
    limit = settings.PASSAGE_MAILBOX_FAILURES_PER_MINUTE
    failures = memstore.call("get", _failures_key())
    if failures is not None and int(failures) >= limit:  # type: ignore[call-overload]
        raise TooManyAttempts(_("Too many attempts. Please wait a few minutes and try again."))
    try:
        lookup = codenames.lookup_hash(codename)
    except codenames.CodenameError:
        lookup = b""
    mailbox = Mailbox.objects.filter(lookup=lookup).first() if lookup else None
    if mailbox is None:
        key = _failures_key()
        memstore.call("incr", key)
        memstore.call("expire", key, 120)
        raise SignInRefused(
            _("These words do not open a mailbox. Check each word and the order, and try again.")
        )
    private_key = codenames.derive_private_key(codename)
    if codenames.public_key_of(private_key) != bytes(mailbox.public_key):
        raise SignInRefused(
            _("These words do not open a mailbox. Check each word and the order, and try again.")
        )
    with audit.atomic():
        _record("mailbox.sign_in", "mailbox", mailbox.pk)
    return sessions.start(mailbox_id=mailbox.pk, private_key=private_key)


@dataclass(frozen=True)
class ReplyView:
    sent_on: dt.date
    body: str


@dataclass(frozen=True)
class MailboxView:
    language: str
    contact_phrase: str
    status: str
    status_label: str
    story_received: bool
    replies: list[ReplyView]
    sent_count: int
    # When to check in again (to the hour), or None while check-ins are not on for this person.
    checkin_due_at: dt.datetime | None = None


def mailbox_read(*, session: sessions.MailboxSession) -> MailboxView:
    """What the person sees: status, contact phrase, replies of the last 30 days."""
    mailbox = Mailbox.objects.filter(pk=session.mailbox_id).first()
    request = (
        HelpRequest.objects.filter(mailbox_id=session.mailbox_id).only(*_PUBLIC_COLUMNS).first()
    )
    if mailbox is None or request is None:
        raise SignInRefused(_("This mailbox no longer exists."))
    since = timezone.now() - REPLY_WINDOW
    replies = [
        ReplyView(
            sent_on=reply.sent_at.date(),
            body=codenames.open_with(session.private_key, bytes(reply.for_person or b"")).decode(),
        )
        for reply in StaffReply.objects.filter(
            request=request, sent_at__gte=since, for_person__isnull=False
        )
        .only("sent_at", "for_person")
        .order_by("-sent_at")
    ]
    phrase = codenames.open_with(session.private_key, bytes(mailbox.contact_phrase)).decode()
    return MailboxView(
        language=mailbox.language,
        contact_phrase=phrase,
        status=request.status,
        status_label=str(HelpRequest.Status(request.status).label),
        story_received=request.story_received,
        replies=replies,
        sent_count=RequestItem.objects.filter(request=request).exclude(kind="file").count(),
        checkin_due_at=mailbox.checkin_due_at,
    )


def mailbox_delete(*, session: sessions.MailboxSession) -> None:
    """The person deletes their mailbox: the codename opens nothing any more, and what was
    sealed to it is gone. Staff keep the request (it may already be a case) and see that the
    mailbox is closed."""
    with audit.atomic():
        mailbox = Mailbox.objects.select_for_update().filter(pk=session.mailbox_id).first()
        if mailbox is None:
            return
        request = HelpRequest.objects.filter(mailbox=mailbox).only("id").first()
        if request is not None:
            StaffReply.objects.filter(request=request).update(for_person=None)
        _record("mailbox.delete", "mailbox", mailbox.pk)
        mailbox.delete()
    sessions.end(session.token)


def replies_expire(*, now: dt.datetime | None = None) -> int:
    """Periodic: drop the person's sealed copy of replies older than 30 days."""
    cutoff = (now or timezone.now()) - REPLY_WINDOW
    with audit.atomic():
        count = StaffReply.objects.filter(sent_at__lt=cutoff, for_person__isnull=False).update(
            for_person=None
        )
        if count:
            audit.record(
                actor="system",
                action="mailbox.replies_expire",
                object_type="job",
                object_id="intake.replies_expire",
            )
    return count
