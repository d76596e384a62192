"""The contact log: every contact with the person over any channel, in seconds.

Logging a contact also moves the case's plain ``last_contact_at`` and ``next_contact_due``
columns (the queue and "My work" sort and filter on them) when it is the newest contact of
the case: its next-contact date becomes the case's (none given: none planned). A contact
logged after the fact (older than the newest) is kept in the log and leaves both alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.casefiles.services import CheckedUpload, case_file_add
from passage.cases import access
from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case
from passage.cases.services import common
from passage.casework.models import CONTACT_ATTACHMENT, Contact
from passage.casework.services.common import MAX_SHORT, text

# A clock a few minutes ahead on the staff member's phone is not "the future".
CLOCK_SKEW = dt.timedelta(minutes=5)


def contact_log(
    *,
    case: Case,
    actor: User,
    channel: str,
    direction: str,
    summary: str,
    with_whom: str = "",
    happened_at: dt.datetime | None = None,
    next_contact_due: dt.datetime | None = None,
    attachments: Sequence[CheckedUpload] = (),
    attachment_description: str = "",
    request_id: str | None = None,
) -> Contact:
    """Log one contact (its summary and with whom encrypted) and update the case's dates.

    ``attachments`` (checked and stripped by the upload form) become case files hung on the
    contact, in the same transaction: a contact is never logged without the files sent with it.
    """
    access.require_working(actor, case)
    if channel not in Contact.Channel.values:
        raise InvalidInput(_("Choose the channel."))
    if direction not in Contact.Direction.values:
        raise InvalidInput(_("Choose who contacted whom."))
    summary = text(summary, required=_("Write what was said, or paste the conversation."))
    with_whom = text(with_whom, limit=MAX_SHORT)
    now = timezone.now()
    moment = happened_at or now
    if moment > now + CLOCK_SKEW:
        raise InvalidInput(_("A contact cannot be in the future."))
    if next_contact_due is not None and next_contact_due <= moment:
        raise InvalidInput(_("The next contact must come after this one."))
    with audit.atomic():
        locked = common.lock(case)
        contact = Contact.objects.create(
            case=locked,
            channel=channel,
            direction=direction,
            staff=actor,
            happened_at=moment,
            recorded_at=now,
            next_contact_due=next_contact_due,
            with_whom=with_whom or None,
            summary=summary,
        )
        if locked.last_contact_at is None or moment >= locked.last_contact_at:
            locked.last_contact_at = moment
            locked.next_contact_due = next_contact_due
            locked.save(update_fields=["last_contact_at", "next_contact_due"])
        common.record(actor, "case.contact_logged", locked, request_id=request_id)
        for upload in attachments:
            case_file_add(
                case=locked,
                actor=actor,
                upload=upload,
                description=attachment_description,
                attached_kind=CONTACT_ATTACHMENT,
                attached_id=contact.pk,
                request_id=request_id,
            )
    return contact
