"""Every write of imports: upload, mapping and dry run, start, the run itself (a background
task), abandoning, and the sweep of abandoned uploads.

Who: a desk lead of the import's desk holding ``cases.import`` (the views also ask for a
recent second factor). The run acts as that lead, through the services of manual entry
(``cases.services.opening.case_open``, ``casefields.services.values.field_values_set``,
``casework.services.notes.note_add`` and ``contacts.contact_log``,
``casefiles.services.case_file_add``), so every value is checked, encrypted under its case's
key, duplicate-checked and audited like any other; each case with its rows is one transaction.

The uploaded files live only in the job's encrypted columns (never a temporary file: uploads
are held in memory by ``core.uploads.MemoryOnlyUploadHandler``). When the run ends (done or
failed) or the job is abandoned, the job is shredded: its data key is destroyed and its blobs
deleted, so nothing of the uploads remains, backups included (the shred ledger).

Audit entries: ``import.uploaded``, ``import.checked`` (``<job id>:<error count>``),
``import.started``, ``import.finished`` / ``import.failed`` (``<job id>:<cases created>``),
``import.abandoned``, and ``case.imported`` on every case made. No value, header or file name.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.casefields.services.values import field_values_set
from passage.casefiles.services import Upload, case_file_add, check_upload
from passage.cases.exceptions import CaseError, InvalidInput, NotAllowed
from passage.cases.services import common, opening
from passage.casework.services.contacts import contact_log
from passage.casework.services.notes import note_add
from passage.crypto import shred
from passage.crypto.fields import PlainFile, StoredFile
from passage.imports import plan as planning
from passage.imports import sheets, targets
from passage.imports.models import ImportJob, ImportMapping

logger = logging.getLogger(__name__)

ABANDONED_AFTER = dt.timedelta(days=1)
NOTE_ATTACHMENT = "note"


def may_import(actor: User, desk: Desk) -> bool:
    return (
        actor.may(Perm.CASES_IMPORT) and actor.memberships.filter(desk=desk, is_lead=True).exists()
    )


def _require(actor: User, desk: Desk) -> None:
    if not may_import(actor, desk):
        raise NotAllowed(_("Only a lead of the desk can import cases into it."))


def _record(
    actor: User | str,
    action: str,
    job: ImportJob,
    count: int | None = None,
    request_id: str | None = None,
) -> None:
    audit.record(
        actor=actor if isinstance(actor, str) else common.actor_of(actor),
        action=action,
        object_type="import",
        object_id=f"{job.pk}:{count}" if count is not None else str(job.pk),
        request_id=request_id,
    )


def _bytes(stored: object) -> bytes | None:
    return stored.read() if isinstance(stored, StoredFile) else None


def table_of(job: ImportJob) -> sheets.Table:
    data = _bytes(job.source)
    if data is None:
        raise InvalidInput(_("The uploaded file is gone."))
    return sheets.read_table(data, job.source_kind)


def archive_of(job: ImportJob) -> sheets.Archive:
    return sheets.Archive(_bytes(job.archive) if job.has_archive else None)


def import_upload(
    *,
    actor: User,
    desk: Desk,
    name: str,
    data: bytes,
    archive: bytes | None = None,
    request_id: str | None = None,
) -> ImportJob:
    """Keep an uploaded spreadsheet (and ZIP of files), encrypted, for mapping and a dry run."""
    _require(actor, desk)
    try:
        kind = sheets.kind_of(name, data)
        table = sheets.read_table(data, kind)
        sheets.Archive(archive)
    except sheets.SheetError as exc:
        raise InvalidInput(str(exc)) from None
    if not table.rows:
        raise InvalidInput(_("The file has column names but no rows."))
    with audit.atomic():
        job = ImportJob(
            desk=desk,
            created_by=actor,
            source_kind=kind,
            has_archive=bool(archive),
            rows_total=len(table.rows),
            headers=table.headers,
            source=PlainFile(name=f"import.{kind}", content=data),
        )
        if archive:
            job.archive = PlainFile(name="files.zip", content=archive)
        job.save()
        _record(actor, "import.uploaded", job, request_id=request_id)
    return ImportJob.objects.get(pk=job.pk)


def _clean_mapping(job: ImportJob, mapping: dict[str, str]) -> dict[str, str]:
    headers = list(job.headers or [])
    allowed = {code for code, _label in targets.choices_for(job.desk)}
    clean: dict[str, str] = {}
    for header in headers:
        target = mapping.get(header, "")
        if target not in allowed:
            raise InvalidInput(_("Choose what each column holds from the list."))
        clean[header] = target
    used = [t for t in clean.values() if t]
    if len(used) != len(set(used)):
        raise InvalidInput(_("Two columns are mapped to the same field."))
    if not used:
        raise InvalidInput(_("Map at least one column."))
    return clean


def _live(job: ImportJob, actor: User) -> ImportJob:
    locked = ImportJob.objects.select_for_update().select_related("desk").get(pk=job.pk)
    _require(actor, locked.desk)
    if not locked.is_live:
        raise InvalidInput(_("This import has already started or ended."))
    return locked


def import_check(
    *,
    job: ImportJob,
    actor: User,
    mapping: dict[str, str],
    save_as: str = "",
    request_id: str | None = None,
) -> planning.Plan:
    """Keep the mapping (and save it for reuse under ``save_as``), then the dry run: every row
    checked, nothing written but the job's own record of the errors."""
    with audit.atomic():
        locked = _live(job, actor)
        clean = _clean_mapping(locked, mapping)
        try:
            result = planning.plan(
                table_of(locked), clean, desk=locked.desk, archive=archive_of(locked)
            )
        except sheets.SheetError as exc:
            raise InvalidInput(str(exc)) from None
        locked.mapping = clean
        locked.errors = result.errors
        locked.error_count = len(result.errors)
        locked.status = ImportJob.Status.CHECKED
        locked.changed_at = timezone.now()
        locked.save()
        name = save_as.strip()[:80]
        if name:
            saved, _created = ImportMapping.objects.get_or_create(
                desk=locked.desk, name=name, defaults={"created_by": actor}
            )
            saved.columns = {h: t for h, t in clean.items() if t}
            saved.changed_at = timezone.now()
            saved.save()
            common.record_object(
                actor, "import.mapping_saved", "import_mapping", saved.pk, request_id
            )
        _record(actor, "import.checked", locked, len(result.errors), request_id)
    return result


def import_start(*, job: ImportJob, actor: User, request_id: str | None = None) -> ImportJob:
    """Queue the import of a checked job without errors (the background task runs it)."""
    from passage.imports.tasks import import_run_task

    with audit.atomic():
        locked = _live(job, actor)
        if locked.status != ImportJob.Status.CHECKED or locked.error_count:
            raise InvalidInput(_("Run the check again and correct every row first."))
        locked.status = ImportJob.Status.QUEUED
        locked.changed_at = timezone.now()
        locked.save(update_fields=["status", "changed_at"])
        _record(actor, "import.started", locked, request_id=request_id)
        job_id = str(locked.pk)

        def enqueue() -> None:
            result = import_run_task.enqueue(job_id)
            ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])

        transaction.on_commit(enqueue)
    return locked


def _destroy(job: ImportJob, status: str, moment: dt.datetime) -> None:
    """Shred the job's key and blobs (inside the caller's atomic) and mark how it ended."""
    shred.shred(job)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, destroyed_at=moment, changed_at=moment
    )


def _one_case(
    job: ImportJob, actor: User, case_plan: planning.CasePlan, archive: sheets.Archive
) -> dict[str, int]:
    made = {"notes": 0, "contacts": 0, "files": 0}

    def upload(item: planning.FilePlan) -> Upload:
        return Upload(name=item.name, data=archive.read(item.name))

    case = opening.case_open(
        desk=job.desk,
        actor=actor,
        person=case_plan.person,
        channels=case_plan.channels,
        urgency=case_plan.urgency,
        reply_language=case_plan.reply_language,
        country=case_plan.country,
        region=case_plan.region,
        household_size=case_plan.household_size,
        narrative=case_plan.narrative,
        now=case_plan.opened_at,
    )
    common.record(
        actor, "case.imported", case, object_type="import", object_id=f"{job.pk}:{case.pk}"
    )
    if case_plan.fields:
        field_values_set(case=case, actor=actor, values=case_plan.fields)
    for note_plan in case_plan.notes:
        note = note_add(case=case, actor=actor, body=note_plan.body)
        made["notes"] += 1
        for item in note_plan.files:
            case_file_add(
                case=case,
                actor=actor,
                upload=upload(item),
                description=item.description,
                attached_kind=NOTE_ATTACHMENT,
                attached_id=note.pk,
            )
            made["files"] += 1
    for contact_plan in case_plan.contacts:
        contact_log(
            case=case,
            actor=actor,
            channel=contact_plan.channel,
            direction=contact_plan.direction,
            summary=contact_plan.summary,
            with_whom=contact_plan.with_whom,
            happened_at=contact_plan.happened_at,
            attachments=[check_upload(upload(item)) for item in contact_plan.files],
            attachment_description=contact_plan.files[0].description if contact_plan.files else "",
        )
        made["contacts"] += 1
        made["files"] += len(contact_plan.files)
    for item in case_plan.files:
        case_file_add(case=case, actor=actor, upload=upload(item), description=item.description)
        made["files"] += 1
    return made


def import_run(job_id: uuid.UUID | str, *, now: dt.datetime | None = None) -> int:
    """Run a queued import (the background task): every case with its rows, one transaction
    each, progress counted as it goes; then the uploads are shredded. Returns cases made."""
    with audit.atomic():
        job = (
            ImportJob.objects.select_for_update()
            .select_related("desk", "created_by")
            .filter(pk=job_id, status=ImportJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return 0  # ran already, or abandoned: idempotent
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.RUNNING, changed_at=timezone.now()
        )
    actor = job.created_by
    made = 0
    try:
        table = table_of(job)
        archive = archive_of(job)
        result = planning.plan(
            table, dict(job.mapping or {}), desk=job.desk, archive=archive, check_files=False
        )
        if result.errors:
            raise InvalidInput(_("The file no longer passes the check."))
        for case_plan in result.cases:
            with audit.atomic():
                counts = _one_case(job, actor, case_plan, archive)
                ImportJob.objects.filter(pk=job.pk).update(
                    rows_done=F("rows_done") + case_plan.rows,
                    cases_created=F("cases_created") + 1,
                    notes_created=F("notes_created") + counts["notes"],
                    contacts_created=F("contacts_created") + counts["contacts"],
                    files_created=F("files_created") + counts["files"],
                    changed_at=timezone.now(),
                )
            made += 1
    except (CaseError, sheets.SheetError) as exc:
        # The class only: a message could name a field label, never worth the risk in a log.
        logger.warning("import %s stopped: %s", job.pk, type(exc).__name__)
        with audit.atomic():
            _destroy(job, ImportJob.Status.FAILED, now or timezone.now())
            _record("system", "import.failed", job, made)
        return made
    except Exception:
        with audit.atomic():
            _destroy(job, ImportJob.Status.FAILED, now or timezone.now())
            _record("system", "import.failed", job, made)
        raise
    with audit.atomic():
        ImportJob.objects.filter(pk=job.pk).update(rows_done=F("rows_total"))
        _destroy(job, ImportJob.Status.DONE, now or timezone.now())
        _record("system", "import.finished", job, made)
    return made


def import_abandon(*, job: ImportJob, actor: User, request_id: str | None = None) -> None:
    """Give up an import before it starts: its uploads are shredded at once."""
    with audit.atomic():
        locked = _live(job, actor)
        _destroy(locked, ImportJob.Status.ABANDONED, timezone.now())
        _record(actor, "import.abandoned", locked, request_id=request_id)


def imports_abandoned(*, now: dt.datetime | None = None) -> int:
    """Shred the uploads of imports left unstarted for a day. Idempotent."""
    moment = now or timezone.now()
    count = 0
    stale = ImportJob.objects.filter(
        status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED],
        destroyed_at__isnull=True,
        changed_at__lte=moment - ABANDONED_AFTER,
    ).values_list("pk", flat=True)
    for pk in list(stale):
        with audit.atomic():
            job = (
                ImportJob.objects.select_for_update()
                .filter(pk=pk, destroyed_at__isnull=True)
                .first()
            )
            if job is None:
                continue
            _destroy(job, ImportJob.Status.ABANDONED, moment)
            _record("system", "import.abandoned", job)
            count += 1
    return count


def mapping_for(job: ImportJob, saved: ImportMapping | None) -> dict[str, str]:
    """The mapping to offer: the job's own, else a saved one's, else guesses from headers."""
    headers = list(job.headers or [])
    if isinstance(job.mapping, dict) and job.mapping:
        return {h: str(job.mapping.get(h, "")) for h in headers}
    options = targets.choices_for(job.desk)
    allowed = {code for code, _label in options}
    if saved is not None:
        return {h: (t if (t := str(saved.columns.get(h, ""))) in allowed else "") for h in headers}
    guessed: dict[str, str] = {}
    for header in headers:
        code = targets.guess(header, options)
        guessed[header] = code if code not in guessed.values() else ""
    return guessed
