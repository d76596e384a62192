"""The evidence services with the real database and crypto: consent scopes, the audited read,
redaction, withdrawal and bundles (offered by consent, second approver, manifest hashes)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from pypdf import PdfReader

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.casefiles import services as casefiles
from passage.cases.exceptions import CaseNotFound, InvalidInput, NotAllowed
from passage.cases.models import Case
from passage.cases.services import duplicates
from passage.evidence import models, queries, redaction
from passage.evidence.models import Bundle, BundleItem
from passage.evidence.services import bundles, records
from passage.evidence.services import testimony as services
from tests.casefiles.conftest import png_with_text
from tests.evidence.conftest import STATEMENT, Record

pytestmark = pytest.mark.django_db


def _bundle(actor: User, case: Case, purpose: str = "legal") -> Bundle:
    return bundles.bundle_create(actor=actor, desk=case.desk, purpose=purpose, title="ECHR")


def test_recording_checks_the_consent_scopes(north_case: Case, caseworker: User) -> None:
    def record(scopes: list[str], body: str = "") -> models.Testimony:
        return services.testimony_record(
            case=north_case,
            actor=caseworker,
            text=STATEMENT,
            scopes=scopes,
            consent_on=dt.date(2017, 5, 2),
            legal_body=body,
        )

    with pytest.raises(InvalidInput):
        record([])
    with pytest.raises(InvalidInput):
        record(["internal", "un"])
    with pytest.raises(InvalidInput):
        record(["legal"])  # no court or body named
    with pytest.raises(InvalidInput):
        record(["nonsense"])
    made = record(["un", "legal"], "ECHR")
    assert made.scopes == ["legal", "un"] and made.number == 1
    assert record(["internal"]).number == 2


def test_colleague_of_another_desk_cannot_record_or_read(
    north_case: Case, colleague: User, record: Record
) -> None:
    with pytest.raises(CaseNotFound):
        services.testimony_record(
            case=north_case,
            actor=colleague,
            text="x",
            scopes=["internal"],
            consent_on=dt.date(2017, 5, 2),
        )
    made = record(north_case)
    with pytest.raises(CaseNotFound):
        services.testimony_read(testimony=made, actor=colleague)


def test_reading_is_an_audited_protected_read(
    north_case: Case, caseworker: User, record: Record
) -> None:
    made = record(north_case)
    before = AuditEntry.objects.count()
    read = services.testimony_read(testimony=made, actor=caseworker)
    assert read.text == STATEMENT
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))[
        before:
    ]
    assert "case.section_viewed.testimony" in actions
    assert "evidence.testimony_read" in actions


def test_redacted_text_holds_no_redacted_string(
    north_case: Case, caseworker: User, record: Record
) -> None:
    made = record(north_case)
    assert (
        services.redaction_add(testimony=made, actor=caseworker, category="name", phrase="ruslan")
        == 2
    )
    services.redaction_add(testimony=made, actor=caseworker, category="name", phrase="Gairbekov")
    services.redaction_add(testimony=made, actor=caseworker, category="place", phrase="Argun")
    services.redaction_add(testimony=made, actor=caseworker, category="date", phrase="12 March")
    with pytest.raises(InvalidInput):
        services.redaction_add(testimony=made, actor=caseworker, category="name", phrase="Zzz")
    row = models.Testimony.objects.get(pk=made.pk)
    out = redaction.redacted(row.text, row.redactions)
    for secret in ("Ruslan", "Gairbekov", "Argun", "12 March"):
        assert secret not in out
    assert "[name] [name] held me" in out or "[name] held me" in out
    assert "[place]" in out and "[date]" in out
    # Removing a span puts the wording back.
    services.redaction_remove(testimony=row, actor=caseworker, index=0)
    row = models.Testimony.objects.get(pk=made.pk)
    assert "12 March" in redaction.redacted(row.text, row.redactions)


def test_redaction_spans_merge_and_clip() -> None:
    text = "abcdefghij"
    assert redaction.redacted(text, [[2, 5, "name"], [4, 7, "place"], [8, 99, "other"]]) == (
        "ab[name]h[redacted]"
    )
    assert redaction.redacted(text, [[5, 2, "name"], ["x", 3, "name"], [1, 2, "bogus"]]) == text


def test_only_testimony_whose_consent_covers_the_purpose_is_offered(
    north_case: Case, caseworker: User, record: Record
) -> None:
    legal = record(north_case)
    internal = record(north_case, scopes=("internal",))
    un_only = record(north_case, scopes=("un",))
    bundle = _bundle(caseworker, north_case)
    assert [t.pk for t in bundles.offered(bundle, caseworker)] == [legal.pk]
    with pytest.raises(InvalidInput):
        bundles.bundle_items_set(
            bundle=bundle, actor=caseworker, testimony_ids=[internal.pk], file_ids=[]
        )
    un_bundle = _bundle(caseworker, north_case, "un")
    assert [t.pk for t in bundles.offered(un_bundle, caseworker)] == [un_only.pk]
    with pytest.raises(InvalidInput):
        bundles.bundle_create(actor=caseworker, desk=north_case.desk, purpose="internal", title="x")


def test_a_second_person_approves_and_the_manifest_matches_the_pdf(
    north_case: Case, caseworker: User, desk_lead: User, record: Record
) -> None:
    made = record(north_case)
    services.redaction_add(testimony=made, actor=caseworker, category="name", phrase="Ruslan")
    picture = services.testimony_file_add(
        testimony=made,
        actor=caseworker,
        upload=casefiles.Upload(name="bruises.png", data=png_with_text()),
    )
    bundle = _bundle(caseworker, north_case)
    bundles.bundle_items_set(
        bundle=bundle, actor=caseworker, testimony_ids=[made.pk], file_ids=[picture.pk]
    )
    with pytest.raises(NotAllowed):  # the one who put it together cannot approve (nor may they)
        bundles.bundle_approve(bundle=bundle, actor=caseworker)
    with pytest.raises(NotAllowed):  # no PDF before approval
        bundles.bundle_download(bundle=bundle, actor=caseworker)
    approved = bundles.bundle_approve(bundle=bundle, actor=desk_lead)
    assert approved.status == Bundle.Status.APPROVED and approved.approved_by == desk_lead
    data = bundles.bundle_download(bundle=approved, actor=caseworker)
    reader = PdfReader(io.BytesIO(data))
    attached = {name: contents[0] for name, contents in reader.attachments.items()}
    manifest = json.loads(attached.pop("manifest.json"))
    assert (
        {i["name"] for i in manifest["items"]}
        == set(attached)
        == {
            "testimony-1.txt",
            "file-1.png",
        }
    )
    for item in manifest["items"]:
        assert hashlib.sha256(attached[item["name"]]).hexdigest() == item["sha256"]
    listed = json.dumps(manifest["items"], sort_keys=True, separators=(",", ":")).encode()
    assert hashlib.sha256(listed).hexdigest() == manifest["bundle_sha256"]
    assert b"Ruslan" not in attached["testimony-1.txt"]
    assert attached["file-1.png"] == picture.content.read()
    text = "".join(page.extract_text() for page in reader.pages)
    assert manifest["bundle_sha256"][:16] in text.replace("\n", "")
    assert "Ruslan" not in text


def test_withdrawal_removes_from_unsent_bundles_but_not_sent_ones(
    north_case: Case, caseworker: User, desk_lead: User, record: Record
) -> None:
    made = record(north_case)
    other = record(north_case)
    draft = _bundle(caseworker, north_case)
    approved = _bundle(caseworker, north_case)
    sent = _bundle(caseworker, north_case)
    for bundle in (draft, approved, sent):
        bundles.bundle_items_set(
            bundle=bundle, actor=caseworker, testimony_ids=[made.pk, other.pk], file_ids=[]
        )
    bundles.bundle_approve(bundle=approved, actor=desk_lead)
    bundles.bundle_approve(bundle=sent, actor=desk_lead)
    bundles.custody_record(
        bundle=sent,
        actor=caseworker,
        recipient="Registry of the ECHR",
        given_on=dt.date(2017, 6, 1),
    )
    changed = services.consent_withdraw(testimony=made, actor=caseworker)
    assert {b.pk for b in changed} == {draft.pk, approved.pk}
    for bundle in (draft, approved):
        assert list(
            BundleItem.objects.filter(bundle=bundle).values_list("testimony", flat=True)
        ) == [other.pk]
    again = Bundle.objects.get(pk=approved.pk)
    assert again.status == Bundle.Status.DRAFT and again.pdf is None  # needs approving again
    assert BundleItem.objects.filter(bundle=sent, testimony=made).exists()
    assert Bundle.objects.get(pk=sent.pk).status == Bundle.Status.SENT
    assert made.pk not in {t.pk for t in bundles.offered(draft, caseworker)}
    assert AuditEntry.objects.filter(action="evidence.bundle_item_withdrawn").count() == 2
    with pytest.raises(InvalidInput):
        services.consent_withdraw(testimony=made, actor=caseworker)


def test_corroboration_counts_distinct_cases(
    north_case: Case,
    second_case: Case,
    south_case: Case,
    caseworker: User,
    colleague: User,
    record: Record,
) -> None:
    site = records.place_create(actor=caseworker, kind="detention_site", label="Old bakery, Argun")
    other_site = records.place_create(actor=caseworker, kind="detention_site", label="Farm")
    assert (site.number, other_site.number) == (1, 2)
    officer = records.perpetrator_create(actor=caseworker, name="R. G.", unit="Unit", role="chief")
    first = record(north_case)
    second_of_first = record(north_case)
    other = record(second_case)
    southern = record(south_case, actor=colleague)
    day = dt.date(2017, 3, 12)
    records.incident_record(
        testimony=first, actor=caseworker, violation="torture", place=site, date_from=day
    )
    records.links_set(
        testimony=second_of_first,
        actor=caseworker,
        places=[site.pk],
        perpetrators=[officer.pk],
        incidents=[],
    )
    records.incident_record(
        testimony=other, actor=caseworker, violation="torture", place=site, date_from=day
    )
    records.links_set(
        testimony=southern,
        actor=colleague,
        places=[site.pk],
        perpetrators=[officer.pk],
        incidents=[],
    )
    counts = queries.corroboration()
    by_place = {c.label: c.cases for c in counts.places}
    assert by_place == {site.code: 3}  # two testimonies of one case count once
    assert {c.label: c.cases for c in counts.perpetrators} == {officer.code: 2}
    assert {c.label: c.cases for c in counts.patterns} == {"Torture": 2}
    assert {c.label: c.cases for c in counts.patterns_by_place} == {f"Torture · {site.code}": 2}
    services.consent_withdraw(testimony=southern, actor=colleague)
    assert {c.label: c.cases for c in queries.corroboration().places} == {site.code: 2}


def test_links_refuse_an_incident_of_another_case(
    north_case: Case, second_case: Case, caseworker: User, record: Record
) -> None:
    first = record(north_case)
    other = record(second_case)
    incident = records.incident_record(
        testimony=other,
        actor=caseworker,
        violation="outing",
        place=None,
        date_from=dt.date(2017, 1, 1),
    )
    with pytest.raises(InvalidInput):
        records.links_set(
            testimony=first, actor=caseworker, places=[], perpetrators=[], incidents=[incident.pk]
        )
    with pytest.raises(InvalidInput):
        records.incident_record(
            testimony=first,
            actor=caseworker,
            violation="outing",
            place=None,
            date_from=dt.date(2017, 2, 1),
            date_to=dt.date(2017, 1, 1),
        )


def test_bundles_stay_in_their_desk(
    north_case: Case, caseworker: User, colleague: User, record: Record
) -> None:
    record(north_case)
    bundle = _bundle(caseworker, north_case)
    with pytest.raises(CaseNotFound):
        bundles.bundle_items_set(bundle=bundle, actor=colleague, testimony_ids=[], file_ids=[])
    with pytest.raises(CaseNotFound):
        bundles.bundle_create(actor=colleague, desk=north_case.desk, purpose="legal", title="x")
    assert queries.bundle_for(colleague, bundle.pk) is None
    assert queries.bundle_for(caseworker, bundle.pk) == bundle


def test_a_merge_moves_testimony_and_incidents_to_the_survivor(
    north_case: Case, second_case: Case, caseworker: User, record: Record
) -> None:
    kept = record(north_case)
    moved = record(second_case, text="Moved statement about the farm.")
    incident = records.incident_record(
        testimony=moved,
        actor=caseworker,
        violation="killing",
        place=None,
        date_from=dt.date(2017, 4, 1),
        description="moved incident",
    )
    duplicates.cases_merge(survivor=north_case, merged=second_case, actor=caseworker)
    rows = models.Testimony.objects.filter(case=north_case)
    assert {t.pk for t in rows} == {kept.pk, moved.pk}  # both numbered 1: numbers stay
    again = services.testimony_read(testimony=rows.get(pk=moved.pk), actor=caseworker)
    assert again.text == "Moved statement about the farm."
    assert models.Incident.objects.get(pk=incident.pk).description == "moved incident"
