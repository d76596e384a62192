"""What screeners do with help requests (console tier: it holds the intake private keys).

Opening a request decrypts it and writes an audit entry. Replies are sealed to the mailbox's
public key for the person and encrypted under the request's data key for staff. Opening a case
re-encrypts the request's contents under the new case's data key (through the cases services,
which compute the blind indexes there, never on the intake tier).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from passage.accounts.models import Desk, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases.exceptions import CaseError
from passage.cases.models import Case
from passage.cases.services import opening
from passage.cases.services.people import ChannelDetails, PersonDetails
from passage.crypto import codename as codenames
from passage.intake import payloads
from passage.intake.exceptions import ActionRefused, InvalidInput
from passage.intake.models import HelpRequest, ReferralOrganisation, RequestItem, StaffReply

MAX_REPLY_CHARS = 10_000

# Ticked situations of the story, as the triage factors of the case they open.
SITUATION_FACTORS = {
    "detained": "detained_or_tortured",
    "violence": "detained_or_tortured",
    "sought": "sought_by_authorities",
    "family": "outed_or_family_threat",
    "outed": "outed_or_family_threat",
    "health": "health_needs",
    "dependants": "dependants",
}
CHANNEL_KINDS = {"signal", "whatsapp", "telegram", "phone"}


def _check(actor: User) -> None:
    if not actor.may(Perm.REQUESTS_SCREEN):
        raise ActionRefused(_("Only screeners can do this."))


def _record(actor: User, action: str, request: HelpRequest) -> None:
    audit.record(
        actor=audit.actor_for("user", actor.pk),
        action=action,
        object_type="request",
        object_id=str(request.pk),
    )


def _lock(request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().get(pk=request.pk)


@dataclass
class OpenedItem:
    id: uuid.UUID
    kind: str
    received_at: dt.datetime
    content: dict[str, Any]

    @property
    def label(self) -> str:
        return str(RequestItem.Kind(self.kind).label)


@dataclass
class OpenedRequest:
    request: HelpRequest
    first: dict[str, Any]
    items: list[OpenedItem] = field(default_factory=list)
    replies: list[StaffReply] = field(default_factory=list)

    @property
    def stories(self) -> list[dict[str, Any]]:
        return [item.content for item in self.items if item.kind == RequestItem.Kind.STORY]

    @property
    def latest_story(self) -> dict[str, Any]:
        stories = self.stories
        return stories[-1] if stories else {}


def _file_summary(content: dict[str, Any]) -> dict[str, Any]:
    data = content.pop("data", b"")
    return {**content, "size": len(data)}


def request_read(*, request: HelpRequest, actor: User) -> OpenedRequest:
    """Decrypt a request for a screener: the first step, the story, messages, file names.
    Audited; a new request becomes "read"."""
    _check(actor)
    with audit.atomic():
        request = _lock(request)
        first = payloads.open_document(bytes(request.sealed))
        items = []
        for item in RequestItem.objects.filter(request=request):
            content = payloads.open_document(bytes(item.sealed))
            if item.kind == RequestItem.Kind.FILE:
                content = _file_summary(content)
            items.append(OpenedItem(item.pk, item.kind, item.received_at, content))
        if request.state == HelpRequest.State.NEW:
            request.state = HelpRequest.State.READ
            request.save(update_fields=["state"])
        _record(actor, "request.read", request)
    replies = list(StaffReply.objects.filter(request=request).select_related("author"))
    return OpenedRequest(request=request, first=first, items=items, replies=replies)


def request_file(*, request: HelpRequest, item_id: uuid.UUID, actor: User) -> payloads.SealedFile:
    """One file the person sent, decrypted for download (audited)."""
    _check(actor)
    item = RequestItem.objects.filter(
        request=request, pk=item_id, kind=RequestItem.Kind.FILE
    ).first()
    if item is None:
        raise ActionRefused(_("No such file."))
    content = payloads.open_document(bytes(item.sealed))
    with audit.atomic():
        audit.record(
            actor=audit.actor_for("user", actor.pk),
            action="request.file_open",
            object_type="request",
            object_id=str(request.pk),
        )
    return payloads.SealedFile(
        name=str(content["name"]),
        kind=str(content["kind"]),
        content_type=str(content["content_type"]),
        data=bytes(content["data"]),
    )


def request_reply(
    *, request: HelpRequest, actor: User, body: str, template: str = "", status: str = ""
) -> StaffReply:
    """Reply through the mailbox; optionally change the status the person sees."""
    _check(actor)
    if not body.strip():
        raise InvalidInput(_("Write a reply."))
    if len(body) > MAX_REPLY_CHARS:
        raise InvalidInput(_("The reply is too long."))
    if status and status not in HelpRequest.Status.values:
        raise InvalidInput(_("Unknown status."))
    with audit.atomic():
        request = _lock(request)
        if request.state in (HelpRequest.State.SPAM, HelpRequest.State.HOSTILE):
            raise ActionRefused(_("This request was marked as spam or hostile; nobody replies."))
        mailbox = request.mailbox
        if mailbox is None:
            raise ActionRefused(_("The person deleted their mailbox; a reply cannot reach them."))
        reply = StaffReply(request=request, author=actor, body=body, template=template)
        reply.for_person = codenames.seal_to(bytes(mailbox.public_key), body.encode("utf-8"))
        reply.save()
        fields = []
        if request.state in (HelpRequest.State.NEW, HelpRequest.State.READ):
            request.state = HelpRequest.State.REPLIED
            fields.append("state")
        if status:
            request.status = status
            fields.append("status")
        if fields:
            request.save(update_fields=fields)
        _record(actor, "request.reply", request)
    return reply


def request_triage(*, request: HelpRequest, actor: User, level: str) -> HelpRequest:
    """The screener's own level, which orders the inbox (self-reported urgency does not)."""
    _check(actor)
    if level not in HelpRequest.Level.values:
        raise InvalidInput(_("Choose a level."))
    with audit.atomic():
        request = _lock(request)
        request.level = level
        request.level_rank = HelpRequest.LEVEL_ORDER[HelpRequest.Level(level)]
        request.save(update_fields=["level", "level_rank"])
        _record(actor, "request.triage", request)
    return request


def _still_open(request: HelpRequest) -> None:
    if request.state not in HelpRequest.OPEN_STATES:
        raise ActionRefused(_("This request was already dealt with."))


def _person_from(
    opened: OpenedRequest,
) -> tuple[PersonDetails, list[ChannelDetails], dict[str, Any]]:
    story = opened.latest_story
    person = PersonDetails(chosen_name=str(story.get("name") or ""))
    channels = []
    if story.get("contact_kind") in CHANNEL_KINDS and story.get("contact_value"):
        channels.append(ChannelDetails(kind=story["contact_kind"], value=story["contact_value"]))
    return person, channels, story


def _narrative(opened: OpenedRequest) -> str:
    parts = []
    for story in opened.stories:
        for key, label in (("happened", _("What happened")), ("fears", _("What they fear"))):
            if story.get(key):
                parts.append(f"{label}:\n{story[key]}")
    for item in opened.items:
        if item.kind == RequestItem.Kind.MESSAGE and item.content.get("text"):
            parts.append(_("Message") + f":\n{item.content['text']}")
    return "\n\n".join(parts)


def request_open_case(
    *, request: HelpRequest, actor: User, desk: Desk, request_id: str | None = None
) -> Case:
    """Open a case from a request: its contents re-encrypted under the case's data key."""
    _check(actor)
    with audit.atomic():
        request = _lock(request)
        _still_open(request)
        opened = request_read(request=request, actor=actor)
        person, channels, story = _person_from(opened)
        factors = {
            SITUATION_FACTORS[s] for s in story.get("situations", []) if s in SITUATION_FACTORS
        }
        if story.get("passport") in {"no", "expired"}:
            factors.add("no_valid_passport")
        people = story.get("people")
        try:
            case = opening.case_open_from_request(
                desk=desk,
                actor=actor,
                person=person,
                channels=channels,
                urgency=request.urgency,
                reply_language=request.reply_language,
                country=str(opened.first.get("country") or ""),
                region=str(story.get("region") or ""),
                household_size=int(people) if isinstance(people, int) and people > 0 else 1,
                narrative=_narrative(opened),
                factors=factors,
                request_id=request_id,
            )
        except CaseError as exc:
            raise ActionRefused(str(exc)) from None
        request.case = case
        request.state = HelpRequest.State.CASE_OPENED
        request.status = HelpRequest.Status.WORKING
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["case", "state", "status", "decided_by", "decided_at"])
        _record(actor, "request.open_case", request)
    return case


def request_attach(*, request: HelpRequest, case: Case, actor: User) -> HelpRequest:
    """Attach a request to a case the screener works (e.g. the person lost their codename)."""
    _check(actor)
    if not actor.may(Perm.CASES_WORK) or not actor.memberships.filter(desk=case.desk).exists():
        raise ActionRefused(_("You can attach requests only to cases of your own desks."))
    with audit.atomic():
        request = _lock(request)
        _still_open(request)
        request.case = case
        request.state = HelpRequest.State.ATTACHED
        request.status = HelpRequest.Status.WORKING
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["case", "state", "status", "decided_by", "decided_at"])
        _record(actor, "request.attach", request)
    return request


def decline_text(*, language: str, organisations: list[ReferralOrganisation]) -> str:
    """The decline reply in the person's language, listing the chosen organisations."""
    with translation.override(language):
        lines = [
            _(
                "Thank you for writing to us. We are sorry: we cannot help you ourselves. "
                "These organisations may be able to help:"
            ),
            "",
        ]
        for organisation in organisations:
            lines.append(f"- {organisation.name}: {organisation.contact}")
        lines += ["", _("Stay safe. You can still write to us here if something changes.")]
    return "\n".join(lines)


def request_decline(
    *,
    request: HelpRequest,
    actor: User,
    reason: str,
    organisations: list[ReferralOrganisation],
    reply: str = "",
) -> HelpRequest:
    """Decline with a reason (for staff) and a referral reply to the person."""
    _check(actor)
    if not reason.strip():
        raise InvalidInput(_("Give a reason for declining."))
    with audit.atomic():
        request = _lock(request)
        _still_open(request)
        body = reply.strip() or decline_text(
            language=request.reply_language, organisations=organisations
        )
        if request.mailbox is not None:
            request_reply(
                request=request,
                actor=actor,
                body=body,
                template="decline",
                status=HelpRequest.Status.CANNOT_HELP,
            )
            request.refresh_from_db()
        request.state = HelpRequest.State.DECLINED
        request.status = HelpRequest.Status.CANNOT_HELP
        request.staff_note = reason
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["state", "status", "staff_note", "decided_by", "decided_at"])
        _record(actor, "request.decline", request)
    return request


def requests_mark_spam(
    *, requests: QuerySet[HelpRequest] | list[HelpRequest], actor: User, hostile: bool = False
) -> int:
    """Mark many requests as spam (or hostile: a suspected fake from those who hunt our people)
    in one action; one audit entry each. Requests already dealt with are left alone."""
    _check(actor)
    state = HelpRequest.State.HOSTILE if hostile else HelpRequest.State.SPAM
    ids = [r.pk for r in requests]
    count = 0
    with audit.atomic():
        for request in HelpRequest.objects.select_for_update().filter(
            pk__in=ids, state__in=HelpRequest.OPEN_STATES
        ):
            request.state = state
            request.decided_by = actor
            request.decided_at = timezone.now()
            request.save(update_fields=["state", "decided_by", "decided_at"])
            _record(actor, "request.hostile" if hostile else "request.spam", request)
            count += 1
    return count
