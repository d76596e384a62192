"""``{% autosave_form "narrative" form [formset ...] %}``: mark a form's draft, restore it.

Put it right after ``{% csrf_token %}`` inside a ``<form data-autosave>``. It renders the hidden
form key (so a post that arrives after the idle timeout is kept as a draft, and autosave knows
which draft to write), the "Saved" status line, and, when the signed-in user has a draft of this
form and the page is not showing posted data already, fills the forms with the draft (audited:
``drafts.services.draft_restore``) and says so, with a way to discard it.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.forms.utils import ErrorDict, ErrorList
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from passage.accounts.models import User
from passage.audit import services as audit
from passage.drafts import keys, services

register = template.Library()


def _rebind(target: forms.BaseForm | BaseFormSet[Any], data: QueryDict) -> None:
    """Show ``data`` in an unbound form or formset, without validating it (no error messages:
    a half-typed draft is not a failed submission). Django keeps the outcome of validation in
    ``_errors``; setting it to "no errors" is how a bound form is shown without validating."""
    target.data = data
    target.is_bound = True
    if isinstance(target, BaseFormSet):
        for cached in ("forms", "management_form"):
            target.__dict__.pop(cached, None)
        target.__dict__["_errors"] = []
        target.__dict__["_non_form_errors"] = ErrorList()
        for form in target.forms:
            form.__dict__["_errors"] = ErrorDict()
            form.cleaned_data = {}
    else:
        target.__dict__["_errors"] = ErrorDict()
        target.cleaned_data = {}


@register.simple_tag(takes_context=True)
def autosave_form(context: template.Context, form_id: str, *targets: Any) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not isinstance(user, User):
        return SafeString("")
    try:
        key = keys.form_key(request.path, form_id)
    except ValueError:  # not a page of the console that can keep drafts: plain form
        return SafeString("")
    restored = False
    if targets and not any(target.is_bound for target in targets):
        values = services.draft_restore(
            actor=user, form_key=key, request_id=audit.request_id_from(request)
        )
        if values:
            data = QueryDict(mutable=True)
            for name, items in values.items():
                data.setlist(name, items)
            for target in targets:
                _rebind(target, data)
            restored = True
    html = render_to_string(
        "drafts/includes/autosave.html", {"key": key, "restored": restored}, request=request
    )
    return SafeString(html)
