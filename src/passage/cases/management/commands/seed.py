"""``passage seed --cases N --synthetic``: fill a database with realistic synthetic cases.

For demonstrations, load tests and benchmarks only: every name, date, number and story is made
up by Faker (ru_RU, ar_AA, fa_IR, fr_FR, es_ES: names in their own scripts). It refuses to run
without ``--synthetic``, so nobody fills a production database by mistake.

What a seeded case looks like: one of five desks (created if missing, each with its countries,
coarse regions and language), the crisis campaigns that cover its country and opening date
(created if missing), a reference ``PSG-<year>-NNNNNN`` from the yearly counter, a stage
(``--open`` of them open, spread over new..settlement; the rest closed, declined or referred
out), triage factors (encrypted) and the score and level ``cases.priority`` gives them, a
narrative for most, one principal person with a few encrypted fields (names blind-indexed),
a contact channel for most, household members for some, and its timeline (opened, and the
stage it is in). A small share repeats the person of an earlier case, as a person who asks
twice does (no duplicate flags are raised for them: the seed does not run the duplicate check).

Speed: cases are written in chunks (``--chunk``), each chunk one transaction with one audit
entry (``case.seeded``, object type ``job``), through the crypto package's bulk path: data keys
made and wrapped in bulk (``datakeys.bulk_keys``), rows written as ``bulk_create`` would, with
every field's ``pre_save`` encrypting (``bulkinsert.create``: ``COPY`` on PostgreSQL), and
blind-index rows in bulk (``blind.index_bulk_created``). References are reserved per chunk in a
short transaction of their own. ``--workers`` runs chunks in parallel processes (PostgreSQL
only). Priorities are computed as ``services.common.apply_priority`` does, with the desk
boosts read once instead of once per case.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from passage.accounts.models import Desk
from passage.audit import services as audit
from passage.cases import priority
from passage.cases.models import (
    REFERENCE_PREFIX,
    Campaign,
    Case,
    CaseEvent,
    ContactChannel,
    DeskPriority,
    Person,
    ReferenceCounter,
)
from passage.cases.workflow import MAIN_LINE, Stage
from passage.crypto import blind, bulkinsert, datakeys

ACTOR = "cli"
AUDIT_OBJECT = "cases.seed"

# --- Where the synthetic people come from ------------------------------------------------


@dataclass(frozen=True)
class Country:
    code: str
    regions: tuple[str, ...]
    phones: tuple[str, ...]  # patterns, "#" is a random digit
    weight: float = 1.0


@dataclass(frozen=True)
class Profile:
    desk: str
    locale: str
    language: str
    weight: float
    countries: tuple[Country, ...]


PROFILES: tuple[Profile, ...] = (
    Profile(
        "North Caucasus and Russia",
        "ru_RU",
        "ru",
        0.30,
        (
            Country(
                "RU",
                (
                    "Chechnya",
                    "Dagestan",
                    "Ingushetia",
                    "Moscow",
                    "Saint Petersburg",
                    "Volga",
                    "Urals",
                    "Siberia",
                ),
                ("+7 9## ###-##-##", "8 9## ### ## ##"),
            ),
        ),
    ),
    Profile(
        "Middle East and North Africa",
        "ar_AA",
        "ar",
        0.22,
        (
            Country(
                "EG",
                ("Cairo", "Alexandria", "Nile Delta", "Upper Egypt"),
                ("+20 10# ### ####", "+20 11# ### ####", "+20 12# ### ####"),
                2,
            ),
            Country(
                "IQ", ("Baghdad", "Basra", "Kurdistan Region", "Nineveh"), ("+964 7## ### ####",)
            ),
            Country("LB", ("Beirut", "Mount Lebanon", "North Lebanon"), ("+961 7# ### ###",), 0.6),
            Country("JO", ("Amman", "Irbid", "Zarqa"), ("+962 7# ### ####",), 0.6),
            Country("SY", ("Damascus", "Aleppo", "Homs"), ("+963 9## ### ###",), 0.8),
        ),
    ),
    Profile(
        "Iran and Afghanistan",
        "fa_IR",
        "fa",
        0.20,
        (
            Country(
                "IR",
                ("Tehran", "Isfahan", "Khuzestan", "Kurdistan Province", "Razavi Khorasan"),
                ("+98 9## ### ####", "09## ### ####"),
                1.5,
            ),
            Country("AF", ("Kabul", "Herat", "Balkh", "Kandahar"), ("+93 7# ### ####",)),
        ),
    ),
    Profile(
        "West and Central Africa",
        "fr_FR",
        "fr",
        0.14,
        (
            Country("CM", ("Centre", "Littoral", "West"), ("+237 6## ## ## ##",), 1.5),
            Country("SN", ("Dakar", "Thiès"), ("+221 7# ### ## ##",)),
            Country("CI", ("Abidjan", "Bouaké"), ("+225 07 ## ## ## ##",)),
            Country("CD", ("Kinshasa", "North Kivu"), ("+243 8## ### ###",)),
        ),
    ),
    Profile(
        "Central America and Venezuela",
        "es_ES",
        "es",
        0.14,
        (
            Country("HN", ("Francisco Morazán", "Cortés"), ("+504 9###-####",)),
            Country("GT", ("Guatemala", "Quetzaltenango"), ("+502 5### ####",)),
            Country("SV", ("San Salvador", "La Libertad"), ("+503 7### ####",)),
            Country("VE", ("Caracas", "Zulia", "Carabobo"), ("+58 41# ### ####",)),
        ),
    ),
)


@dataclass(frozen=True)
class CampaignSpec:
    name: str
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    starts_on: dt.date
    ends_on: dt.date | None
    boost: int


CAMPAIGNS: tuple[CampaignSpec, ...] = (
    CampaignSpec(
        "North Caucasus 2017",
        ("RU",),
        ("Chechnya",),
        dt.date(2017, 4, 1),
        dt.date(2017, 12, 31),
        15,
    ),
    CampaignSpec("Afghanistan 2021", ("AF",), (), dt.date(2021, 8, 15), dt.date(2022, 8, 31), 15),
    CampaignSpec("Iran 2022", ("IR",), (), dt.date(2022, 9, 16), dt.date(2023, 9, 30), 10),
    CampaignSpec("Russia 2024", ("RU",), (), dt.date(2023, 12, 1), None, 5),
)
DESK_BOOSTS = {"North Caucasus and Russia": 5}

# Open cases: new..settlement, most of them early in the pipeline.
OPEN_WEIGHTS: tuple[tuple[Stage, float], ...] = (
    (Stage.NEW, 20),
    (Stage.SCREENING, 15),
    (Stage.VERIFICATION, 15),
    (Stage.ASSESSMENT, 12),
    (Stage.APPROVED, 6),
    (Stage.PLANNING, 10),
    (Stage.IN_TRANSIT, 4),
    (Stage.ARRIVED, 6),
    (Stage.SETTLEMENT, 12),
)
ENDED_WEIGHTS: tuple[tuple[Stage, float], ...] = (
    (Stage.CLOSED, 55),
    (Stage.DECLINED, 25),
    (Stage.REFERRED_OUT, 20),
)
CLOSED_OUTCOMES: tuple[tuple[str, float], ...] = (
    (Case.Outcome.RELOCATED, 45),
    (Case.Outcome.SETTLED, 25),
    (Case.Outcome.SAFE_LOCALLY, 10),
    (Case.Outcome.WITHDREW, 8),
    (Case.Outcome.LOST, 8),
    (Case.Outcome.OTHER, 4),
)
URGENCY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (Case.Urgency.IMMEDIATE, 6),
    (Case.Urgency.DAYS, 24),
    (Case.Urgency.WEEKS, 40),
    (Case.Urgency.UNKNOWN, 25),
)
FACTOR_ODDS = {
    "immediate_danger": 0.04,
    "detained_or_tortured": 0.07,
    "sought_by_authorities": 0.07,
    "outed_or_family_threat": 0.30,
    "health_needs": 0.15,
    "no_valid_passport": 0.25,
}
IDENTITIES: tuple[tuple[str, str, str, float], ...] = (
    # (gender identity, pronouns, legal sex of the documents, weight)
    ("gay man", "he/him", "m", 30),
    ("lesbian woman", "she/her", "f", 18),
    ("bisexual woman", "she/her", "f", 8),
    ("bisexual man", "he/him", "m", 6),
    ("trans woman", "she/her", "m", 16),
    ("trans man", "he/him", "f", 8),
    ("non-binary", "they/them", "m", 3),
    ("non-binary", "they/them", "f", 3),
)
ORIENTATIONS = ("gay", "lesbian", "bisexual", "queer", "")
CHANNEL_WEIGHTS: tuple[tuple[str, float], ...] = (
    (ContactChannel.Kind.SIGNAL, 35),
    (ContactChannel.Kind.WHATSAPP, 30),
    (ContactChannel.Kind.TELEGRAM, 25),
    (ContactChannel.Kind.PHONE, 10),
)
RELATIONS: tuple[tuple[str, float], ...] = (
    ("partner", 50),
    ("child", 30),
    ("sibling", 12),
    ("parent", 8),
)
REPEAT_SHARE = 0.005  # people who ask twice
POOL = 400  # names drawn per list and locale


@dataclass
class Names:
    """Name pools of one locale, drawn once from Faker."""

    male: list[str]
    female: list[str]
    last_male: list[str]
    last_female: list[str]
    middle_male: list[str]
    middle_female: list[str]
    stories: list[str]
    notes: list[str]


def _draw(make: Any, n: int) -> list[str]:
    return sorted({str(make()) for _ in range(n)})


def _names(locale: str, seed: int) -> Names:
    try:
        from faker import Faker
    except ImportError:  # Faker is a development dependency
        raise CommandError(
            "passage seed needs Faker: pip install -r requirements/dev.txt"
        ) from None
    fake = Faker(locale)
    fake.seed_instance(seed)
    last_male = getattr(fake, "last_name_male", fake.last_name)
    last_female = getattr(fake, "last_name_female", fake.last_name)
    middle_male = getattr(fake, "middle_name_male", None)
    middle_female = getattr(fake, "middle_name_female", None)
    return Names(
        male=_draw(fake.first_name_male, POOL),
        female=_draw(fake.first_name_female, POOL),
        last_male=_draw(last_male, POOL),
        last_female=_draw(last_female, POOL),
        middle_male=_draw(middle_male, POOL) if middle_male else [],
        middle_female=_draw(middle_female, POOL) if middle_female else [],
        stories=[fake.paragraph(nb_sentences=6) for _ in range(POOL)],
        notes=[fake.sentence(nb_words=6) for _ in range(50)],
    )


# --- Generating one chunk ------------------------------------------------------------------


@dataclass
class Setup:
    """What every chunk needs: desks, campaigns, boosts, the time window and the name pools."""

    now: dt.datetime
    start: dt.datetime
    desks: dict[str, Desk]
    campaigns: list[Campaign]
    desk_boosts: dict[uuid.UUID, int]
    names: dict[str, Names]
    seed: int


@dataclass
class Chunk:
    cases: list[Case] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    channels: list[ContactChannel] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    opened: int = 0


def _pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _fill(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randrange(10)) if c == "#" else c for c in pattern)


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    span = max(0.0, (end - start).total_seconds())
    return start + dt.timedelta(seconds=rng.random() * span)


class _Maker:
    def __init__(self, setup: Setup, index: int) -> None:
        self.setup = setup
        self.rng = random.Random(setup.seed * 1_000_003 + index)  # noqa: S311 -- synthetic data
        self.profiles = PROFILES
        self.profile_weights = [p.weight for p in PROFILES]
        self.repeats: list[tuple[Profile, Country, dict[str, Any], str, str | None]] = []

    # A person

    def _person_fields(
        self, profile: Profile, *, adult: bool, family: str | None
    ) -> tuple[dict[str, Any], str]:
        """One person's details, and their family name (the masculine form in Russian)."""
        rng, names = self.rng, self.setup.names[profile.locale]
        identity, pronouns, legal_sex, _ = rng.choices(IDENTITIES, [i[3] for i in IDENTITIES])[0]
        if not adult:
            legal_sex = rng.choice("mf")
            identity, pronouns = "", ""
        first = rng.choice(names.male if legal_sex == "m" else names.female)
        family = family or rng.choice(names.last_male)
        last = _family_form(profile.locale, family, legal_sex)
        parts = [last, first] if profile.locale == "ru_RU" else [first, last]
        middle = names.middle_male if legal_sex == "m" else names.middle_female
        if middle:
            parts.append(rng.choice(middle))
        chosen, chosen_sex = first, legal_sex
        if identity.startswith("trans") or (identity == "non-binary" and rng.random() < 0.5):
            chosen_sex = "f" if legal_sex == "m" else "m"
            chosen = rng.choice(names.female if chosen_sex == "f" else names.male)
        if rng.random() < 0.4:
            chosen = f"{chosen} {_family_form(profile.locale, family, chosen_sex)}"
        years = rng.randint(17, 55) if adult else rng.randint(0, 16)
        birth = self.setup.now.date() - dt.timedelta(days=years * 365 + rng.randrange(365))
        values: dict[str, Any] = {"chosen_name": chosen, "languages": [profile.language]}
        if rng.random() < 0.8:
            values["legal_name"] = " ".join(parts)
        if rng.random() < 0.85:
            values["birth_date"] = birth.isoformat()
        elif rng.random() < 0.5:
            values["age_years"] = years
        if pronouns and rng.random() < 0.7:
            values["pronouns"] = pronouns
        if identity and rng.random() < 0.6:
            values["gender_identity"] = identity
        orientation = rng.choice(ORIENTATIONS)
        if adult and orientation and rng.random() < 0.4:
            values["sexual_orientation"] = orientation
        if rng.random() < 0.2:
            values["languages"] = [profile.language, "en"]
        return values, family

    def _channel_value(self, kind: str, country: Country, chosen_name: str) -> str:
        rng = self.rng
        if kind == ContactChannel.Kind.TELEGRAM and rng.random() < 0.5:
            stem = "".join(c for c in anyascii(chosen_name.split()[0]).lower() if c.isalnum())
            return f"@{stem or 'user'}_{rng.randrange(10, 99999)}"
        return _fill(rng, rng.choice(country.phones))

    # A case

    def _opened_at(self, country: Country, region: str, is_open: bool) -> dt.datetime:
        rng, setup = self.rng, self.setup
        if is_open:  # waiting a few weeks to a couple of years
            back = min(rng.expovariate(1 / 90), (setup.now - setup.start).days)
            return setup.now - dt.timedelta(days=back, seconds=rng.randrange(86_400))
        surge = [
            c
            for c in setup.campaigns
            if c.covers(country=country.code, region=region) and rng.random() < 0.35
        ]
        end = setup.now - dt.timedelta(days=30)
        if surge:
            campaign = surge[0]
            lo = max(setup.start, _midnight(campaign.starts_on))
            hi = min(end, _midnight(campaign.ends_on) if campaign.ends_on else end)
            if lo < hi:
                return _between(rng, lo, hi)
        return _between(rng, setup.start, end)

    def _campaign(self, country: str, region: str, day: dt.date) -> Campaign | None:
        """As ``services.opening.campaign_for``: the running campaign with the highest boost."""
        running = [
            c
            for c in self.setup.campaigns
            if c.runs_on(day) and c.covers(country=country, region=region)
        ]
        return max(running, key=lambda c: c.priority_boost, default=None)

    def _priority(self, case: Case, factors: dict[str, bool], moment: dt.datetime) -> None:
        """As ``services.common.apply_priority``, with the desk boosts read once."""
        base = priority.base_points(factors)
        campaign = case.campaign
        today = timezone.localdate(moment)
        boost = int(campaign.priority_boost) if campaign and campaign.runs_on(today) else 0
        boosts = boost + self.setup.desk_boosts.get(case.desk_id, 0)
        score = priority.score(base=base, opened_at=case.opened_at, now=moment, boosts=boosts)
        case.priority_base = base
        case.priority_score = score
        case.priority_level = priority.level_for(score)
        case.priority_computed_at = moment

    def case(self, chunk: Chunk, *, is_open: bool) -> None:
        rng, setup = self.rng, self.setup
        repeat = self.repeats and rng.random() < REPEAT_SHARE
        if repeat:
            profile, country, principal_values, family, phone = rng.choice(self.repeats)
        else:
            profile = rng.choices(self.profiles, self.profile_weights)[0]
            country = rng.choices(profile.countries, [c.weight for c in profile.countries])[0]
            principal_values, family = self._person_fields(profile, adult=True, family=None)
            phone = None
        region = rng.choice(country.regions)
        opened_at = self._opened_at(country, region, is_open)
        desk = setup.desks[profile.desk]
        stage = _pick(rng, OPEN_WEIGHTS if is_open else ENDED_WEIGHTS)
        urgency = _pick(rng, URGENCY_WEIGHTS)
        factors = {code for code, odds in FACTOR_ODDS.items() if rng.random() < odds}
        if urgency == Case.Urgency.IMMEDIATE:
            factors.add("immediate_danger")
        members = 0
        if rng.random() < 0.15:
            members = rng.choices((1, 2, 3), (60, 30, 10))[0]
        relations = [_pick(rng, RELATIONS) for _ in range(members)]
        if "child" in relations:
            factors.add("dependants")
        case = Case(
            desk=desk,
            source=Case.Source.INTAKE if rng.random() < 0.8 else Case.Source.STAFF,
            stage=stage,
            opened_at=opened_at,
            urgency=urgency,
            reply_language=profile.language if rng.random() < 0.9 else "en",
            country=country.code,
            region=region,
            household_size=1 + members,
            narrative=rng.choice(setup.names[profile.locale].stories)
            if rng.random() < 0.7
            else None,
            triage_factors=dict.fromkeys(sorted(factors), True),
        )
        case.campaign = self._campaign(country.code, region, timezone.localdate(opened_at))
        self._stage_facts(case, stage, is_open)
        self._priority(case, case.triage_factors, setup.now if is_open else opened_at)
        chunk.cases.append(case)
        chunk.opened += is_open
        chunk.events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.OPENED,
                to_stage=Stage.NEW,
                detail=case.source,
                at=opened_at,
            )
        )
        if stage != Stage.NEW:
            chunk.events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.STAGE,
                    from_stage=self._from_stage(stage),
                    to_stage=stage,
                    detail=case.outcome,
                    at=case.stage_entered_at,
                )
            )
        principal = Person(case=case, is_principal=True, position=0, created_at=opened_at)
        for name, value in principal_values.items():
            setattr(principal, name, value)
        if rng.random() < 0.6:
            principal.nationality = country.code
        chunk.people.append(principal)
        if phone is not None or rng.random() < 0.75:
            for i in range(1 if rng.random() < 0.8 else 2):
                kind = _pick(rng, CHANNEL_WEIGHTS)
                value = phone if (phone and i == 0) else None
                value = value or self._channel_value(kind, country, principal_values["chosen_name"])
                phone = phone or value
                chunk.channels.append(
                    ContactChannel(
                        person=principal,
                        created_at=opened_at,
                        kind=kind,
                        value=value,
                        note=rng.choice(setup.names[profile.locale].notes)
                        if rng.random() < 0.1
                        else None,
                    )
                )
        for position, relation in enumerate(relations, start=1):
            values, _ = self._person_fields(
                profile,
                adult=relation != "child",
                family=family if relation != "partner" else None,
            )
            member = Person(case=case, position=position, created_at=opened_at)
            for name, value in values.items():
                setattr(member, name, value)
            member.relationship = relation
            chunk.people.append(member)
        if not repeat and len(self.repeats) < 2000:
            self.repeats.append((profile, country, principal_values, family, phone))

    def _from_stage(self, stage: Stage) -> str:
        index = MAIN_LINE.index(stage) if stage in MAIN_LINE else -1
        if index > 0:
            return MAIN_LINE[index - 1]
        return self.rng.choice((Stage.SCREENING, Stage.VERIFICATION, Stage.ASSESSMENT))

    def _stage_facts(self, case: Case, stage: Stage, is_open: bool) -> None:
        rng, now = self.rng, self.setup.now
        opened = case.opened_at
        if is_open:
            if stage == Stage.NEW:
                case.stage_entered_at = opened
            else:
                case.stage_entered_at = _between(rng, opened, now)
            case.last_contact_at = _between(rng, max(opened, now - dt.timedelta(days=30)), now)
            case.next_contact_due = case.last_contact_at + dt.timedelta(days=rng.choice((7, 14)))
            if stage in {Stage.APPROVED, Stage.PLANNING, Stage.IN_TRANSIT}:
                case.next_deadline = now + dt.timedelta(days=rng.randint(-5, 60))
            if MAIN_LINE.index(stage) >= MAIN_LINE.index(Stage.APPROVED):
                case.verification_outcome = Case.Verification.VERIFIED
            return
        if stage == Stage.CLOSED:
            duration = rng.randint(60, 600)
            case.outcome = _pick(rng, CLOSED_OUTCOMES)
            if case.outcome in {Case.Outcome.RELOCATED, Case.Outcome.SETTLED}:
                case.verification_outcome = Case.Verification.VERIFIED
        elif stage == Stage.DECLINED:
            duration = rng.randint(3, 60)
            case.outcome = Case.Outcome.DECLINED
            case.verification_outcome = (
                Case.Verification.SUSPECTED_HOSTILE
                if rng.random() < 0.1
                else Case.Verification.NOT_VERIFIED
            )
        else:
            duration = rng.randint(5, 90)
            case.outcome = Case.Outcome.REFERRED
        closed = min(now, opened + dt.timedelta(days=duration, seconds=rng.randrange(86_400)))
        case.stage_entered_at = closed
        case.closed_at = closed
        case.last_contact_at = closed


def _family_form(locale: str, family: str, sex: str) -> str:
    """A family name as a woman carries it: Russian ones agree (Крылов -> Крылова)."""
    if locale != "ru_RU" or sex != "f":
        return family
    if family.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return family + "\u0430"  # Cyrillic a
    if family.endswith(("ий", "ой")):
        return family[:-2] + "ая"
    return family


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


# --- Writing ---------------------------------------------------------------------------------


def _reserve_references(cases: list[Case]) -> None:
    """Give the chunk's cases the next references of their opening years (in opening order).

    Taken in a short transaction of its own, so parallel chunks do not wait on the counter for
    the length of their writes; a chunk that fails later leaves a gap, never a repeat.
    """
    by_year: dict[int, list[Case]] = {}
    for case in sorted(cases, key=lambda c: c.opened_at):
        by_year.setdefault(case.opened_at.year, []).append(case)
    with transaction.atomic():
        for year, those in sorted(by_year.items()):
            ReferenceCounter.objects.get_or_create(year=year)
            counter = ReferenceCounter.objects.select_for_update().get(year=year)
            first = counter.last + 1
            ReferenceCounter.objects.filter(year=year).update(last=F("last") + len(those))
            for number, case in enumerate(those, start=first):
                case.reference = f"{REFERENCE_PREFIX}-{year}-{number:06d}"


def write_chunk(setup: Setup, index: int, total: int, open_count: int) -> tuple[int, int]:
    """Generate and write one chunk of ``total`` cases (``open_count`` of them open)."""
    maker = _Maker(setup, index)
    chunk = Chunk()
    open_at = set(maker.rng.sample(range(total), open_count))
    for i in range(total):
        maker.case(chunk, is_open=i in open_at)
    _reserve_references(chunk.cases)
    with audit.atomic(), datakeys.bulk_keys(chunk.cases):
        for rows in (chunk.cases, chunk.people, chunk.channels, chunk.events):
            bulkinsert.create(rows)  # bulk_create, through COPY on PostgreSQL
        blind.index_bulk_created([*chunk.people, *chunk.channels], batch_size=10_000)
        audit.record(actor=ACTOR, action="case.seeded", object_type="job", object_id=AUDIT_OBJECT)
    return total, chunk.opened


_worker_setup: Setup | None = None


def _worker_init(setup: Setup) -> None:
    global _worker_setup
    _worker_setup = setup
    connections.close_all()  # never share the parent's connection


def _worker_chunk(job: tuple[int, int, int]) -> tuple[int, int]:
    if _worker_setup is None:  # pragma: no cover - set by the initializer
        raise RuntimeError("seed worker without its setup")
    return write_chunk(_worker_setup, *job)


def prepare(*, years: int, seed: int, now: dt.datetime | None = None) -> Setup:
    """Desks, campaigns and desk priorities (created if missing), and the name pools."""
    moment = now or timezone.now()
    with audit.atomic():
        desks = {}
        for profile in PROFILES:
            desk, created = Desk.objects.get_or_create(name=profile.desk)
            desks[profile.desk] = desk
            if created:
                audit.record(
                    actor=ACTOR, action="desk.created", object_type="desk", object_id=str(desk.pk)
                )
            boost = DESK_BOOSTS.get(profile.desk)
            if boost and not DeskPriority.objects.filter(desk=desk).exists():
                DeskPriority.objects.create(desk=desk, boost=boost)
                audit.record(
                    actor=ACTOR,
                    action="desk.priority_set",
                    object_type="desk",
                    object_id=str(desk.pk),
                )
        for spec in CAMPAIGNS:
            campaign, created = Campaign.objects.get_or_create(
                name=spec.name,
                defaults={
                    "countries": list(spec.countries),
                    "regions": list(spec.regions),
                    "starts_on": spec.starts_on,
                    "ends_on": spec.ends_on,
                    "priority_boost": spec.boost,
                },
            )
            if created:
                audit.record(
                    actor=ACTOR,
                    action="campaign.created",
                    object_type="campaign",
                    object_id=str(campaign.pk),
                )
    return Setup(
        now=moment,
        start=moment - dt.timedelta(days=365 * years),
        desks=desks,
        campaigns=list(Campaign.objects.filter(is_active=True)),
        desk_boosts={k: int(v) for k, v in DeskPriority.objects.values_list("desk_id", "boost")},
        names={p.locale: _names(p.locale, seed + i) for i, p in enumerate(PROFILES)},
        seed=seed,
    )


def plan(cases: int, open_cases: int, chunk: int) -> list[tuple[int, int, int]]:
    """(index, cases, open cases) of each chunk; open cases spread evenly."""
    jobs = []
    chunks = max(1, -(-cases // chunk))
    for i in range(chunks):
        size = min(chunk, cases - i * chunk)
        first, last = (open_cases * i) // chunks, (open_cases * (i + 1)) // chunks
        jobs.append((i, size, min(size, last - first)))
    return jobs


def parse_open(value: str, cases: int) -> int:
    text = value.strip()
    try:
        if text.endswith("%"):
            share = float(text[:-1])
            if not 0 <= share <= 100:
                raise ValueError
            return round(cases * share / 100)
        number = int(text)
    except ValueError:
        raise CommandError(
            "--open takes a number of cases or a percentage (e.g. 50000 or 5%)."
        ) from None
    if not 0 <= number <= cases:
        raise CommandError("--open cannot be more than --cases.")
    return number


class Command(BaseCommand):
    help = "Fill the database with made-up cases for demos and benchmarks (needs --synthetic)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="how many cases to add")
        parser.add_argument(
            "--open", default="5%", help="how many of them are open: a number or a share (5%%)"
        )
        parser.add_argument(
            "--synthetic",
            action="store_true",
            help="confirm that made-up data is wanted in this database (required)",
        )
        parser.add_argument("--chunk", type=int, default=10_000, help="cases per transaction")
        parser.add_argument(
            "--workers", type=int, default=1, help="parallel writer processes (PostgreSQL)"
        )
        parser.add_argument(
            "--years", type=int, default=10, help="cases opened over this many years"
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed (reproducible runs)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["synthetic"]:
            raise CommandError(
                "passage seed writes made-up cases into this database. It runs only with "
                "--synthetic, to confirm that this is a demonstration or test installation."
            )
        cases: int = options["cases"]
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        if options["chunk"] < 1 or options["workers"] < 1 or options["years"] < 1:
            raise CommandError("--chunk, --workers and --years must be at least 1.")
        if options["workers"] > 1 and connections["default"].vendor != "postgresql":
            raise CommandError("--workers above 1 needs PostgreSQL (SQLite has one writer).")
        open_cases = parse_open(options["open"], cases)
        seed = (
            options["seed"]
            if options["seed"] is not None
            else random.SystemRandom().randrange(2**31)
        )
        started = time.monotonic()
        setup = prepare(years=options["years"], seed=seed)
        jobs = plan(cases, open_cases, options["chunk"])
        from tqdm import tqdm

        bar = tqdm(
            total=cases, unit="case", desc="seeding", disable=options["no_progress"], smoothing=0.1
        )
        written = opened = 0
        try:
            if options["workers"] == 1 or len(jobs) == 1:
                for job in jobs:
                    done, now_open = write_chunk(setup, *job)
                    written, opened = written + done, opened + now_open
                    bar.update(done)
            else:
                connections.close_all()
                context = multiprocessing.get_context("fork")
                with context.Pool(options["workers"], _worker_init, (setup,)) as pool:
                    for done, now_open in pool.imap_unordered(_worker_chunk, jobs):
                        written, opened = written + done, opened + now_open
                        bar.update(done)
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"seeded {written} synthetic cases ({opened} open) in {elapsed:.1f}s "
            f"({written / elapsed:.0f} cases/s), seed {seed}"
        )
