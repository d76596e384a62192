"""``case_file_open`` and ``case_files_reveal``: the audited read comes with the content;
break-glass readers may open (recorded, and judged as foreign reading), partners never."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.casefiles import services
from passage.casefiles.models import CaseFile
from passage.cases.exceptions import CaseNotFound, NotAllowed
from passage.cases.models import Case
from passage.cases.services import consent
from passage.crypto import shred
from passage.crypto.fields import blob_path
from tests.casefiles.conftest import AddFile, pdf_with_author

pytestmark = pytest.mark.django_db


def actions(user: User) -> list[tuple[str, str, str]]:
    entries = AuditEntry.objects.filter(
        actor=f"user:{user.pk}", action__in=["case.section_viewed.files", "case.file_opened"]
    ).order_by("sequence")
    return [(e.action, e.object_type, e.object_id) for e in entries]


def test_opening_records_the_read_and_gives_the_content_under_a_generic_name(
    add_file: AddFile, north_case: Case, caseworker: User
) -> None:
    add_file(north_case)
    row = add_file(north_case, pdf_with_author(text="hello"), name="Zaur passport.pdf")
    opened = services.case_file_open(case_file=row, actor=caseworker)
    assert opened.data.startswith(b"%PDF-")
    assert opened.content_type == "application/pdf"
    assert opened.download_name == f"{north_case.reference}-file-2.pdf"
    assert actions(caseworker) == [
        ("case.section_viewed.files", "case", str(north_case.pk)),
        ("case.file_opened", "casefile", str(row.pk)),
    ]


def test_break_glass_readers_may_open_and_it_is_recorded(
    add_file: AddFile, north_case: Case, colleague: User, break_glass: Callable[[Case], None]
) -> None:
    row = add_file(north_case)
    with pytest.raises(CaseNotFound):
        services.case_file_open(case_file=row, actor=colleague)
    assert actions(colleague) == []
    break_glass(north_case)
    services.case_file_open(case_file=CaseFile.objects.get(pk=row.pk), actor=colleague)
    assert [a for a, _, _ in actions(colleague)] == [
        "case.section_viewed.files",
        "case.file_opened",
    ]


def test_partners_never_open_files_even_of_a_shared_case(
    add_file: AddFile, north_case: Case, caseworker: User, partner_user: User
) -> None:
    partner = partner_user.partner
    assert partner is not None
    consent.consent_record(
        case=north_case,
        recipient_kind=partner.kind,
        sections={"person"},
        given_on=north_case.opened_at.date(),
        how_given="on a call",
        actor=caseworker,
    )
    consent.case_share(case=north_case, partner=partner, sections={"person"}, actor=caseworker)
    row = add_file(north_case)
    with pytest.raises(CaseNotFound):
        services.case_file_open(case_file=row, actor=partner_user)
    with pytest.raises(CaseNotFound):
        services.case_files_reveal(case=north_case, actor=partner_user)
    assert actions(partner_user) == []


def test_revealing_names_is_one_recorded_read_of_the_case(
    north_case: Case, caseworker: User, colleague: User
) -> None:
    services.case_files_reveal(case=north_case, actor=caseworker)
    assert actions(caseworker) == [("case.section_viewed.files", "case", str(north_case.pk))]
    with pytest.raises(CaseNotFound):
        services.case_files_reveal(case=north_case, actor=colleague)


def test_a_file_of_a_shredded_case_is_gone_for_good(
    add_file: AddFile,
    north_case: Case,
    caseworker: User,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    row = add_file(north_case)
    blob = blob_path(row.content.blob_id)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        shred.shred(north_case)
    assert not blob.exists()
    with pytest.raises(NotAllowed):
        services.case_file_open(case_file=CaseFile.objects.get(pk=row.pk), actor=caseworker)
    assert actions(caseworker) == []
