"""Reads of drafts: a user only ever gets their own, and never an expired one."""

from __future__ import annotations

from django.utils import timezone

from passage.accounts.models import User
from passage.drafts.models import Draft


def draft_of(user: User, form_key: str) -> Draft | None:
    """``user``'s live draft of the form ``form_key``, if there is one."""
    return Draft.objects.filter(
        owner=user, form_key=form_key, expires_at__gt=timezone.now()
    ).first()


def has_draft(user: User, form_key: str) -> bool:
    return Draft.objects.filter(
        owner=user, form_key=form_key, expires_at__gt=timezone.now()
    ).exists()
