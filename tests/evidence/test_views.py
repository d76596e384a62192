"""The evidence pages through the real URL tree, with CSRF-enforcing signed-in clients: who
gets which page (real objects; a colleague of another desk gets 404 for everything of a North
case's testimony and a North bundle), the audited read, recording through the form,
approval by a second person and the download's refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from passage.accounts.models import Lockdown, User
from passage.audit.models import AuditEntry
from passage.cases.models import Case
from passage.evidence import models
from passage.evidence.services import bundles, records
from tests.cases.views.conftest import Signed
from tests.cases.views.support import page, post, text_of, token_in
from tests.evidence.conftest import STATEMENT, Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(north_case: Case, caseworker: User, desk_lead: User, record: Record) -> dict[str, Any]:
    testimony = record(north_case)
    place = records.place_create(actor=caseworker, kind="detention_site", label="Bakery")
    draft = bundles.bundle_create(
        actor=caseworker, desk=north_case.desk, purpose="legal", title="Court bundle"
    )
    approved = bundles.bundle_create(
        actor=caseworker, desk=north_case.desk, purpose="legal", title="Approved bundle"
    )
    bundles.bundle_items_set(
        bundle=approved, actor=caseworker, testimony_ids=[testimony.pk], file_ids=[]
    )
    bundles.bundle_approve(bundle=approved, actor=desk_lead)
    return {
        "case": north_case,
        "testimony": testimony,
        "place": place,
        "draft": draft,
        "approved": approved,
    }


def _case_urls(o: dict[str, Any]) -> list[str]:
    case = o["case"].pk
    return [reverse("evidence:case", args=[case]), reverse("evidence:testimony-add", args=[case])]


def _testimony_urls(o: dict[str, Any]) -> list[str]:
    case, t = o["case"].pk, o["testimony"].pk
    names = ["testimony", "redaction-add", "redaction-remove", "consent-withdraw"]
    names += ["incident-add", "links", "file-add"]
    return [reverse(f"evidence:{n}", args=[case, t]) for n in names]


def _bundle_urls(o: dict[str, Any]) -> list[str]:
    urls = [reverse("evidence:bundle", args=[o["draft"].pk])]
    urls += [reverse("evidence:bundle-items", args=[o["draft"].pk])]
    urls += [reverse("evidence:bundle-approve", args=[o["draft"].pk])]
    for name in ("bundle", "bundle-download", "custody-add"):
        urls.append(reverse(f"evidence:{name}", args=[o["approved"].pk]))
    return urls


def test_a_colleague_of_another_desk_gets_404_for_everything_of_the_case(
    signed_in: Signed, colleague: User, objects: dict[str, Any]
) -> None:
    client = signed_in(colleague)
    token = token_in(page(client, reverse("evidence:index")))
    get_only_urls = {
        reverse("evidence:bundle", args=[objects[k].pk]) for k in ("draft", "approved")
    }
    for url in _case_urls(objects) + _testimony_urls(objects) + _bundle_urls(objects):
        # 405 only where the view takes no such method at all, whatever the ids: the method
        # check comes before any lookup, so it tells nothing about the case.
        post_only = "/redactions/" in url or url.endswith("/pdf/")
        assert client.get(url).status_code == (405 if post_only else 404), url
        posted = client.post(url, {"csrfmiddlewaretoken": token, "index": "0"})
        get_only = url.endswith("/testimony/") or url in get_only_urls
        assert posted.status_code == (405 if get_only else 404), url
    # The Evidence area itself is theirs too, with counts only.
    assert client.get(reverse("evidence:index")).status_code == 200


def test_who_works_the_case_gets_its_pages(
    signed_in: Signed, caseworker: User, desk_lead: User, screener: User, objects: dict[str, Any]
) -> None:
    worker = signed_in(caseworker)
    for url in _case_urls(objects) + _testimony_urls(objects):
        expected = 405 if "redactions" in url else 200
        assert worker.get(url).status_code == expected, url
    for url in _bundle_urls(objects):
        expected = {"approve": 404, "pdf": 405}  # approving is for desk leads; PDF by POST
        got = worker.get(url).status_code
        assert got == next((v for k, v in expected.items() if f"/{k}/" in url), 200), url
    lead = signed_in(desk_lead)
    draft = objects["draft"]
    bundles.bundle_items_set(
        bundle=draft, actor=caseworker, testimony_ids=[objects["testimony"].pk], file_ids=[]
    )
    approve = page(lead, reverse("evidence:bundle-approve", args=[draft.pk]))
    assert "European Court of Human Rights" in approve  # the court the consent names
    assert "Gairbekov" in approve and "Approve and make the PDF" in approve
    # A screener of the North desk holds no evidence permission: 404 everywhere.
    other = signed_in(screener)
    for url in _case_urls(objects) + _testimony_urls(objects) + _bundle_urls(objects):
        assert other.get(url).status_code == 404, url
    assert other.get(reverse("evidence:index")).status_code == 404


def test_the_statement_shows_only_after_the_audited_read(
    signed_in: Signed, caseworker: User, objects: dict[str, Any]
) -> None:
    client = signed_in(caseworker)
    url = reverse("evidence:testimony", args=[objects["case"].pk, objects["testimony"].pk])
    content = page(client, url)
    assert "Gairbekov" not in content and "Read the statement" in content
    before = AuditEntry.objects.filter(action="evidence.testimony_read").count()
    response = post(client, url)
    assert response.status_code == 200 and "Gairbekov" in text_of(response)
    assert AuditEntry.objects.filter(action="evidence.testimony_read").count() == before + 1
    # Marking a name: the redacted version drops it; the page is another recorded read.
    marked = post(
        client,
        reverse("evidence:redaction-add", args=[objects["case"].pk, objects["testimony"].pk]),
        {"phrase": "Gairbekov", "category": "name"},
    )
    assert marked.status_code == 200
    redacted = text_of(marked).split('id="redacted">')[1].split("</div>")[0]
    assert "Gairbekov" not in redacted and "[name]" in redacted
    assert AuditEntry.objects.filter(action="evidence.testimony_read").count() == before + 2


def test_recording_through_the_form(signed_in: Signed, caseworker: User, north_case: Case) -> None:
    client = signed_in(caseworker)
    url = reverse("evidence:testimony-add", args=[north_case.pk])
    refused = post(
        client,
        url,
        {"text": STATEMENT, "scopes": ["legal"], "consent_on": "2017-05-02", "legal_body": ""},
    )
    assert refused.status_code == 400 and "Name the court or body" in text_of(refused)
    done = post(
        client,
        url,
        {"text": STATEMENT, "scopes": ["internal"], "consent_on": "2017-05-02"},
    )
    assert done.status_code == 302
    made = models.Testimony.objects.get(case=north_case)
    assert made.scopes == ["internal"] and made.text == STATEMENT


def _download(client: Client, bundle: models.Bundle) -> Any:
    return post(client, reverse("evidence:bundle-download", args=[bundle.pk]))


def test_download_is_refused_before_approval_and_during_lockdown(
    signed_in: Signed, caseworker: User, admin: User, objects: dict[str, Any]
) -> None:
    client = signed_in(caseworker)
    assert _download(client, objects["draft"]).status_code == 400
    ok = _download(client, objects["approved"])
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert "no-store" in ok["Cache-Control"] and ok.content.startswith(b"%PDF")
    Lockdown.objects.create(proposed_by=admin, confirmed_by=admin, confirmed_at=timezone.now())
    with pytest.raises(bundles.NotAllowed) as refused:
        bundles.bundle_download(bundle=objects["approved"], actor=caseworker)
    assert "lockdown" in str(refused.value)


def test_the_approver_cannot_be_who_put_it_together(
    signed_in: Signed, desk_lead: User, north_case: Case, record: Record
) -> None:
    testimony = record(north_case, actor=desk_lead)
    own = bundles.bundle_create(actor=desk_lead, desk=north_case.desk, purpose="legal", title="x")
    bundles.bundle_items_set(bundle=own, actor=desk_lead, testimony_ids=[testimony.pk], file_ids=[])
    client = signed_in(desk_lead)
    url = reverse("evidence:bundle-approve", args=[own.pk])
    assert "a different person must approve it" in page(client, url)
    refused = post(client, url)
    assert refused.status_code == 400
    assert models.Bundle.objects.get(pk=own.pk).status == models.Bundle.Status.DRAFT
    custody = reverse("evidence:custody-add", args=[own.pk])
    assert client.get(custody).status_code == 404  # nothing to give out before approval


def test_the_corroboration_view_shows_counts_not_cases(
    signed_in: Signed,
    colleague: User,
    caseworker: User,
    north_case: Case,
    south_case: Case,
    record: Record,
) -> None:
    site = records.place_create(actor=caseworker, kind="detention_site", label="Old bakery")
    for case, actor in ((north_case, caseworker), (south_case, colleague)):
        made = record(case, actor=actor)
        records.links_set(
            testimony=made, actor=actor, places=[site.pk], perpetrators=[], incidents=[]
        )
    content = page(signed_in(colleague), reverse("evidence:index"))
    row = content.split("Unofficial detention site 1</th>")[1].split("</tr>")[0]
    assert "<td>2</td>" in row
    for hidden in (north_case.reference, south_case.reference, "Old bakery", "North"):
        assert hidden not in content


def test_withdrawing_consent_through_its_page(
    signed_in: Signed, caseworker: User, objects: dict[str, Any]
) -> None:
    client = signed_in(caseworker)
    url = reverse("evidence:consent-withdraw", args=[objects["case"].pk, objects["testimony"].pk])
    assert "leaves every evidence bundle" in page(client, url)
    assert post(client, url).status_code == 302
    assert models.Testimony.objects.get(pk=objects["testimony"].pk).is_withdrawn
    again = models.Bundle.objects.get(pk=objects["approved"].pk)
    assert again.status == models.Bundle.Status.DRAFT and not again.items.exists()
    assert client.get(url).status_code == 404  # nothing left to withdraw
