"""What a shred must empty besides encrypted fields (``settings.PASSAGE_SHRED_HOOKS``).

A help request's first step, story, messages and files are sealed boxes to an intake key, not
encrypted fields under its data key, so ``crypto.shred`` cannot know them. This hook empties
them, the replies sealed to the person's mailbox, and the mailbox itself (its look-up hash is
replaced by random bytes, so the codename no longer finds it). Idempotent: replaying the
ledger after a restore runs it again for every entry.
"""

from __future__ import annotations

import os
import uuid


def empty_sealed(owner_type: str, owner_id: uuid.UUID) -> None:
    """Empty the sealed boxes of a shredded help request (other owners: nothing to do)."""
    if owner_type != "intake.helprequest":
        return
    from passage.intake.models import (
        HelpRequest,
        Mailbox,
        MailboxCheckin,
        MailboxWords,
        RequestItem,
        StaffReply,
    )

    mailbox_ids = list(HelpRequest.objects.filter(pk=owner_id).values_list("mailbox_id", flat=True))
    HelpRequest.objects.filter(pk=owner_id).exclude(sealed=b"").update(sealed=b"")
    RequestItem.objects.filter(request_id=owner_id).exclude(sealed=b"").update(sealed=b"")
    StaffReply.objects.filter(request_id=owner_id, for_person__isnull=False).update(for_person=None)
    for box in mailbox_ids:
        if box is None:
            continue
        MailboxCheckin.objects.filter(mailbox_id=box).delete()
        MailboxWords.objects.filter(mailbox_id=box).delete()
        Mailbox.objects.filter(pk=box).exclude(contact_phrase=b"").update(
            lookup=os.urandom(32), public_key=b"", contact_phrase=b""
        )
