"""Recording testimony, reading it (an audited protected read), redaction spans, files of a
testimony and withdrawing consent.

Every write needs ``Perm.EVIDENCE_WORK`` and a working relation to the case (desk or
assignee): break-glass readers and partners never reach testimony. Audit entries name the
testimony (``object_type="testimony"``), never its text, its body or a redacted phrase.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.alerts import services as alert_services
from passage.audit import services as audit
from passage.casefiles import services as casefiles
from passage.casefiles.models import CaseFile
from passage.cases import access
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import common
from passage.evidence import redaction
from passage.evidence.models import Bundle, BundleItem, RedactionCategory, Scope, Testimony
from passage.evidence.services.common import drop_pdf

SECTION = "testimony"  # case.section_viewed.testimony
ATTACHED_KIND = "testimony"
MAX_TEXT = 100_000
MAX_BODY = 300
MAX_PHRASE = 300


def require(actor: User, case: Case) -> None:
    """The actor works the case and may record evidence (``CaseNotFound`` / ``NotAllowed``)."""
    access.require_working(actor, case, Perm.EVIDENCE_WORK)


def clean_scopes(scopes: list[str] | set[str], legal_body: str) -> tuple[list[str], str]:
    """The scope codes (validated, in a fixed order) and the named body, or ``InvalidInput``."""
    chosen = set(scopes)
    known = {s.value for s in Scope}
    if not chosen or not chosen <= known:
        raise InvalidInput(_("Choose what the person agreed their testimony may be used for."))
    if Scope.INTERNAL in chosen and len(chosen) > 1:
        raise InvalidInput(
            _("“Internal use only” cannot be combined with a use outside the organisation.")
        )
    body = legal_body.strip()
    if Scope.LEGAL in chosen and not body:
        raise InvalidInput(_("Name the court or body for legal proceedings."))
    if Scope.LEGAL not in chosen:
        body = ""
    if len(body) > MAX_BODY:
        raise InvalidInput(_("Keep the name of the court or body under 300 characters."))
    return [s.value for s in Scope if s.value in chosen], body


def testimony_record(
    *,
    case: Case,
    actor: User,
    text: str,
    scopes: list[str] | set[str],
    consent_on: dt.date,
    legal_body: str = "",
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> Testimony:
    """Record a statement of ``case`` with the consent the person gave (encrypted)."""
    require(actor, case)
    statement = text.strip()
    if not statement:
        raise InvalidInput(_("Write down the statement."))
    if len(statement) > MAX_TEXT:
        raise InvalidInput(_("Keep a statement under 100,000 characters; add a second one."))
    codes, body = clean_scopes(scopes, legal_body)
    moment = now or timezone.now()
    if consent_on > timezone.localdate(moment):
        raise InvalidInput(_("The day consent was given cannot be in the future."))
    with audit.atomic():
        locked = common.lock(case)
        highest = Testimony.objects.filter(case=locked).aggregate(Max("number"))["number__max"]
        row = Testimony(
            case=locked,
            number=(highest or 0) + 1,
            text=statement,
            redactions=[],
            recorded_by=actor,
            recorded_at=moment,
            scopes=codes,
            legal_body=body or None,
            consent_on=consent_on,
            consent_recorded_by=actor,
            consent_recorded_at=moment,
        )
        row.save()
        common.record(
            actor,
            "evidence.testimony_recorded",
            locked,
            object_type="testimony",
            object_id=str(row.pk),
            request_id=request_id,
        )
    return Testimony.objects.select_related("case").get(pk=row.pk)


def read_recorded(actor: User, case: Case, request_id: str | None) -> None:
    """``case.section_viewed.testimony``, judged like every protected read."""
    alert_services.protected_read(
        user=actor,
        case_id=case.pk,
        desk_id=case.desk_id,
        section=SECTION,
        assignee_id=case.assignee_id,
        request_id=request_id,
    )


def testimony_read(
    *, testimony: Testimony, actor: User, request_id: str | None = None
) -> Testimony:
    """Record that ``actor`` reads the statement (every time), then hand it back decrypted."""
    case = testimony.case
    seen = access.access_to(actor, case)
    if seen not in access.WORKING or not actor.may(Perm.EVIDENCE_WORK):
        raise CaseNotFound(_("No such case."))
    with audit.atomic():
        read_recorded(actor, case, request_id)
        common.record(
            actor,
            "evidence.testimony_read",
            case,
            object_type="testimony",
            object_id=str(testimony.pk),
            request_id=request_id,
        )
    row = Testimony.objects.select_related("case").get(pk=testimony.pk)
    _decrypted = (row.text, row.legal_body, row.redactions)  # now, after the entry
    return row


def _locked(testimony: Testimony) -> Testimony:
    return Testimony.objects.select_for_update().select_related("case").get(pk=testimony.pk)


def _save_spans(
    actor: User, testimony: Testimony, spans: list[redaction.Span], request_id: str | None
) -> None:
    testimony.redactions = [list(s) for s in spans]
    testimony.save(update_fields=["redactions"])
    common.record(
        actor,
        "evidence.redactions_changed",
        testimony.case,
        object_type="testimony",
        object_id=str(testimony.pk),
        request_id=request_id,
    )


def redaction_add(
    *,
    testimony: Testimony,
    actor: User,
    category: str,
    phrase: str = "",
    start: int | None = None,
    end: int | None = None,
    request_id: str | None = None,
) -> int:
    """Mark spans to remove: every occurrence of ``phrase``, or the range ``start``-``end``.
    Returns how many spans were added."""
    require(actor, testimony.case)
    if category not in RedactionCategory.values:
        raise InvalidInput(_("Choose what kind of detail this is."))
    with audit.atomic():
        common.lock(testimony.case)
        row = _locked(testimony)
        text = row.text or ""
        if phrase:
            if len(phrase) > MAX_PHRASE:
                raise InvalidInput(_("Mark at most 300 characters at a time."))
            ranges = redaction.occurrences(text, phrase.strip())
            if not ranges:
                raise InvalidInput(_("That wording does not occur in the statement."))
        elif start is not None and end is not None and 0 <= start < end <= len(text):
            ranges = [(start, end)]
        else:
            raise InvalidInput(_("Give the wording to remove, or a range within the statement."))
        current = [tuple(s) for s in (row.redactions or [])]
        spans = redaction.normalised([*current, *[(a, b, category) for a, b in ranges]], len(text))
        _save_spans(actor, row, spans, request_id)
    return len(ranges)


def redaction_remove(
    *, testimony: Testimony, actor: User, index: int, request_id: str | None = None
) -> None:
    """Remove the ``index``-th span (in text order)."""
    require(actor, testimony.case)
    with audit.atomic():
        common.lock(testimony.case)
        row = _locked(testimony)
        text = row.text or ""
        spans = redaction.normalised(row.redactions or [], len(text))
        if not 0 <= index < len(spans):
            raise InvalidInput(_("That marked span no longer exists."))
        del spans[index]
        _save_spans(actor, row, spans, request_id)


def testimony_file_add(
    *,
    testimony: Testimony,
    actor: User,
    upload: casefiles.Upload | casefiles.CheckedUpload,
    description: str = "",
    request_id: str | None = None,
) -> CaseFile:
    """A file of the testimony: a case file (checked, stripped, encrypted) attached to it."""
    require(actor, testimony.case)
    if testimony.is_withdrawn:
        raise NotAllowed(_("Consent to this testimony was withdrawn."))
    return casefiles.case_file_add(
        case=testimony.case,
        actor=actor,
        upload=upload,
        description=description,
        attached_kind=ATTACHED_KIND,
        attached_id=testimony.pk,
        request_id=request_id,
    )


def consent_withdraw(
    *,
    testimony: Testimony,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> list[Bundle]:
    """The person withdraws consent: the testimony (and its files) leave every bundle not
    given out yet; an approved bundle loses its PDF and goes back to being put together (it
    needs approving again). Bundles already given out keep it (chain of custody). Returns the
    bundles changed."""
    require(actor, testimony.case)
    moment = now or timezone.now()
    changed: list[Bundle] = []
    with audit.atomic():
        common.lock(testimony.case)
        row = _locked(testimony)
        if row.is_withdrawn:
            raise InvalidInput(_("Consent to this testimony was withdrawn already."))
        row.withdrawn_at = moment
        row.withdrawn_by = actor
        row.save(update_fields=["withdrawn_at", "withdrawn_by"])
        common.record(
            actor,
            "evidence.consent_withdrawn",
            row.case,
            object_type="testimony",
            object_id=str(row.pk),
            request_id=request_id,
        )
        bundle_ids = (
            BundleItem.objects.filter(testimony=row, bundle__sent_at__isnull=True)
            .values_list("bundle_id", flat=True)
            .distinct()
        )
        for bundle in Bundle.objects.select_for_update().filter(pk__in=list(bundle_ids)):
            BundleItem.objects.filter(bundle=bundle, testimony=row).delete()
            if bundle.status == Bundle.Status.APPROVED:
                drop_pdf(bundle)
            common.record_object(
                actor, "evidence.bundle_item_withdrawn", "bundle", bundle.pk, request_id
            )
            changed.append(bundle)
    return changed
