"""Evidence bundles: testimonies and their files for one purpose, approved by a second person,
made into a PDF with a manifest, given out with a chain of custody.

- A bundle belongs to a desk: its items come from that desk's cases only, and only members
  of the desk who hold the permission see it (compartments hold for evidence too).
- ``bundle_items_set`` offers only testimonies whose consent (not withdrawn) covers the
  bundle's purpose; internal-only testimony never leaves.
- ``bundle_approve``: a different user than the one who made the bundle, with
  ``Perm.EVIDENCE_APPROVE`` (the views add step-up); it renders the PDF from the redacted
  items and stores it and the manifest encrypted under the bundle's own key.
- ``bundle_download``: refused while lockdown switches exports off; each download is audited
  and counts as a protected read of every case in it.
- ``custody_record``: to whom, when and how the PDF was given; the first one marks the bundle
  given out (consent withdrawal no longer changes it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.alerts import services as alert_services
from passage.audit import services as audit
from passage.casefiles.models import CaseFile
from passage.cases import access
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.cases.services import common
from passage.crypto.fields import PlainFile, StoredFile
from passage.evidence import pdf, redaction
from passage.evidence.models import PURPOSES, Bundle, BundleItem, CustodyEntry, Scope, Testimony
from passage.evidence.services.common import refuse_if_locked_down, require_desk
from passage.evidence.services.testimony import ATTACHED_KIND, SECTION

MAX_TITLE = 200
MAX_RECIPIENT = 300
MAX_NOTE = 2000


def bundle_create(
    *, actor: User, desk: Desk, purpose: str, title: str, request_id: str | None = None
) -> Bundle:
    require_desk(actor, desk)
    if purpose not in {p.value for p in PURPOSES}:
        raise InvalidInput(_("Choose what the bundle is for."))
    text = title.strip()
    if not text or len(text) > MAX_TITLE:
        raise InvalidInput(_("Give the bundle a title of at most 200 characters."))
    with audit.atomic():
        bundle = Bundle(desk=desk, purpose=purpose, title=text, created_by=actor)
        bundle.save()
        common.record_object(actor, "evidence.bundle_created", "bundle", bundle.pk, request_id)
    return bundle


def _locked(bundle: Bundle) -> Bundle:
    return Bundle.objects.select_for_update().select_related("desk").get(pk=bundle.pk)


def offered(bundle: Bundle, actor: User) -> list[Testimony]:
    """The testimonies ``actor`` may put in ``bundle``: of the desk's cases they work, with a
    consent (not withdrawn) that covers its purpose."""
    rows = Testimony.objects.filter(
        case__desk_id=bundle.desk_id,
        withdrawn_at__isnull=True,
        case__merged_into__isnull=True,
    ).select_related("case")
    return [
        t
        for t in rows
        if t.covers(bundle.purpose) and access.access_to(actor, t.case) in access.WORKING
    ]


def offered_files(testimonies: Iterable[Testimony]) -> dict[uuid.UUID, list[CaseFile]]:
    by_testimony: dict[uuid.UUID, list[CaseFile]] = {t.pk: [] for t in testimonies}
    rows = CaseFile.objects.filter(
        attached_kind=ATTACHED_KIND, attached_id__in=list(by_testimony), removed_at__isnull=True
    )
    for row in rows:
        if row.attached_id in by_testimony:
            by_testimony[row.attached_id].append(row)
    return by_testimony


def bundle_items_set(
    *,
    bundle: Bundle,
    actor: User,
    testimony_ids: Iterable[uuid.UUID],
    file_ids: Iterable[uuid.UUID],
    request_id: str | None = None,
) -> Bundle:
    """Choose the bundle's testimonies and files (files of chosen testimonies only)."""
    require_desk(actor, bundle.desk)
    wanted = set(testimony_ids)
    wanted_files = set(file_ids)
    with audit.atomic():
        locked = _locked(bundle)
        if locked.status != Bundle.Status.DRAFT:
            raise NotAllowed(_("An approved bundle cannot be changed."))
        available = {t.pk: t for t in offered(locked, actor)}
        if not wanted <= set(available):
            raise InvalidInput(
                _("A chosen testimony cannot go in this bundle (its consent does not cover it).")
            )
        files = offered_files([available[pk] for pk in wanted])
        allowed_files = {f.pk: f for rows in files.values() for f in rows}
        if not wanted_files <= set(allowed_files):
            raise InvalidInput(_("A file can go in only with its testimony."))
        BundleItem.objects.filter(bundle=locked).delete()
        for pk in sorted(wanted, key=lambda k: (available[k].case.reference, available[k].number)):
            BundleItem.objects.create(bundle=locked, testimony=available[pk], added_by=actor)
            for case_file in files[pk]:
                if case_file.pk in wanted_files:
                    BundleItem.objects.create(
                        bundle=locked,
                        testimony=available[pk],
                        case_file=case_file,
                        added_by=actor,
                    )
        common.record_object(actor, "evidence.bundle_items_set", "bundle", locked.pk, request_id)
    return locked


def items_of(bundle: Bundle) -> list[BundleItem]:
    return list(
        BundleItem.objects.filter(bundle=bundle).select_related(
            "testimony", "testimony__case", "case_file"
        )
    )


def _reads(actor: User, items: list[BundleItem], request_id: str | None) -> None:
    cases = {i.testimony.case.pk: i.testimony.case for i in items}.values()
    if cases:
        alert_services.protected_reads(
            user=actor,
            cases=[alert_services.CaseFacts(c.pk, c.desk_id, c.assignee_id) for c in cases],
            section=SECTION,
            request_id=request_id,
        )


def pdf_items(items: list[BundleItem]) -> list[pdf.Item]:
    """The bundle's items as they go out: redacted texts and stored files, numbered in the
    bundle (never a case reference or a file's original name)."""
    result: list[pdf.Item] = []
    texts = 0
    files = 0
    for item in items:
        if item.case_file is None:
            texts += 1
            testimony = item.testimony
            text = testimony.text or ""
            clean = redaction.redacted(text, testimony.redactions or [])
            result.append(
                pdf.Item(
                    name=f"testimony-{texts}.txt",
                    kind="testimony",
                    data=clean.encode("utf-8"),
                    text=clean,
                )
            )
        else:
            files += 1
            stored = item.case_file.content
            if not isinstance(stored, StoredFile):
                raise NotAllowed(_("A file of this bundle was removed: choose the items again."))
            result.append(
                pdf.Item(
                    name=f"file-{files}.{item.case_file.extension}",
                    kind="file",
                    data=stored.read(),
                    content_type=item.case_file.content_type,
                )
            )
    return result


def approval_refusal(bundle: Bundle, actor: User) -> str | None:
    """Why ``actor`` may not approve ``bundle`` now, or None."""
    if not actor.may(Perm.EVIDENCE_APPROVE):
        return _("Only a desk lead approves evidence bundles.")
    if bundle.status != Bundle.Status.DRAFT:
        return _("This bundle was approved already.")
    if bundle.created_by_id == actor.pk:
        return _("You put this bundle together: a different person must approve it.")
    return None


def bundle_preview(*, bundle: Bundle, actor: User, request_id: str | None = None) -> list[pdf.Item]:
    """What would go out (redacted), for the approver: a protected read of every case in it."""
    require_desk(actor, bundle.desk)
    items = items_of(bundle)
    with audit.atomic():
        _reads(actor, items, request_id)
        common.record_object(actor, "evidence.bundle_previewed", "bundle", bundle.pk, request_id)
    return pdf_items(items)


def bundle_approve(
    *,
    bundle: Bundle,
    actor: User,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> Bundle:
    """The second pair of eyes: check every item's consent again, make the PDF and the
    manifest, store both encrypted under the bundle's key."""
    require_desk(actor, bundle.desk, Perm.EVIDENCE_APPROVE)
    moment = now or timezone.now()
    with audit.atomic():
        locked = _locked(bundle)
        refusal = approval_refusal(locked, actor)
        if refusal:
            raise NotAllowed(refusal)
        items = items_of(locked)
        if not items:
            raise InvalidInput(_("Choose at least one testimony first."))
        for item in items:
            if not item.testimony.covers(locked.purpose):
                raise NotAllowed(_("A testimony's consent no longer covers this bundle."))
        out = pdf_items(items)
        facts = pdf.manifest(
            bundle_id=str(locked.pk),
            purpose=locked.purpose,
            made_at=moment.isoformat(timespec="seconds"),
            items=out,
        )
        data = pdf.render(
            title=locked.title or "",
            purpose_label=str(dict(Scope.choices)[locked.purpose]),
            items=out,
            facts=facts,
        )
        locked.pdf = PlainFile(
            name=f"bundle-{locked.pk}.pdf", content=data, content_type="application/pdf"
        )
        locked.manifest = facts
        locked.status = Bundle.Status.APPROVED
        locked.approved_by = actor
        locked.approved_at = moment
        locked.save(update_fields=["pdf", "manifest", "status", "approved_by", "approved_at"])
        _reads(actor, items, request_id)
        common.record_object(actor, "evidence.bundle_approved", "bundle", locked.pk, request_id)
    return Bundle.objects.select_related("desk").get(pk=locked.pk)


def bundle_download(*, bundle: Bundle, actor: User, request_id: str | None = None) -> bytes:
    """The approved PDF, after its audit entry; refused during lockdown."""
    require_desk(actor, bundle.desk)
    refuse_if_locked_down()
    if bundle.status == Bundle.Status.DRAFT:
        raise NotAllowed(_("The bundle has no PDF until a second person approves it."))
    stored = bundle.pdf
    if not isinstance(stored, StoredFile):
        raise NotAllowed(_("The bundle has no PDF until a second person approves it."))
    items = items_of(bundle)
    with audit.atomic():
        _reads(actor, items, request_id)
        common.record_object(actor, "evidence.bundle_downloaded", "bundle", bundle.pk, request_id)
    return stored.read()


def custody_record(
    *,
    bundle: Bundle,
    actor: User,
    recipient: str,
    given_on: dt.date,
    note: str = "",
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> CustodyEntry:
    """The PDF was given to ``recipient`` on ``given_on``; the first entry marks it sent."""
    require_desk(actor, bundle.desk)
    moment = now or timezone.now()
    who = recipient.strip()
    if not who or len(who) > MAX_RECIPIENT:
        raise InvalidInput(_("Say to whom it was given (at most 300 characters)."))
    how = note.strip()
    if len(how) > MAX_NOTE:
        raise InvalidInput(_("Keep the note under 2000 characters."))
    if given_on > timezone.localdate(moment):
        raise InvalidInput(_("The day it was given cannot be in the future."))
    with audit.atomic():
        locked = _locked(bundle)
        if locked.status == Bundle.Status.DRAFT:
            raise NotAllowed(_("Only an approved bundle can be given out."))
        entry = CustodyEntry(
            bundle=locked,
            given_on=given_on,
            recipient=who,
            note=how or None,
            recorded_by=actor,
            recorded_at=moment,
        )
        entry.save()
        if locked.sent_at is None:
            locked.sent_at = moment
            locked.status = Bundle.Status.SENT
            locked.save(update_fields=["sent_at", "status"])
        common.record_object(actor, "evidence.custody_recorded", "bundle", locked.pk, request_id)
    return entry
