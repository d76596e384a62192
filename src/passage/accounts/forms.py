"""Staff sign-in form. Its one failure message never says whether the username exists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from passage.accounts.lockdown import lockdown_active
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
            if not user.is_admin and lockdown_active():
                # Emergency lockdown: only admins sign in (docs/lockdown.md). Answered like a
                # wrong passphrase (the page says why for everyone), but not counted as one.
                raise forms.ValidationError(self.invalid_message, code="lockdown")
            self.user = user
        return cleaned


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        error_messages={"required": _("Enter the code from your authenticator app.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    invalid_message = _(
        "That code is not right, or it was used already. Wait for the next code and try again."
    )

    def full_clean(self) -> None:
        super().full_clean()
        if self.errors:
            self.fields["code"].widget.attrs.pop("autofocus", None)


class TotpConfirmForm(SecondFactorForm):
    """The first code from a newly added authenticator."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The 6-digit code your authenticator app shows now.")

    invalid_message = _(
        "That code is not right. Check that the app shows Passage, wait for the next code "
        "and try again."
    )


class NewPasswordForm(forms.Form):
    """Choose a password: the rules are checked by the password service, messages shown here."""

    new_password = forms.CharField(
        label=_("New passphrase"),
        max_length=1024,
        strip=False,
        help_text=_(
            "At least 12 characters. Several unrelated words are easy to remember and hard to "
            "guess. Not a common password, and not your username."
        ),
        error_messages={"required": _("Enter a new passphrase.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New passphrase again"),
        max_length=1024,
        strip=False,
        error_messages={"required": _("Enter the new passphrase a second time.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        from passage.accounts.services.passwords import password_check

        cleaned = super().clean() or {}
        first = cleaned.get("new_password")
        second = cleaned.get("new_password_again")
        if first and second and first != second:
            self.add_error(
                "new_password_again", _("The two passphrases are not the same. Type both again.")
            )
        elif first:
            try:
                password_check(first, user=self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password", exc)
        return cleaned


class PasswordChangeForm(NewPasswordForm):
    current_password = forms.CharField(
        label=_("Current passphrase"),
        max_length=1024,
        strip=False,
        error_messages={"required": _("Enter your current passphrase.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "new_password", "new_password_again"]

    def clean_current_password(self) -> str:
        value: str = self.cleaned_data["current_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("That is not your current passphrase."), code="wrong")
        return value
