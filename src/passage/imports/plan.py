"""From rows and a mapping to what an import will create, with every row's errors.

``plan(table, mapping, desk, archive)`` reads every row, checks every mapped value as the
services of manual entry would (choices, lengths, dates, admin-defined fields through
``casefields.services.values.clean_value``, files through ``casefiles.services.check_upload``)
and groups note, contact and file rows under their case (by the case-key column). The dry run
shows its errors; the import runs a plan without errors.

Error messages name the row and the column (headers are configuration) and say what is wrong;
they never quote a value, so nothing personal reaches a page, a log or the job's record.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk
from passage.casefields.models import FieldDefinition
from passage.casefields.services.values import clean_value
from passage.casefiles.services import FileRefused, Upload, check_upload
from passage.cases import choices
from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case, ContactChannel
from passage.cases.services.opening import MAX_HOUSEHOLD, MAX_NARRATIVE
from passage.cases.services.people import TEXT_FIELDS, ChannelDetails, PersonDetails
from passage.casework.models import Contact
from passage.casework.services.common import MAX_SHORT, MAX_TEXT
from passage.imports import targets
from passage.imports.sheets import SHEET_TYPES, Archive, Row, SheetError, Table

MAX_PERSON_TEXT = 2000
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d")
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M")


@dataclass
class FilePlan:
    label: str
    name: str
    description: str = ""


@dataclass
class NotePlan:
    label: str
    body: str
    files: list[FilePlan] = field(default_factory=list)


@dataclass
class ContactPlan:
    label: str
    channel: str
    direction: str
    summary: str
    with_whom: str
    happened_at: dt.datetime | None
    files: list[FilePlan] = field(default_factory=list)


@dataclass
class CasePlan:
    label: str
    key: str
    opened_at: dt.datetime | None = None
    urgency: str = Case.Urgency.UNKNOWN
    country: str = ""
    region: str = ""
    household_size: int = 1
    reply_language: str = ""
    narrative: str = ""
    person: PersonDetails = field(default_factory=PersonDetails)
    channels: list[ChannelDetails] = field(default_factory=list)
    fields: dict[uuid.UUID, object] = field(default_factory=dict)
    notes: list[NotePlan] = field(default_factory=list)
    contacts: list[ContactPlan] = field(default_factory=list)
    files: list[FilePlan] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return 1 + len(self.notes) + len(self.contacts) + len(self.files)


@dataclass
class Plan:
    cases: list[CasePlan]
    errors: list[list[str]]
    rows: int

    @property
    def notes(self) -> int:
        return sum(len(c.notes) for c in self.cases)

    @property
    def contacts(self) -> int:
        return sum(len(c.contacts) for c in self.cases)

    @property
    def files(self) -> int:
        return sum(
            len(c.files)
            + sum(len(n.files) for n in c.notes)
            + sum(len(k.files) for k in c.contacts)
            for c in self.cases
        )


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def parse_date(text: str) -> dt.date | None:
    value = text.strip()
    if not value:
        return None
    for pattern in DATE_FORMATS:
        try:
            text = value[:10] if pattern == "%Y-%m-%d" else value
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 -- a calendar date
        except ValueError:
            continue
    return None


def parse_moment(text: str) -> dt.datetime | None:
    value = text.strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
        for pattern in DATETIME_FORMATS:
            try:
                moment = dt.datetime.strptime(value, pattern)  # noqa: DTZ007 -- made aware below
                break
            except ValueError:
                continue
    if moment is None:
        day = parse_date(value)
        if day is None:
            return None
        moment = dt.datetime.combine(day, dt.time(12, 0))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


class _Reader:
    """The mapped values of one row, checked one by one."""

    def __init__(self, row: Row, by_target: dict[str, str]) -> None:
        self.row = row
        self.by_target = by_target

    def raw(self, target: str) -> str:
        header = self.by_target.get(target)
        return self.row.values.get(header, "").strip() if header else ""

    def column(self, target: str) -> str:
        return self.by_target.get(target, "")

    def text(self, target: str, limit: int) -> str:
        value = self.raw(target)
        if len(value) > limit:
            raise _Bad(
                self.column(target),
                _("This is too long (at most %(limit)d characters).") % {"limit": limit},
            )
        return value

    def moment(self, target: str, *, now: dt.datetime) -> dt.datetime | None:
        value = self.raw(target)
        if not value:
            return None
        moment = parse_moment(value)
        if moment is None:
            raise _Bad(self.column(target), _("Not a date (use 2017-04-12)."))
        if moment > now + dt.timedelta(minutes=5):
            raise _Bad(self.column(target), _("This date is in the future."))
        if moment.year < 1900:
            raise _Bad(self.column(target), _("This date is before 1900."))
        return moment


def _files(reader: _Reader, archive: Archive, check_files: bool) -> list[FilePlan]:
    name = reader.text("file.name", 255)
    if not name:
        return []
    if name not in archive:
        raise _Bad(reader.column("file.name"), _("The ZIP archive has no file of this name."))
    if check_files:
        try:
            check_upload(Upload(name=name, data=archive.read(name)))
        except SheetError as exc:
            raise _Bad(reader.column("file.name"), str(exc)) from None
        except FileRefused as exc:
            raise _Bad(reader.column("file.name"), str(exc)) from None
    return [FilePlan(reader.row.label, name, reader.text("file.description", 2000))]


def _case(
    reader: _Reader, key: str, definitions: dict[uuid.UUID, FieldDefinition], now: dt.datetime
) -> CasePlan:
    plan = CasePlan(label=reader.row.label, key=key)
    plan.opened_at = reader.moment("case.opened_on", now=now)
    urgency = reader.raw("case.urgency").casefold()
    if urgency:
        if urgency not in Case.Urgency.values:
            raise _Bad(reader.column("case.urgency"), _("Use immediate, days, weeks or unknown."))
        plan.urgency = urgency
    country = reader.raw("case.country").upper()
    if country and country not in choices.country_codes():
        raise _Bad(reader.column("case.country"), _("Not a country code (use RU, IR, ...)."))
    plan.country = country
    plan.region = reader.text("case.region", 80)
    size = reader.raw("case.household_size")
    if size:
        try:
            plan.household_size = int(size)
        except ValueError:
            raise _Bad(reader.column("case.household_size"), _("Not a whole number.")) from None
        if not 1 <= plan.household_size <= MAX_HOUSEHOLD:
            raise _Bad(
                reader.column("case.household_size"),
                _("A household has between 1 and 30 people."),
            )
    language = reader.raw("case.reply_language").casefold()
    if language and not LANGUAGE_RE.fullmatch(language):
        raise _Bad(
            reader.column("case.reply_language"), _("Not a language code (use ru, ar, ...).")
        )
    plan.reply_language = language
    plan.narrative = reader.text("case.narrative", MAX_NARRATIVE)
    details: dict[str, Any] = {
        name: reader.text(f"person.{name}", MAX_PERSON_TEXT) for name in TEXT_FIELDS
    }
    birth = reader.raw("person.birth_date")
    if birth:
        day = parse_date(birth)
        if day is None or day > timezone.localdate() or day.year < 1900:
            raise _Bad(
                reader.column("person.birth_date"), _("Not a date of birth (use 1990-04-12).")
            )
        details["birth_date"] = day
    age = reader.raw("person.age_years")
    if age:
        try:
            details["age_years"] = int(age)
        except ValueError:
            raise _Bad(reader.column("person.age_years"), _("Not a whole number.")) from None
    languages = [
        code.strip().casefold()
        for code in re.split(r"[,;]", reader.raw("person.languages"))
        if code.strip()
    ]
    if any(not LANGUAGE_RE.fullmatch(code) for code in languages):
        raise _Bad(reader.column("person.languages"), _("Not language codes (use ru, en)."))
    details["languages"] = languages
    plan.person = PersonDetails(**details)
    try:
        plan.person.check()
    except InvalidInput as exc:
        raise _Bad("", str(exc)) from None
    for kind in ContactChannel.Kind.values:
        value = reader.text(f"channel.{kind}", MAX_SHORT)
        if value:
            plan.channels.append(ChannelDetails(kind=kind, value=value))
    for pk, definition in definitions.items():
        value = reader.raw(f"field.{pk}")
        if not value:
            continue
        try:
            cleaned = clean_value(definition, value)
        except InvalidInput as exc:
            raise _Bad(reader.column(f"field.{pk}"), str(exc)) from None
        if cleaned is not None:
            plan.fields[pk] = value
    return plan


def _note(reader: _Reader) -> NotePlan | None:
    body = reader.text("note.body", MAX_TEXT)
    return NotePlan(reader.row.label, body) if body else None


def _contact(reader: _Reader, now: dt.datetime, *, required: bool) -> ContactPlan | None:
    summary = reader.text("contact.summary", MAX_TEXT)
    if not summary:
        if required:
            raise _Bad(reader.column("contact.summary"), _("A contact needs what was said."))
        return None
    channel = reader.raw("contact.channel").casefold().replace(" ", "_") or Contact.Channel.OTHER
    if channel not in Contact.Channel.values:
        raise _Bad(reader.column("contact.channel"), _("Unknown channel (use signal, phone, ...)."))
    direction = reader.raw("contact.direction").casefold() or Contact.Direction.INCOMING
    if direction not in Contact.Direction.values:
        raise _Bad(reader.column("contact.direction"), _("Use incoming or outgoing."))
    return ContactPlan(
        label=reader.row.label,
        channel=channel,
        direction=direction,
        summary=summary,
        with_whom=reader.text("contact.with_whom", MAX_SHORT),
        happened_at=reader.moment("contact.happened_on", now=now),
    )


def _record_type(reader: _Reader) -> str:
    given = reader.raw(targets.RECORD_TYPE).casefold()
    if given:
        found = SHEET_TYPES.get(given)
        if found is None:
            raise _Bad(reader.column(targets.RECORD_TYPE), _("Use case, note, contact or file."))
        return found
    return reader.row.sheet_type or "case"


def plan(
    table: Table,
    mapping: dict[str, str],
    *,
    desk: Desk,
    archive: Archive,
    check_files: bool = True,
    now: dt.datetime | None = None,
) -> Plan:
    """What importing ``table`` with ``mapping`` into ``desk`` creates, and the errors."""
    moment = now or timezone.now()
    by_target = {target: header for header, target in mapping.items() if target}
    definitions = {d.pk: d for d in targets.definitions_for(desk)}
    cases: dict[str, CasePlan] = {}
    ordered: list[CasePlan] = []
    later: list[tuple[_Reader, str, str]] = []
    errors: list[list[str]] = []
    for row in table.rows:
        reader = _Reader(row, by_target)
        try:
            kind = _record_type(reader)
            key = reader.raw(targets.CASE_KEY)
            if kind != "case":
                if not key:
                    raise _Bad(
                        reader.column(targets.CASE_KEY) or "",
                        _("A note, contact or file row needs the case key of its case."),
                    )
                later.append((reader, kind, key))
                continue
            if key and key in cases:
                raise _Bad(
                    reader.column(targets.CASE_KEY), _("Another case row has this case key.")
                )
            case = _case(reader, key or f"#{row.label}", definitions, moment)
            note = _note(reader)
            if note is not None:
                case.notes.append(note)
            contact = _contact(reader, moment, required=False)
            if contact is not None:
                case.contacts.append(contact)
            case.files.extend(_files(reader, archive, check_files))
        except _Bad as bad:
            errors.append([row.label, bad.column, bad.message])
            if key:
                cases.setdefault(key, CasePlan(label=row.label, key=key))  # its rows still link
            continue
        cases[case.key] = case
        ordered.append(case)
    valid = {id(c) for c in ordered}
    for reader, kind, key in later:
        row = reader.row
        try:
            owner = cases.get(key)
            if owner is None:
                raise _Bad(reader.column(targets.CASE_KEY), _("No case row has this case key."))
            files = _files(reader, archive, check_files)
            if kind == "note":
                note = _note(reader)
                if note is None:
                    raise _Bad(reader.column("note.body"), _("A note row needs the note's text."))
                note.files = files
                owner.notes.append(note)
            elif kind == "contact":
                contact = _contact(reader, moment, required=True)
                if contact is None:  # required: _contact raised already
                    continue
                contact.files = files
                owner.contacts.append(contact)
            else:
                if not files:
                    raise _Bad(reader.column("file.name"), _("A file row needs the file's name."))
                owner.files.extend(files)
        except _Bad as bad:
            errors.append([row.label, bad.column, bad.message])
    return Plan(cases=[c for c in ordered if id(c) in valid], errors=errors, rows=len(table.rows))
