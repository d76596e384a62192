"""Dashboards at scale: every reports page over 1,000,000 cases on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/dashboards.py [--cases 1000000] [--runs 20] [--seed-only]

The cases live in their own database (default ``passage_bench_reports``, created and seeded on
the first run, kept afterwards so later runs only measure), its keys in
``var/bench-reports/``.

**How the data is made (the fast path, and why it is honest).** Dashboards read only the
rollup tables (``cases.models.rollups``), the help requests' hour-rounded times, the safe
houses' stays, the alerts and the funds' ledger; never a case's encrypted fields. So the seed
writes, by ``COPY`` (``crypto.bulkinsert.insert_rows``): 1,000,000 cases with their plain
operational columns (desk, source, stage and its dates, outcome, country, verification
outcome, household size; no narrative), their timelines (opened, every stage change, back
moves for some, the verification outcome) and a help request for each case that came from
intake (plus requests that never became cases). For each case the seed also makes, in memory,
the ``cases.rollups.Facts`` the services would read (the same stage events, and a principal's
coarse categories, birth year, pathway kind and funds drawn at random: those live in encrypted
person, application and disbursement rows that no dashboard reads, so they are not written),
and the rollup tables are the sum of ``cases.rollups.contributions(facts)``: the very function
every service applies as a case moves. ``passage rollups check`` would recompute them from the
rows (it cannot here: the categories were never written to persons).

Measured, in-process (server time, no network): a GET of each reports page through Django's
test client with a signed-in desk lead's session, ``--runs`` times after 3 warm-up requests;
target p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import random
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
parser.add_argument("--cases", type=int, default=1_000_000)
parser.add_argument("--runs", type=int, default=20)
parser.add_argument("--chunk", type=int, default=20_000)
parser.add_argument("--database", default="passage_bench_reports")
parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-reports")
parser.add_argument("--seed-only", action="store_true")
args = parser.parse_args()
if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
    sys.exit("--database takes a plain lower-case name")

server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
if not server.startswith("postgres"):
    sys.exit("bench/dashboards.py runs on PostgreSQL: set DATABASE_URL=postgres://...")
admin_url = urlunsplit(urlsplit(server)._replace(path="/postgres"))
exists = subprocess.run(
    ["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'"],  # noqa: S608 -- checked name
    capture_output=True,
    text=True,
    check=True,
).stdout.strip()
if not exists:
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{args.database}"'], check=True)
os.environ["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{args.database}"))
DATA = args.data_dir.resolve()
DATA.mkdir(parents=True, exist_ok=True)
os.environ["PASSAGE_DATA_DIR"] = str(DATA)
os.environ["DJANGO_SETTINGS_MODULE"] = "passage.settings"

from passage.crypto.keyfiles import init_key_files  # noqa: E402

init_key_files(
    master=DATA / "keys" / "master.key",
    blind_index=DATA / "keys" / "blind-index.key",
    codename_pepper=DATA / "keys" / "codename-pepper.key",
    intake_dir=DATA / "keys" / "intake",
    django_secret=DATA / "keys" / "django-secret.key",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from tests.personas import make_staff, sign_in_as  # noqa: E402

from passage.accounts.models import Desk, User  # noqa: E402
from passage.accounts.roles import Role  # noqa: E402
from passage.audit import services as audit  # noqa: E402
from passage.cases import rollups  # noqa: E402
from passage.cases.categories import GenderCategory, OrientationCategory  # noqa: E402
from passage.cases.models import Case, CaseEvent  # noqa: E402
from passage.cases.workflow import MAIN_LINE, Stage  # noqa: E402
from passage.crypto import bulkinsert  # noqa: E402
from passage.funds.models import Fund, FundEntry  # noqa: E402
from passage.intake.models import HelpRequest  # noqa: E402
from passage.reports import statistics  # noqa: E402

STATE = DATA / "bench-state.json"
DESKS = {
    "North Caucasus and Russia": ("RU",),
    "Middle East and North Africa": ("EG", "IQ", "LB", "JO", "SY"),
    "Iran and Afghanistan": ("IR", "AF"),
    "West and Central Africa": ("CM", "SN", "CI", "CD"),
    "Central America and Venezuela": ("HN", "GT", "SV", "VE"),
}
DESK_WEIGHTS = (0.30, 0.22, 0.20, 0.14, 0.14)
OPEN_WEIGHTS = {
    Stage.NEW: 20,
    Stage.SCREENING: 15,
    Stage.VERIFICATION: 15,
    Stage.ASSESSMENT: 12,
    Stage.APPROVED: 6,
    Stage.PLANNING: 10,
    Stage.IN_TRANSIT: 4,
    Stage.ARRIVED: 6,
    Stage.SETTLEMENT: 12,
    Stage.LOST_CONTACT: 3,
}
CLOSED_OUTCOMES = {
    Case.Outcome.RELOCATED: 45,
    Case.Outcome.SETTLED: 25,
    Case.Outcome.SAFE_LOCALLY: 10,
    Case.Outcome.WITHDREW: 8,
    Case.Outcome.LOST: 8,
    Case.Outcome.OTHER: 4,
}
GENDERS = {
    "": 20,
    GenderCategory.MAN: 35,
    GenderCategory.WOMAN: 15,
    GenderCategory.TRANS_WOMAN: 12,
    GenderCategory.TRANS_MAN: 6,
    GenderCategory.NON_BINARY: 8,
    GenderCategory.OTHER: 2,
    GenderCategory.UNDISCLOSED: 2,
}
ORIENTATIONS = {
    "": 20,
    OrientationCategory.GAY: 35,
    OrientationCategory.LESBIAN: 15,
    OrientationCategory.BISEXUAL: 14,
    OrientationCategory.QUEER: 6,
    OrientationCategory.PANSEXUAL: 3,
    OrientationCategory.HETEROSEXUAL: 4,
    OrientationCategory.ASEXUAL: 1,
    OrientationCategory.OTHER: 1,
    OrientationCategory.UNDISCLOSED: 1,
}
PATHWAYS = (
    "emergency_visa",
    "unhcr_resettlement",
    "private_sponsorship",
    "government_assisted",
    "asylum_on_arrival",
    "internal_relocation",
)


def pick(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load_state() -> dict[str, Any]:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def save_state(state: dict[str, Any]) -> None:
    STATE.write_text(json.dumps(state, indent=2, default=str))


CASE_FIELDS = [f.name for f in Case._meta.concrete_fields]
EVENT_FIELDS = [f.name for f in CaseEvent._meta.concrete_fields]
REQUEST_FIELDS = [f.name for f in HelpRequest._meta.concrete_fields]


class Maker:
    """Synthetic cases, their timelines and requests, and the facts the services would read."""

    def __init__(self, seed: int, now: dt.datetime, desks: dict[str, Desk], funds: list[str]):
        self.rng = random.Random(seed)
        self.now = now
        self.start = now - dt.timedelta(days=3650)
        self.desks = desks
        self.funds = funds
        self.number = 0

    def at(self, after: dt.datetime, days: float) -> dt.datetime:
        return min(self.now, after + dt.timedelta(days=days, seconds=self.rng.randrange(86_400)))

    def case(self, cases: list[Any], events: list[Any], requests: list[Any]) -> rollups.Facts:
        rng = self.rng
        self.number += 1
        case_id = uuid.uuid4()
        desk_name = rng.choices(list(DESKS), weights=DESK_WEIGHTS)[0]
        desk = self.desks[desk_name]
        country = rng.choice(DESKS[desk_name])
        opened = self.start + dt.timedelta(seconds=rng.randrange(3650 * 86_400))
        age_days = (self.now - opened).days
        source = rng.choices(["intake", "partner", "staff"], weights=[60, 20, 20])[0]
        is_open = rng.random() < 0.05 or age_days < 30
        outcome, closed_at = "", None
        # How far along the main line it got, and where it is now.
        if is_open:
            stage = pick(rng, OPEN_WEIGHTS)
            furthest = Stage.SCREENING if stage == Stage.LOST_CONTACT else stage
        else:
            ending = rng.choices(
                [Stage.CLOSED, Stage.DECLINED, Stage.REFERRED_OUT], weights=[55, 25, 20]
            )[0]
            stage = ending
            if ending == Stage.CLOSED:
                outcome = pick(rng, CLOSED_OUTCOMES)
                furthest = {
                    Case.Outcome.RELOCATED: Stage.ARRIVED,
                    Case.Outcome.SETTLED: Stage.SETTLEMENT,
                }.get(outcome, rng.choice([Stage.SCREENING, Stage.VERIFICATION, Stage.ASSESSMENT]))
            else:
                outcome = "declined" if ending == Stage.DECLINED else "referred"
                furthest = rng.choice([Stage.SCREENING, Stage.VERIFICATION])
        # The timeline: opened, each main-line stage up to the furthest, a back move for some.
        moment = opened
        stage_events: list[tuple[dt.datetime, str]] = []
        event_rows = [
            (uuid.uuid4(), case_id, "opened", source, "", "new", None, None, opened, None)
        ]
        last = "new"
        verified_at = None
        for next_stage in MAIN_LINE[1 : MAIN_LINE.index(furthest) + 1]:
            moment = self.at(moment, rng.expovariate(1 / 20))
            if next_stage == Stage.APPROVED:
                verified_at = self.at(moment, -2)
                event_rows.append(
                    (
                        uuid.uuid4(),
                        case_id,
                        "verification",
                        "outcome_verified",
                        "",
                        "",
                        None,
                        None,
                        verified_at,
                        None,
                    )
                )
            stage_events.append((moment, next_stage))
            event_rows.append(
                (
                    uuid.uuid4(),
                    case_id,
                    "stage",
                    "forward",
                    last,
                    next_stage,
                    None,
                    None,
                    moment,
                    None,
                )
            )
            last = next_stage
            if next_stage == Stage.IN_TRANSIT and rng.random() < 0.05:
                for back in (Stage.PLANNING, Stage.IN_TRANSIT):
                    moment = self.at(moment, rng.expovariate(1 / 10))
                    stage_events.append((moment, back))
                    event_rows.append(
                        (
                            uuid.uuid4(),
                            case_id,
                            "stage",
                            "backward" if back == Stage.PLANNING else "forward",
                            last,
                            back,
                            None,
                            None,
                            moment,
                            None,
                        )
                    )
                    last = back
        if stage in {Stage.CLOSED, Stage.DECLINED, Stage.REFERRED_OUT, Stage.LOST_CONTACT}:
            moment = self.at(moment, rng.expovariate(1 / 30))
            stage_events.append((moment, stage))
            event_rows.append(
                (
                    uuid.uuid4(),
                    case_id,
                    "stage",
                    "end" if stage != Stage.LOST_CONTACT else "pause",
                    last,
                    stage,
                    None,
                    None,
                    moment,
                    None,
                )
            )
            if stage != Stage.LOST_CONTACT:
                closed_at = moment
        verification = "verified" if verified_at is not None else ""
        household = rng.choices([1, 2, 3, 4], weights=[70, 15, 10, 5])[0]
        values = {
            "id": case_id,
            "reference": f"PSG-{opened.year}-B{self.number:07d}",
            "desk": desk.pk,
            "campaign": None,
            "stage": stage,
            "stage_entered_at": moment,
            "paused_from": "screening" if stage == Stage.LOST_CONTACT else "",
            "source": source,
            "referred_by": None,
            "assignee": None,
            "opened_at": opened,
            "closed_at": closed_at,
            "outcome": outcome,
            "urgency": rng.choice(["immediate", "days", "weeks", "unknown"]),
            "reply_language": "",
            "country": country,
            "region": "",
            "household_size": household,
            "priority_base": 0,
            "priority_score": 0,
            "priority_level": 1,
            "level_override": None,
            "priority_computed_at": opened,
            "verification_outcome": verification,
            "frozen_at": None,
            "frozen_reason": "",
            "last_contact_at": None,
            "next_contact_due": None,
            "next_deadline": None,
            "merged_into": None,
            "narrative": None,
            "triage_factors": None,
            "level_override_reason": None,
        }
        cases.append([values[name] for name in CASE_FIELDS])
        events.extend(event_rows)
        first_request = None
        if source == "intake":
            first_request = self.request(
                requests, opened - dt.timedelta(days=rng.random() * 14), case_id
            )
        approved = furthest in MAIN_LINE[MAIN_LINE.index(Stage.APPROVED) :]
        funds = frozenset()
        if approved and rng.random() < 0.35:
            funds = frozenset(rng.sample(self.funds, rng.choice([1, 1, 1, 2])))
        return rollups.Facts(
            case_id=case_id,
            desk_id=desk.pk,
            stage=stage,
            opened_at=opened,
            closed_at=closed_at,
            outcome=outcome,
            country=country,
            verification_outcome=verification,
            household_size=household,
            stage_events=tuple(stage_events),
            verified_at=verified_at,
            first_request_at=first_request,
            gender=pick(rng, GENDERS),
            orientation=pick(rng, ORIENTATIONS),
            birth_year=rng.randint(1955, 2008) if rng.random() < 0.8 else None,
            pathway=rng.choice(PATHWAYS)
            if approved
            else ("" if rng.random() < 0.8 else rng.choice(PATHWAYS)),
            funds=funds,
        )

    def request(
        self, requests: list[Any], at: dt.datetime, case_id: uuid.UUID | None
    ) -> dt.datetime:
        at = max(self.start, at).replace(minute=0, second=0, microsecond=0)
        values = {
            "id": uuid.uuid4(),
            "mailbox": None,
            "received_at": at,
            "urgency": "unknown",
            "reply_language": "ru",
            "intake_key_id": "bench",
            "sealed": b"\x00" * 96,
            "state": "case_opened" if case_id else self.rng.choice(["declined", "spam", "replied"]),
            "status": "working" if case_id else "cannot_help",
            "level": "",
            "level_rank": 9,
            "case": case_id,
            "decided_by": None,
            "decided_at": None,
            "staff_note": None,
            "story_received": False,
        }
        requests.append([values[name] for name in REQUEST_FIELDS])
        return at


def seed(state: dict[str, Any]) -> None:
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if have >= args.cases:
        print(f"database {args.database}: {have} cases, already seeded")
        return
    if have:
        sys.exit(f"database {args.database} holds {have} cases but is not fully seeded: drop it")
    started = time.monotonic()
    now = timezone.now()
    with audit.atomic():
        desks = {name: Desk.objects.get_or_create(name=name)[0] for name in DESKS}
        funds = []
        for name in ("Rainbow Railroad grant", "City of Toronto relief", "Private donors 2026"):
            fund, _ = Fund.objects.get_or_create(name=name, defaults={"currency": "EUR"})
            FundEntry.objects.get_or_create(
                fund=fund, kind="deposit", defaults={"amount": 50_000_000, "on": now.date()}
            )
            funds.append(str(fund.pk))
        audit.record(actor="cli", action="bench.seeded", object_type="job", object_id="bench")
    maker = Maker(2026, now, desks, funds)
    total = rollups.Contribution()
    written = 0
    while written < args.cases:
        size = min(args.chunk, args.cases - written)
        cases: list[Any] = []
        events: list[Any] = []
        requests: list[Any] = []
        for _ in range(size):
            total.add(rollups.contributions(maker.case(cases, events, requests)))
            if maker.rng.random() < 0.15:  # a request that never became a case
                maker.request(
                    requests,
                    maker.start + dt.timedelta(seconds=maker.rng.randrange(3650 * 86_400)),
                    None,
                )
        with transaction.atomic():
            bulkinsert.insert_rows(Case, CASE_FIELDS, cases)
            bulkinsert.insert_rows(CaseEvent, EVENT_FIELDS, events)
            bulkinsert.insert_rows(HelpRequest, REQUEST_FIELDS, requests)
        written += size
        print(f"  {written} cases ({time.monotonic() - started:.0f}s)", flush=True)
    with transaction.atomic():
        rollups.write_fresh(total.nonzero())
    seconds = time.monotonic() - started
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    state["seeding"] = {
        "cases": args.cases,
        "seconds": round(seconds, 1),
        "rollup_rows": len(total.nonzero().cases),
        "arrival_rows": len(total.nonzero().arrivals),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    save_state(state)
    print(f"seeded {args.cases} cases in {seconds:.0f}s: {state['seeding']}")


# --- Measuring ------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def pages() -> list[tuple[str, str]]:
    year = timezone.now().year
    found = []
    for label, name, query in (
        ("dashboard (funnel, time to arrival, goal, safety now)", "reports:dashboard", ""),
        ("dashboard, last year", "reports:dashboard", f"?year={year - 1}"),
        ("requests per week and by country", "reports:requests", ""),
        ("fund use", "reports:funds", ""),
        (
            "funder report, trans women arrived July-June, by country",
            "reports:funder",
            f"?start={year - 1}-07&end={year}-06&measure=arrived&gender=trans_woman&rows=country",
        ),
        ("funder report, one fund, by age band", "reports:funder", "?rows=age_band&fund={fund}"),
        ("public statistics page", "reports:statistics", ""),
        (
            "statistics release page of last year",
            "reports:statistics-download",
            f"?period={year - 1}&fmt=json",
        ),
    ):
        try:
            fund = Fund.objects.order_by("name").first()
            url = reverse(name) + query.replace("{fund}", str(fund.pk if fund else ""))
        except NoReverseMatch:
            print(f"  ({label}: {name} does not resolve yet)")
            continue
        found.append((label, url))
    return found


def measure(state: dict[str, Any]) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("passage.request").setLevel(logging.WARNING)
    lead = User.objects.filter(username="bench-lead").first()
    if lead is None:
        desk = Desk.objects.order_by("name").first()
        lead = make_staff("bench-lead", Role.CASEWORKER, desks=(desk,), lead_of=(desk,))
    client = sign_in_as(lead)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
        size, version = cursor.fetchone()
    print(
        f"{platform.node()}: {os.cpu_count()} cores, {version.split(',')[0]}; "
        f"{Case.objects.count()} cases, database {args.database} {size}; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load {os.getloadavg()[0]:.1f}"
    )
    results = {}
    for label, url in pages():
        for _ in range(3):
            response = client.get(url)
        if response.status_code != 200:
            print(f"  {label}: status {response.status_code}")
            continue
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - started)
        p50, p95 = pct(samples, 50), pct(samples, 95)
        verdict = "ok" if p95 < 300 else "MISSED"
        print(
            f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (n={len(samples)}); "
            f"target p95 < 300 ms: {verdict}"
        )
        results[label] = {"p50": round(p50, 1), "p95": round(p95, 1), "url": url}
    # Publishing a release (its first download) builds and suppresses every table.
    release = statistics.parse_period(str(timezone.now().year - 1))
    if release is not None:
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            statistics.build_release(release)
            samples.append(time.perf_counter() - started)
        label = "building (and suppressing) last year's statistics release"
        print(f"  {label}: p50 {pct(samples, 50):.1f} ms, max {max(samples) * 1000:.1f} ms (n=5)")
        results[label] = {"p50": round(pct(samples, 50), 1), "max": round(max(samples) * 1000, 1)}
    state["measured"] = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **results}
    save_state(state)


def main() -> None:
    state = load_state()
    seed(state)
    if not args.seed_only:
        measure(state)


if __name__ == "__main__":
    main()
