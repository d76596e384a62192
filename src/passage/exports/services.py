"""Every write of exports: a redacted export, a full export's request, its second approval
(which builds and seals it), refusal, download, and the 7-day expiry.

- Nothing is exported while ``passage.accounts.lockdown.exports_disabled()`` is True
  (``ExportsDisabled``, which the views answer with 409).
- A redacted export is built and handed over at once; only its ``Export`` row is kept.
- A full export names one desk, a recipient organisation, the consent sections it carries
  and the recipient's X25519 public key. A second person with ``cases.export_bulk`` on that
  desk approves it; only then is it built, in memory: cases that are frozen, or whose person
  gave no active consent covering those sections for that organisation
  (``cases.services.consent.consent_covering``), are left out and counted. The CSV is sealed
  to the recipient (``envelope.seal``) and only the envelope is stored (encrypted at rest
  under the export's own key). 7 days after the request the export is shredded.

Audit entries name the export as ``<export id>:<record count>`` (``export.redacted``,
``export.approved``, ``export.downloaded``, ``export.expired``), and each case put into a
full export gets ``case.exported_bulk``. No entry carries a filter value, a key or a name.
"""

from __future__ import annotations

import base64
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.lockdown import EXPORTS_DISABLED_MESSAGE, exports_disabled
from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases.exceptions import (
    ApprovalRefused,
    CaseError,
    CaseNotFound,
    InvalidInput,
    NotAllowed,
)
from passage.cases.models import SHAREABLE_SECTIONS
from passage.cases.services import common
from passage.cases.services.consent import consent_covering
from passage.cases.workflow import Stage
from passage.crypto import shred
from passage.crypto.fields import PlainFile, StoredFile
from passage.exports import cells, envelope, rows
from passage.exports.models import Export

KEEP_FOR = dt.timedelta(days=7)


class ExportsDisabled(CaseError):
    """An emergency lockdown is in force: no export of any kind."""


def _enabled() -> None:
    if exports_disabled():
        raise ExportsDisabled(str(EXPORTS_DISABLED_MESSAGE))


def _allowed(actor: User) -> None:
    if not actor.may(Perm.CASES_EXPORT_BULK):
        raise NotAllowed(_("Your role does not allow exports."))


def _works_desk(actor: User, desk: Desk) -> bool:
    return actor.memberships.filter(desk=desk).exists()


def _check_filters(actor: User, filters: rows.Filters) -> None:
    if filters.desk is not None and not _works_desk(actor, filters.desk):
        raise NotAllowed(_("You can export only the cases of your own desks."))
    if filters.stage and filters.stage not in Stage.values:
        raise InvalidInput(_("Unknown stage."))
    if (
        filters.opened_from is not None
        and filters.opened_to is not None
        and filters.opened_from > filters.opened_to
    ):
        raise InvalidInput(_("The period ends before it begins."))


def _object_id(export: Export, count: int) -> str:
    return f"{export.pk}:{count}"


def _record(
    actor: User | str, action: str, export: Export, count: int, request_id: str | None
) -> None:
    audit.record(
        actor=actor if isinstance(actor, str) else common.actor_of(actor),
        action=action,
        object_type="export",
        object_id=_object_id(export, count),
        request_id=request_id,
    )


def export_redacted(
    *,
    actor: User,
    filters: rows.Filters,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Export, bytes]:
    """The redacted CSV of the cases ``actor`` works that match ``filters``, and its record."""
    _enabled()
    _allowed(actor)
    _check_filters(actor, filters)
    moment = now or timezone.now()
    with audit.atomic():
        lines = list(rows.redacted_rows(rows.cases_for(actor, filters)))
        data = cells.as_csv(rows.REDACTED_HEADER, lines)
        export = Export.objects.create(
            kind=Export.Kind.REDACTED,
            status=Export.Status.DONE,
            requested_by=actor,
            requested_at=moment,
            desk=filters.desk,
            stage=filters.stage,
            opened_from=filters.opened_from,
            opened_to=filters.opened_to,
            record_count=len(lines),
            downloads=1,
        )
        _record(actor, "export.redacted", export, len(lines), request_id)
    return export, data


def export_request(
    *,
    actor: User,
    desk: Desk,
    partner: PartnerOrganisation,
    sections: list[str],
    public_key: str,
    stage: str = "",
    opened_from: dt.date | None = None,
    opened_to: dt.date | None = None,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> Export:
    """Ask for a full export of ``desk``'s cases to ``partner``; it waits for a second person."""
    _enabled()
    _allowed(actor)
    filters = rows.Filters(desk=desk, stage=stage, opened_from=opened_from, opened_to=opened_to)
    _check_filters(actor, filters)
    chosen = sorted(set(sections))
    if not chosen:
        raise InvalidInput(_("Choose at least one part of the cases."))
    if any(s not in SHAREABLE_SECTIONS for s in chosen):
        raise InvalidInput(_("Unknown part of the case."))
    if not partner.is_active:
        raise InvalidInput(_("This organisation is deactivated."))
    try:
        raw_key = envelope.parse_key(public_key)
    except envelope.EnvelopeError:
        raise InvalidInput(
            _("The recipient's key must be an X25519 public key in base64 (44 characters).")
        ) from None
    moment = now or timezone.now()
    with audit.atomic():
        export = Export.objects.create(
            kind=Export.Kind.FULL,
            status=Export.Status.WAITING,
            requested_by=actor,
            requested_at=moment,
            desk=desk,
            stage=stage,
            opened_from=opened_from,
            opened_to=opened_to,
            partner=partner,
            sections=chosen,
            expires_at=moment + KEEP_FOR,
            recipient_key=base64.b64encode(raw_key).decode("ascii"),
        )
        _record(actor, "export.requested", export, 0, request_id)
    return export


def _locked(export: Export) -> Export:
    return Export.objects.select_for_update().get(pk=export.pk)


def _expired(export: Export, moment: dt.datetime) -> bool:
    return export.expires_at is not None and export.expires_at <= moment


def _build(export: Export, approver: User) -> tuple[bytes, int, int]:
    """The sealed envelope of a full export, the number of cases in it and left out."""
    requester = export.requested_by
    filters = rows.Filters(
        desk=export.desk,
        stage=export.stage,
        opened_from=export.opened_from,
        opened_to=export.opened_to,
    )
    sections = list(export.sections)
    wanted = set(sections)
    if export.partner is None or export.recipient_key is None:
        raise InvalidInput(_("This export has no recipient."))
    lines: list[list[object]] = []
    left_out = 0
    for case in rows.cases_for(requester, filters).iterator(chunk_size=200):
        if (
            case.is_frozen
            or consent_covering(case=case, partner=export.partner, sections=wanted) is None
        ):
            left_out += 1
            continue
        lines.append(rows.full_row(case, sections))
        common.record(approver, "case.exported_bulk", case, object_id=str(case.pk))
    data = cells.as_csv(rows.full_header(sections), lines)
    sealed = envelope.seal(data, envelope.parse_key(export.recipient_key))
    len_lines = len(lines)
    del data, lines
    return sealed, len_lines, left_out


def export_approve(
    *,
    export: Export,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> Export:
    """A second person approves a full export: it is built, sealed and kept for download."""
    _enabled()
    _allowed(actor)
    moment = now or timezone.now()
    with audit.atomic():
        locked = _locked(export)
        if locked.kind != Export.Kind.FULL or locked.status != Export.Status.WAITING:
            raise ApprovalRefused(_("This export is not waiting for approval."))
        if locked.requested_by_id == actor.pk:
            raise ApprovalRefused(
                _("Someone else must approve a full export: the second pair of eyes.")
            )
        if locked.desk is None or not _works_desk(actor, locked.desk):
            raise CaseNotFound(_("No such export."))
        if _expired(locked, moment):
            raise ApprovalRefused(_("This request expired; ask for a new export."))
        sealed, count, left_out = _build(locked, actor)
        locked.envelope = PlainFile(
            name=f"export-{locked.pk}.psgx", content=sealed, content_type="application/octet-stream"
        )
        locked.status = Export.Status.READY
        locked.decided_by = actor
        locked.decided_at = moment
        locked.record_count = count
        locked.left_out = left_out
        locked.save()
        _record(actor, "export.approved", locked, count, request_id)
    return locked


def export_refuse(*, export: Export, actor: User, request_id: str | None = None) -> Export:
    """The second person refuses (or the requester withdraws): the request is shredded."""
    with audit.atomic():
        locked = _locked(export)
        if locked.kind != Export.Kind.FULL or locked.status != Export.Status.WAITING:
            raise ApprovalRefused(_("This export is not waiting for approval."))
        own = locked.requested_by_id == actor.pk
        if not own and (locked.desk is None or not _works_desk(actor, locked.desk)):
            raise CaseNotFound(_("No such export."))
        if not own:
            _allowed(actor)
        shred.shred(locked)
        locked.status = Export.Status.WITHDRAWN if own else Export.Status.REFUSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.destroyed_at = locked.decided_at
        locked.save(update_fields=["status", "decided_by", "decided_at", "destroyed_at"])
        _record(
            actor,
            "export.withdrawn" if own else "export.refused",
            locked,
            locked.record_count,
            request_id,
        )
    return locked


def export_download(
    *,
    export: Export,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The sealed envelope, for the person who asked for it, while it has not expired."""
    _enabled()
    _allowed(actor)
    moment = now or timezone.now()
    with audit.atomic():
        locked = _locked(export)
        if locked.requested_by_id != actor.pk:
            raise CaseNotFound(_("No such export."))
        if locked.status == Export.Status.WAITING:
            raise ApprovalRefused(_("A second person has not approved this export yet."))
        if locked.status != Export.Status.READY or _expired(locked, moment):
            raise ApprovalRefused(_("This export is no longer available."))
        stored = locked.envelope
        if not isinstance(stored, StoredFile):
            raise ApprovalRefused(_("This export is no longer available."))
        data = stored.read()
        locked.downloads += 1
        locked.save(update_fields=["downloads"])
        _record(actor, "export.downloaded", locked, locked.record_count, request_id)
    return data


def exports_expire(*, now: dt.datetime | None = None, chunk: int = 100) -> int:
    """Shred every full export (waiting or ready) past its 7 days. Idempotent; chunked."""
    moment = now or timezone.now()
    doomed = list(
        Export.objects.filter(
            kind=Export.Kind.FULL,
            status__in=[Export.Status.WAITING, Export.Status.READY],
            expires_at__lte=moment,
        ).values_list("pk", flat=True)
    )
    done = 0
    for start in range(0, len(doomed), chunk):
        with audit.atomic():
            for export in Export.objects.select_for_update().filter(
                pk__in=doomed[start : start + chunk],
                status__in=[Export.Status.WAITING, Export.Status.READY],
            ):
                shred.shred(export)
                export.status = Export.Status.EXPIRED
                export.destroyed_at = moment
                export.save(update_fields=["status", "destroyed_at"])
                _record("system", "export.expired", export, export.record_count, None)
                done += 1
    return done
