"""The case list /staff/cases/ (open and closed cases one works, newest first) and search
/staff/cases/search/ (reference, exact handle, name parts; audited without the term)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.utils import timezone

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.cases.services import duplicates
from passage.cases.workflow import Stage
from tests.cases.conftest import channel
from tests.cases.helpers import audit_text, move
from tests.cases.views.conftest import HANDLE, NAME, STORY, Signed

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse
from tests.cases.views.support import field_error, page, text_of, token_in

pytestmark = pytest.mark.django_db

LIST = "/staff/cases/"
SEARCH = "/staff/cases/search/"


def find(client: Client, text: str, status: int = 200) -> str:
    """Search as the page does: a POST with the form's token (the term never in a URL)."""
    response = post_search(client, text)
    assert response.status_code == status, response.status_code
    return text_of(response)


def post_search(client: Client, text: str) -> TestResponse:
    token = token_in(text_of(client.get(SEARCH)))
    return client.post(SEARCH, {"csrfmiddlewaretoken": token, "q": text})


def references(content: str) -> list[str]:
    return re.findall(r'<a class="reference" href="/staff/cases/[^"]+/">([^<]+)</a>', content)


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_open_and_closed_cases_newest_first_with_chosen_names_only(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    old = open_case("Old One", now=timezone.now() - dt.timedelta(days=30))
    closed = move(open_case("Closed One"), caseworker, Stage.SCREENING, Stage.CLOSED)
    newest = open_case(NAME, channels=[channel(HANDLE, "telegram")], narrative=STORY)
    content = page(signed_in(caseworker), LIST)
    assert references(content) == [newest.reference, closed.reference, old.reference]
    assert "3 cases" in content
    # The chosen names of the cases the caseworker works stand beside their references; nothing
    # else personal does.
    for shown in (NAME, "Old One", "Closed One"):
        assert f'<span class="chosen-name">{shown}</span>' in content
    for secret in (HANDLE, STORY):
        assert secret not in content


def test_the_list_filters_by_a_closed_stage(
    signed_in: Signed, caseworker: User, north_case: Case, open_case: Callable[..., Case]
) -> None:
    closed = move(open_case("Closed One"), caseworker, Stage.SCREENING, Stage.CLOSED)
    content = page(signed_in(caseworker), f"{LIST}?stage=closed")
    assert references(content) == [closed.reference]


def test_the_list_shows_only_ones_own_desks(
    signed_in: Signed, colleague: User, north_case: Case, south_case: Case
) -> None:
    assert references(page(signed_in(colleague), LIST)) == [south_case.reference]


@pytest.mark.parametrize("persona", ["partner_user", "auditor", "admin"])
def test_the_list_and_search_are_404_for_others(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    page(client, LIST, status=404)
    page(client, SEARCH, status=404)
    token = token_in(text_of(client.get("/staff/sessions/")))
    assert client.post(SEARCH, {"csrfmiddlewaretoken": token, "q": "anything"}).status_code == 404


def test_a_bad_filter_is_an_error_next_to_it(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = signed_in(caseworker).get(f"{LIST}?waiting=-5")
    assert response.status_code == 400
    assert "greater than or equal to 0" in field_error(text_of(response), "waiting")


def test_pages_of_the_list_keep_the_filters(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    for i in range(51):
        open_case(f"Person {i}", country="RU")
    client = signed_in(caseworker)
    first = page(client, f"{LIST}?stage=new")
    assert len(references(first)) == 50
    assert 'href="?stage=new&amp;page=2"' in first
    assert len(references(page(client, f"{LIST}?stage=new&page=2"))) == 1


# --- Search ----------------------------------------------------------------------------------


def test_a_reference_leads_straight_to_the_case(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    response = post_search(signed_in(caseworker), north_case.reference.lower())
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{north_case.pk}/"


def test_a_handle_in_another_form_finds_the_case(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    content = find(signed_in(caseworker), "https://t.me/zaur_quiet_95")
    assert references(content) == [north_case.reference]
    assert "phone or handle" in content
    assert HANDLE not in content.replace('value="https://t.me/zaur_quiet_95"', "")


def test_a_name_in_another_script_finds_the_case(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    content = find(signed_in(caseworker), "Заурбек")
    assert references(content) == [north_case.reference]
    assert "1 case found" in content


def test_search_finds_nothing_on_another_desk(
    signed_in: Signed, colleague: User, north_case: Case
) -> None:
    client = signed_in(colleague)
    content = find(client, "Zaurbek")
    assert references(content) == []
    assert "No case you can see matches." in content
    assert find(client, north_case.reference).count(north_case.reference) == 1
    # (once: in the search box, never as a result)
    assert references(find(client, north_case.reference)) == []


def test_searches_are_audited_without_the_term(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    find(signed_in(caseworker), "Zaurbek")
    [entry] = AuditEntry.objects.filter(action="case.searched")
    assert entry.object_id == "cases"
    assert "Zaurbek" not in audit_text()


def test_an_empty_search_says_what_to_type(signed_in: Signed, caseworker: User) -> None:
    response = post_search(signed_in(caseworker), "")
    assert response.status_code == 400
    assert field_error(text_of(response), "q") == "Type what to look for."
    assert not AuditEntry.objects.filter(action="case.searched").exists()
    assert signed_in(caseworker).get(SEARCH).status_code == 200  # the empty page


def test_a_merged_reference_leads_to_the_case_it_was_merged_into(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    keep = open_case("Keep", channels=[channel("+7 928 123-45-67", "phone")])
    gone = open_case("Gone", channels=[channel("+79281234567", "signal")])
    duplicates.cases_merge(survivor=keep, merged=gone, actor=caseworker)
    response = post_search(signed_in(caseworker), gone.reference)
    assert response["Location"] == f"/staff/cases/{keep.pk}/"


def test_a_search_term_in_the_url_searches_nothing(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    """Names and numbers must not travel in URLs: a GET only shows the empty form."""
    content = page(signed_in(caseworker), f"{SEARCH}?q=Zaurbek")
    assert references(content) == []
    assert not AuditEntry.objects.filter(action="case.searched").exists()
    assert 'method="post"' in content
