"""Export this case (the service): every section the case has, every admin-defined field and
checklist, for those who work the case and may export; audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from passage.accounts.models import PartnerOrganisation, User
from passage.alerts import services as alert_services
from passage.casefields.models import FieldDefinition, Kind
from passage.casefields.services import definitions
from passage.casefields.services.export import case_export
from passage.casefields.services.values import field_values_set
from passage.cases.exceptions import CaseNotFound, NotAllowed
from passage.cases.models import Case
from passage.cases.services import consent, triage
from tests.cases.helpers import audit_entries, interview
from tests.cases.views.conftest import HANDLE, NAME, STORY

pytestmark = pytest.mark.django_db


def test_the_document_holds_the_case_and_every_field(
    every_kind: dict[str, FieldDefinition],
    north_case: Case,
    caseworker: User,
    verifier: User,
    admin: User,
    partner_org: PartnerOrganisation,
) -> None:
    triage.triage_factors_set(case=north_case, factors={"immediate_danger"}, actor=caseworker)
    interview(north_case, verifier)
    consent.consent_record(
        case=north_case,
        recipient_kind=partner_org.kind,
        sections={"person"},
        given_on=timezone.localdate(),
        how_given="said yes on a Signal call",
        actor=caseworker,
    )
    field_values_set(
        case=north_case,
        actor=caseworker,
        values={
            every_kind[Kind.CHOICE].pk: "Registered, waiting",
            every_kind[Kind.DATE].pk: dt.date(2027, 3, 1),
            every_kind[Kind.CHECK].pk: {"done": True, "note": "handed over"},
            every_kind[Kind.TEXT].pk: "estradiol",
        },
    )
    definitions.definition_retire(definition=every_kind[Kind.TEXT], actor=admin)

    document = case_export(case=north_case, actor=caseworker, request_id="exp-1")
    json.dumps(document)  # JSON-ready as it is
    assert (document["format"], document["version"]) == ("passage.case-export", 1)
    assert document["reference"] == north_case.reference
    assert document["stage"] == north_case.stage
    [principal] = document["people"]
    assert principal["chosen_name"] == NAME and principal["principal"] is True
    assert principal["channels"][0]["value"] == HANDLE
    assert document["narrative"] == STORY
    assert document["triage"]["factors"] == ["immediate_danger"]
    assert [c["kind"] for c in document["verification"]["checks"]] == ["interview"]
    assert document["consent"][0]["how_given"] == "said yes on a Signal call"
    fields = {f["label"]: f for f in document["fields"]}
    assert fields["UNHCR status"] == {
        "section": "person",
        "label": "UNHCR status",
        "kind": "choice",
        "value": "Registered, waiting",
        "retired": False,
    }
    assert fields["Passport valid until"]["value"] == "2027-03-01"
    assert fields["Has a passport"]["value"] is None  # in use, nothing recorded
    assert fields["Hormone therapy supply"]["retired"] is True  # retired, value kept
    assert fields["Hormone therapy supply"]["value"] == "estradiol"
    assert "Months of supply needed" in fields
    assert document["checklists"] == {
        "departure": [
            {
                "label": "Safe phone handed over",
                "done": True,
                "note": "handed over",
                "retired": False,
            }
        ]
    }
    [entry] = audit_entries("case.exported", north_case.pk)
    assert (entry.actor, entry.request_id) == (f"user:{caseworker.pk}", "exp-1")


def test_only_those_who_work_the_case_and_may_export_get_it(
    north_case: Case, colleague: User, admin: User, verifier: User, desk_lead: User
) -> None:
    with pytest.raises(CaseNotFound):
        case_export(case=north_case, actor=colleague)
    with pytest.raises(CaseNotFound):
        case_export(case=north_case, actor=admin)
    with pytest.raises(NotAllowed):
        case_export(case=north_case, actor=verifier)  # works the case, may not export
    alert_services.break_glass_open(
        user=colleague,
        case_id=north_case.pk,
        desk_id=north_case.desk_id,
        reason="the North desk is offline and the person called our hotline",
    )
    with pytest.raises(NotAllowed):
        case_export(case=north_case, actor=colleague)  # break-glass is for reading
    assert audit_entries("case.exported", north_case.pk) == []
    assert case_export(case=north_case, actor=desk_lead)["reference"] == north_case.reference
