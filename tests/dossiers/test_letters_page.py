"""The Letters tab and making a PDF: templates the consent allows are offered with their
recipients, the others shown refused with the reason; the PDF only from a POST with a fresh
second factor, as an attachment named by reference and template code, no-store, audited; a
refusal is a 400 with the reason and no audit entry of a letter made."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from passage.accounts.models import PartnerOrganisation, User
from passage.audit.models import AuditEntry
from passage.cases.models import Case, Consent
from passage.dossiers.models import LetterTemplate
from tests.cases.views.support import (
    age_second_factor,
    page,
    post,
    step_up_location,
    text_of,
    top_errors,
)
from tests.dossiers.conftest import CYRILLIC
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db


def letters_url(case: Case) -> str:
    return reverse("dossiers:letters", args=[case.pk])


def make_url(case: Case, letter: LetterTemplate) -> str:
    return reverse("dossiers:letter-make", args=[case.pk, letter.pk])


def made(case: Case) -> int:
    return AuditEntry.objects.filter(
        action="case.dossier_made", object_id__startswith=f"{case.pk}:"
    ).count()


def test_the_tab_offers_allowed_letters_and_says_why_others_are_refused(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
    other_partner_org: PartnerOrganisation,
) -> None:
    unhcr = write()
    lawyer = write(code="lawyer", name="Letter to the lawyer", recipient_kind="lawyer")
    write(code="old", name="Retired letter")
    LetterTemplate.objects.filter(code="old").update(active=False)
    agree(cyrillic_case, kind="lawyer", partner=other_partner_org)
    html = page(sign_in_as(caseworker), letters_url(cyrillic_case))
    assert 'aria-current="page"' in html and "Letters" in html
    assert make_url(cyrillic_case, lawyer) in html
    assert f'value="{other_partner_org.pk}"' in html and other_partner_org.code in html
    assert make_url(cyrillic_case, unhcr) not in html
    assert "No consent for UNHCR office" in html
    assert "Retired letter" not in html
    assert CYRILLIC not in html  # nothing of the person on the tab


def test_the_pdf_comes_from_a_post_as_an_attachment(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write()
    agree(cyrillic_case)
    client = sign_in_as(caseworker)
    assert client.get(make_url(cyrillic_case, letter)).status_code == 405
    response = post(client, make_url(cyrillic_case, letter), {"partner": ""})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{cyrillic_case.reference}-unhcr-referral.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")
    assert made(cyrillic_case) == 1


def test_without_consent_it_is_refused_with_the_reason_and_not_audited(
    cyrillic_case: Case, caseworker: User, write: Callable[..., LetterTemplate]
) -> None:
    letter = write()
    response = post(sign_in_as(caseworker), make_url(cyrillic_case, letter))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert any("No consent for UNHCR office" in error for error in top_errors(text_of(response)))
    assert made(cyrillic_case) == 0


def test_a_chosen_recipient_must_be_of_the_letters_kind(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
    other_partner_org: PartnerOrganisation,
) -> None:
    letter = write()
    agree(cyrillic_case)
    client = sign_in_as(caseworker)
    for partner in (str(other_partner_org.pk), "not-an-id"):
        response = post(client, make_url(cyrillic_case, letter), {"partner": partner})
        assert response.status_code == 404
    assert made(cyrillic_case) == 0


def test_an_old_second_factor_is_asked_again_before_anything(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write()
    agree(cyrillic_case)
    client = sign_in_as(caseworker)
    age_second_factor(client)
    for url in (letters_url(cyrillic_case), make_url(cyrillic_case, letter)):
        response = client.get(url) if url.endswith("letters/") else post(client, url)
        assert response.status_code == 302
        assert response["Location"] == step_up_location(url)
    assert made(cyrillic_case) == 0


def test_those_who_may_not_make_letters_get_404(
    cyrillic_case: Case,
    colleague: User,
    screener: User,
    admin: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write()
    agree(cyrillic_case)
    for user in (colleague, screener, admin):
        client = sign_in_as(user)
        assert client.get(letters_url(cyrillic_case)).status_code == 404, user.username
        assert post(client, make_url(cyrillic_case, letter)).status_code == 404, user.username
    assert made(cyrillic_case) == 0
