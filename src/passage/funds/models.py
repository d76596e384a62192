"""Funds, their ledger, per-case budget lines, approvals and disbursements.

A fund's balance is never a stored number: it is the sum of its ledger (``FundEntry``: deposits
positive, disbursements negative), so it cannot drift from what was recorded. Amounts are
integers of the fund's minor units (``passage.funds.money``). Budget lines and disbursements
belong to a case: their free text (a note, the payment reference) is encrypted under the case's
key. A fund, its name and its programme are the organisation's, not a person's: plain.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.cases.models import Approval, Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel
from passage.funds.money import CURRENCIES


class Fund(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, unique=True)
    programme = models.TextField(blank=True, default="")
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    # Only cases of this desk may draw on the fund (None: any desk).
    desk = models.ForeignKey(
        Desk, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Above this many minor units a budget line needs two approvers (None: the setting).
    four_eyes_minor = models.PositiveBigIntegerField(null=True, blank=True)
    # The fund the emergency track (cases: help before verification) draws on; at most one.
    is_emergency = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_emergency"],
                condition=models.Q(is_emergency=True),
                name="funds_one_emergency_fund",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def threshold(self) -> int:
        if self.four_eyes_minor is not None:
            return int(self.four_eyes_minor)
        return int(settings.PASSAGE_FOUR_EYES_MINOR)


class FundEntry(models.Model):
    """One line of a fund's ledger: money in (a deposit) or out (a disbursement)."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        DISBURSEMENT = "disbursement", _("Disbursement")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.BigIntegerField()  # signed minor units of the fund's currency
    on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    disbursement = models.OneToOneField(
        "Disbursement", null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )

    class Meta:
        ordering = ["-on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="deposit", amount__gt=0, disbursement__isnull=True))
                | models.Q(kind="disbursement", amount__lt=0, disbursement__isnull=False),
                name="funds_entry_sign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on {self.fund_id}"


class BudgetLine(ProtectedModel):
    class Category(models.TextChoices):
        AIRFARE = "airfare", _("Airfare")
        ACCOMMODATION = "accommodation", _("Accommodation")
        BASIC_GOODS = "basic_goods", _("Basic goods")
        MEDICAL = "medical", _("Medical")
        PSYCHOLOGICAL = "psychological", _("Psychological support")
        DOCUMENTS = "documents", _("Documents and legal")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ESTIMATED = "estimated", _("Estimated, waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="budget_lines")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="lines")
    number = models.PositiveIntegerField()  # "Line 3" of the case
    category = models.CharField(max_length=16, choices=Category.choices)
    estimate = models.PositiveBigIntegerField()  # minor units of the fund's currency
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ESTIMATED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    # A line paying approved emergency help: that approval (two people) is its approval.
    emergency_approval = models.OneToOneField(
        Approval, null=True, blank=True, on_delete=models.PROTECT, related_name="budget_line"
    )
    note = EncryptedTextField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="funds_line_number"),
        ]
        indexes = [models.Index(fields=["status", "fund"], name="funds_line_status")]

    def __str__(self) -> str:
        return f"line {self.number} of {self.case_id}"


class LineApproval(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["line", "approver"], name="funds_approval_once")
        ]

    def __str__(self) -> str:
        return f"approval of {self.line_id}"


class Disbursement(ProtectedModel):
    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        BANK = "bank", _("Bank transfer")
        TRANSFER_SERVICE = "transfer_service", _("Money transfer service")
        CARD = "card", _("Card")
        OTHER = "other", _("Other")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disbursements")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="disbursements")
    paid_on = models.DateField()
    amount = models.PositiveBigIntegerField()  # minor units of the fund's currency
    method = models.CharField(max_length=16, choices=Method.choices)
    # Paid in another currency: what was paid and the rate used (fund units per paid unit).
    paid_amount = models.PositiveBigIntegerField(null=True, blank=True)
    paid_currency = models.CharField(max_length=3, blank=True, default="")
    rate = models.CharField(max_length=32, blank=True, default="")
    reference = EncryptedTextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "recorded_at"]

    def __str__(self) -> str:
        return f"disbursement of {self.line_id}"


class Stipend(ProtectedModel):
    """A monthly payment on an approved line (people waiting in a safe house or after
    arrival), from ``first_due`` to ``ends_on``. ``next_due`` is the next payment's date (None
    once the last was paid or the stipend ended); finance is reminded before each."""

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stipends")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="stipends")
    amount = models.PositiveBigIntegerField()  # per payment, minor units of the fund's currency
    method = models.CharField(max_length=16, choices=Disbursement.Method.choices)
    day = models.PositiveSmallIntegerField()  # of the month, from the first payment
    first_due = models.DateField()
    ends_on = models.DateField()
    next_due = models.DateField(null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_due"]
        indexes = [models.Index(fields=["next_due"], name="funds_stipend_due")]

    def __str__(self) -> str:
        return f"stipend of {self.case_id}"
