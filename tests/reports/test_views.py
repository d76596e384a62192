"""The Reports pages: who may open them, what they show, the funder report's example question,
the public statistics (no count from 1 to 4, none recoverable) and the lockdown refusal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import Lockdown, User
from passage.audit.models import AuditEntry
from passage.cases import rollups
from passage.cases.categories import GenderCategory
from passage.cases.models import Case, Measure
from passage.cases.services import workflow
from passage.cases.services.people import PersonDetails
from passage.cases.workflow import Stage
from passage.reports.models import StatisticsRelease, YearlyGoal
from passage.reports.suppression import SMALL, WITHHELD, Protection, is_small
from tests.cases.helpers import to_stage
from tests.personas import sign_in_as
from tests.reports.test_suppression import attack

pytestmark = pytest.mark.django_db

PAGES = ("dashboard", "requests", "funds", "funder", "statistics")


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_for_desk_leads_and_admins(
    page: str, desk_lead: User, admin: User, caseworker: User, auditor: User
) -> None:
    for user in (desk_lead, admin):
        response = sign_in_as(user).get(reverse(f"reports:{page}"))
        assert response.status_code == 200, (page, user.username)
        assert b"<script" not in response.content.split(b"<main", 1)[-1].split(b"</main>")[0]
    for user in (caseworker, auditor):
        assert sign_in_as(user).get(reverse(f"reports:{page}")).status_code == 404


def test_the_dashboard_draws_svg_with_its_numbers_beside(
    open_case: Callable[..., Case], caseworker: User, verifier: User, admin: User
) -> None:
    to_stage(open_case(), caseworker, verifier, Stage.ARRIVED)
    YearlyGoal.objects.create(year=timezone.localdate().year, people=100)
    page = sign_in_as(admin).get(reverse("reports:dashboard")).content.decode()
    assert page.count("<svg") >= 3
    assert 'aria-describedby="funnel-table"' in page and 'id="funnel-table"' in page
    assert "1 / 100" in page  # one person of the goal's hundred
    assert "style=" not in page.split("<svg", 1)[1]  # CSP: no style attributes in charts


def test_goals_are_set_by_admins_only(admin: User, desk_lead: User) -> None:
    client = sign_in_as(admin)
    response = client.post(
        reverse("reports:goals"),
        {"year": "2026", "people": "100"},
        HTTP_X_CSRFTOKEN=_csrf(client, reverse("reports:goals")),
    )
    assert response.status_code == 302
    assert YearlyGoal.objects.get(year=2026).people == 100
    bad = client.post(
        reverse("reports:goals"),
        {"year": "2026", "people": "-3"},
        HTTP_X_CSRFTOKEN=_csrf(client, reverse("reports:goals")),
    )
    assert bad.status_code == 400
    assert sign_in_as(desk_lead).get(reverse("reports:goals")).status_code == 404


def _csrf(client: Client, url: str) -> str:
    """The CSRF token of the form on the page at ``url``."""
    page = client.get(url).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no form on the page"
    return found.group(1)


def test_the_funder_report_answers_how_many_trans_women_were_relocated(
    open_case: Callable[..., Case], caseworker: User, verifier: User, desk_lead: User
) -> None:
    """ "How many trans women did you relocate from July to June?" """
    today = timezone.localdate()
    start = dt.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    end = dt.date(start.year + 1, 6, 1)

    def person(gender: str) -> PersonDetails:
        return PersonDetails(
            chosen_name="P", gender_category=gender, birth_date=dt.date(1990, 1, 1)
        )

    for gender in (GenderCategory.TRANS_WOMAN, GenderCategory.TRANS_WOMAN, GenderCategory.MAN):
        to_stage(
            open_case(details=person(gender), country="RU"), caseworker, verifier, Stage.ARRIVED
        )
    # Not relocated: still in planning.
    to_stage(
        open_case(details=person(GenderCategory.TRANS_WOMAN)), caseworker, verifier, Stage.PLANNING
    )
    # Relocated before the period: arrived the June before.
    early = to_stage(
        open_case(details=person(GenderCategory.TRANS_WOMAN)),
        caseworker,
        verifier,
        Stage.IN_TRANSIT,
    )
    before = dt.datetime(start.year, 6, 15, 12, tzinfo=dt.UTC)
    workflow.case_transition(case=early, to_stage=Stage.ARRIVED, actor=caseworker, now=before)
    query = {
        "start": start.strftime("%Y-%m"),
        "end": end.strftime("%Y-%m"),
        "measure": Measure.ARRIVED,
        "gender": GenderCategory.TRANS_WOMAN,
        "rows": "country",
    }
    response = sign_in_as(desk_lead).get(reverse("reports:funder"), query)
    assert response.status_code == 200
    table = response.context["table"]
    assert table.total_cases == 2
    assert [(r.key, r.value) for r in table.rows] == [("RU", 2)]
    # The same question for the June before finds the early one.
    query.update(start=f"{start.year}-06", end=f"{start.year}-06")
    assert (
        sign_in_as(desk_lead).get(reverse("reports:funder"), query).context["table"].total_cases
        == 1
    )
    # Nonsense input: a clear 400, not a 500.
    bad = sign_in_as(desk_lead).get(reverse("reports:funder"), {"start": "July", "gender": "x"})
    assert bad.status_code == 400


# --- Public statistics ----------------------------------------------------------------------


def seed_rollups(year: int, cases: int = 2500, seed: int = 7) -> None:
    """A data set in the rollup tables, made by the services' own ``contributions`` from
    synthetic facts (skewed, so that many cells are small)."""
    rng = random.Random(seed)
    total = rollups.Contribution()
    desk = uuid.uuid4()
    for _ in range(cases):
        opened = dt.datetime(year, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            days=rng.randrange(330), hours=rng.randrange(24)
        )
        country = rng.choices(["RU", "IR", "EG", "CM", "HN", "AF", "SY"], [50, 20, 10, 8, 6, 4, 2])[
            0
        ]
        relocated = rng.random() < 0.5
        arrived = opened + dt.timedelta(days=rng.randrange(1, 30))
        outcome = rng.choice(["relocated", "declined", "withdrew", "lost", "other"])
        closed = arrived + dt.timedelta(days=1)
        facts = rollups.Facts(
            case_id=uuid.uuid4(),
            desk_id=desk,
            stage=Stage.CLOSED if relocated else Stage.SCREENING,
            opened_at=opened,
            closed_at=closed if relocated else None,
            outcome=outcome if relocated else "",
            country=country,
            verification_outcome="verified" if relocated else "",
            household_size=1,
            stage_events=((arrived, Stage.ARRIVED),) if relocated else (),
            gender=rng.choices(
                ["man", "trans_woman", "woman", "non_binary", ""], [60, 15, 15, 5, 5]
            )[0],
            birth_year=rng.choice([1960, 1980, 1990, 1995, 2000, 2008]),
            pathway=rng.choices(
                ["emergency_visa", "private_sponsorship", "asylum_on_arrival", ""], [70, 20, 5, 5]
            )[0],
        )
        total.add(rollups.contributions(facts))
    rollups.apply(total)


def _download(client: Client, period: str, fmt: str) -> bytes:
    url = reverse("reports:statistics-download")
    token = _csrf(client, f"{url}?period={period}&fmt={fmt}")
    response = client.post(url, {"period": period, "fmt": fmt}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_statistics_of_a_seeded_data_set_hide_small_counts_for_good(desk_lead: User) -> None:
    year = timezone.localdate().year - 1
    seed_rollups(year)
    client = sign_in_as(desk_lead)
    document = json.loads(_download(client, str(year), "json"))
    assert document["period"] == str(year)
    small_seen = 0
    for table in document["tables"]:
        cells = table["cells"]
        flat = [v for row in cells for v in row]
        # No count between 1 and 4 anywhere.
        assert not [v for v in flat if isinstance(v, int) and 1 <= v <= 4], table["name"]
        assert all(isinstance(v, int) or v in {SMALL, WITHHELD} for v in flat)
        small_seen += flat.count(SMALL)
        if table["withheld"]:
            continue
        # Try to recover a "<5" from the published totals and the other cells: it fails.
        pinned = attack(cells)
        assert not [c for c in pinned if cells[c[0]][c[1]] == SMALL], table["name"]
    assert small_seen > 0  # the data set does have small cells: they were suppressed
    # CSV: the same entries, one per line, never a small count.
    rows = list(csv.DictReader(io.StringIO(_download(client, str(year), "csv").decode())))
    assert rows and not [r for r in rows if r["value"].isdigit() and is_small(int(r["value"]))]
    assert {r["value"] for r in rows if not r["value"].isdigit()} <= {SMALL, WITHHELD}
    # Published once: new data later does not change the release of that year.
    seed_rollups(year, cases=40, seed=8)
    assert json.loads(_download(client, str(year), "json"))["tables"] == document["tables"]
    assert StatisticsRelease.objects.count() == 1
    actions = list(AuditEntry.objects.values_list("action", "object_id"))
    assert ("reports.statistics_published", str(year)) in actions
    assert sum(1 for a, _ in actions if a == "reports.statistics_downloaded") == 3


def test_every_small_count_of_a_release_has_a_different_consistent_table(desk_lead: User) -> None:
    """Stronger than any one attack: for each "<5", another table agrees with every published
    number (so nothing published can tell them apart)."""
    year = timezone.localdate().year - 1
    seed_rollups(year, cases=600, seed=3)
    document = json.loads(_download(sign_in_as(desk_lead), str(year), "json"))
    from passage.reports import statistics
    from passage.reports.suppression import extend

    release = statistics.parse_period(str(year))
    assert release is not None
    for spec, table in zip(statistics.TABLES, document["tables"], strict=True):
        if table["withheld"]:
            continue
        rows, columns, counts = spec.build(release)
        rows = rows or [("", "")]
        columns = columns or [("", "")]
        grid = extend([[counts.get((r, c), 0) for c, _ in columns] for r, _ in rows])
        cells = table["cells"]
        small = {(r, c) for r, row in enumerate(cells) for c, v in enumerate(row) if v == SMALL}
        withheld = {
            (r, c) for r, row in enumerate(cells) for c, v in enumerate(row) if v == WITHHELD
        }
        state = Protection(grid, small, withheld)
        for cell in small:
            assert state.witness(cell) is not None, (table["name"], cell)


def test_only_ended_periods_of_the_installations_kind(desk_lead: User) -> None:
    client = sign_in_as(desk_lead)
    url = reverse("reports:statistics-download")
    this_year = timezone.localdate().year
    for period in (str(this_year), f"{this_year - 1}-Q1", "1999", "abcd", "2025.json"):
        assert client.get(url, {"period": period, "fmt": "json"}).status_code == 404
    assert client.get(url, {"period": str(this_year - 1), "fmt": "xml"}).status_code == 404
    assert client.get(url).status_code == 302


def test_downloads_are_refused_during_a_lockdown(admin: User, second_admin: User) -> None:
    """A lockdown signs out everyone but admins: an admin still gets a clear refusal."""
    client = sign_in_as(admin)
    url = reverse("reports:statistics-download")
    period = str(timezone.localdate().year - 1)
    token = _csrf(client, f"{url}?period={period}&fmt=csv")
    Lockdown.objects.create(
        proposed_by=admin, confirmed_by=second_admin, confirmed_at=timezone.now()
    )
    response = client.get(url, {"period": period, "fmt": "csv"})
    assert response.status_code == 409, response
    assert b"lockdown" in response.content.lower()
    refused = client.post(url, {"period": period, "fmt": "csv"}, HTTP_X_CSRFTOKEN=token)
    assert refused.status_code == 409
    assert StatisticsRelease.objects.count() == 0
    assert b"lockdown" in client.get(reverse("reports:statistics")).content.lower()


@pytest.fixture
def second_admin(db: None) -> User:
    from passage.accounts.roles import Role
    from tests.personas import make_staff

    return make_staff("admin-2", Role.ADMIN)
