"""Form posts under `Referrer-Policy: no-referrer` (browsers send `Origin: null`)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _post(client: Client, **headers: str) -> int:
    client.get("/staff/")
    token = client.cookies["passage_csrf"].value
    response = client.post(
        "/staff/",
        {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token},
        **headers,
    )
    return response.status_code


def test_null_origin_from_the_same_origin_reaches_the_form() -> None:
    # 400 is the sign-in form's own answer to a wrong password: the CSRF check let it through.
    assert (
        _post(
            Client(enforce_csrf_checks=True), HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
        )
        == 400
    )
    assert _post(Client(enforce_csrf_checks=True), HTTP_ORIGIN="null") == 400


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_null_origin_from_elsewhere_is_refused(site: str) -> None:
    assert (
        _post(Client(enforce_csrf_checks=True), HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE=site) == 403
    )


def test_a_foreign_origin_is_refused_and_a_missing_token_too() -> None:
    assert _post(Client(enforce_csrf_checks=True), HTTP_ORIGIN="https://evil.example") == 403
    client = Client(enforce_csrf_checks=True)
    client.get("/staff/")
    assert (
        client.post("/staff/", {"username": "a", "password": "b"}, HTTP_ORIGIN="null").status_code
        == 403
    )
