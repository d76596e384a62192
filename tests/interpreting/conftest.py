"""Fixtures for the interpreting tests: the North case of the cases page tests, an interpreter
given to it by its caseworker, and a mailbox with a message and a reply, attached to the case
through the real intake services.

Personas: ``interpreter`` (no desk), ``other_interpreter``, ``caseworker`` (North),
``colleague`` (South), ``screener`` (North) and the others of tests/personas.py.
"""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.casework.models import Contact
from passage.casework.services import contacts
from passage.intake.models import HelpRequest
from passage.intake.services import public, screening
from passage.interpreting import services
from passage.interpreting.models import InterpreterAssignment
from tests.cases.conftest import open_case
from tests.cases.views.conftest import NAME, STORY, north_case, south_case
from tests.personas import make_staff

__all__ = ["NAME", "STORY", "north_case", "open_case", "south_case"]

MESSAGE = "Они снова приходили вчера вечером, я боюсь выходить."
REPLY = "We read your message. Stay where you are; we will write tomorrow."
CONTACT = "Говорили по Signal: она в безопасности у подруги до пятницы."  # noqa: RUF001


@pytest.fixture
def other_interpreter(db: None) -> User:
    return make_staff("interpreter2", Role.INTERPRETER)


@pytest.fixture
def assigned(north_case: Case, interpreter: User, caseworker: User) -> InterpreterAssignment:
    """The interpreter, given the North case for Chechen and Russian by its caseworker."""
    return services.interpreter_assign(
        case=north_case, interpreter=interpreter, languages=["ce", "ru"], actor=caseworker
    )


@pytest.fixture
def mailbox(north_case: Case, screener: User, memstore: None) -> HelpRequest:
    """A help request with a message from the person and a staff reply, attached to the case."""
    receipt = public.request_submit(country="RU", urgency="immediate", language="ru")
    public.message_send(session=receipt.session, text=MESSAGE, files=[])
    request = HelpRequest.objects.get(pk=receipt.request.pk)
    screening.request_attach(request=request, case=north_case, actor=screener)
    screening.request_reply(request=request, actor=screener, body=REPLY)
    return request


@pytest.fixture
def contact(north_case: Case, caseworker: User) -> Contact:
    return contacts.contact_log(
        case=north_case,
        actor=caseworker,
        channel=Contact.Channel.SIGNAL,
        direction=Contact.Direction.INCOMING,
        summary=CONTACT,
    )
