"""Check-ins from the mailbox: the person types a word, or chooses their two words.

Runs on the intake tier, which holds no key that opens anything (DESIGN invariant 2). Every
typed word goes through ``checkin_submit`` alone, with the same writes for any word: one sealed
row of fixed size, one audit entry, one queued job. Whether the word was the check-in word, the
duress word or neither is decided later by the console tier (``passage.safety``), which the
person's screen and network never hear about.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from passage.audit import services as audit
from passage.intake import checkins, sessions
from passage.intake.exceptions import InvalidInput, SignInRefused
from passage.intake.models import Mailbox, MailboxCheckin, MailboxWords

logger = logging.getLogger(__name__)


def _record(action: str, session: sessions.MailboxSession) -> None:
    audit.record(
        actor="public",
        action=action,
        object_type="mailbox",
        object_id=str(session.mailbox_id),
        coarse_time=True,
    )


def _queue_opening() -> None:
    """On a single machine, have the console side open the row within seconds. The same call
    for every check-in; a queue that is down only delays it to the next periodic run."""
    if settings.PASSAGE_ROLE != "all":
        return
    from passage.intake.tasks import checkins_open_soon

    try:
        checkins_open_soon.enqueue()
    except Exception as exc:  # the periodic job opens it anyway
        logger.warning("Could not queue the check-in opener (%s)", type(exc).__name__)


def _check_word(word: str) -> str:
    word = checkins.normalise(word)
    if not (checkins.MIN_WORD_CHARS <= len(word) <= checkins.MAX_WORD_CHARS):
        raise InvalidInput(_("A word has 3 to 40 letters."))
    return word


def _require_mailbox(session: sessions.MailboxSession) -> None:
    if not Mailbox.objects.filter(pk=session.mailbox_id).exists():
        raise SignInRefused(_("This mailbox no longer exists."))


def checkin_submit(*, session: sessions.MailboxSession, word: str) -> None:
    """Take a check-in word, whatever it is: seal it padded and store one row.

    The same writes, audit entry and queued job for the check-in word, the duress word and a
    wrong word; the caller answers the same page for all of them.
    """
    box, key_id = checkins.seal_word(_check_word(word))
    with audit.atomic():
        _require_mailbox(session)
        MailboxCheckin.objects.create(
            mailbox_id=session.mailbox_id, intake_key_id=key_id, sealed=box
        )
        _record("mailbox.checkin", session)
        transaction.on_commit(_queue_opening)


def words_set(*, session: sessions.MailboxSession, checkin_word: str, duress_word: str) -> None:
    """The person chooses (or changes) their check-in word and their warning (duress) word."""
    first, second = _check_word(checkin_word), _check_word(duress_word)
    if first == second:
        raise InvalidInput(_("Choose two different words."))
    box, key_id = checkins.seal_words(first, second)
    with audit.atomic():
        _require_mailbox(session)
        # A choice not yet taken in by our team is replaced, not queued behind.
        MailboxWords.objects.filter(mailbox_id=session.mailbox_id).delete()
        MailboxWords.objects.create(mailbox_id=session.mailbox_id, intake_key_id=key_id, sealed=box)
        _record("mailbox.words_set", session)
        transaction.on_commit(_queue_opening)
