"""``passage seed``: synthetic cases written through the crypto bulk path, in audited chunks.

Checked on the real database: counts and stages, references from the yearly counter, one
principal per case, values that decrypt, blind lookups that find them, no plaintext in the
columns, and an audit chain that still verifies.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from passage.accounts.models import Desk
from passage.audit.models import AuditEntry
from passage.audit.verify import verify_log
from passage.cases import priority
from passage.cases.management.commands import seed
from passage.cases.models import (
    Campaign,
    Case,
    CaseEvent,
    ContactChannel,
    Person,
    ReferenceCounter,
)
from passage.cases.services import opening
from passage.cases.workflow import ENDED, MAIN_LINE, OPEN_STAGES
from passage.crypto import blind, datakeys
from passage.crypto.models import BlindIndex, DataKey
from tests.conftest import ScratchInstall

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"PSG-(\d{4})-(\d{6,})")


def _seed(cases: int, **options: object) -> None:
    call_command("seed", cases=cases, synthetic=True, no_progress=True, seed=7, **options)


def _raw(table: str, column: str, row_id: uuid.UUID) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608 -- test-owned names
            [row_id.hex if connection.vendor == "sqlite" else row_id],
        )
        (value,) = cursor.fetchone()
    return bytes(value)


def test_refuses_without_the_synthetic_flag() -> None:
    with pytest.raises(CommandError, match="--synthetic"):
        call_command("seed", cases=10, no_progress=True)
    assert not Case.objects.exists()
    assert not Desk.objects.exists()
    assert not AuditEntry.objects.exists()


def test_refuses_more_open_cases_than_cases() -> None:
    with pytest.raises(CommandError, match="--open"):
        _seed(10, open="11")
    with pytest.raises(CommandError, match="--open"):
        _seed(10, open="lots")


def test_workers_are_checked_and_parallel_ones_need_postgresql() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        _seed(10, workers=0)
    if connection.vendor != "postgresql":  # on PostgreSQL they run (the scratch test below)
        with pytest.raises(CommandError, match="PostgreSQL"):
            _seed(10, workers=2)
    assert not Case.objects.exists()


def test_seeds_cases_with_their_people_stages_and_references() -> None:
    _seed(120, open="10", chunk=50)
    cases = list(Case.objects.all())
    assert len(cases) == 120
    stages = Counter(c.stage for c in cases)
    assert sum(n for s, n in stages.items() if s in OPEN_STAGES) == 10
    assert all(s in MAIN_LINE[:-1] or s in ENDED for s in stages)
    assert {c.desk.name for c in cases} <= {p.desk for p in seed.PROFILES}
    assert Campaign.objects.count() == len(seed.CAMPAIGNS)
    for case in cases:
        if case.is_open:
            assert case.closed_at is None and case.outcome == ""
        else:
            assert case.closed_at is not None and case.outcome
    # References: unique, of the opening year, and the counter knows the last one.
    numbers: dict[int, list[int]] = {}
    for case in cases:
        match = REFERENCE.fullmatch(case.reference)
        assert match, case.reference
        assert int(match[1]) == case.opened_at.year
        numbers.setdefault(int(match[1]), []).append(int(match[2]))
    for year, used in numbers.items():
        assert sorted(used) == list(range(1, len(used) + 1))
        assert ReferenceCounter.objects.get(year=year).last == len(used)
    # One principal per case; the household size counts everyone recorded.
    people = Counter(Person.objects.values_list("case_id", flat=True))
    principals = Counter(Person.objects.filter(is_principal=True).values_list("case_id", flat=True))
    assert set(principals.values()) == {1} and len(principals) == 120
    assert all(people[c.pk] == c.household_size for c in cases)
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.OPENED).count() == 120
    # Every case owns exactly one data key.
    assert sorted(DataKey.objects.values_list("owner_id", flat=True)) == sorted(c.pk for c in cases)


def test_priorities_are_the_scores_of_the_triage_factors() -> None:
    _seed(60, open="30")
    desk_boost = {
        d.pk: getattr(getattr(d, "priority", None), "boost", 0) for d in Desk.objects.all()
    }
    datakeys.cache.clear()
    for case in Case.objects.select_related("campaign"):
        factors = case.triage_factors
        assert set(factors) <= priority.FACTOR_CODES
        assert case.priority_base == priority.base_points(factors)
        moment = case.priority_computed_at
        today = timezone.localdate(moment)
        boosts = desk_boost[case.desk_id]
        if case.campaign and case.campaign.runs_on(today):
            boosts += case.campaign.priority_boost
        expected = priority.score(
            base=case.priority_base, opened_at=case.opened_at, now=moment, boosts=boosts
        )
        assert case.priority_score == expected
        assert case.priority_level == priority.level_for(expected)
        if case.urgency == Case.Urgency.IMMEDIATE:
            assert factors.get("immediate_danger")


def test_values_decrypt_and_blind_lookups_find_them() -> None:
    _seed(80, chunk=40)
    datakeys.cache.clear()
    principals = list(Person.objects.filter(is_principal=True).select_related("case"))
    datakeys.preload(principals)
    for person in principals:
        assert isinstance(person.chosen_name, str) and person.chosen_name
        assert person.languages and all(isinstance(code, str) for code in person.languages)
        found = {m.row_id for m in blind.lookup("name", person.chosen_name)}
        assert person.pk in found
        if person.birth_date:
            assert person.pk in {m.row_id for m in blind.lookup("date", person.birth_date)}
        raw = _raw("cases_person", "chosen_name", person.pk)
        assert person.chosen_name.encode() not in raw
    assert sum(1 for c in Case.objects.all() if c.narrative) > 0
    channels = list(ContactChannel.objects.select_related("person"))
    assert channels
    for channel in channels:
        assert channel.kind in ContactChannel.Kind.values
        matches = blind.lookup("handle", channel.value, row_types=["cases.contactchannel"])
        assert (channel.pk, channel.person.case_id) in {(m.row_id, m.owner_id) for m in matches}
        assert channel.value.encode() not in _raw("cases_contactchannel", "value", channel.pk)
    assert not BlindIndex.objects.filter(owner_id__in=[]).exists()
    assert set(BlindIndex.objects.values_list("row_type", flat=True)) == {
        "cases.person",
        "cases.contactchannel",
    }


def test_one_audit_entry_per_chunk_and_the_chain_verifies() -> None:
    _seed(90, chunk=40)
    seeded = AuditEntry.objects.filter(action="case.seeded")
    assert seeded.count() == 3  # 40 + 40 + 10
    assert set(seeded.values_list("object_type", "actor")) == {("job", "cli")}
    report = verify_log()
    assert report.ok, report.problem
    assert report.count == AuditEntry.objects.count()


def test_seeding_again_continues_the_references() -> None:
    _seed(30, chunk=30)
    call_command("seed", cases=30, synthetic=True, no_progress=True, seed=8)
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 60
    # A case opened the usual way afterwards gets the next free reference of its year.
    year = timezone.now().year
    assert opening.reference_next(year=year) not in references
    assert Desk.objects.count() == len(seed.PROFILES)


def test_open_share_and_plan() -> None:
    assert seed.parse_open("5%", 1_000_000) == 50_000
    assert seed.parse_open("50000", 1_000_000) == 50_000
    jobs = seed.plan(1_000_000, 50_000, 10_000)
    assert len(jobs) == 100
    assert sum(j[1] for j in jobs) == 1_000_000 and sum(j[2] for j in jobs) == 50_000
    jobs = seed.plan(25, 3, 10)
    assert [j[1] for j in jobs] == [10, 10, 5] and sum(j[2] for j in jobs) == 3


def test_the_command_in_parallel_workers_and_audit_verify(scratch_install: ScratchInstall) -> None:
    """The real ``passage seed`` in its own installation, then ``passage audit verify``."""
    refused = scratch_install.run("seed", "--cases", "5", check=False)
    assert refused.returncode != 0 and "--synthetic" in refused.stderr
    workers = "2" if scratch_install.is_postgres else "1"
    scratch_install.run(
        "seed", "--cases", "45", "--open", "5", "--chunk", "10", "--workers", workers,
        "--synthetic", "--no-progress", timeout=300,
    )  # fmt: skip
    counted = scratch_install.python(
        "from passage.cases.models import Case\n"
        "from passage.cases.workflow import OPEN_STAGES\n"
        "print(Case.objects.count(), Case.objects.filter(stage__in=OPEN_STAGES).count(),"
        " len(set(Case.objects.values_list('reference', flat=True))))"
    )
    assert counted.stdout.strip().splitlines()[-1].split() == ["45", "5", "45"]
    verified = scratch_install.run("audit", "verify")
    assert "Audit log intact" in verified.stdout  # exit status 0 already checked by run()
