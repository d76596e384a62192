"""Writing translations beside the originals (/staff/interpret/<case>/translate/<kind>/<id>/,
.../translations/<id>/), and caseworkers seeing them beside the story on the person page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passage.accounts.models import User
from passage.cases.models import Case
from passage.casework.models import Contact
from passage.intake.models import HelpRequest, RequestItem
from passage.interpreting.models import InterpreterAssignment, Translation
from tests.cases.views.conftest import Signed
from tests.cases.views.support import field_error, page, post, reads, submit, text_of
from tests.interpreting.conftest import CONTACT, MESSAGE, STORY

pytestmark = pytest.mark.django_db

ENGLISH = "They came again yesterday evening; I am afraid to go out."


def add_url(case: Case, kind: str, source: object) -> str:
    return reverse("interpret:translation-add", args=[case.pk, kind, source])


def test_translating_the_story(
    signed_in: Signed, interpreter: User, north_case: Case, assigned: InterpreterAssignment
) -> None:
    client = signed_in(interpreter)
    url = add_url(north_case, "narrative", north_case.pk)
    assert STORY in page(client, url)  # the original above the form
    response = submit(client, url, {"language": "English", "text": ENGLISH})
    assert response.status_code == 302
    stored = Translation.objects.get(case=north_case)
    assert (stored.language, stored.text) == ("en", ENGLISH)
    content = page(client, reverse("interpret:case", args=[north_case.pk]))
    assert ENGLISH in content and "Translation into English by interpreter" in content


def test_translating_a_message_and_a_contact(
    signed_in: Signed,
    interpreter: User,
    north_case: Case,
    assigned: InterpreterAssignment,
    mailbox: HelpRequest,
    contact: Contact,
) -> None:
    client = signed_in(interpreter)
    message = RequestItem.objects.get(request=mailbox, kind=RequestItem.Kind.MESSAGE)
    assert MESSAGE in page(client, add_url(north_case, "message", message.pk))
    submit(client, add_url(north_case, "message", message.pk), {"language": "en", "text": ENGLISH})
    assert CONTACT in page(client, add_url(north_case, "contact", contact.pk))
    submit(client, add_url(north_case, "contact", contact.pk), {"language": "en", "text": "Safe."})
    assert ENGLISH in page(client, reverse("interpret:messages", args=[north_case.pk]))
    assert "Safe." in page(client, reverse("interpret:contacts", args=[north_case.pk]))


def test_changing_a_translation(
    signed_in: Signed, interpreter: User, north_case: Case, assigned: InterpreterAssignment
) -> None:
    client = signed_in(interpreter)
    submit(client, add_url(north_case, "narrative", north_case.pk), {"language": "en", "text": "x"})
    stored = Translation.objects.get(case=north_case)
    url = reverse("interpret:translation-edit", args=[north_case.pk, stored.pk])
    assert submit(client, url, {"text": ENGLISH}).status_code == 302
    assert Translation.objects.get(pk=stored.pk).text == ENGLISH


def test_bad_input_keeps_what_was_typed(
    signed_in: Signed, interpreter: User, north_case: Case, assigned: InterpreterAssignment
) -> None:
    client = signed_in(interpreter)
    url = add_url(north_case, "narrative", north_case.pk)
    response = submit(client, url, {"language": "Elvish", "text": ENGLISH})
    assert response.status_code == 400
    assert "Elvish" in field_error(text_of(response), "language")
    assert ENGLISH in text_of(response)
    submit(client, url, {"language": "en", "text": ENGLISH})
    again = submit(client, url, {"language": "en", "text": ENGLISH})
    assert again.status_code == 400 and "already" in text_of(again)
    assert Translation.objects.count() == 1


def test_an_unknown_original_is_404(
    signed_in: Signed,
    interpreter: User,
    north_case: Case,
    south_case: Case,
    assigned: InterpreterAssignment,
) -> None:
    client = signed_in(interpreter)
    for kind, source in (("narrative", south_case.pk), ("note", north_case.pk)):
        page(client, add_url(north_case, kind, source), status=404)
        assert (
            post(
                client, add_url(north_case, kind, source), {"language": "en", "text": "x"}
            ).status_code
            == 404
        )
    page(client, add_url(south_case, "narrative", south_case.pk), status=404)
    assert not Translation.objects.exists()


def test_caseworkers_see_translations_beside_the_story(
    signed_in: Signed,
    interpreter: User,
    caseworker: User,
    north_case: Case,
    assigned: InterpreterAssignment,
) -> None:
    submit(
        signed_in(interpreter),
        add_url(north_case, "narrative", north_case.pk),
        {"language": "en", "text": ENGLISH},
    )
    content = page(signed_in(caseworker), reverse("cases:case-person", args=[north_case.pk]))
    assert STORY in content and ENGLISH in content
    assert "Translation into English by interpreter" in content
    translation = Translation.objects.get(case=north_case)
    edit = reverse("interpret:translation-edit", args=[north_case.pk, translation.pk])
    assert edit not in content  # caseworkers read translations; interpreters write them
    assert "case.section_viewed.person" in reads(north_case)
