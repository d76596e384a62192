"""What a column can hold: the target codes of a mapping, with labels for the mapping page.

Codes are stable strings (saved mappings keep them): ``record_type``, ``case_key``,
``case.<field>``, ``person.<field>``, ``channel.<kind>``, ``note.body``, ``contact.<field>``,
``file.name`` / ``file.description``, and ``field.<definition uuid>`` for an admin-defined
field (``passage.casefields``) in use on the desk.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Desk
from passage.casefields.models import FieldDefinition, Kind

IGNORE = ""
RECORD_TYPE = "record_type"
CASE_KEY = "case_key"

FIXED: tuple[tuple[str, Promise], ...] = (
    (RECORD_TYPE, _("Record type (case, note, contact or file)")),
    (CASE_KEY, _("Case key (your own id of the case, linking its rows)")),
    ("case.opened_on", _("Case: opened on (date)")),
    ("case.urgency", _("Case: urgency (immediate, days, weeks, unknown)")),
    ("case.country", _("Case: country (ISO code, e.g. RU)")),
    ("case.region", _("Case: coarse region")),
    ("case.household_size", _("Case: household size")),
    ("case.reply_language", _("Case: reply language (e.g. ru)")),
    ("case.narrative", _("Case: what happened and what they fear")),
    ("person.chosen_name", _("Person: name they want to be called")),
    ("person.legal_name", _("Person: legal name")),
    ("person.pronouns", _("Person: pronouns")),
    ("person.birth_date", _("Person: date of birth")),
    ("person.age_years", _("Person: age")),
    ("person.nationality", _("Person: nationality")),
    ("person.languages", _("Person: languages (codes, comma-separated)")),
    ("person.gender_identity", _("Person: gender identity")),
    ("person.sexual_orientation", _("Person: sexual orientation")),
    ("person.current_location", _("Person: precise location")),
    ("person.health_needs", _("Person: health needs")),
    ("person.protection_needs", _("Person: protection needs")),
    ("channel.signal", _("Contact channel: Signal")),
    ("channel.whatsapp", _("Contact channel: WhatsApp")),
    ("channel.telegram", _("Contact channel: Telegram")),
    ("channel.phone", _("Contact channel: phone")),
    ("channel.email", _("Contact channel: e-mail")),
    ("channel.other", _("Contact channel: other")),
    ("note.body", _("Note: text")),
    ("contact.summary", _("Contact log: what was said")),
    ("contact.channel", _("Contact log: channel (signal, phone, in_person...)")),
    ("contact.direction", _("Contact log: direction (incoming or outgoing)")),
    ("contact.with_whom", _("Contact log: with whom")),
    ("contact.happened_on", _("Contact log: when (date or date and time)")),
    ("file.name", _("File: its name in the ZIP archive")),
    ("file.description", _("File: description")),
)
FIXED_CODES = frozenset(code for code, _label in FIXED)


def definitions_for(desk: Desk) -> list[FieldDefinition]:
    """Admin-defined fields in use on ``desk`` (checklist items are not imported)."""
    return list(
        FieldDefinition.objects.filter(active=True)
        .filter(Q(desk__isnull=True) | Q(desk=desk))
        .exclude(kind=Kind.CHECK)
        .order_by("section", "order", "created_at")
    )


def choices_for(desk: Desk) -> list[tuple[str, str]]:
    """Every target of a column for imports into ``desk``, "ignore" first."""
    options = [(IGNORE, str(_("Do not import")))]
    options.extend((code, str(label)) for code, label in FIXED)
    options.extend(
        (f"field.{d.pk}", str(_("More details: %(label)s") % {"label": d.label}))
        for d in definitions_for(desk)
    )
    return options


def guess(header: str, options: list[tuple[str, str]]) -> str:
    """A target for ``header`` when it names one (its code or label), else ignore."""
    wanted = header.strip().casefold()
    for code, label in options:
        if code and (wanted == code.casefold() or wanted == label.casefold()):
            return code
    short = {label.split(": ", 1)[-1].split(" (", 1)[0].casefold(): code for code, label in options}
    return short.get(wanted, IGNORE)
