"""Cases, campaigns, desk priorities, references and the case timeline.

Plain columns are the operational ones DESIGN invariant 1 lists (ids, desk, campaign, stage and
its dates, priority score and level, urgency, reply language, country and coarse region,
household size, outcome, foreign keys) plus those with a written reason in docs/security.md
(verification outcome, freeze, contact and deadline dates, timeline codes). Everything a person
told us is encrypted under the case's data key.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk, PartnerOrganisation
from passage.cases.priority import Level
from passage.cases.workflow import OPEN_STAGES, Stage
from passage.crypto.fields import EncryptedJSONField, EncryptedTextField, ProtectedModel

REFERENCE_PREFIX = "PSG"


class Campaign(models.Model):
    """A crisis response (e.g. "North Caucasus 2017"): raises priority for a region and period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    # ISO 3166-1 alpha-2 codes and coarse region names the campaign covers.
    countries = models.JSONField(default=list, blank=True)
    regions = models.JSONField(default=list, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    priority_boost = models.PositiveSmallIntegerField(_("priority boost"), default=10)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def runs_on(self, day: dt.date) -> bool:
        return (
            self.is_active
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )

    def covers(self, *, country: str, region: str) -> bool:
        """Whether a case in ``country``/``region`` falls under this campaign."""
        countries = {c.upper() for c in self.countries}
        regions = {r.casefold() for r in self.regions}
        if countries and country.upper() not in countries:
            return False
        if regions and region.casefold() not in regions:
            return False
        return bool(countries or regions)


class DeskPriority(models.Model):
    """A desk's priority boost in the triage score (e.g. a desk whose region is collapsing)."""

    desk = models.OneToOneField(
        Desk, primary_key=True, on_delete=models.CASCADE, related_name="priority"
    )
    boost = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"priority of desk {self.desk_id}"


class ReferenceCounter(models.Model):
    """The last reference number given out in a year (``PSG-2026-000123``)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"references of {self.year}"


class Case(ProtectedModel):
    """One person's (or household's) journey. Owns the data key of everything under it."""

    class Source(models.TextChoices):
        INTAKE = "intake", _("Help request")
        PARTNER = "partner", _("Partner referral")
        STAFF = "staff", _("Entered by staff")

    class Urgency(models.TextChoices):
        IMMEDIATE = "immediate", _("In danger now")
        DAYS = "days", _("Within days")
        WEEKS = "weeks", _("Within weeks")
        UNKNOWN = "unknown", _("Not known")

    class Verification(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        NOT_VERIFIED = "not_verified", _("Not verified")
        SUSPECTED_HOSTILE = "suspected_hostile", _("Suspected hostile")

    class Freeze(models.TextChoices):
        SUSPECTED_HOSTILE = "suspected_hostile", _("Suspected hostile")
        DURESS = "duress", _("Duress signal")

    class Outcome(models.TextChoices):
        RELOCATED = "relocated", _("Relocated")
        SETTLED = "settled", _("Settled")
        SAFE_LOCALLY = "safe_locally", _("Safe where they are")
        REFERRED = "referred", _("Referred to another organisation")
        DECLINED = "declined", _("Declined")
        WITHDREW = "withdrew", _("Withdrew")
        LOST = "lost", _("Contact lost")
        MERGED = "merged", _("Merged into another case")
        OTHER = "other", _("Other")

    reference = models.CharField(max_length=20, unique=True)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="cases")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NEW)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    # The main stage a side state (on hold, lost contact) left, to resume there.
    paused_from = models.CharField(max_length=20, choices=Stage.choices, blank=True, default="")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    referred_by = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")

    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.UNKNOWN)
    reply_language = models.CharField(max_length=12, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="")  # ISO 3166-1 alpha-2
    region = models.CharField(max_length=80, blank=True, default="")  # coarse, for triage
    household_size = models.PositiveSmallIntegerField(default=1)

    priority_base = models.SmallIntegerField(default=0)
    priority_score = models.SmallIntegerField(default=0)
    priority_level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.LOW)
    level_override = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    priority_computed_at = models.DateTimeField(default=timezone.now)

    verification_outcome = models.CharField(
        max_length=20, choices=Verification.choices, blank=True, default=""
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_reason = models.CharField(max_length=20, choices=Freeze.choices, blank=True, default="")
    last_contact_at = models.DateTimeField(null=True, blank=True)
    next_contact_due = models.DateTimeField(null=True, blank=True)
    next_deadline = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    # Encrypted under the case's own data key.
    narrative = EncryptedTextField(_("what happened and what they fear"))
    triage_factors = EncryptedJSONField()  # {factor code: true}
    level_override_reason = EncryptedTextField()

    class Meta:
        indexes = [
            # The triage queue: open cases by level, score, then longest waiting.
            models.Index(
                fields=["-priority_level", "-priority_score", "opened_at"],
                condition=Q(stage__in=OPEN_STAGES),
                name="cases_queue",
            ),
            models.Index(
                fields=["desk", "-priority_level", "-priority_score", "opened_at"],
                condition=Q(stage__in=OPEN_STAGES),
                name="cases_queue_desk",
            ),
            # Counting (and filtering) the open cases one works, from the index alone.
            models.Index(
                fields=["desk", "assignee"],
                condition=Q(stage__in=OPEN_STAGES),
                name="cases_open_desk_assignee",
            ),
            models.Index(fields=["desk", "stage"], name="cases_desk_stage"),
            models.Index(fields=["assignee", "stage"], name="cases_assignee_stage"),
            models.Index(fields=["referred_by", "opened_at"], name="cases_referred_by"),
            models.Index(fields=["campaign", "stage"], name="cases_campaign_stage"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def level(self) -> Level:
        return Level(self.priority_level)

    def waiting_days(self, now: dt.datetime | None = None) -> int:
        return max(0, ((now or timezone.now()) - self.opened_at).days)


class CaseEvent(ProtectedModel):
    """One line of a case's timeline: a stage change, an assignment, an override, a merge...

    ``kind`` and the stage codes are plain (the timeline and stage dates need them); whatever
    was written about it (the reason) is encrypted under the case's key.
    """

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        STAGE = "stage", _("Stage changed")
        ASSIGNED = "assigned", _("Assigned")
        TRIAGE = "triage", _("Triage factors changed")
        LEVEL_OVERRIDE = "level_override", _("Priority level overridden")
        PERSON = "person", _("Person details changed")
        DUPLICATE = "duplicate", _("Possible duplicate found")
        DISTINCT = "distinct", _("Marked as not a duplicate")
        MERGED = "merged", _("Merged")
        VERIFICATION = "verification", _("Verification recorded")
        FROZEN = "frozen", _("Frozen")
        UNFROZEN = "unfrozen", _("Unfrozen")
        APPROVAL = "approval", _("Approval")
        EMERGENCY = "emergency", _("Emergency help")
        CONSENT = "consent", _("Consent")
        SHARE = "share", _("Shared with a partner")
        DESK = "desk", _("Desk changed")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # A code that says more (a level, an outcome, an approval status); never free text.
    detail = models.CharField(max_length=40, blank=True, default="")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True, default="")
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = EncryptedTextField()

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["case", "at"], name="cases_event_case_at")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case_id}"
