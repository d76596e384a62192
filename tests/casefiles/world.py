"""What the access-matrix test needs of case files: one file on the North case."""

from __future__ import annotations

from passage.accounts.models import User
from passage.casefiles import services
from passage.cases.models import Case
from tests.casefiles.conftest import png_with_text


def casefiles_world(case: Case, actor: User) -> dict[str, str]:
    row = services.case_file_add(
        case=case, actor=actor, upload=services.Upload(name="photo.png", data=png_with_text())
    )
    return {"case_file": str(row.pk)}
