"""Recording the documents of a case's people: add one, change one (scans in the same
transaction). Audit entries carry ids only; the number, country and notes are encrypted."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.casefiles.services import CheckedUpload, case_file_add
from passage.cases import access
from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case, Person
from passage.cases.services import common
from passage.casework.services.common import MAX_SHORT, text
from passage.documents.models import DOCUMENT_ATTACHMENT, PersonDocument

COUNTRY_RE = re.compile(r"[A-Z]{2}")
MAX_NOTES = 5_000


@dataclass(frozen=True)
class DocumentDetails:
    """What staff record about a document (all optional but its kind and status)."""

    kind: str
    status: str
    number: str = ""
    issuing_country: str = ""  # ISO 3166-1 alpha-2
    expires_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class Scan:
    """A checked upload (from ``CaseFileUploadForm``) to keep as a scan of the document."""

    upload: CheckedUpload
    description: str = ""


def _checked(details: DocumentDetails) -> DocumentDetails:
    if details.kind not in PersonDocument.Kind.values:
        raise InvalidInput(_("Choose the kind of document."))
    if details.status not in PersonDocument.Status.values:
        raise InvalidInput(_("Choose where the document stands."))
    country = (details.issuing_country or "").strip().upper()
    if country and not COUNTRY_RE.fullmatch(country):
        raise InvalidInput(_("Give the issuing country as a two-letter code, e.g. RU."))
    return DocumentDetails(
        kind=details.kind,
        status=details.status,
        number=text(details.number, limit=MAX_SHORT),
        issuing_country=country,
        expires_on=details.expires_on,
        notes=text(details.notes, limit=MAX_NOTES),
    )


def _recorded(
    document: PersonDocument,
    case: Case,
    actor: User,
    action: str,
    scans: tuple[Scan, ...],
    request_id: str | None,
) -> None:
    """Write the audit entry of ``action`` on the document, then store its new scans."""
    common.record(
        actor,
        action,
        case,
        object_type="document",
        object_id=str(document.pk),
        request_id=request_id,
    )
    for scan in scans:
        case_file_add(
            case=case,
            actor=actor,
            upload=scan.upload,
            description=scan.description,
            attached_kind=DOCUMENT_ATTACHMENT,
            attached_id=document.pk,
            request_id=request_id,
        )


def document_add(
    *,
    case: Case,
    person: Person,
    actor: User,
    details: DocumentDetails,
    scans: tuple[Scan, ...] = (),
    request_id: str | None = None,
) -> PersonDocument:
    """Record a document of ``person`` (one of ``case``'s people), with its scans."""
    access.require_working(actor, case)
    if person.case_id != case.pk:
        raise InvalidInput(_("Choose one of the people of this case."))
    clean = _checked(details)
    with audit.atomic():
        locked = common.lock(case)
        now = timezone.now()
        document = PersonDocument.objects.create(
            case=locked,
            person=person,
            kind=clean.kind,
            status=clean.status,
            expires_on=clean.expires_on,
            created_by=actor,
            created_at=now,
            updated_at=now,
            number=clean.number or None,
            issuing_country=clean.issuing_country or None,
            notes=clean.notes or None,
        )
        _recorded(document, locked, actor, "case.document_added", scans, request_id)
    return document


def document_change(
    *,
    document: PersonDocument,
    actor: User,
    details: DocumentDetails,
    scans: tuple[Scan, ...] = (),
    request_id: str | None = None,
) -> PersonDocument:
    """Change what is recorded about a document; a new expiry date starts its reminders again."""
    access.require_working(actor, document.case)
    clean = _checked(details)
    with audit.atomic():
        locked = common.lock(document.case)
        row = PersonDocument.objects.select_for_update().get(pk=document.pk, case=locked)
        if row.expires_on != clean.expires_on:
            row.reminded_days = None
        row.kind = clean.kind
        row.status = clean.status
        row.expires_on = clean.expires_on
        row.number = clean.number or None
        row.issuing_country = clean.issuing_country or None
        row.notes = clean.notes or None
        row.updated_at = timezone.now()
        row.save()
        _recorded(row, locked, actor, "case.document_changed", scans, request_id)
    return row
