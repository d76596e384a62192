"""Helpers for the cases page tests: pages as a browser sees them, forms posted with the token
of the page (CSRF is enforced), errors where the page shows them, and audited reads.

Nothing here replaces our own code: clients are real signed-in sessions (``sign_in_as``), data
is made through the services, and what is checked is read back from the database.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import TYPE_CHECKING, Any

from django.test import Client
from django.urls import reverse

from passage.audit.models import AuditEntry
from passage.cases.models import Case
from tests.accounts.admin_support import age_second_factor, submit
from tests.accounts.conftest import form_token

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

__all__ = [
    "READ",
    "age_second_factor",
    "case_url",
    "field_error",
    "form_token",
    "name_reads",
    "page",
    "post",
    "reads",
    "step_up_location",
    "submit",
    "text_of",
    "token_in",
    "top_errors",
]

READ = "case.section_viewed"
NAME_READ = f"{READ}.name"


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> TestResponse:
    """POST with a valid CSRF token from the user's home page, as a forged form would (for
    actions whose page the user cannot open, or that have no page)."""
    home = client.get("/staff/home/", follow=True)
    return client.post(path, {"csrfmiddlewaretoken": token_in(text_of(home)), **(data or {})})


def case_url(name: str, case: Case, *args: Any) -> str:
    """The URL of a case page (``name`` without the "cases:" namespace)."""
    return reverse(f"cases:{name}", args=[case.pk, *args])


def text_of(response: TestResponse) -> str:
    return response.content.decode()


def page(client: Client, path: str, status: int = 200) -> str:
    """GET ``path``, check the status, and return the HTML."""
    response = client.get(path)
    assert response.status_code == status, (response.status_code, path)
    return text_of(response)


def token_in(content: str) -> str:
    """The CSRF token of the first form in ``content`` (to post what a page showed)."""
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    assert found, "no form with a CSRF token"
    return found.group(1)


def field_error(content: str, name: str) -> str:
    """The error shown next to the field ``name`` (empty when there is none)."""
    hidden = '<span class="visually-hidden">Error: </span>'
    found = re.search(rf'id="id_{re.escape(name)}_error">{hidden}(.*?)</span>', content, re.DOTALL)
    return html_lib.unescape(found.group(1)) if found else ""


def top_errors(content: str) -> list[str]:
    """The messages of the error summary at the top of the form (links to fields included)."""
    found = re.search(r'<div class="error-summary".*?</div>', content, re.DOTALL)
    if not found:
        return []
    block = found.group(0)
    items = re.findall(r"<li>(.*?)</li>", block, re.DOTALL) or re.findall(
        r"<p>(.*?)</p>", block, re.DOTALL
    )
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def reads(case: Case | Any, section: str | None = None) -> list[str]:
    """The audited views of protected sections of ``case`` (their actions, oldest first).

    The chosen name shown beside the reference (lists, the case header) is a read of its own,
    ``case.section_viewed.name``, once per case per sign-in: see ``name_reads``; it is left out
    here unless ``section="name"`` is asked for.
    """
    pk = case.pk if isinstance(case, Case) else case
    entries = AuditEntry.objects.filter(object_id=str(pk), action__startswith=f"{READ}.")
    if section is not None:
        entries = entries.filter(action=f"{READ}.{section}")
    else:
        entries = entries.exclude(action=NAME_READ)
    return list(entries.order_by("sequence").values_list("action", flat=True))


def name_reads(case: Case | Any) -> int:
    """How many times the chosen name of ``case`` was shown to someone (audited reads)."""
    pk = case.pk if isinstance(case, Case) else case
    return AuditEntry.objects.filter(object_id=str(pk), action=NAME_READ).count()


def step_up_location(path: str) -> str:
    return f"/staff/step-up/?next={path}"
