"""Choosing the staff console's language (kept in the server-side session)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from passage.accounts.access import staff_view
from passage.accounts.language import choose_language, chosen_language, language_names
from passage.accounts.roles import Perm


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Console language"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy("For this sign-in, on this device. The public pages keep theirs."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = language_names()


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@staff_view(Perm.CONSOLE)
def language(request: HttpRequest) -> HttpResponse:
    """The console's languages; choosing one applies it at once."""
    current = chosen_language(request) or translation.get_language()
    form = LanguageForm(
        request.POST if request.method == "POST" else None, initial={"language": current}
    )
    if form.is_bound and form.is_valid():
        choose_language(request, form.cleaned_data["language"])
        messages.success(request, _("The console is now in this language."))
        return redirect("language:choose")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/auth/language.html", {"form": form}, status=status)
