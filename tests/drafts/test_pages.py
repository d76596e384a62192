"""Autosave endpoint, restore into the story, person and verification forms, discard, clear
after a successful submit, and the no-JavaScript path: a form posted after the idle timeout is
kept as the user's draft and comes back after signing in again."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.test import Client

from passage.accounts import sessions
from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.drafts import services
from passage.drafts.models import Draft
from tests.accounts.conftest import form_token
from tests.cases.views.support import text_of, token_in, top_errors
from tests.drafts.conftest import story_key
from tests.personas import sign_in_as

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

TYPED = "Half an interview: he says the cousin knows the address"


def send(client: Client, path: str, data: dict[str, str]) -> TestResponse:
    """POST as a browser posts a form without files (url-encoded)."""
    return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded")


def story(case: Case) -> str:
    return f"/staff/cases/{case.pk}/story/edit/"


def autosave(client: Client, case: Case, text: str, key: str | None = None) -> int:
    token = form_token(client, story(case))
    response = client.post(
        "/staff/drafts/save/",
        {"csrfmiddlewaretoken": token, "passage_draft": key or story_key(case), "narrative": text},
    )
    return response.status_code


def test_autosave_then_the_page_comes_back_filled(caseworker: User, north_case: Case) -> None:
    client = sign_in_as(caseworker)
    html = text_of(client.get(story(north_case)))
    assert 'data-autosave="narrative"' in html
    assert f'name="passage_draft" value="{story_key(north_case)}"' in html
    assert "Restored your unsaved text" not in html
    assert autosave(client, north_case, TYPED) == 204
    html = text_of(client.get(story(north_case)))
    assert TYPED in html
    assert "Restored your unsaved text." in html
    assert f"/staff/drafts/discard/?passage_draft={quote(story_key(north_case), safe='/')}" in html
    assert AuditEntry.objects.filter(action="draft.restored").count() == 1


def test_a_draft_goes_only_to_its_owner(
    caseworker: User, desk_lead: User, north_case: Case
) -> None:
    assert autosave(sign_in_as(caseworker), north_case, TYPED) == 204
    html = text_of(sign_in_as(desk_lead).get(story(north_case)))
    assert TYPED not in html and "Restored your unsaved text" not in html


def test_autosave_refuses_bad_input_and_strangers(
    caseworker: User, north_case: Case, outsider: Client
) -> None:
    client = sign_in_as(caseworker)
    assert autosave(client, north_case, TYPED, key="/help/#x") == 400
    assert autosave(client, north_case, "x" * (services.MAX_CHARS + 1)) == 400
    token = form_token(client, story(north_case))
    assert client.post("/staff/drafts/save/", {"csrfmiddlewaretoken": token}).status_code == 400
    # Without the CSRF token: refused, nothing kept.
    assert (
        client.post("/staff/drafts/save/", {"passage_draft": story_key(north_case)}).status_code
        == 403
    )
    response = outsider.post("/staff/drafts/save/", {"passage_draft": story_key(north_case)})
    assert response.status_code in {302, 403}
    assert not Draft.objects.exists()


def test_submitting_the_form_clears_its_draft(caseworker: User, north_case: Case) -> None:
    client = sign_in_as(caseworker)
    assert autosave(client, north_case, TYPED) == 204
    token = form_token(client, story(north_case))
    response = send(
        client,
        story(north_case),
        {"csrfmiddlewaretoken": token, "passage_draft": story_key(north_case), "narrative": TYPED},
    )
    assert response.status_code == 302
    assert not Draft.objects.exists()
    assert AuditEntry.objects.filter(action="draft.cleared").count() == 1
    north_case.refresh_from_db()
    assert north_case.narrative == TYPED


def test_an_invalid_submit_keeps_the_draft(caseworker: User, north_case: Case) -> None:
    client = sign_in_as(caseworker)
    assert autosave(client, north_case, TYPED) == 204
    token = form_token(client, story(north_case))
    response = send(
        client,
        story(north_case),
        {
            "csrfmiddlewaretoken": token,
            "passage_draft": story_key(north_case),
            "narrative": "x" * 30_000,
        },
    )
    assert response.status_code == 400
    assert Draft.objects.count() == 1


def test_discard_asks_then_destroys(caseworker: User, north_case: Case) -> None:
    client = sign_in_as(caseworker)
    assert autosave(client, north_case, TYPED) == 204
    url = f"/staff/drafts/discard/?passage_draft={quote(story_key(north_case))}"
    html = text_of(client.get(url))
    assert "cannot be brought back" in html
    response = client.post(
        "/staff/drafts/discard/",
        {"csrfmiddlewaretoken": token_in(html), "passage_draft": story_key(north_case)},
    )
    assert response.status_code == 302 and response["Location"] == story(north_case)
    assert not Draft.objects.exists()
    html = text_of(client.get(story(north_case)))
    assert TYPED not in html and "Your unsaved text was discarded." in html
    assert client.get("/staff/drafts/discard/?passage_draft=/help/%23x").status_code == 404


def test_person_and_verification_forms_keep_drafts(
    caseworker: User, verifier: User, north_case: Case
) -> None:
    person = north_case.people.get(is_principal=True)  # type: ignore[attr-defined]
    person_page = f"/staff/cases/{north_case.pk}/people/{person.pk}/edit/"
    check_page = f"/staff/cases/{north_case.pk}/verification/add/interview/"
    for page, form_id, field in (
        (person_page, "person", "chosen_name"),
        (check_page, "verification", "note"),
    ):
        client = sign_in_as(caseworker if form_id == "person" else verifier)
        html = text_of(client.get(page))
        assert f'data-autosave="{form_id}"' in html, page
        response = client.post(
            "/staff/drafts/save/",
            {
                "csrfmiddlewaretoken": token_in(html),
                "passage_draft": f"{page}#{form_id}",
                field: "Draft-Marker-77",
            },
        )
        assert response.status_code == 204
        html = text_of(client.get(page))
        assert "Draft-Marker-77" in html and "Restored your unsaved text." in html, page


def _last_seen_ago(client: Client, seconds: float) -> None:
    session = client.session
    session[sessions.LAST_SEEN_AT] = time.time() - seconds
    session.save()


def test_a_post_after_the_idle_timeout_is_kept_and_comes_back(
    caseworker: User, north_case: Case
) -> None:
    client = sign_in_as(caseworker)
    token = form_token(client, story(north_case))
    _last_seen_ago(client, settings.PASSAGE_SESSION_IDLE_SECONDS + 5)
    response = send(
        client,
        story(north_case),
        {"csrfmiddlewaretoken": token, "passage_draft": story_key(north_case), "narrative": TYPED},
    )
    # Not carried out; kept as the user's draft; sign-in comes back to the form.
    assert response.status_code == 302
    assert response["Location"] == f"/staff/?ended=idle&next={quote(story(north_case), safe='')}"
    north_case.refresh_from_db()
    assert north_case.narrative != TYPED
    draft = Draft.objects.get()
    assert draft.owner_id == caseworker.pk and draft.values == {"narrative": [TYPED]}
    assert client.get("/staff/home/").status_code == 302  # the session is over
    # Signed in again (a new session), the form shows what was typed.
    again = sign_in_as(caseworker)
    assert TYPED in text_of(again.get(story(north_case)))


def test_a_forged_post_after_the_timeout_keeps_nothing(caseworker: User, north_case: Case) -> None:
    client = sign_in_as(caseworker)
    client.get(story(north_case))
    _last_seen_ago(client, settings.PASSAGE_SESSION_IDLE_SECONDS + 5)
    response = send(
        client, story(north_case), {"passage_draft": story_key(north_case), "narrative": TYPED}
    )
    assert response.status_code == 302 and "next=" not in response["Location"]
    assert not Draft.objects.exists()


def test_a_restored_person_form_shows_its_channels_without_errors(
    caseworker: User, north_case: Case
) -> None:
    client = sign_in_as(caseworker)
    person = north_case.people.get(is_principal=True)  # type: ignore[attr-defined]
    page = f"/staff/cases/{north_case.pk}/people/{person.pk}/edit/"
    html = text_of(client.get(page))
    draft = {
        "csrfmiddlewaretoken": token_in(html),
        "passage_draft": f"{page}#person",
        "chosen_name": "",  # half-typed: a required field is empty, and that is no error yet
        "channels-TOTAL_FORMS": "2",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "10",
        "channels-0-kind": "signal",
        "channels-0-value": "@drafted_handle_31",
        "channels-1-kind": "",
        "channels-1-value": "",
    }
    assert send(client, "/staff/drafts/save/", draft).status_code == 204
    html = text_of(client.get(page))
    assert "@drafted_handle_31" in html
    assert top_errors(html) == [] and 'class="field__error"' not in html
