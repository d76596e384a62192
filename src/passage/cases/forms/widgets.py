"""Widgets shared by the case forms."""

from __future__ import annotations

from passage.accounts.forms_admin import CheckboxGroup

__all__ = ["CheckboxGroup"]
