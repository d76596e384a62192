"""The person section /staff/cases/<id>/person/ (decrypted, one audited view), adding, changing
and removing people, and the story."""

from __future__ import annotations

import pytest

from passage.accounts.models import Membership, User
from passage.accounts.roles import Role
from passage.cases.models import Case, ContactChannel, Person
from passage.cases.services import opening, people
from passage.cases.workflow import Stage
from tests.cases.conftest import person
from tests.cases.helpers import fresh, move, raw_value
from tests.cases.views.conftest import HANDLE, LEGAL_NAME, NAME, STORY, Signed
from tests.cases.views.support import (
    case_url,
    field_error,
    page,
    post,
    reads,
    submit,
    token_in,
    top_errors,
)
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


def principal(case: Case) -> Person:
    return Person.objects.get(case=case, is_principal=True)


def member(case: Case) -> Person:
    return Person.objects.get(case=case, is_principal=False)


def add_member(case: Case, actor: User, name: str = "Amina Testoyeva") -> Person:
    opening.household_member_add(
        case=case, details=person(name, relationship="sister"), actor=actor
    )
    return member(case)


def channel_rows(*rows: tuple[str, str, str], initial: int = 0) -> dict[str, str]:
    """The channel rows of a person form, as the page sends them (``initial``: rows it showed
    filled in)."""
    data = {
        "channels-TOTAL_FORMS": str(max(len(rows), 3)),
        "channels-INITIAL_FORMS": str(initial),
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "10",
    }
    for i in range(max(len(rows), 3)):
        kind, value, note = rows[i] if i < len(rows) else ("", "", "")
        data |= {
            f"channels-{i}-kind": kind,
            f"channels-{i}-value": value,
            f"channels-{i}-note": note,
        }
    return data


# --- Reading ---------------------------------------------------------------------------------


def test_the_person_page_shows_the_people_and_is_one_audited_read(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    add_member(north_case, caseworker)
    content = page(signed_in(caseworker), case_url("case-person", north_case))
    for shown in (NAME, LEGAL_NAME, HANDLE, STORY, "he/him", "Amina Testoyeva", "sister"):
        assert shown in content
    assert "Your view of this section is recorded in the audit log." in content
    assert reads(north_case) == ["case.section_viewed.person"]


def test_every_view_is_recorded_once(
    signed_in: Signed, caseworker: User, desk_lead: User, north_case: Case
) -> None:
    page(signed_in(caseworker), case_url("case-person", north_case))
    page(signed_in(desk_lead), case_url("case-person", north_case))
    assert reads(north_case) == ["case.section_viewed.person"] * 2


@pytest.mark.parametrize("persona", ["colleague", "partner_user", "admin", "auditor"])
def test_others_get_404_and_nothing_is_recorded(
    request: pytest.FixtureRequest, signed_in: Signed, persona: str, north_case: Case
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    for name in ("case-person", "narrative-edit", "person-add"):
        page(client, case_url(name, north_case), status=404)
    page(client, case_url("person-edit", north_case, principal(north_case).pk), status=404)
    assert reads(north_case) == []


def test_forged_posts_of_another_desk_change_nothing(
    signed_in: Signed, colleague: User, north_case: Case
) -> None:
    client = signed_in(colleague)
    data = {"chosen_name": "Injected", "relationship": "brother", **channel_rows()}
    assert post(client, case_url("person-add", north_case), data).status_code == 404
    edit = case_url("person-edit", north_case, principal(north_case).pk)
    assert post(client, edit, data).status_code == 404
    assert (
        post(client, case_url("narrative-edit", north_case), {"narrative": "x"}).status_code == 404
    )
    assert Person.objects.filter(case=north_case).count() == 1
    assert people.details_of(principal(north_case)).chosen_name == NAME
    assert fresh(north_case).narrative == STORY


# --- Adding, changing, removing --------------------------------------------------------------


def test_adding_a_household_member_through_the_form(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    path = case_url("person-add", north_case)
    assert reads(north_case) == []  # an empty form shows nothing protected
    response = submit(
        client,
        path,
        {
            "chosen_name": "Amina Testoyeva",
            "relationship": "sister",
            "birth_date": "2001-02-03",
            **channel_rows(("signal", "+7 928 765-43-21", "after 20:00 only")),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == case_url("case-person", north_case)
    added = member(north_case)
    details = people.details_of(added)
    assert (details.chosen_name, details.relationship) == ("Amina Testoyeva", "sister")
    assert str(details.birth_date) == "2001-02-03"
    [channel] = ContactChannel.objects.filter(person=added)
    assert (channel.kind, channel.value, channel.note) == (
        "signal",
        "+7 928 765-43-21",
        "after 20:00 only",
    )
    stored = raw_value("cases_person", "chosen_name", added.pk)
    assert isinstance(stored, bytes) and b"Amina" not in stored


def test_a_member_without_relationship_is_refused_keeping_what_was_typed(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    response = submit(
        client,
        case_url("person-add", north_case),
        {"chosen_name": "Amina Typed", "relationship": "", **channel_rows(("", "@amina", ""))},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert field_error(content, "relationship") == "Say how they are related."
    assert field_error(content, "channels-0-kind") == "Choose the channel."
    assert "Say how they are related." in top_errors(content)
    assert 'value="Amina Typed"' in content
    assert 'value="@amina"' in content
    assert Person.objects.filter(case=north_case).count() == 1


def test_a_birth_date_in_the_future_is_an_error_next_to_the_field(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    edit = case_url("person-edit", north_case, principal(north_case).pk)
    response = submit(
        client, edit, {"chosen_name": NAME, "birth_date": "2999-01-01", **channel_rows()}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert field_error(content, "birth_date") == "The date of birth cannot be in the future."
    response = submit(client, edit, {"chosen_name": NAME, "age_years": "abc", **channel_rows()})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "age_years") == "Enter a whole number."


def test_changing_the_principal_shows_the_current_details_and_saves_new_ones(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    edit = case_url("person-edit", north_case, principal(north_case).pk)
    form = page(client, edit)
    assert f'value="{NAME}"' in form
    assert f'value="{HANDLE}"' in form
    assert "relationship" not in form  # the principal has none
    assert 'name="channels-INITIAL_FORMS" value="1"' in form
    assert reads(north_case) == ["case.section_viewed.person"]  # the form shows the details
    response = client.post(
        edit,
        {
            "csrfmiddlewaretoken": token_in(form),
            "chosen_name": "Zaur New",
            "pronouns": "they/them",
            **channel_rows(("telegram", HANDLE, ""), ("phone", "+7 900 000-00-01", ""), initial=1),
        },
    )
    assert response.status_code == 302
    details = people.details_of(principal(north_case))
    assert (details.chosen_name, details.pronouns) == ("Zaur New", "they/them")
    assert sorted(c.value or "" for c in principal(north_case).channels.all()) == [
        "+7 900 000-00-01",
        HANDLE,
    ]
    assert reads(north_case) == ["case.section_viewed.person"]  # the POST shows nothing


def test_removing_a_household_member(signed_in: Signed, caseworker: User, north_case: Case) -> None:
    added = add_member(north_case, caseworker)
    client = signed_in(caseworker)
    path = case_url("person-remove", north_case, added.pk)
    assert "Remove a household member" in page(client, path)
    response = submit(client, path)
    assert response.status_code == 302
    assert not Person.objects.filter(pk=added.pk).exists()
    # The principal cannot be removed: there is no such page for them.
    page(client, case_url("person-remove", north_case, principal(north_case).pk), status=404)
    assert post(client, path).status_code == 404  # removed already


def test_no_member_can_be_added_to_a_closed_case(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    move(north_case, caseworker, Stage.SCREENING, Stage.CLOSED)
    response = submit(
        signed_in(caseworker),
        case_url("person-add", north_case),
        {"chosen_name": "Late Member", "relationship": "cousin", **channel_rows()},
    )
    assert response.status_code == 400
    assert top_errors(response.content.decode()) == ["The case is closed."]
    assert 'value="Late Member"' in response.content.decode()


# --- The story -------------------------------------------------------------------------------


def test_changing_the_story(signed_in: Signed, caseworker: User, north_case: Case) -> None:
    client = signed_in(caseworker)
    path = case_url("narrative-edit", north_case)
    assert STORY in page(client, path)
    assert reads(north_case) == ["case.section_viewed.person"]
    response = submit(client, path, {"narrative": "A new account of what happened."})
    assert response.status_code == 302
    assert fresh(north_case).narrative == "A new account of what happened."
    # The GET of submit() shows it again: revealed in this sign-in already, no second entry.
    assert reads(north_case) == ["case.section_viewed.person"]


def test_a_story_too_long_is_refused_and_kept(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    long = "w" * 20_001
    response = submit(
        signed_in(caseworker), case_url("narrative-edit", north_case), {"narrative": long}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "at most 20000 characters" in field_error(content, "narrative")
    assert long in content
    assert fresh(north_case).narrative == STORY


def test_a_read_only_viewer_of_the_desk_reads_but_is_offered_no_changes(
    signed_in: Signed, north_case: Case
) -> None:
    finance = make_staff("finance", Role.FINANCE)
    Membership.objects.create(user=finance, desk=north_case.desk)
    client = signed_in(finance)
    content = page(client, case_url("case-person", north_case))
    assert NAME in content
    assert reads(north_case) == ["case.section_viewed.person"]
    for name in ("person-add", "narrative-edit"):
        assert case_url(name, north_case) not in content
        page(client, case_url(name, north_case), status=404)
    assert case_url("person-edit", north_case, principal(north_case).pk) not in content
