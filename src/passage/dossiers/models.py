"""Letter and dossier templates: configuration written by admins, never case data.

A template's body is plain text with ``{{ placeholder }}`` names from a fixed whitelist
(``passage.dossiers.placeholders``); nothing else of the template language is allowed, so an
admin cannot reach settings, template tags or any field outside the whitelist. The body is not
encrypted: it must describe a letter, never a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import PartnerOrganisation


class LetterTemplate(models.Model):
    """A letter or referral dossier for one kind of recipient (the consent recipient kinds)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    recipient_kind = models.CharField(
        _("recipient"), max_length=20, choices=PartnerOrganisation.Kind.choices
    )
    # A pathway kind code (passage.pathways), optional; plain so this app does not depend on it.
    pathway_kind = models.CharField(_("pathway"), max_length=40, blank=True, default="")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    body = models.TextField(_("body"))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recipient_kind", "name"]

    def __str__(self) -> str:
        return self.code
