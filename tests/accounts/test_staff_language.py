"""The staff console's language (issue 9.9): a staff member chooses it on /staff/language/,
it is kept in the server-side session (no cookie of its own), staff pages render in it, Arabic
right-to-left; the public pages keep the language of their URL."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.language import SESSION_KEY
from passage.accounts.models import User
from passage.cases.models import Case
from tests.cases.conftest import open_case
from tests.cases.views.conftest import Signed, north_case
from tests.cases.views.support import form_token, page, text_of

__all__ = ["north_case", "open_case"]

pytestmark = pytest.mark.django_db

URL = "/staff/language/"


def choose(client: Client, code: str) -> object:
    return client.post(URL, {"csrfmiddlewaretoken": form_token(client, URL), "language": code})


def test_without_a_choice_the_console_is_in_english(signed_in: Signed, caseworker: User) -> None:
    shown = page(signed_in(caseworker), "/staff/queue/")
    assert '<html lang="en" dir="ltr">' in shown and "Sign out" in shown


def test_a_staff_member_chooses_russian(signed_in: Signed, caseworker: User) -> None:
    client = signed_in(caseworker)
    response = choose(client, "ru")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert client.session[SESSION_KEY] == "ru"
    assert "django_language" not in response.cookies  # type: ignore[attr-defined]
    shown = page(client, "/staff/queue/")
    assert '<html lang="ru" dir="ltr">' in shown
    assert "Консоль теперь на этом языке." in shown  # the message after the choice
    assert "Выйти" in shown and "Очередь" in shown and "Моя работа" in shown


def test_arabic_is_right_to_left(signed_in: Signed, caseworker: User) -> None:
    client = signed_in(caseworker)
    choose(client, "ar")
    shown = page(client, "/staff/queue/")
    assert '<html lang="ar" dir="rtl">' in shown
    assert "تسجيل الخروج" in shown


def test_the_choice_is_for_that_sign_in_only(
    signed_in: Signed, caseworker: User, colleague: User
) -> None:
    choose(signed_in(caseworker), "fr")
    assert '<html lang="en"' in page(signed_in(colleague), "/staff/queue/")


def test_a_language_that_is_not_offered_is_refused(signed_in: Signed, caseworker: User) -> None:
    client = signed_in(caseworker)
    response = choose(client, "de")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert SESSION_KEY not in client.session
    assert "Select a valid choice" in text_of(response)  # type: ignore[arg-type]


def test_public_pages_keep_the_language_of_their_url(signed_in: Signed, caseworker: User) -> None:
    client = signed_in(caseworker)
    choose(client, "ar")
    response = client.get("/ru/")
    assert response.status_code == 200 and '<html lang="ru"' in text_of(response)


def test_outsiders_are_sent_to_sign_in(outsider: Client) -> None:
    response = outsider.get(URL)
    assert response.status_code == 302 and "next=" in response["Location"]


PAGES = [
    "/staff/home/",
    "/staff/my-work/",
    "/staff/inbox/",
    "/staff/queue/",
    "/staff/cases/",
    "/staff/alerts/",
    "/staff/sessions/",
    URL,
]
CASE_PAGES = [
    "cases:case",
    "cases:case-person",
    "cases:case-triage",
    "cases:case-verification",
    "cases:case-approvals",
    "cases:case-consent",
    "cases:case-timeline",
    "casework:contacts",
    "casework:notes",
    "casework:tasks",
    "casefiles:files",
    "settlement:case",
]


@pytest.mark.parametrize("code", ["ru", "fr", "es", "ar"])
def test_the_main_staff_pages_render_in_every_console_language(
    signed_in: Signed, caseworker: User, north_case: Case, code: str
) -> None:
    client = signed_in(caseworker)
    choose(client, code)
    paths = PAGES + [reverse(name, args=[north_case.pk]) for name in CASE_PAGES]
    for path in paths:
        shown = page(client, path)
        assert f'<html lang="{code}"' in shown, path
