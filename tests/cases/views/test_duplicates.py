"""Possible duplicates on the summary, comparing and merging (both sides recorded, behind
step-up), and marking a pair as different people."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db.models import Q

from passage.accounts.models import Desk, User
from passage.cases.models import Case, DuplicateFlag
from passage.cases.services import verification
from tests.cases.conftest import channel
from tests.cases.helpers import fresh
from tests.cases.views.conftest import HANDLE, NAME, Signed
from tests.cases.views.support import (
    age_second_factor,
    case_url,
    page,
    post,
    reads,
    step_up_location,
    submit,
    text_of,
    token_in,
    top_errors,
)

pytestmark = pytest.mark.django_db

OTHER_NAME = "Zaur Other-Spelling"


@pytest.fixture
def twin(open_case: Callable[..., Case], north_case: Case) -> Case:
    """A second North case with the same Telegram handle: flagged with ``north_case``."""
    return open_case(OTHER_NAME, channels=[channel(f"https://t.me/{HANDLE[1:]}", "telegram")])


def flag_of(case: Case) -> DuplicateFlag:
    """The one open flag on ``case``."""
    return DuplicateFlag.objects.filter(
        Q(case_a=case) | Q(case_b=case), status=DuplicateFlag.Status.OPEN
    ).get()


def test_the_summary_shows_the_possible_match_without_the_other_persons_data(
    signed_in: Signed, caseworker: User, north_case: Case, twin: Case
) -> None:
    flag = flag_of(north_case)
    content = page(signed_in(caseworker), case_url("case", north_case))
    assert f'Possible match with <a href="{case_url("case", twin)}">{twin.reference}</a>' in content
    assert "same phone or handle" in content
    assert case_url("duplicate-merge", north_case, flag.pk) in content
    assert case_url("duplicate-distinct", north_case, flag.pk) in content
    # The header names this case's person (the caseworker works it), never the other case's.
    assert f'<span class="chosen-name">{NAME}</span>' in content
    for secret in (OTHER_NAME, HANDLE):
        assert secret not in content
    assert reads(north_case) == reads(twin) == []


def test_comparing_shows_both_people_and_records_a_read_of_each_case(
    signed_in: Signed, caseworker: User, north_case: Case, twin: Case
) -> None:
    content = page(
        signed_in(caseworker), case_url("duplicate-merge", north_case, flag_of(north_case).pk)
    )
    assert NAME in content and OTHER_NAME in content
    assert north_case.reference in content and twin.reference in content
    assert reads(north_case) == ["case.section_viewed.person"]
    assert reads(twin) == ["case.section_viewed.person"]


def test_merging_through_the_form(
    signed_in: Signed, caseworker: User, north_case: Case, twin: Case
) -> None:
    flag = flag_of(north_case)
    client = signed_in(caseworker)
    response = submit(
        client, case_url("duplicate-merge", north_case, flag.pk), {"survivor": str(north_case.pk)}
    )
    assert response.status_code == 302
    assert response["Location"] == case_url("case", north_case)
    gone = fresh(twin)
    assert gone.merged_into_id == north_case.pk
    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.MERGED
    content = page(client, response["Location"])
    assert f"{twin.reference} was merged into {north_case.reference}" in content
    # The merged case's reference leads to the one that stays.
    assert client.get(case_url("case", twin))["Location"] == case_url("case", north_case)
    people = page(client, case_url("case-person", north_case))
    assert NAME in people and OTHER_NAME in people


def test_the_other_case_can_be_the_one_that_stays(
    signed_in: Signed, caseworker: User, north_case: Case, twin: Case
) -> None:
    response = submit(
        signed_in(caseworker),
        case_url("duplicate-merge", north_case, flag_of(north_case).pk),
        {"survivor": str(twin.pk)},
    )
    assert response["Location"] == case_url("case", twin)
    assert fresh(north_case).merged_into_id == twin.pk


def test_a_survivor_that_is_not_one_of_the_pair_is_an_error(
    signed_in: Signed,
    caseworker: User,
    north_case: Case,
    twin: Case,
    open_case: Callable[..., Case],
) -> None:
    third = open_case("Unrelated Person")
    response = submit(
        signed_in(caseworker),
        case_url("duplicate-merge", north_case, flag_of(north_case).pk),
        {"survivor": str(third.pk)},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in text_of(response)
    assert fresh(north_case).merged_into_id is None and fresh(twin).merged_into_id is None


def test_a_frozen_case_cannot_be_merged(
    signed_in: Signed, caseworker: User, verifier: User, north_case: Case, twin: Case
) -> None:
    verification.verification_outcome_record(
        case=twin,
        outcome=Case.Verification.SUSPECTED_HOSTILE,
        note="the handle belongs to an informer",
        actor=verifier,
    )
    client = signed_in(caseworker)
    path = case_url("duplicate-merge", north_case, flag_of(north_case).pk)
    form = page(client, path)
    assert reads(north_case) == reads(twin) == ["case.section_viewed.person"]
    response = client.post(
        path, {"csrfmiddlewaretoken": token_in(form), "survivor": str(north_case.pk)}
    )
    assert response.status_code == 400
    content = text_of(response)
    assert top_errors(content) == [f"{twin.reference} is frozen: it cannot be merged."]
    assert fresh(twin).merged_into_id is None
    # The refusal shows both people again: both were revealed in this sign-in already (the GET
    # was one entry for each), so no second entry.
    assert NAME in content and OTHER_NAME in content
    assert reads(north_case) == reads(twin) == ["case.section_viewed.person"]


def test_merging_asks_for_a_fresh_second_factor(
    signed_in: Signed, caseworker: User, north_case: Case, twin: Case
) -> None:
    client = signed_in(caseworker)
    age_second_factor(client)
    path = case_url("duplicate-merge", north_case, flag_of(north_case).pk)
    assert client.get(path)["Location"] == step_up_location(path)
    response = post(client, path, {"survivor": str(north_case.pk)})
    assert response["Location"] == step_up_location(path)
    assert fresh(twin).merged_into_id is None
    assert reads(north_case) == reads(twin) == []


def test_marking_as_different_people(
    signed_in: Signed, caseworker: User, north_case: Case, twin: Case
) -> None:
    flag = flag_of(north_case)
    client = signed_in(caseworker)
    path = case_url("duplicate-distinct", north_case, flag.pk)
    assert twin.reference in page(client, path)
    assert submit(client, path).status_code == 302
    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.DISTINCT
    again = post(client, path)
    assert again.status_code == 400
    assert top_errors(text_of(again)) == ["This possible duplicate was decided already."]


def test_a_match_on_another_desk_is_named_only_by_its_desk(
    signed_in: Signed,
    caseworker: User,
    colleague: User,
    desk_south: Desk,
    north_case: Case,
    open_case: Callable[..., Case],
) -> None:
    south = open_case(
        "Southern Twin", actor=colleague, desk=desk_south, channels=[channel(HANDLE, "telegram")]
    )
    flag = flag_of(north_case)
    client = signed_in(caseworker)
    content = page(client, case_url("case", north_case))
    assert "Possible match on desk Middle East and North Africa: ask its desk lead." in content
    assert south.reference not in content
    page(client, case_url("duplicate-merge", north_case, flag.pk), status=404)
    page(client, case_url("duplicate-distinct", north_case, flag.pk), status=404)
    assert reads(south) == []


def test_others_get_404(
    signed_in: Signed, colleague: User, screener: User, north_case: Case, twin: Case
) -> None:
    flag = flag_of(north_case)
    page(signed_in(colleague), case_url("duplicate-merge", north_case, flag.pk), status=404)
    page(signed_in(colleague), case_url("duplicate-distinct", north_case, flag.pk), status=404)
    page(
        signed_in(screener), case_url("duplicate-merge", north_case, flag.pk), status=404
    )  # no merge
    assert reads(north_case) == reads(twin) == []
