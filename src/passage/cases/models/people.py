"""The people of a case (the person asking for help and their household) and how to reach them.

Every personal field is encrypted under the case's data key; names, birth dates and contact
handles are blind-indexed for exact-match search and duplicate detection (names also by their
transliteration-tolerant sound skeleton). The only plain columns are the case link, whether the
person is the principal, and their order in the household.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.cases.models.case import Case
from passage.crypto.fields import EncryptedJSONField, EncryptedTextField, ProtectedModel

NAME_SCOPES = ("name", "name_sound")


class Person(ProtectedModel):
    """One person of a case: the principal (who asked for help) or a household member."""

    key_owner_path = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    is_principal = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    # How staff who work the case address them.
    chosen_name = EncryptedTextField(_("name they want to be called"), blind_index=NAME_SCOPES)
    pronouns = EncryptedTextField(_("pronouns"))
    # As on documents, kept apart from the chosen name.
    legal_name = EncryptedTextField(_("legal name"), blind_index=NAME_SCOPES)
    aliases = EncryptedJSONField(_("other names"), blind_index=NAME_SCOPES)  # list of names
    birth_date = EncryptedTextField(_("date of birth"), blind_index="date")  # ISO date
    age_years = EncryptedJSONField(_("age"))  # a number, when the date is not known
    nationality = EncryptedTextField(_("nationality"))
    languages = EncryptedJSONField(_("languages"))  # ISO 639 codes
    gender_identity = EncryptedTextField(_("gender identity"))
    sexual_orientation = EncryptedTextField(_("sexual orientation"))
    # The coarse categories the person chose for themselves (``cases.categories``): reports
    # count by them (``cases.rollups``); encrypted like the words above.
    gender_category = EncryptedTextField(_("gender identity (category)"))
    orientation_category = EncryptedTextField(_("sexual orientation (category)"))
    relationship = EncryptedTextField(_("relationship to the principal"))
    current_location = EncryptedTextField(_("precise location"))
    health_needs = EncryptedTextField(_("health needs"))
    protection_needs = EncryptedTextField(_("protection needs"))

    class Meta:
        ordering = ["case", "-is_principal", "position", "created_at"]
        indexes = [models.Index(fields=["case", "is_principal"], name="cases_person_case")]

    def __str__(self) -> str:
        return f"person {self.pk}"


class ContactChannel(ProtectedModel):
    """A way to reach a person: Signal, WhatsApp, Telegram, a phone number..."""

    class Kind(models.TextChoices):
        SIGNAL = "signal", _("Signal")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TELEGRAM = "telegram", _("Telegram")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        OTHER = "other", _("Other")

    key_owner_path = "person__case"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="channels")
    created_at = models.DateTimeField(default=timezone.now)
    kind = EncryptedTextField(_("channel"))
    value = EncryptedTextField(_("number or handle"), blind_index="handle")
    note = EncryptedTextField(_("how to use it safely"))

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"contact channel {self.pk}"
