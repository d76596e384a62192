"""Exports: redacted (no protected value), full (second approver, sealed to the recipient,
consent respected), formula injection neutralised, audit with counts, 7-day expiry, lockdown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import Lockdown
from passage.audit.models import AuditEntry
from passage.cases.exceptions import ApprovalRefused, InvalidInput, NotAllowed
from passage.crypto.fields import StoredFile, blob_path
from passage.exports import cells, envelope, rows, services
from passage.exports.models import Export
from tests.exports.conftest import MARK, World
from tests.personas import sign_in_as

pytestmark = pytest.mark.django_db


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _request(world: World, public: str, **extra: object) -> Export:
    return services.export_request(
        actor=world.lead,
        desk=world.desk,
        partner=world.partner,
        sections=["person", "contact", "narrative"],
        public_key=public,
        **extra,  # type: ignore[arg-type]
    )


# --- Cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_get_an_apostrophe(start: str) -> None:
    assert cells.neutral(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


def test_plain_cells_are_left_alone() -> None:
    assert cells.neutral("PSG-2026-000001") == "PSG-2026-000001"
    assert cells.neutral(3) == "3"
    assert cells.neutral(None) == ""


# --- Redacted --------------------------------------------------------------------------------


def test_redacted_export_holds_no_protected_value(world: World) -> None:
    export, data = services.export_redacted(actor=world.lead, filters=rows.Filters())
    assert MARK.encode() not in data
    assert b"HYPERLINK" not in data  # the chosen name is not there either
    table = _csv(data)
    assert tuple(table[0]) == rows.REDACTED_HEADER
    references = {line[0] for line in table[1:]}
    # Only the cases the lead works: the South desk's case is not in it.
    assert references == {world.consenting.reference, world.silent.reference}
    assert export.record_count == 2
    assert AuditEntry.objects.filter(
        action="export.redacted", object_type="export", object_id=f"{export.pk}:2"
    ).exists()


def test_redacted_filters_and_desk_name_neutralised(world: World) -> None:
    world.desk.name = "=cmd|' /C calc'!A0"
    world.desk.save()
    _, data = services.export_redacted(
        actor=world.lead, filters=rows.Filters(desk=world.desk, stage="new")
    )
    table = _csv(data)
    assert len(table) == 3
    assert all(line[1].startswith("'=") for line in table[1:])
    _, none = services.export_redacted(
        actor=world.lead,
        filters=rows.Filters(opened_to=timezone.localdate() - dt.timedelta(days=3)),
    )
    assert len(_csv(none)) == 1


def test_redacted_refuses_another_desk(world: World, desk_south: object) -> None:
    with pytest.raises(NotAllowed):
        services.export_redacted(
            actor=world.lead,
            filters=rows.Filters(desk=desk_south),  # type: ignore[arg-type]
        )


def test_caseworker_may_not_export(world: World, caseworker: object) -> None:
    with pytest.raises(NotAllowed):
        services.export_redacted(actor=caseworker, filters=rows.Filters())  # type: ignore[arg-type]


def test_redacted_view_downloads_csv(world: World) -> None:
    client = sign_in_as(world.lead)
    page = client.get(reverse("exports:redacted"))
    assert page.status_code == 200
    token = page.context["csrf_token"]
    answer = client.post(reverse("exports:redacted"), {"csrfmiddlewaretoken": str(token)})
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment;")
    assert "no-store" in answer["Cache-Control"]
    assert MARK.encode() not in answer.content
    bad = client.post(
        reverse("exports:redacted"),
        {"csrfmiddlewaretoken": str(token), "opened_from": "2026-02-01", "opened_to": "2026-01-01"},
    )
    assert bad.status_code == 400


# --- Full ------------------------------------------------------------------------------------


def test_full_export_needs_a_second_approver(world: World) -> None:
    public, _private = envelope.key_pair()
    export = _request(world, public)
    assert export.status == Export.Status.WAITING
    with pytest.raises(ApprovalRefused):
        services.export_approve(export=export, actor=world.lead)
    with pytest.raises(ApprovalRefused):
        services.export_download(export=export, actor=world.lead)
    export.refresh_from_db()
    assert export.status == Export.Status.WAITING
    assert not export.envelope


def test_full_export_opens_only_with_the_recipient_key(world: World) -> None:
    public, private = envelope.key_pair()
    export = _request(world, public)
    approved = services.export_approve(export=export, actor=world.second_lead)
    assert approved.status == Export.Status.READY
    # Consent respected: only the case whose person consented for a lawyer is in it.
    assert approved.record_count == 1
    assert approved.left_out == 1
    assert AuditEntry.objects.filter(action="export.approved", object_id=f"{export.pk}:1").exists()
    assert AuditEntry.objects.filter(
        action="case.exported_bulk", object_id=str(world.consenting.pk)
    ).exists()
    sealed = services.export_download(export=approved, actor=world.lead)
    assert MARK.encode() not in sealed
    # The stored blob is not the plaintext either.
    stored = Export.objects.get(pk=export.pk).envelope
    assert isinstance(stored, StoredFile)
    assert MARK.encode() not in blob_path(stored.blob_id).read_bytes()
    # Someone else's key does not open it.
    _other_public, other_private = envelope.key_pair()
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_envelope(sealed, envelope.parse_key(other_private))
    table = _csv(envelope.open_envelope(sealed, envelope.parse_key(private)))
    header, *lines = table
    assert header == rows.full_header(["contact", "narrative", "person"])
    assert len(lines) == 1
    line = dict(zip(header, lines[0], strict=True))
    assert line["reference"] == world.consenting.reference
    assert line["narrative"] == f"{MARK}-narrative-1"
    assert line["legal_name"] == f"{MARK}-legal-1"
    assert line["chosen_name"].startswith("'=HYPERLINK")  # neutralised
    assert f"+79001{MARK}" in line["contact_channels"]
    assert "health_needs" not in line  # not consented, not asked
    assert MARK + "-location" not in ",".join(lines[0])
    assert AuditEntry.objects.filter(
        action="export.downloaded", object_id=f"{export.pk}:1"
    ).exists()


def test_truncated_or_altered_envelope_refused() -> None:
    public, private = envelope.key_pair()
    sealed = envelope.seal(b"a" * (envelope.CHUNK * 2 + 5), envelope.parse_key(public))
    key = envelope.parse_key(private)
    assert envelope.open_envelope(sealed, key) == b"a" * (envelope.CHUNK * 2 + 5)
    cut = sealed[: len(envelope.MAGIC) + 80 + 24 + 4 + envelope.CHUNK + envelope.ABYTES]
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_envelope(cut, key)
    altered = bytearray(sealed)
    altered[-3] ^= 1
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_envelope(bytes(altered), key)


def test_bad_public_key_refused(world: World) -> None:
    with pytest.raises(InvalidInput):
        _request(world, "not a key")


def test_recipient_decrypt_command(world: World, tmp_path: object, capsys: object) -> None:
    from pathlib import Path

    public, private = envelope.key_pair()
    export = services.export_approve(export=_request(world, public), actor=world.second_lead)
    path = Path(str(tmp_path)) / "export.psgx"
    path.write_bytes(services.export_download(export=export, actor=world.lead))
    out = Path(str(tmp_path)) / "out.csv"
    assert envelope.main(["decrypt", str(path), "--key", private, "--out", str(out)]) == 0
    assert world.consenting.reference in out.read_text()
    _p, wrong = envelope.key_pair()
    assert envelope.main(["decrypt", str(path), "--key", wrong]) == 1


def test_full_export_through_the_pages(world: World) -> None:
    public, private = envelope.key_pair()
    asker = sign_in_as(world.lead)
    form = asker.get(reverse("exports:full-new"))
    assert form.status_code == 200
    token = str(form.context["csrf_token"])
    posted = asker.post(
        reverse("exports:full-new"),
        {
            "csrfmiddlewaretoken": token,
            "desk": str(world.desk.pk),
            "partner": str(world.partner.pk),
            "sections": ["person", "contact", "narrative"],
            "public_key": public,
        },
    )
    assert posted.status_code == 302
    export = Export.objects.get(kind=Export.Kind.FULL)
    # The asker cannot approve their own request (the page offers no button; a post refuses).
    own = asker.post(reverse("exports:approve", args=[export.pk]), {"csrfmiddlewaretoken": token})
    assert own.status_code == 400
    early = asker.post(
        reverse("exports:download", args=[export.pk]), {"csrfmiddlewaretoken": token}
    )
    assert early.status_code == 400
    approver = sign_in_as(world.second_lead)
    page = approver.get(reverse("exports:export", args=[export.pk]))
    assert page.status_code == 200
    assert b"Approve and build" in page.content
    token2 = str(page.context["csrf_token"])
    # Back from the step-up page the approval URL is a GET: the page again, nothing approved.
    back = approver.get(reverse("exports:approve", args=[export.pk]))
    assert back.status_code == 200 and b"Approve and build" in back.content
    assert Export.objects.get(pk=export.pk).status == Export.Status.WAITING
    done = approver.post(
        reverse("exports:approve", args=[export.pk]), {"csrfmiddlewaretoken": token2}
    )
    assert done.status_code == 302
    # Only the asker downloads.
    other = approver.post(
        reverse("exports:download", args=[export.pk]), {"csrfmiddlewaretoken": token2}
    )
    assert other.status_code == 404
    file = asker.post(reverse("exports:download", args=[export.pk]), {"csrfmiddlewaretoken": token})
    assert file.status_code == 200
    assert "no-store" in file["Cache-Control"]
    plain = envelope.open_envelope(file.content, envelope.parse_key(private))
    assert world.consenting.reference.encode() in plain
    listing = asker.get(reverse("exports:index"))
    assert listing.status_code == 200
    assert str(export.pk).encode() in listing.content
    assert MARK.encode() not in listing.content
    shown = asker.get(reverse("exports:export", args=[export.pk]))
    assert b"Download the sealed file" in shown.content


def test_refused_export_is_shredded(world: World) -> None:
    public, _ = envelope.key_pair()
    export = _request(world, public)
    services.export_refuse(export=export, actor=world.second_lead)
    export.refresh_from_db()
    assert export.status == Export.Status.REFUSED
    assert export.recipient_key is None
    with pytest.raises(ApprovalRefused):
        services.export_approve(export=export, actor=world.second_lead)


# --- Expiry ----------------------------------------------------------------------------------


def test_expiry_job_destroys_after_seven_days(world: World) -> None:
    public, _ = envelope.key_pair()
    asked = timezone.now()
    export = _request(world, public, now=asked)
    services.export_approve(export=export, actor=world.second_lead, now=asked)
    stored = Export.objects.get(pk=export.pk).envelope
    assert isinstance(stored, StoredFile)
    blob = blob_path(stored.blob_id)
    assert blob.exists()
    assert services.exports_expire(now=asked + dt.timedelta(days=6, hours=23)) == 0
    later = asked + dt.timedelta(days=7, seconds=1)
    with pytest.raises(ApprovalRefused):
        services.export_download(export=export, actor=world.lead, now=later)
    with _on_commit():
        assert services.exports_expire(now=later) == 1
    gone = Export.objects.get(pk=export.pk)
    assert gone.status == Export.Status.EXPIRED
    assert gone.envelope is None and gone.recipient_key is None
    assert not blob.exists()
    assert services.exports_expire(now=later) == 0  # idempotent
    assert AuditEntry.objects.filter(
        action="export.expired", actor="system", object_id=f"{export.pk}:1"
    ).exists()


class _on_commit:
    """Run the on-commit callbacks (blob deletion) queued inside the block, as a commit would."""

    def __enter__(self) -> None:
        from django.db import connection

        self._before = len(connection.run_on_commit)

    def __exit__(self, *exc: object) -> None:
        from django.db import connection

        callbacks = connection.run_on_commit[self._before :]
        del connection.run_on_commit[self._before :]
        for _sids, callback, _robust in callbacks:
            callback()


# --- Lockdown --------------------------------------------------------------------------------


def test_lockdown_refuses_every_export(world: World, admin: object) -> None:
    public, _ = envelope.key_pair()
    export = _request(world, public)
    Lockdown.objects.create(
        proposed_by=admin, confirmed_by=world.second_lead, confirmed_at=timezone.now()
    )
    with pytest.raises(services.ExportsDisabled):
        services.export_redacted(actor=world.lead, filters=rows.Filters())
    with pytest.raises(services.ExportsDisabled):
        _request(world, public)
    with pytest.raises(services.ExportsDisabled):
        services.export_approve(export=export, actor=world.second_lead)


def test_unknown_export_is_404(world: World) -> None:
    client = sign_in_as(world.lead)
    assert client.get(reverse("exports:export", args=[uuid.uuid4()])).status_code == 404


def test_pages_refuse_with_409_while_exports_are_disabled(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = sign_in_as(world.lead)
    token = str(client.get(reverse("exports:redacted")).context["csrf_token"])
    # The staff middleware signs everyone but admins out during a lockdown; the pages refuse
    # on their own too, whatever says exports are disabled.
    monkeypatch.setattr("passage.exports.views.exports_disabled", lambda: True)
    for name in ("exports:redacted", "exports:full-new"):
        assert client.get(reverse(name)).status_code == 409
    answer = client.post(reverse("exports:redacted"), {"csrfmiddlewaretoken": token})
    assert answer.status_code == 409
    assert b"lockdown" in answer.content
    assert not Export.objects.exists()


def test_a_bad_key_in_the_form_is_a_400(world: World) -> None:
    client = sign_in_as(world.lead)
    token = str(client.get(reverse("exports:full-new")).context["csrf_token"])
    answer = client.post(
        reverse("exports:full-new"),
        {
            "csrfmiddlewaretoken": token,
            "desk": str(world.desk.pk),
            "partner": str(world.partner.pk),
            "sections": ["person"],
            "public_key": "c2hvcnQ=",
        },
    )
    assert answer.status_code == 400
    assert b"X25519" in answer.content
    assert not Export.objects.exists()
