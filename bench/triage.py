"""Triage at scale: the queue, duplicate look-ups and a large case page over 1,000,000 cases.

On PostgreSQL only. The cases live in their own database (default ``passage_bench``, created
and seeded with ``passage seed`` on the first run, kept afterwards so later runs only measure)
with its keys in ``var/bench/`` (gitignored; without them the seeded data cannot be read).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passage_bench \\
        .venv/bin/python bench/triage.py [--cases 1000000] [--open 50000] [--workers 2] \\
        [--runs 200]

(Only the server part of DATABASE_URL is used: the database is ``--database``.)

Measured, in-process (server time: no network, no browser):

(a) the first page of the triage queue, GET of ``cases:queue`` through Django's test client
    with a signed-in staff session, and ``queries.queue_page`` with the page rendered to a list
    (the measure held to the target while that URL does not resolve), for a caseworker of one
    desk and one of all five desks; target p95 < 100 ms. The queue's queries are shown with
    EXPLAIN ANALYZE.
(b) the duplicate look-up by blind index, ``services.duplicates.matches_by_identifiers`` for a
    case whose phone and name + birth date match other cases (target p95 < 5 ms), and
    ``matches_for(case)``, which first loads and decrypts the case's people to get them.
(c) the person page of a case with at least 50 encrypted values (principal, household, contact
    channels), GET of ``cases:case-person``, and ``queries.people_of`` with every encrypted
    attribute read (held to the target while that URL does not resolve); target p95 < 15 ms,
    with the data-key cache warm and cleared before each request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
parser.add_argument("--cases", type=int, default=1_000_000)
parser.add_argument("--open", type=int, default=50_000)
parser.add_argument("--workers", type=int, default=2, help="seeding processes")
parser.add_argument("--database", default="passage_bench")
parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
parser.add_argument("--runs", type=int, default=200)
args = parser.parse_args()

if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
    sys.exit("--database takes a plain lower-case name")
server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
if not server.startswith("postgres"):
    sys.exit("bench/triage.py runs on PostgreSQL: set DATABASE_URL=postgres://...")
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
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from tests.personas import sign_in_as  # noqa: E402

from passage.accounts.models import Desk, Membership, RoleGrant, User  # noqa: E402
from passage.accounts.roles import Role  # noqa: E402
from passage.cases import queries  # noqa: E402
from passage.cases.models import Case, ContactChannel, Person  # noqa: E402
from passage.cases.services import duplicates, opening  # noqa: E402
from passage.cases.services.people import ChannelDetails, PersonDetails  # noqa: E402
from passage.cases.workflow import OPEN_STAGES  # noqa: E402
from passage.crypto import datakeys  # noqa: E402

STATE = DATA / "bench-state.json"
BIG_DESK = "North Caucasus and Russia"


def load_state() -> dict[str, Any]:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def save_state(state: dict[str, Any]) -> None:
    STATE.write_text(json.dumps(state, indent=2, default=str))


def stats(samples: list[float], cpu: list[float]) -> dict[str, float]:
    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    return {
        "p50": pct(samples, 50),
        "p95": pct(samples, 95),
        "max": max(samples) * 1000,
        "cpu50": pct(cpu, 50),
        "n": len(samples),
    }


def timed(fn: Callable[[], Any], runs: int, warmup: int = 10) -> dict[str, float]:
    """Wall-clock times of ``fn`` (and this process's CPU time, which other load on the
    machine disturbs less; the database server's share is not in it)."""
    for _ in range(warmup):
        fn()
    samples, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return stats(samples, cpu)


def line(label: str, result: dict[str, float], target_ms: float | None = None) -> str:
    text = (
        f"{label}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
        f"max {result['max']:.1f} ms, python cpu p50 {result['cpu50']:.1f} ms (n={result['n']:.0f})"
    )
    if target_ms is not None:
        verdict = "ok" if result["p95"] < target_ms else "MISSED"
        text += f"; target p95 < {target_ms:g} ms: {verdict}"
    return text


def url_or_none(name: str, *url_args: object) -> str | None:
    try:
        return reverse(name, args=url_args)
    except NoReverseMatch:
        return None


# --- Data -----------------------------------------------------------------------------------


def ensure_seeded(state: dict[str, Any]) -> None:
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    have_open = Case.objects.filter(stage__in=OPEN_STAGES).count()
    missing = args.cases - have
    if missing <= 0:
        print(f"database {args.database}: {have} cases ({have_open} open), already seeded")
        return
    open_missing = max(0, min(missing, args.open - have_open))
    print(f"seeding {missing} cases ({open_missing} open) with {args.workers} workers...")
    started = time.monotonic()
    call_command(
        "seed",
        cases=missing,
        open=str(open_missing),
        synthetic=True,
        workers=args.workers,
        seed=2026,
    )
    seconds = time.monotonic() - started
    connection.close()
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    vacuum = time.monotonic() - started
    state.setdefault("seeding", []).append(
        {
            "cases": missing,
            "open": open_missing,
            "workers": args.workers,
            "seconds": round(seconds, 1),
            "vacuum_analyze_seconds": round(vacuum, 1),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    )
    save_state(state)
    print(
        f"seeded in {seconds:.0f}s ({missing / seconds:.0f} cases/s); VACUUM ANALYZE {vacuum:.0f}s"
    )


def staff(username: str, desks: list[Desk]) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=Role.CASEWORKER)
    for desk in desks:
        Membership.objects.get_or_create(user=user, desk=desk)
    return user


def full_details(name: str, birth: dt.date, relationship: str = "") -> PersonDetails:
    return PersonDetails(
        chosen_name=name,
        pronouns="they/them",
        legal_name=f"{name} Ибрагимов",
        aliases=[f"{name.split()[0]}a", "Magomed"],
        birth_date=birth,
        age_years=None,
        nationality="RU",
        languages=["ru", "ce", "en"],
        gender_identity="non-binary",
        sexual_orientation="queer",
        relationship=relationship,
        current_location="Грозный, ул. Победы 12, кв. 5",
        health_needs="ВИЧ-терапия, запас на 2 недели",
        protection_needs="Семья ищет; не звонить после 21:00",
    )


def ensure_fixtures(state: dict[str, Any]) -> tuple[User, User, Case, Case]:
    desks = list(Desk.objects.order_by("name"))
    big_desk = Desk.objects.get(name=BIG_DESK)
    one = staff("bench-one-desk", [big_desk])
    every = staff("bench-all-desks", desks)

    dup = Case.objects.filter(pk=state.get("duplicate_case")).first()
    if dup is None:
        # A seeded principal of the big desk with a birth date and a phone number...
        for principal in (
            Person.objects.filter(
                is_principal=True, case__desk=big_desk, case__stage__in=OPEN_STAGES
            )
            .prefetch_related("channels")
            .order_by("created_at")[:500]
        ):
            # The channel kind is encrypted too: chosen after decryption.
            phones = [c for c in principal.channels.all() if c.value.startswith("+")]
            if principal.birth_date and principal.legal_name and phones:
                channel = phones[0]
                break
        else:
            raise SystemExit("no seeded principal with a birth date, legal name and phone")
        details = PersonDetails(
            chosen_name=principal.chosen_name,
            legal_name=principal.legal_name,
            birth_date=dt.date.fromisoformat(principal.birth_date),
        )
        # ...asks again, twice, the second time from the same phone number.
        for channels in ([], [ChannelDetails(kind="signal", value=channel.value)]):
            dup = opening.case_open(
                desk=big_desk, actor=one, person=details, channels=channels, country="RU"
            )
        state["duplicate_case"] = str(dup.pk)
        save_state(state)

    big = Case.objects.filter(pk=state.get("big_case")).first()
    if big is None:
        birth = dt.date(1994, 2, 3)
        big = opening.case_open(
            desk=big_desk,
            actor=one,
            person=full_details("Мурат Исаев", birth),
            channels=[
                ChannelDetails("signal", "+7 928 555-01-01", "только после 21:00"),
                ChannelDetails("telegram", "@murat_bench", "не писать имя"),
                ChannelDetails("phone", "+7 928 555-01-02", "сестра"),
            ],
            country="RU",
            region="Chechnya",
            household_size=3,
            narrative="Синтетический рассказ для бенчмарка.",
        )
        for name, relation in (("Лейла Исаева", "partner"), ("Адам Исаев", "child")):
            opening.household_member_add(
                case=big,
                details=full_details(name, birth, relation),
                channels=[ChannelDetails("whatsapp", f"+7 928 555-02-{len(name):02d}", "тихо")],
                actor=one,
            )
        state["big_case"] = str(big.pk)
        save_state(state)
    return one, every, dup, big


def encrypted_values(people: list[Person]) -> int:
    count = 0
    for person in people:
        for f in Person.encrypted_fields():
            count += getattr(person, f.attname) is not None
        for channel in person.channels.all():
            for f in ContactChannel.encrypted_fields():
                count += getattr(channel, f.attname) is not None
    return count


# --- Measurements ---------------------------------------------------------------------------


def explain(queries_run: list[dict[str, Any]], pattern: str = "cases_case") -> None:
    for query in queries_run:
        sql = query["sql"]
        if pattern not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"    EXPLAIN ANALYZE of: {sql[:150]}...")
        for row in plan:
            print(f"      {row}")


def measure_queue(one: User, every: User) -> None:
    url = url_or_none("cases:queue")
    print("(a) triage queue, first page")
    for label, viewer in (("one desk", one), ("all five desks", every)):

        def page(viewer: User = viewer) -> None:
            rows = list(queries.queue_page(viewer, queries.QueueFilters()).object_list)
            assert len(rows) == queries.QUEUE_PAGE

        visible = queries.queue_page(viewer, queries.QueueFilters()).paginator.count
        print(f"  {label}: {visible} open cases visible")
        if url:
            client = sign_in_as(viewer)

            def get(client: Any = client) -> None:
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            print("    " + line(f"GET {url}", timed(get, args.runs), 100))
            with CaptureQueriesContext(connection) as captured:
                get()
            print(f"      {len(captured.captured_queries)} queries per request")
        else:
            print("    (the URL cases:queue does not resolve yet: queries only)")
        target = None if url else 100
        print("    " + line("queries.queue_page, page as a list", timed(page, args.runs), target))
        with CaptureQueriesContext(connection) as captured:
            page()
        explain(captured.captured_queries)


def measure_duplicates(dup: Case) -> None:
    handles, identities = duplicates.identifiers_of(dup)
    found = duplicates.matches_by_identifiers(dup.pk, handles, identities)
    assert found == duplicates.matches_for(dup)
    print(
        f"(b) duplicate look-up: {len(handles)} handle(s), {len(identities)} person(s) with a "
        f"birth date; {len(found)} matching cases ({sorted(map(sorted, found.values()))})"
    )

    def lookup() -> None:
        duplicates.matches_by_identifiers(dup.pk, handles, identities)

    print(
        "  " + line("duplicates.matches_by_identifiers (blind index)", timed(lookup, args.runs), 5)
    )
    with CaptureQueriesContext(connection) as captured:
        lookup()
    for query in captured.captured_queries:
        sql = query["sql"]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS q")  # noqa: S608 -- our own query
            (rows,) = cursor.fetchone()
        print(f"      {float(query['time']) * 1000:6.1f} ms, {rows:6d} rows: {sql[:110]}...")
    print(
        "  "
        + line(
            "duplicates.matches_for (loads and decrypts the case's people first)",
            timed(lambda: duplicates.matches_for(dup), args.runs),
        )
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT scope, count(*) FROM crypto_blindindex GROUP BY scope ORDER BY 1")
        print(f"    blind-index rows by scope: {dict(cursor.fetchall())}")


def measure_case_page(one: User, big: Case) -> None:
    values = encrypted_values(queries.people_of(big))
    assert values >= 50, values
    url = url_or_none("cases:case-person", big.pk)
    print(f"(c) a case's people with {values} encrypted values")

    def decrypt() -> None:
        assert encrypted_values(queries.people_of(big)) == values

    probes: list[tuple[str, Callable[[], None], float | None]] = []
    if url:
        client = sign_in_as(one)

        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        probes.append((f"GET {url}", get, 15))
    else:
        print("    (the URL cases:case-person does not resolve yet: queries only)")
    probes.append(
        ("queries.people_of, every encrypted attribute read", decrypt, None if url else 15)
    )
    for label, probe, target in probes:
        print("    " + line(f"{label}, key cache warm", timed(probe, args.runs), target))

        def cold(probe: Callable[[], None] = probe) -> None:
            datakeys.cache.clear()
            probe()

        print(
            "    " + line(f"{label}, key cache cleared each time", timed(cold, args.runs), target)
        )
        with CaptureQueriesContext(connection) as captured:
            probe()
        print(f"      {len(captured.captured_queries)} queries")


def main() -> None:
    state = load_state()
    ensure_seeded(state)
    # The test client's host. (Not setup_test_environment(): it instruments template rendering
    # for the test client, which would add its cost to every page measured.)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("passage.request").setLevel(logging.WARNING)  # one log line per request
    one, every, dup, big = ensure_fixtures(state)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
        size, version = cursor.fetchone()
    print(
        f"{platform.node()}: {os.cpu_count()} cores, {version.split(',')[0]}; "
        f"{Case.objects.count()} cases, database {args.database} {size}; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load {os.getloadavg()[0]:.1f}"
    )
    for run in state.get("seeding", []):
        print(f"seeding recorded: {run}")
    measure_queue(one, every)
    measure_duplicates(dup)
    measure_case_page(one, big)


if __name__ == "__main__":
    main()
