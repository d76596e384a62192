"""Staff sign-in form. Its one failure message never says whether the username exists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=64,
        strip=True,
        error_messages={"required": _("Enter your username.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    password = forms.CharField(
        label=_("Passphrase"),
        max_length=1024,  # Argon2 hashes anything, but a megabyte "passphrase" is an attack.
        strip=False,
        error_messages={"required": _("Enter your passphrase.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    # Identical for an unknown username, a wrong passphrase and a disabled account.
    invalid_message = _(
        "The username or passphrase is not right. Check both and try again. "
        "Usernames are not case-sensitive; passphrases are."
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        if self.errors:
            # The page comes back with errors: focus goes to the error summary, not the field.
            self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username = cleaned.get("username")
        password = cleaned.get("password")
        if username and password:
            # Django's ModelBackend hashes the passphrase even for an unknown username, so the
            # answer takes as long either way; inactive accounts are refused the same way.
            user = authenticate(self.request, username=username, password=password)
            if not isinstance(user, User):
                raise forms.ValidationError(self.invalid_message, code="invalid_login")
            self.user = user
        return cleaned
