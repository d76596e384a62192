"""Draft services: save (first save audited, later ones not), restore (owner only, audited),
discard and clear (shredded: the key is gone), expiry (and drafts of shredded records)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from passage.accounts.models import User
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.crypto import shred
from passage.crypto.models import DataKey, ShredRecord
from passage.drafts import queries, services
from passage.drafts.exceptions import DraftRefused
from passage.drafts.models import Draft
from tests.drafts.conftest import story_key

pytestmark = pytest.mark.django_db

KEY = "/staff/cases/00000000-0000-4000-8000-000000000001/story/edit/#narrative"
TEXT = {"narrative": ["They followed me from the market, three days in a row."]}


def actions(object_id: str) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="draft", object_id=object_id)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def test_save_then_restore_for_its_owner(caseworker: User) -> None:
    draft = services.draft_save(actor=caseworker, form_key=KEY, values=TEXT)
    again = services.draft_save(
        actor=caseworker, form_key=KEY, values={"narrative": ["A longer version."]}
    )
    assert again.pk == draft.pk and Draft.objects.count() == 1
    assert services.draft_restore(actor=caseworker, form_key=KEY) == {
        "narrative": ["A longer version."]
    }
    # Created once, restored once; the second save is not an audit entry.
    assert actions(str(draft.pk)) == ["draft.created", "draft.restored"]
    assert Draft.objects.get(pk=draft.pk).expires_at > timezone.now() + dt.timedelta(days=6)


def test_only_the_owner_gets_a_draft(caseworker: User, colleague: User) -> None:
    services.draft_save(actor=caseworker, form_key=KEY, values=TEXT)
    assert services.draft_restore(actor=colleague, form_key=KEY) is None
    assert queries.draft_of(colleague, KEY) is None
    assert not services.draft_discard(actor=colleague, form_key=KEY)
    assert Draft.objects.filter(owner=caseworker).count() == 1


def test_discard_shreds_the_draft(caseworker: User) -> None:
    draft = services.draft_save(actor=caseworker, form_key=KEY, values=TEXT)
    assert DataKey.objects.filter(owner_id=draft.pk).exists()
    assert services.draft_discard(actor=caseworker, form_key=KEY)
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert not DataKey.objects.filter(owner_id=draft.pk).exists()
    assert ShredRecord.objects.filter(owner_id=draft.pk).exists()  # a restore shreds it again
    assert services.draft_restore(actor=caseworker, form_key=KEY) is None
    assert actions(str(draft.pk)) == ["draft.created", "draft.discarded"]
    assert not services.draft_discard(actor=caseworker, form_key=KEY)


def test_values_leave_out_tokens_and_secrets() -> None:
    data = QueryDict(mutable=True)
    data.update({"narrative": "text", "csrfmiddlewaretoken": "t", "passage_draft": KEY})
    data.update({"password": "p", "new_passphrase": "q", "code": "123456"})
    data.setlist("flags", ["a", "b"])
    assert services.values_from(data) == {"narrative": ["text"], "flags": ["a", "b"]}


@pytest.mark.parametrize(
    "values",
    [
        {f"field{i}": ["x"] for i in range(services.MAX_FIELDS + 1)},
        {"narrative": ["x" * (services.MAX_CHARS + 1)]},
    ],
)
def test_too_much_is_refused(values: dict[str, list[str]]) -> None:
    with pytest.raises(DraftRefused):
        services.values_from(values)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/staff/cases/x/#",
        "/help/#narrative",  # not the console
        "/staff/cases/#narrative#two",
        "/staff/../help/#narrative",
        "//evil.example/staff/#narrative",
        "/staff/cases/?q=name#narrative",  # no query strings
        "/staff/cases/#Narrative Form",
    ],
)
def test_a_malformed_key_is_refused(caseworker: User, key: str) -> None:
    with pytest.raises(DraftRefused):
        services.draft_save(actor=caseworker, form_key=key, values=TEXT)
    assert not Draft.objects.exists()


def test_expiry_destroys_old_drafts_and_is_idempotent(caseworker: User) -> None:
    old = services.draft_save(actor=caseworker, form_key=KEY, values=TEXT)
    fresh = services.draft_save(actor=caseworker, form_key=KEY.replace("0001", "0002"), values=TEXT)
    later = timezone.now() + services.KEEP_FOR + dt.timedelta(minutes=1)
    Draft.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.drafts_expire() == 1
    assert services.drafts_expire() == 0
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not DataKey.objects.filter(owner_id=old.pk).exists()
    assert actions(str(old.pk))[-1] == "draft.expired"
    assert services.drafts_expire(now=later) == 1
    assert not Draft.objects.exists()


def test_expired_drafts_are_not_restored(caseworker: User) -> None:
    draft = services.draft_save(actor=caseworker, form_key=KEY, values=TEXT)
    Draft.objects.filter(pk=draft.pk).update(expires_at=timezone.now())
    assert services.draft_restore(actor=caseworker, form_key=KEY) is None


def test_drafts_of_a_shredded_case_go_with_it(caseworker: User, north_case: Case) -> None:
    services.draft_save(actor=caseworker, form_key=story_key(north_case), values=TEXT)
    other = services.draft_save(actor=caseworker, form_key=KEY, values=TEXT)
    assert services.drafts_expire() == 0
    shred.shred(north_case)
    assert services.drafts_expire() == 1
    assert list(Draft.objects.values_list("pk", flat=True)) == [other.pk]


def test_the_periodic_job_is_registered() -> None:
    from django.conf import settings

    from passage.drafts import tasks

    assert "passage.drafts.tasks.drafts_expire" in settings.PASSAGE_PERIODIC_JOBS
    assert tasks.drafts_expire() == 0


def test_no_two_drafts_of_one_form_for_one_user(caseworker: User, colleague: User) -> None:
    services.draft_save(actor=caseworker, form_key=KEY, values=TEXT)
    services.draft_save(actor=colleague, form_key=KEY, values={"narrative": ["theirs"]})
    assert Draft.objects.count() == 2
    assert services.draft_restore(actor=colleague, form_key=KEY) == {"narrative": ["theirs"]}
