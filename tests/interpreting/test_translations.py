"""services.translation_add / translation_edit: by the case's active interpreters, of an
original of that case, into an ISO 639 language; encrypted, audited (ids only)."""

from __future__ import annotations

import uuid

import pytest

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.exceptions import CaseNotFound, InvalidInput
from passage.cases.models import Case
from passage.casework.models import Contact
from passage.intake.models import HelpRequest, RequestItem, StaffReply
from passage.interpreting import services
from passage.interpreting.models import InterpreterAssignment, Translation

pytestmark = pytest.mark.django_db

TEXT = "They came again last night; I am afraid to go out."


def _add(
    case: Case, actor: User, kind: str, source_id: uuid.UUID, language: str = "en"
) -> Translation:
    return services.translation_add(
        case=case, source_kind=kind, source_id=source_id, language=language, text=TEXT, actor=actor
    )


def test_the_interpreter_translates_the_story(
    north_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    made = _add(north_case, interpreter, "narrative", north_case.pk)
    stored = Translation.objects.get(pk=made.pk)
    assert (stored.source_kind, stored.source_id, stored.language) == (
        "narrative",
        north_case.pk,
        "en",
    )
    assert stored.text == TEXT and stored.translated_by_id == interpreter.pk
    entry = AuditEntry.objects.get(action="interpreting.translation_added")
    assert (entry.object_type, entry.object_id) == ("translation", str(made.pk))


def test_messages_and_replies_and_contacts_can_be_translated(
    north_case: Case,
    interpreter: User,
    assigned: InterpreterAssignment,
    mailbox: HelpRequest,
    contact: Contact,
) -> None:
    message = RequestItem.objects.get(request=mailbox, kind=RequestItem.Kind.MESSAGE)
    reply = StaffReply.objects.get(request=mailbox)
    _add(north_case, interpreter, "message", message.pk)
    _add(north_case, interpreter, "message", reply.pk, "ru")
    _add(north_case, interpreter, "contact", contact.pk)
    assert Translation.objects.filter(case=north_case).count() == 3


def test_an_original_of_another_case_is_refused(
    north_case: Case,
    south_case: Case,
    interpreter: User,
    assigned: InterpreterAssignment,
) -> None:
    for kind, source in (
        ("narrative", south_case.pk),
        ("message", uuid.uuid4()),
        ("contact", uuid.uuid4()),
        ("note", north_case.pk),
    ):
        with pytest.raises(InvalidInput):
            _add(north_case, interpreter, kind, source)
    assert not Translation.objects.exists()


def test_one_translation_per_language(
    north_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    _add(north_case, interpreter, "narrative", north_case.pk)
    with pytest.raises(InvalidInput):
        _add(north_case, interpreter, "narrative", north_case.pk)
    _add(north_case, interpreter, "narrative", north_case.pk, "fr")
    with pytest.raises(InvalidInput):
        _add(north_case, interpreter, "narrative", north_case.pk, "klingon")


def test_only_an_active_interpreter_of_the_case_translates(
    north_case: Case,
    interpreter: User,
    other_interpreter: User,
    caseworker: User,
    assigned: InterpreterAssignment,
) -> None:
    for actor in (other_interpreter, caseworker):
        with pytest.raises(CaseNotFound):
            _add(north_case, actor, "narrative", north_case.pk)
    services.interpreter_end(assignment=assigned, actor=caseworker)
    with pytest.raises(CaseNotFound):
        _add(north_case, interpreter, "narrative", north_case.pk)


def test_an_empty_translation_is_refused(
    north_case: Case, interpreter: User, assigned: InterpreterAssignment
) -> None:
    with pytest.raises(InvalidInput):
        services.translation_add(
            case=north_case,
            source_kind="narrative",
            source_id=north_case.pk,
            language="en",
            text="  ",
            actor=interpreter,
        )


def test_changing_a_translation(
    north_case: Case,
    interpreter: User,
    other_interpreter: User,
    caseworker: User,
    assigned: InterpreterAssignment,
) -> None:
    made = _add(north_case, interpreter, "narrative", north_case.pk)
    services.interpreter_assign(
        case=north_case, interpreter=other_interpreter, languages=["ce"], actor=caseworker
    )
    services.translation_edit(translation=made, text="Corrected.", actor=other_interpreter)
    stored = Translation.objects.get(pk=made.pk)
    assert stored.text == "Corrected." and stored.translated_by_id == other_interpreter.pk
    assert AuditEntry.objects.filter(action="interpreting.translation_changed").count() == 1
    services.interpreter_end(assignment=assigned, actor=caseworker)
    with pytest.raises(CaseNotFound):
        services.translation_edit(translation=made, text="Again.", actor=interpreter)
