"""Making a letter: only under a consent covering the recipient and the sections used; a PDF
holding the person's (Cyrillic, Arabic) details with its fonts embedded; audited by ids only;
never stored."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from passage.accounts.models import PartnerOrganisation, User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseError, ConsentMissing, InvalidInput, NotAllowed
from passage.cases.models import Case, Consent
from passage.cases.services import consent
from passage.dossiers.models import LetterTemplate
from passage.dossiers.services import templates
from passage.dossiers.services.dossiers import dossier_make
from tests.cases.helpers import audit_text
from tests.dossiers.conftest import ARABIC, CYRILLIC

pytestmark = pytest.mark.django_db

MADE = "case.dossier_made"


def made(case: Case) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=MADE, object_id__startswith=f"{case.pk}:"))


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def fonts_of(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]))
    return names


def test_the_pdf_holds_the_cyrillic_name_and_embeds_its_font(
    caplog: pytest.LogCaptureFixture,
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write()
    agree(cyrillic_case)
    dossier = dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    assert dossier.data.startswith(b"%PDF-")
    assert dossier.filename == f"{cyrillic_case.reference}-unhcr-referral.pdf"
    text = text_of(dossier.data)
    assert CYRILLIC in text
    assert "1994-03-08" in text and cyrillic_case.reference in text
    assert fonts_of(dossier.data)  # embedded, not left to the reader's machine
    [entry] = made(cyrillic_case)
    assert entry.object_type == "case.dossier"
    assert entry.object_id == f"{cyrillic_case.pk}:{letter.pk}"
    assert CYRILLIC not in audit_text() and "Bakaev" not in audit_text()
    assert CYRILLIC not in caplog.text and "INFO weasyprint" not in caplog.text


def test_arabic_text_renders_in_a_right_to_left_letter(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write(code="ar-letter", language="ar", body="{{ narrative }}")
    agree(cyrillic_case, sections={"narrative"})
    text = text_of(dossier_make(case=cyrillic_case, template=letter, actor=caseworker).data)
    assert "Grozny" in text
    # Arabic letters are in the text layer (shaped glyphs map back to Arabic code points).
    assert any("\u0600" <= char <= "\u06ff" for char in text), text
    assert set(ARABIC.replace(" ", "")) & set(text)


def test_without_consent_for_the_recipient_nothing_is_made(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write()
    with pytest.raises(ConsentMissing, match="UNHCR"):
        dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    agree(cyrillic_case, kind="lawyer")  # another kind of recipient
    with pytest.raises(ConsentMissing):
        dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    assert made(cyrillic_case) == []


def test_consent_must_cover_every_section_the_letter_uses(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write(body="{{ person.legal_name }}: {{ narrative }}")
    agree(cyrillic_case, sections={"person"})
    with pytest.raises(ConsentMissing):
        dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    agree(cyrillic_case, sections={"person", "narrative"})
    dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    assert len(made(cyrillic_case)) == 1


def test_a_withdrawn_consent_no_longer_allows_it(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write()
    given = agree(cyrillic_case)
    dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    consent.consent_withdraw(consent=given, actor=caseworker)
    with pytest.raises(ConsentMissing):
        dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    assert len(made(cyrillic_case)) == 1


def test_a_consent_for_one_office_allows_only_that_office(
    cyrillic_case: Case,
    caseworker: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
    unhcr_office: PartnerOrganisation,
    other_partner_org: PartnerOrganisation,
) -> None:
    letter = write()
    agree(cyrillic_case, partner=unhcr_office)
    with pytest.raises(ConsentMissing):  # "any UNHCR office" was not agreed
        dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    with pytest.raises(InvalidInput):  # a lawyer is not a recipient of a UNHCR letter
        dossier_make(
            case=cyrillic_case, template=letter, actor=caseworker, partner=other_partner_org
        )
    dossier_make(case=cyrillic_case, template=letter, actor=caseworker, partner=unhcr_office)
    assert len(made(cyrillic_case)) == 1


def test_who_may_make_letters(
    cyrillic_case: Case,
    colleague: User,
    screener: User,
    admin: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write()
    agree(cyrillic_case)
    with pytest.raises(NotAllowed):
        dossier_make(case=cyrillic_case, template=letter, actor=screener)  # no share permission
    for outsider in (colleague, admin):
        with pytest.raises(CaseError):  # not their desk: not found
            dossier_make(case=cyrillic_case, template=letter, actor=outsider)
    assert made(cyrillic_case) == []


def test_a_template_out_of_use_makes_nothing(
    cyrillic_case: Case,
    caseworker: User,
    admin: User,
    write: Callable[..., LetterTemplate],
    agree: Callable[..., Consent],
) -> None:
    letter = write()
    agree(cyrillic_case)
    templates.template_change(
        template=letter,
        actor=admin,
        name=letter.name,
        recipient_kind=letter.recipient_kind,
        language=letter.language,
        body=letter.body,
        active=False,
    )
    letter.refresh_from_db()
    with pytest.raises(InvalidInput):
        dossier_make(case=cyrillic_case, template=letter, actor=caseworker)
    assert made(cyrillic_case) == []
