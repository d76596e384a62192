"""Shredding a case shreds the evidence bundles that hold its testimony (the shred hook)."""

from __future__ import annotations

import pytest

from passage.accounts.models import User
from passage.cases.models import Case
from passage.crypto import shred
from passage.crypto.models import DataKey, ShredRecord
from passage.evidence.models import Bundle
from passage.evidence.services import bundles
from tests.evidence.conftest import Record

pytestmark = pytest.mark.django_db


def _approved_bundle(caseworker: User, desk_lead: User, case: Case, testimony_id: object) -> Bundle:
    bundle = bundles.bundle_create(actor=caseworker, desk=case.desk, purpose="legal", title="ECHR")
    bundles.bundle_items_set(
        bundle=bundle, actor=caseworker, testimony_ids=[testimony_id], file_ids=[]
    )
    return bundles.bundle_approve(bundle=bundle, actor=desk_lead)


def test_shredding_a_case_shreds_its_bundles_and_no_others(
    north_case: Case, second_case: Case, caseworker: User, desk_lead: User, record: Record
) -> None:
    mine = _approved_bundle(caseworker, desk_lead, north_case, record(north_case).pk)
    other = _approved_bundle(caseworker, desk_lead, second_case, record(second_case).pk)
    assert DataKey.objects.filter(owner_id=mine.pk).exists()

    shred.shred(north_case)

    assert not DataKey.objects.filter(owner_id=mine.pk).exists()
    assert ShredRecord.objects.filter(owner_id=mine.pk).exists()  # a restore shreds it again
    emptied = Bundle.objects.get(pk=mine.pk)
    assert emptied.__dict__["pdf"] is None and emptied.__dict__["manifest"] is None
    # Another case's bundle is untouched and still opens.
    assert DataKey.objects.filter(owner_id=other.pk).exists()
    assert bundles.bundle_download(bundle=Bundle.objects.get(pk=other.pk), actor=caseworker)
    # Replaying (as after a restore) is harmless.
    shred.replay_ledger()
