"""The interpreter's pages: /staff/interpret/ (my cases: reference and languages only) and, per
case, the story, the mailbox messages and the contact log, each an audited read; 404 for a
case not given to them, or no longer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.models import Contact
from passage.intake.models import HelpRequest
from passage.interpreting import services
from passage.interpreting.models import InterpreterAssignment
from tests.cases.views.conftest import HANDLE, LEGAL_NAME, Signed
from tests.cases.views.support import page, reads
from tests.interpreting.conftest import CONTACT, MESSAGE, NAME, REPLY, STORY

pytestmark = pytest.mark.django_db


def url(name: str, case: Case) -> str:
    return reverse(f"interpret:{name}", args=[case.pk])


def test_my_cases_lists_reference_and_languages_only(
    signed_in: Signed, interpreter: User, north_case: Case, assigned: InterpreterAssignment
) -> None:
    content = page(signed_in(interpreter), reverse("interpret:list"))
    assert north_case.reference in content
    assert "Chechen" in content and "Russian" in content
    for secret in (NAME, STORY, HANDLE, north_case.desk.name):
        assert secret not in content
    assert reads(north_case) == []  # nothing decrypted, nothing to record


def test_my_cases_is_empty_without_an_assignment(signed_in: Signed, interpreter: User) -> None:
    content = page(signed_in(interpreter), reverse("interpret:list"))
    assert "No case is given to you now" in content


def test_the_story_page_shows_the_narrative_and_records_the_read(
    signed_in: Signed, interpreter: User, north_case: Case, assigned: InterpreterAssignment
) -> None:
    content = page(signed_in(interpreter), url("case", north_case))
    assert STORY in content
    for secret in (NAME, LEGAL_NAME, HANDLE):
        assert secret not in content
    # Only the interpreter's own sections: none of the case's tabs.
    assert reverse("cases:case-person", args=[north_case.pk]) not in content
    assert reverse("cases:case", args=[north_case.pk]) not in content
    assert reads(north_case) == ["case.section_viewed.narrative"]


def test_the_messages_page_shows_the_mailbox(
    signed_in: Signed,
    interpreter: User,
    north_case: Case,
    assigned: InterpreterAssignment,
    mailbox: HelpRequest,
) -> None:
    content = page(signed_in(interpreter), url("messages", north_case))
    assert MESSAGE in content and REPLY in content
    assert reads(north_case) == ["case.section_viewed.messages"]


def test_the_contacts_page_shows_the_contact_log(
    signed_in: Signed,
    interpreter: User,
    north_case: Case,
    assigned: InterpreterAssignment,
    contact: Contact,
) -> None:
    content = page(signed_in(interpreter), url("contacts", north_case))
    assert CONTACT in content and "Signal" in content
    assert reads(north_case) == ["case.section_viewed.contacts"]


@pytest.mark.parametrize("name", ["case", "messages", "contacts"])
def test_a_case_not_given_to_them_is_404(
    signed_in: Signed,
    interpreter: User,
    other_interpreter: User,
    north_case: Case,
    assigned: InterpreterAssignment,
    name: str,
) -> None:
    page(signed_in(other_interpreter), url(name, north_case), status=404)
    assert reads(north_case) == []


@pytest.mark.parametrize("name", ["case", "messages", "contacts"])
def test_an_ended_assignment_is_404_at_once(
    signed_in: Signed,
    interpreter: User,
    caseworker: User,
    north_case: Case,
    assigned: InterpreterAssignment,
    name: str,
) -> None:
    client = signed_in(interpreter)
    page(client, url(name, north_case))
    services.interpreter_end(assignment=assigned, actor=caseworker)
    page(client, url(name, north_case), status=404)
    assert north_case.reference not in page(client, reverse("interpret:list"))


@pytest.mark.parametrize("name", ["case", "messages", "contacts"])
def test_caseworkers_use_their_own_pages_not_these(
    signed_in: Signed,
    caseworker: User,
    north_case: Case,
    assigned: InterpreterAssignment,
    name: str,
) -> None:
    page(signed_in(caseworker), url(name, north_case), status=404)


def test_the_case_pages_refuse_the_assigned_interpreter(
    signed_in: Signed, interpreter: User, north_case: Case, assigned: InterpreterAssignment
) -> None:
    client = signed_in(interpreter)
    for name in ("case", "case-person", "case-triage", "case-timeline", "case-verification"):
        page(client, reverse(f"cases:{name}", args=[north_case.pk]), status=404)
    for name in ("cases:queue", "cases:inbox", "cases:list", "cases:search"):
        page(client, reverse(name), status=404)


def test_the_navigation_leads_interpreters_to_their_cases(
    signed_in: Signed, interpreter: User
) -> None:
    content = page(signed_in(interpreter), reverse("interpret:list"))
    assert f'href="{reverse("interpret:list")}"' in content
    assert f'href="{reverse("cases:queue")}"' not in content
