"""The auditor's page /staff/audit/: filters, pagination, chain verification, and its own audit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from passage.accounts.models import Desk, User
from passage.accounts.services import reads
from passage.audit import queries as audit_queries
from passage.audit import services as audit
from passage.audit.models import AuditEntry
from tests.alerts.helpers import page_token

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]


def rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.DOTALL)
    return re.findall(r"<tr>(.*?)</tr>", body.group(1), re.DOTALL) if body else []


def test_auditors_see_entries_newest_first_with_usernames(
    signed_in: SignedIn, auditor: User, caseworker: User, desk_north: Desk
) -> None:
    case = uuid.uuid4()
    reads.protected_read_record(
        user=caseworker, case_id=case, desk_id=desk_north.id, section="person"
    )
    response = signed_in(auditor).get("/staff/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    found = rows(html)
    assert "audit.log_viewed" in found[0]  # this very look, newest first
    assert "case.section_viewed.person" in found[1]
    assert f'caseworker <span class="muted">(user:{caseworker.pk})</span>' in found[1]
    assert f"case:{case}" in found[1]


def test_viewing_the_log_is_audited(signed_in: SignedIn, auditor: User) -> None:
    signed_in(auditor).get("/staff/audit/?action=alert")
    entry = AuditEntry.objects.get(action="audit.log_viewed")
    assert entry.actor == f"user:{auditor.pk}"
    assert (entry.object_type, entry.object_id) == ("audit", "log")


def test_filters_by_actor_object_action_and_date(
    signed_in: SignedIn, auditor: User, caseworker: User, colleague: User, desk_north: Desk
) -> None:
    case, other = uuid.uuid4(), uuid.uuid4()
    reads.protected_read_record(
        user=caseworker, case_id=case, desk_id=desk_north.id, section="person"
    )
    reads.protected_read_record(
        user=caseworker, case_id=other, desk_id=desk_north.id, section="plan"
    )
    reads.protected_read_record(user=colleague, case_id=case, desk_id=None, section="person")
    client = signed_in(auditor)

    by_actor = rows(client.get("/staff/audit/?actor=CASEWORKER").content.decode())
    assert len(by_actor) == 2 and all(f"user:{caseworker.pk}" in row for row in by_actor)

    by_case = rows(client.get(f"/staff/audit/?object_id={case}").content.decode())
    assert len(by_case) == 2 and all(str(case) in row for row in by_case)

    both = rows(client.get(f"/staff/audit/?object_id={case}&actor=colleague").content.decode())
    assert len(both) == 1

    by_action = rows(client.get("/staff/audit/?action=case.section_viewed").content.decode())
    assert len(by_action) == 3
    plan = rows(client.get("/staff/audit/?action=case.section_viewed.plan").content.decode())
    assert len(plan) == 1
    # A prefix matches whole segments only.
    assert rows(client.get("/staff/audit/?action=case.section").content.decode()) == []

    future = rows(client.get("/staff/audit/?since=2999-01-01").content.decode())
    assert future == []
    past = rows(client.get("/staff/audit/?until=2000-01-01").content.decode())
    assert past == []
    wide = rows(
        client.get(
            "/staff/audit/?since=2000-01-01&until=2999-01-01&actor=colleague"
        ).content.decode()
    )
    assert len(wide) == 1


@pytest.mark.parametrize(
    "query",
    [
        "actor=nobody-here",
        "object_id=<script>",
        "action=Case View",
        "since=yesterday",
        "since=2026-02-02&until=2026-02-01",
    ],
)
def test_bad_filters_are_a_400_with_a_message(
    signed_in: SignedIn, auditor: User, query: str
) -> None:
    response = signed_in(auditor).get(f"/staff/audit/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<script>" not in html


def test_pages_of_fifty(signed_in: SignedIn, auditor: User) -> None:
    with audit.atomic():
        for _ in range(60):
            audit.record(actor="system", action="test.filler", object_type="test", object_id="x")
    client = signed_in(auditor)
    first = client.get("/staff/audit/?action=test").content.decode()
    assert len(rows(first)) == 50
    assert 'href="?action=test&amp;page=2"' in first
    second = client.get("/staff/audit/?action=test&page=2").content.decode()
    assert len(rows(second)) == 10


def test_verify_chain_reports_intact_with_count_and_head(
    signed_in: SignedIn, auditor: User
) -> None:
    client = signed_in(auditor)
    token = page_token(client, "/staff/audit/")
    head = audit_queries.chain_head()  # the run's own entry comes after it
    response = client.post("/staff/audit/verify/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Intact: {head.sequence} entries checked" in html
    assert head.line() in html
    assert AuditEntry.objects.filter(action="audit.chain_verified").count() == 1


def test_verify_against_a_pasted_anchor(signed_in: SignedIn, auditor: User) -> None:
    client = signed_in(auditor)
    token = page_token(client, "/staff/audit/")
    anchor = audit_queries.chain_head()
    good = client.post(
        "/staff/audit/verify/", {"csrfmiddlewaretoken": token, "anchor": anchor.line()}
    )
    assert "Intact:" in good.content.decode()

    forged = f"passage-audit-anchor v1 seq={anchor.sequence} hash={'a' * 64}"
    bad = client.post("/staff/audit/verify/", {"csrfmiddlewaretoken": token, "anchor": forged})
    assert bad.status_code == 200
    assert "Broken:" in bad.content.decode()
    assert AuditEntry.objects.filter(action="audit.chain_verify_failed").count() == 1

    malformed = client.post(
        "/staff/audit/verify/", {"csrfmiddlewaretoken": token, "anchor": "not an anchor"}
    )
    assert malformed.status_code == 400
    assert "This is not an anchor line" in malformed.content.decode()


def test_verify_needs_the_csrf_token(signed_in: SignedIn, auditor: User) -> None:
    assert signed_in(auditor).post("/staff/audit/verify/").status_code == 403


@pytest.mark.parametrize("persona", ["admin", "caseworker", "desk_lead", "partner_user"])
def test_everyone_but_auditors_gets_404(
    signed_in: SignedIn, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client = signed_in(user)
    assert client.get("/staff/audit/").status_code == 404
    token = page_token(client, "/staff/sessions/")  # the sign-out form's token
    assert client.post("/staff/audit/verify/", {"csrfmiddlewaretoken": token}).status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="audit.").exists()


def test_the_outsider_is_sent_to_sign_in(outsider: Client) -> None:
    response = outsider.get("/staff/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/?next=")
    assert outsider.post("/staff/audit/verify/").status_code == 403
