"""Adding, opening and removing the files of a case (each audited).

- ``check_upload`` takes the bytes someone uploaded and gives back a ``CheckedUpload``: its
  type found from the content (never the name), its metadata stripped
  (``passage.core.files.clean_file``: EXIF, XMP, ICC and text chunks of pictures, the Info
  dictionary, XMP and active content of PDFs, the tags of recordings), or ``FileRefused``.
  A form calls it while validating, so the error stands next to the field and the file is
  cleaned once.
- ``case_file_add`` stores a file (checking it first if it was not checked yet) encrypted
  under the case's key; ``case_file_open`` records the audited read and returns the content;
  ``case_file_remove`` erases the content and the name (the row stays as a tombstone).

Audit entries name the file (``object_type="casefile"``) and carry no name or description.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.accounts.visibility import Access
from passage.alerts import services as alert_services
from passage.audit import services as audit
from passage.casefiles.models import CaseFile
from passage.cases import access
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import common
from passage.core.files import CleanFile, UnsafeFile, clean_file
from passage.crypto import shred
from passage.crypto.exceptions import KeyNotFound
from passage.crypto.fields import PlainFile, StoredFile

# The section code of the audited reads (``case.section_viewed.files``).
SECTION = "files"
MAX_NAME = 255
MAX_DESCRIPTION = 2000
ATTACHED_KIND_RE = re.compile(r"[a-z][a-z_]{0,19}")
# Who may open files: the case's desk or assignee, and break-glass readers (audited, and judged
# as unusual reading). Partners never see files.
READERS = frozenset({Access.DESK, Access.ASSIGNEE, Access.BREAK_GLASS})

GONE = gettext_lazy("This file was removed.")


class FileRefused(InvalidInput):
    """An upload that is not kept; ``code`` says why (``passage.core.files.UnsafeFile`` codes,
    or ``missing`` when no file came)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Upload:
    """What arrived: the name the browser gave and the bytes, unchecked."""

    name: str
    data: bytes


@dataclass(frozen=True)
class CheckedUpload:
    """An upload after ``check_upload``: its original name and the clean file."""

    name: str
    clean: CleanFile


@dataclass(frozen=True)
class OpenedFile:
    """A file's decrypted content with a download name that says nothing about the person."""

    data: bytes
    content_type: str
    download_name: str


def original_name(name: str) -> str:
    """The last part of a browser's file name (some send a whole path), at most 255 chars."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:MAX_NAME]


def check_upload(upload: Upload) -> CheckedUpload:
    """The upload with its real type checked and its metadata stripped, or ``FileRefused``."""
    try:
        clean = clean_file(name=upload.name, data=upload.data)
    except UnsafeFile as exc:
        raise FileRefused(str(exc.message), code=exc.code) from None
    return CheckedUpload(name=original_name(upload.name), clean=clean)


def download_name(case_file: CaseFile, case: Case) -> str:
    """``PSG-2026-000123-file-3.pdf``: the reference, the number and the real type only."""
    return f"{case.reference}-file-{case_file.number}.{case_file.extension}"


def _attachment(kind: str | None, object_id: uuid.UUID | None) -> tuple[str, uuid.UUID | None]:
    if not kind and object_id is None:
        return "", None
    if not kind or object_id is None or not ATTACHED_KIND_RE.fullmatch(kind):
        raise InvalidInput(_("A file is attached to something by a kind code and an id."))
    return kind, object_id


def case_file_add(
    *,
    case: Case,
    actor: User,
    upload: Upload | CheckedUpload,
    description: str = "",
    attached_kind: str | None = None,
    attached_id: uuid.UUID | None = None,
    request_id: str | None = None,
) -> CaseFile:
    """Store a file of ``case`` (checked and stripped if it was not yet), encrypted.

    ``attached_kind``/``attached_id`` hang it on something of the case (a contact, a note);
    the caller makes sure that object belongs to ``case``.
    """
    access.require_working(actor, case)
    kind, object_id = _attachment(attached_kind, attached_id)
    text = description.strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(_("Keep the description under 2000 characters."))
    checked = upload if isinstance(upload, CheckedUpload) else check_upload(upload)
    clean = checked.clean
    with audit.atomic():
        locked = common.lock(case)
        highest = CaseFile.objects.filter(case=locked).aggregate(Max("number"))["number__max"]
        row = CaseFile(
            case=locked,
            number=(highest or 0) + 1,
            content=PlainFile(
                name=checked.name or f"{clean.kind}.{clean.extension}",
                content=clean.data,
                content_type=clean.content_type,
            ),
            description=text or None,
            kind=clean.kind,
            content_type=clean.content_type,
            extension=clean.extension,
            size=len(clean.data),
            uploaded_by=actor,
            attached_kind=kind,
            attached_id=object_id,
        )
        row.save()
        common.record(
            actor,
            "case.file_added",
            locked,
            object_type="casefile",
            object_id=str(row.pk),
            request_id=request_id,
        )
    return CaseFile.objects.select_related("case").get(pk=row.pk)  # as stored, not in memory


def _reader_access(actor: User, case: Case) -> Access:
    seen = access.access_to(actor, case)
    if seen not in READERS or not actor.may(Perm.CASES_VIEW_DESK):
        raise CaseNotFound(_("No such case."))
    return seen


def _read_recorded(actor: User, case: Case, request_id: str | None) -> None:
    """``case.section_viewed.files``, judged like every protected read (alerts if unusual)."""
    alert_services.protected_read(
        user=actor,
        case_id=case.pk,
        desk_id=case.desk_id,
        section=SECTION,
        assignee_id=case.assignee_id,
        request_id=request_id,
    )


def case_file_open(
    *, case_file: CaseFile, actor: User, request_id: str | None = None
) -> OpenedFile:
    """Record that ``actor`` opened the file (and judge the reading), then decrypt it.

    Two entries in one transaction: ``case.section_viewed.files`` on the case (so the reading
    counts like any other protected read, break-glass included) and ``case.file_opened`` on
    the file. A removed file cannot be opened (``NotAllowed``).
    """
    case = case_file.case
    _reader_access(actor, case)
    # As stored now (a row just added still holds the plain file it was given).
    row = CaseFile.objects.filter(pk=case_file.pk, case=case).first()
    if row is None:
        raise CaseNotFound(_("No such file."))
    if row.is_removed:
        raise NotAllowed(str(GONE))
    try:
        stored = row.content
        if not isinstance(stored, StoredFile):
            raise NotAllowed(str(GONE))
        data = stored.read()
    except KeyNotFound:  # shredded with its case, or the blob is gone
        raise NotAllowed(str(GONE)) from None
    with audit.atomic():
        _read_recorded(actor, case, request_id)
        common.record(
            actor,
            "case.file_opened",
            case,
            object_type="casefile",
            object_id=str(row.pk),
            request_id=request_id,
        )
    return OpenedFile(
        data=data,
        content_type=row.content_type,
        download_name=download_name(row, case),
    )


def case_files_reveal(*, case: Case, actor: User, request_id: str | None = None) -> None:
    """Record that ``actor`` sees the names and descriptions of the case's files."""
    _reader_access(actor, case)
    _read_recorded(actor, case, request_id)


def case_file_remove(
    *, case_file: CaseFile, actor: User, request_id: str | None = None
) -> CaseFile:
    """Erase the file's content, name and description; the row stays as a tombstone (number,
    kind, size, who added and removed it, when).

    The blob is deleted after commit. The case's data key stays (it encrypts the rest of the
    case): a backup taken before the removal holds the file until the case is shredded.
    """
    access.require_working(actor, case_file.case)
    with audit.atomic():
        locked = common.lock(case_file.case)
        row = CaseFile.objects.filter(pk=case_file.pk, case=locked).first()
        if row is None:
            raise CaseNotFound(_("No such file."))
        if row.is_removed:
            raise InvalidInput(str(GONE))
        shred.erase(row)
        row.removed_at = timezone.now()
        row.removed_by = actor
        row.save(update_fields=["removed_at", "removed_by"])
        common.record(
            actor,
            "case.file_removed",
            locked,
            object_type="casefile",
            object_id=str(row.pk),
            request_id=request_id,
        )
    return row
