"""Handing a case over to another desk: asked for by someone who works it, accepted (or
declined) by a lead of the receiving desk.

Plain columns: the case, the two desks, who asked and decided, the status and the times (the
workload page lists and counts them without decrypting). What the requester wrote about it
(``note``) is encrypted under the case's key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.cases.models import Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel


class DeskTransfer(ProtectedModel):
    """A request to move a case from its desk to another one (origin -> transit -> settlement)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the receiving desk")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="desk_transfers")
    from_desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    to_desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(_("why the case moves"))

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["to_desk", "status"], name="workload_transfer_to")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="requested"),
                name="workload_one_open_transfer",
            )
        ]

    def __str__(self) -> str:
        return f"transfer of {self.case_id}"
