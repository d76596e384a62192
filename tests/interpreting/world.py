"""What the access matrix's world needs of interpreting: an interpreter given the North case
(with a translation of its story), and a North case they are not given
(``tests/test_access_matrix.py``, ``tests/interpreting/test_access_matrix.py``)."""

from __future__ import annotations

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.services import opening
from passage.cases.services.people import PersonDetails
from passage.interpreting import services
from tests.personas import make_staff

INTERPRETER = "matrix-interpreter"


def interpreting_world(case: Case, caseworker: User) -> dict[str, str]:
    interpreter = make_staff(INTERPRETER, Role.INTERPRETER)
    assignment = services.interpreter_assign(
        case=case, interpreter=interpreter, languages=["ce"], actor=caseworker
    )
    translation = services.translation_add(
        case=case,
        source_kind="narrative",
        source_id=case.pk,
        language="en",
        text="a translation for the access matrix",
        actor=interpreter,
    )
    other = opening.case_open(
        desk=case.desk, actor=caseworker, person=PersonDetails(chosen_name="Not interpreted")
    )
    return {
        "interpreter_assignment": str(assignment.pk),
        "translation": str(translation.pk),
        "translation_kind": "narrative",
        "uninterpreted_case": str(other.pk),
    }
