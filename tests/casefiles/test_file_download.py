"""Opening a file /staff/cases/<id>/files/<file>/download/: POST only, audited first, served as
an attachment with a generic name, nosniff and no-store; 404 to those who may not see it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.casefiles import services
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from tests.accounts.admin_support import post
from tests.casefiles.conftest import AddFile, pdf_with_author
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page

pytestmark = pytest.mark.django_db

FILE_NAME = "red passport KX-41.pdf"


def download_url(row: CaseFile) -> str:
    return reverse("casefiles:file-download", args=[row.case_id, row.pk])


def opened(user: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(actor=f"user:{user.pk}", action="case.file_opened").values_list(
            "object_id", flat=True
        )
    )


def test_open_streams_the_file_after_recording_it(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case, pdf_with_author(text="page"), name=FILE_NAME)
    response = post(signed_in(caseworker), download_url(row))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="{north_case.reference}-file-1.pdf"'
    assert "KX-41" not in str(response.headers) and "passport" not in str(response.headers)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert opened(caseworker) == [str(row.pk)]


def test_a_get_never_serves_the_file(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case)
    response = signed_in(caseworker).get(download_url(row))
    assert response.status_code == 405
    assert b"PNG" not in response.content
    assert opened(caseworker) == []


def test_the_list_offers_open_as_a_post_button(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case)
    content = page(signed_in(caseworker), reverse("casefiles:files", args=[north_case.pk]))
    assert f'<form method="post" action="{download_url(row)}"' in content


def test_who_may_open(
    signed_in: Signed,
    caseworker: User,
    desk_lead: User,
    colleague: User,
    partner_user: User,
    north_case: Case,
    add_file: AddFile,
    break_glass: Callable[[Case], None],
) -> None:
    row = add_file(north_case)
    assert post(signed_in(desk_lead), download_url(row)).status_code == 200
    assert post(signed_in(colleague), download_url(row)).status_code == 404
    assert post(signed_in(partner_user), download_url(row)).status_code == 404
    assert opened(colleague) == [] and opened(partner_user) == []
    break_glass(north_case)
    assert post(signed_in(colleague), download_url(row)).status_code == 200
    assert opened(colleague) == [str(row.pk)]


def test_an_outsider_is_sent_to_sign_in_and_nothing_is_served(
    north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case)
    response = Client().post(download_url(row))
    assert response.status_code in {302, 403}
    assert not response.content.startswith(b"\x89PNG")


def test_a_file_of_another_case_is_404(
    signed_in: Signed,
    caseworker: User,
    north_case: Case,
    open_case: Callable[..., Case],
    add_file: AddFile,
) -> None:
    other = open_case("Another Person")
    row = add_file(other)
    url = reverse("casefiles:file-download", args=[north_case.pk, row.pk])
    assert post(signed_in(caseworker), url).status_code == 404


def test_a_removed_file_is_not_served(
    signed_in: Signed, caseworker: User, north_case: Case, add_file: AddFile
) -> None:
    row = add_file(north_case)
    services.case_file_remove(case_file=row, actor=caseworker)
    response = post(signed_in(caseworker), download_url(row))
    assert response.status_code == 302
    assert opened(caseworker) == []
