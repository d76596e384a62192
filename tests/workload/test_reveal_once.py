"""Revealing a case's protected sections, and showing a person's chosen name, are each one
audit entry per case per sign-in (not one per click); break-glass reads are audited every time;
names are shown only on cases the viewer works; the unusual-reading checks still count them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import User
from passage.accounts.services import reads as reads_service
from passage.alerts import services as alert_services
from passage.cases.models import Case
from tests.cases.views.conftest import NAME
from tests.cases.views.support import case_url, name_reads, page, reads

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]


def test_sections_of_a_case_are_one_entry_per_sign_in(
    signed_in: Signed, caseworker: User, north_case: Case
) -> None:
    client = signed_in(caseworker)
    for name in ("case-person", "case-triage", "case-person", "case-timeline"):
        page(client, case_url(name, north_case))
    assert reads(north_case) == ["case.section_viewed.person"]
    # A new sign-in reveals it again: one more entry.
    again = signed_in(caseworker)
    page(again, case_url("case-timeline", north_case))
    page(again, case_url("case-person", north_case))
    assert reads(north_case) == ["case.section_viewed.person", "case.section_viewed.timeline"]


def test_each_case_has_its_own_entry(
    signed_in: Signed, caseworker: User, open_case: Callable[..., Case]
) -> None:
    first, second = open_case("First"), open_case("Second")
    client = signed_in(caseworker)
    for case in (first, second, first, second):
        page(client, case_url("case-person", case))
    assert reads(first) == reads(second) == ["case.section_viewed.person"]


def test_break_glass_reads_are_audited_at_every_view(
    signed_in: Signed, colleague: User, north_case: Case
) -> None:
    from passage.alerts.services import break_glass_open

    break_glass_open(
        user=colleague,
        case_id=north_case.pk,
        desk_id=north_case.desk_id,
        reason="covering the North desk tonight, urgent call",
        case_reference=north_case.reference,
    )
    client = signed_in(colleague)
    page(client, case_url("case-person", north_case))
    page(client, case_url("case-person", north_case))
    assert reads(north_case) == ["case.section_viewed.person"] * 2
    # ... and break-glass never shows the name beside the reference.
    assert NAME not in page(client, case_url("case", north_case))
    assert name_reads(north_case) == 0


def test_names_in_the_queue_are_one_entry_per_case_per_sign_in(
    signed_in: Signed, caseworker: User, north_case: Case, open_case: Callable[..., Case]
) -> None:
    other = open_case("Second Person")
    client = signed_in(caseworker)
    content = page(client, reverse("cases:queue"))
    assert f'<span class="chosen-name">{NAME}</span>' in content
    assert '<span class="chosen-name">Second Person</span>' in content
    page(client, reverse("cases:queue"))
    page(client, reverse("cases:list"))
    page(client, case_url("case", north_case))
    assert name_reads(north_case) == name_reads(other) == 1
    page(signed_in(caseworker), reverse("cases:queue"))
    assert name_reads(north_case) == 2


def test_names_are_shown_only_on_cases_one_works(
    signed_in: Signed, colleague: User, south_case: Case, north_case: Case
) -> None:
    # The colleague (South) sees their own case's name and never a North one.
    content = page(signed_in(colleague), reverse("cases:queue"))
    assert "Southern Person" in content and NAME not in content
    assert name_reads(north_case) == 0


def test_the_unusual_reading_checks_count_a_batch_of_names(
    caseworker: User, open_case: Callable[..., Case], settings: object
) -> None:
    cases = [open_case(f"P {i}") for i in range(3)]
    facts = [alert_services.CaseFacts(c.pk, c.desk_id, c.assignee_id) for c in cases]
    setattr(settings, "PASSAGE_READ_ALERT_VOLUME_FLOOR", 2)  # noqa: B010
    assessment = alert_services.protected_reads(user=caseworker, cases=facts, section="name")
    assert reads_service.VOLUME in assessment.reasons
    later = reads_service.reading_assess(
        user=caseworker,
        case_id=cases[0].pk,
        desk_id=cases[0].desk_id,
        now=timezone.now(),
    )
    assert reads_service.VOLUME in later.reasons  # the three entries are in the log
