"""Safe houses, the stays of cases in them, and the flags a compromised house leaves on cases.

A safe house owns its data key (no ``key_owner_path``): its address, contact, house rules and
the reason it was marked compromised are encrypted under it, apart from every case. What lists
and the capacity calendar need stays plain and coarse: the code name, the desk, the region, the
number of beds and the status. A stay and an exposure flag hold no text at all (dates, counts,
ids), so they are plain rows.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.cases.models import Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel


class SafeHouse(ProtectedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULL = "full", _("Full")
        CLOSED = "closed", _("Closed")
        COMPROMISED = "compromised", _("Compromised")

    # A name that says nothing about where the house is, e.g. "Birch".
    code_name = models.CharField(max_length=40, unique=True)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="safe_houses")
    # Coarse and plain: a city or region, never a street.
    region = models.CharField(max_length=80)
    # Encrypted under the house's own key; shown only to logistics after step-up, audited.
    address = EncryptedTextField()
    contact = EncryptedTextField()
    rules = EncryptedTextField()
    beds = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    compromised_at = models.DateTimeField(null=True, blank=True)
    compromised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    compromise_reason = EncryptedTextField()

    class Meta:
        ordering = ["code_name"]

    def __str__(self) -> str:
        return self.code_name

    @property
    def is_compromised(self) -> bool:
        return self.status == self.Status.COMPROMISED


class Stay(models.Model):
    """A case's stay in a house. Nights run from ``start`` (inclusive) to ``end`` (exclusive):
    the actual dates once known, else the planned ones. ``people`` is the case's household size
    when it was placed: a bed per person, every night."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stays")
    house = models.ForeignKey(SafeHouse, on_delete=models.PROTECT, related_name="stays")
    people = models.PositiveSmallIntegerField()
    planned_from = models.DateField()
    planned_to = models.DateField()
    actual_from = models.DateField(null=True, blank=True)
    actual_to = models.DateField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["planned_from", "created_at"]
        indexes = [
            models.Index(fields=["house", "planned_from"], name="stay_house_idx"),
            models.Index(fields=["case", "planned_from"], name="stay_case_idx"),
        ]

    def __str__(self) -> str:
        return f"stay {self.pk}"

    @property
    def start(self) -> dt.date:
        return self.actual_from or self.planned_from

    @property
    def end(self) -> dt.date:
        return self.actual_to or self.planned_to

    @property
    def nights(self) -> int:
        return max((self.end - self.start).days, 0)

    @property
    def is_ended(self) -> bool:
        return self.actual_to is not None

    @property
    def is_current(self) -> bool:
        return self.actual_from is not None and self.actual_to is None

    @property
    def is_planned(self) -> bool:
        return self.actual_from is None and self.cancelled_at is None

    def occupies(self, night: dt.date) -> bool:
        return self.cancelled_at is None and self.start <= night < self.end


class ExposureFlag(models.Model):
    """A case that stayed or was to stay in a house when it was marked compromised."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="safehouse_flags")
    house = models.ForeignKey(SafeHouse, on_delete=models.PROTECT, related_name="flags")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="flags")
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["stay"], name="exposure_flag_one_per_stay"),
        ]

    def __str__(self) -> str:
        return f"exposure of {self.case_id}"
