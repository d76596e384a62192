"""Partner directory extensions, pathway programmes and the pathway applications of cases.

Plain columns are operational only: kinds, statuses, trust level, quotas, dates and foreign
keys (what lists count and sort on, and what drives deadline reminders). What names or reaches
someone is encrypted: a partner's contact details under the partner's own data key, a
programme's name under the programme's own key, an application's reference number and outcome
under the case's key. Reasons for the plain columns are in docs/security.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import PartnerOrganisation
from passage.cases.models import Case
from passage.crypto.fields import EncryptedTextField, ProtectedModel


class PartnerProfile(ProtectedModel):
    """What the directory keeps about a partner beyond accounts' record (code, name, kind,
    desks): its contact details (encrypted under the partner's own key) and our trust in it."""

    class Trust(models.TextChoices):
        UNVETTED = "unvetted", _("Not vetted yet")
        PROVISIONAL = "provisional", _("Provisional")
        TRUSTED = "trusted", _("Trusted")
        SUSPENDED = "suspended", _("Suspended: do not share anything")

    key_owner_path = "partner"

    partner = models.OneToOneField(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="profile"
    )
    trust_level = models.CharField(max_length=12, choices=Trust.choices, default=Trust.UNVETTED)
    contacts = EncryptedTextField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"profile of {self.partner_id}"


class Programme(ProtectedModel):
    """A pathway programme (e.g. a government's emergency visas of one year), with an optional
    quota of places. Its name is encrypted under its own key: a programme can be secret."""

    class Kind(models.TextChoices):
        EMERGENCY_VISA = "emergency_visa", _("Government emergency visa programme")
        UNHCR_RESETTLEMENT = "unhcr_resettlement", _("UNHCR resettlement referral")
        PRIVATE_SPONSORSHIP = "private_sponsorship", _("Private sponsorship")
        GOVERNMENT_ASSISTED = "government_assisted", _("Government-assisted refugee referral")
        ASYLUM_ON_ARRIVAL = "asylum_on_arrival", _("Asylum claim on arrival")
        INTERNAL_RELOCATION = "internal_relocation", _("Internal relocation")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    name = EncryptedTextField()
    partner = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    quota = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_active", "kind", "created_at"]

    def __str__(self) -> str:
        return f"{self.kind} programme {self.pk}"


class Application(ProtectedModel):
    """One pathway application of a case to a programme."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        SUBMITTED = "submitted", _("Submitted")
        INTERVIEW = "interview", _("Interview")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pathway_applications")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARING)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    # Plain: it drives reminders and the deadline columns of lists.
    next_deadline = models.DateField(null=True, blank=True)
    reference = EncryptedTextField()
    outcome = EncryptedTextField()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["programme", "status"], name="pathways_app_programme"),
            models.Index(fields=["case", "created_at"], name="pathways_app_case"),
            models.Index(fields=["next_deadline"], name="pathways_app_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.status} application of {self.case_id}"


# Statuses that hold a place of the programme's quota: from submission until a refusal or a
# withdrawal frees it (docs/pathways.md).
HOLDS_PLACE = frozenset(
    {Application.Status.SUBMITTED, Application.Status.INTERVIEW, Application.Status.APPROVED}
)
# Where an application may go from each status; refused and withdrawn are final.
MOVES: dict[str, frozenset[str]] = {
    Application.Status.PREPARING: frozenset(
        {Application.Status.SUBMITTED, Application.Status.WITHDRAWN}
    ),
    Application.Status.SUBMITTED: frozenset(
        {
            Application.Status.INTERVIEW,
            Application.Status.APPROVED,
            Application.Status.REFUSED,
            Application.Status.WITHDRAWN,
        }
    ),
    Application.Status.INTERVIEW: frozenset(
        {Application.Status.APPROVED, Application.Status.REFUSED, Application.Status.WITHDRAWN}
    ),
    Application.Status.APPROVED: frozenset({Application.Status.WITHDRAWN}),
    Application.Status.REFUSED: frozenset(),
    Application.Status.WITHDRAWN: frozenset(),
}
