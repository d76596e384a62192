"""The screening console under /staff/requests/: the inbox lists sealed requests without their
contents, a request opens (audited) with the story, and each action posts through its form.
Everyone without the screening permission gets 404."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from passage.accounts.models import Desk, User
from passage.cases.models import Case
from passage.cases.services import opening
from passage.crypto import codename as codenames
from passage.intake.models import HelpRequest, RequestItem, StaffReply
from passage.intake.services import directory
from tests.cases.conftest import person
from tests.cases.views.support import token_in
from tests.intake.support import audit_entries, make_screener, png_bytes
from tests.intake.views.support import (
    FEARS,
    HANDLE,
    HAPPENED,
    browser,
    codename_in,
    first_step,
    story_data,
)
from tests.personas import sign_in_as

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

INBOX = "/staff/requests/"


@pytest.fixture
def screener(desk_north: Desk) -> User:
    return make_screener(desk_north)


@pytest.fixture
def console(screener: User) -> Client:
    return sign_in_as(screener)


def sent(
    lang: str = "ru", urgency: str = "immediate", *, with_story: bool = True
) -> tuple[HelpRequest, str]:
    """A request sent through the public pages (first step, then the story with a picture)."""
    client = browser()
    page = first_step(client, "en", language=lang, urgency=urgency).content.decode()
    if with_story:
        picture = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
        assert client.post("/en/story/", story_data(page, files=[picture])).status_code == 302
    codename = codename_in(page)
    request = HelpRequest.objects.get(mailbox__lookup=codenames.lookup_hash(codename))
    return request, codename


def request_url(request: HelpRequest, action: str = "") -> str:
    base = reverse("screening:request", kwargs={"request_id": request.pk})
    return base + (f"{action}/" if action else "")


def post(client: Client, path: str, page_path: str, data: dict[str, object]) -> TestResponse:
    token = token_in(client.get(page_path).content.decode())
    return client.post(path, {"csrfmiddlewaretoken": token, **data})


def test_the_inbox_lists_requests_without_their_contents(console: Client) -> None:
    request, _codename = sent()
    response = console.get(INBOX)
    assert response.status_code == 200
    content = response.content.decode()
    assert request.short_id in content
    assert f'href="{request_url(request)}"' in content
    for secret in (HAPPENED, FEARS, HANDLE, "Chechnya"):
        assert secret not in content
    # Listing is not reading: nothing was opened.
    assert not audit_entries("request.read")
    assert HelpRequest.objects.get(pk=request.pk).state == HelpRequest.State.NEW


def test_the_inbox_filters_by_language_and_urgency(console: Client) -> None:
    ru, _c1 = sent("ru", "immediate", with_story=False)
    ar, _c2 = sent("ar", "immediate", with_story=False)
    later, _c3 = sent("ru", "weeks", with_story=False)
    content = console.get(INBOX, {"language": "ru", "urgency": "immediate"}).content.decode()
    assert ru.short_id in content
    assert ar.short_id not in content and later.short_id not in content


def test_opening_a_request_shows_the_story_and_is_audited(console: Client, screener: User) -> None:
    request, _codename = sent()
    response = console.get(request_url(request))
    assert response.status_code == 200
    content = response.content.decode()
    assert HAPPENED in content
    assert HANDLE in content
    item = RequestItem.objects.get(request=request, kind="file")
    file_url = reverse("screening:file", kwargs={"request_id": request.pk, "item_id": item.pk})
    assert f'href="{file_url}"' in content
    assert HelpRequest.objects.get(pk=request.pk).state == HelpRequest.State.READ
    [entry] = audit_entries("request.read", request.pk)
    assert entry.actor == f"user:{screener.pk}"


def test_a_template_fills_the_reply_box(console: Client) -> None:
    request, _codename = sent("en")
    content = console.get(request_url(request), {"template": "received"}).content.decode()
    assert "We have received your request" in content


def test_a_reply_reaches_the_persons_mailbox(console: Client, screener: User) -> None:
    request, codename = sent()
    body = "Спасибо. Мы скоро напишем ещё."
    response = post(
        console, request_url(request, "reply"), request_url(request), {"body": body, "status": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == request_url(request)
    reply = StaffReply.objects.get(request=request)
    assert (reply.body, reply.author) == (body, screener)
    assert HelpRequest.objects.get(pk=request.pk).state == HelpRequest.State.REPLIED

    person_browser = browser()
    token = token_in(person_browser.get("/ru/mailbox/").content.decode())
    person_browser.post("/ru/mailbox/", {"csrfmiddlewaretoken": token, "codename": codename})
    assert body in person_browser.get("/ru/mailbox/").content.decode()


def test_an_empty_reply_answers_400(console: Client) -> None:
    request, _codename = sent()
    response = post(console, request_url(request, "reply"), request_url(request), {"body": ""})
    assert response.status_code == 400
    assert not StaffReply.objects.exists()


def test_triage_sets_the_level(console: Client) -> None:
    request, _codename = sent()
    response = post(
        console, request_url(request, "triage"), request_url(request), {"level": "critical"}
    )
    assert response.status_code == 302
    assert HelpRequest.objects.get(pk=request.pk).level_rank == 0


def test_opening_a_case_goes_to_the_new_case(console: Client, desk_north: Desk) -> None:
    request, _codename = sent()
    response = post(
        console, request_url(request, "open-case"), request_url(request), {"desk": desk_north.pk}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:case", kwargs={"case_id": case.pk})
    assert HAPPENED in case.narrative
    assert HelpRequest.objects.get(pk=request.pk).case == case


def test_a_case_on_another_desk_cannot_be_chosen(console: Client, desk_south: Desk) -> None:
    request, _codename = sent()
    response = post(
        console, request_url(request, "open-case"), request_url(request), {"desk": desk_south.pk}
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_attaching_by_reference(
    console: Client, caseworker: User, colleague: User, desk_north: Desk, desk_south: Desk
) -> None:
    request, _codename = sent()
    theirs = opening.case_open(desk=desk_south, actor=colleague, person=person("South"))
    refused = post(
        console,
        request_url(request, "attach"),
        request_url(request),
        {"reference": theirs.reference},
    )
    assert refused.status_code == 400
    assert HelpRequest.objects.get(pk=request.pk).case is None

    ours = opening.case_open(desk=desk_north, actor=caseworker, person=person("North"))
    response = post(
        console, request_url(request, "attach"), request_url(request), {"reference": ours.reference}
    )
    assert response.status_code == 302
    stored = HelpRequest.objects.get(pk=request.pk)
    assert (stored.state, stored.case) == ("attached", ours)


def test_declining_sends_the_chosen_referrals(console: Client, screener: User) -> None:
    request, _codename = sent("ru")
    organisation = directory.referral_save(
        actor=screener, country="RU", kinds=["legal"], name="Сеть помощи", contact="+7 900"
    )
    response = post(
        console,
        request_url(request, "decline"),
        request_url(request),
        {"reason": "Not in our mandate.", "organisations": [str(organisation.pk)]},
    )
    assert response.status_code == 302
    stored = HelpRequest.objects.get(pk=request.pk)
    assert (stored.state, stored.status) == ("declined", "cannot_help")
    assert "Сеть помощи: +7 900" in StaffReply.objects.get(request=request).body


def test_declining_without_a_reason_answers_400(console: Client) -> None:
    request, _codename = sent()
    response = post(console, request_url(request, "decline"), request_url(request), {"reason": ""})
    assert response.status_code == 400
    assert HelpRequest.objects.get(pk=request.pk).state != HelpRequest.State.DECLINED


def test_one_request_marked_hostile(console: Client) -> None:
    request, _codename = sent()
    response = post(console, request_url(request, "spam"), request_url(request), {"as": "hostile"})
    assert response.status_code == 302
    assert HelpRequest.objects.get(pk=request.pk).state == HelpRequest.State.HOSTILE


def test_bulk_spam_marks_the_selected_and_keeps_the_filters(console: Client) -> None:
    flood = [sent("ar", "immediate", with_story=False)[0] for _ in range(3)]
    real, _codename = sent("ru", "immediate", with_story=False)
    inbox = console.get(INBOX, {"language": "ar"}).content.decode()
    for row in flood:
        assert f'value="{row.pk}"' in inbox
    assert real.short_id not in inbox
    back = re.search(r'name="back" value="([^"]*)"', inbox)
    assert back and "language=ar" in back.group(1)
    response = console.post(
        reverse("screening:bulk-spam"),
        {
            "csrfmiddlewaretoken": token_in(inbox),
            "selected": [str(row.pk) for row in flood],
            "as": "spam",
            "back": back.group(1).replace("&amp;", "&"),
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(INBOX + "?")
    assert "language=ar" in response["Location"]
    assert {HelpRequest.objects.get(pk=row.pk).state for row in flood} == {"spam"}
    assert HelpRequest.objects.get(pk=real.pk).state == HelpRequest.State.NEW
    assert len(audit_entries("request.spam")) == 3


def test_bulk_spam_does_not_redirect_elsewhere(console: Client) -> None:
    request, _codename = sent(with_story=False)
    token = token_in(console.get(INBOX).content.decode())
    response = console.post(
        reverse("screening:bulk-spam"),
        {"csrfmiddlewaretoken": token, "selected": [str(request.pk)], "back": "//evil.example/"},
    )
    assert response["Location"] == INBOX


def test_bulk_spam_with_nothing_selected_changes_nothing(console: Client) -> None:
    request, _codename = sent(with_story=False)
    token = token_in(console.get(INBOX).content.decode())
    response = console.post(reverse("screening:bulk-spam"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert HelpRequest.objects.get(pk=request.pk).state == HelpRequest.State.NEW


def test_a_file_downloads_as_an_attachment_and_is_audited(console: Client) -> None:
    request, _codename = sent()
    item = RequestItem.objects.get(request=request, kind="file")
    url = reverse("screening:file", kwargs={"request_id": request.pk, "item_id": item.pk})
    response = console.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="image.png"'
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert audit_entries("request.file_open", request.pk)
    missing = reverse("screening:file", kwargs={"request_id": request.pk, "item_id": uuid.uuid4()})
    assert console.get(missing).status_code == 404


def test_an_unknown_request_is_404(console: Client) -> None:
    assert (
        console.get(reverse("screening:request", kwargs={"request_id": uuid.uuid4()})).status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["caseworker", "admin", "auditor", "partner_user"])
def test_everyone_else_gets_404(request: pytest.FixtureRequest, persona: str) -> None:
    help_request, _codename = sent()
    client = sign_in_as(request.getfixturevalue(persona))
    assert client.get(INBOX).status_code == 404
    assert client.get(request_url(help_request)).status_code == 404
    token = token_in(client.get("/staff/home/", follow=True).content.decode())
    bulk = client.post(
        reverse("screening:bulk-spam"),
        {"csrfmiddlewaretoken": token, "selected": [str(help_request.pk)]},
    )
    assert bulk.status_code == 404
    assert HelpRequest.objects.get(pk=help_request.pk).state == HelpRequest.State.NEW
    assert not audit_entries("request.read")


def test_an_anonymous_visitor_is_sent_to_sign_in() -> None:
    response = browser().get(INBOX)
    assert response.status_code == 302
    assert "/staff/" in response["Location"]
