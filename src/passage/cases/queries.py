"""Reads of cases, always filtered by what the viewer may see (``cases.access``).

Unknown and forbidden cases look the same: None (the views answer 404). Lists show plain
operational columns, and beside them only the chosen names of the page's cases the viewer works
(``chosen_names``: two queries a page), so their cost does not grow with encrypted data;
sections that show protected fields decrypt with the keys preloaded in one query.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from passage.accounts.models import Desk, PartnerOrganisation, User
from passage.accounts.roles import Perm, Role
from passage.accounts.visibility import Access
from passage.cases import access, priority
from passage.cases.models import (
    Approval,
    Campaign,
    Case,
    CaseEvent,
    CaseShare,
    Consent,
    ContactChannel,
    DeskPriority,
    DuplicateFlag,
    Person,
    VerificationItem,
)
from passage.cases.workflow import OPEN_STAGES, Stage
from passage.crypto import blind, datakeys

QUEUE_PAGE = 50
REFERENCE_RE = re.compile(r"PSG-\d{4}-\d{6,}", re.IGNORECASE)


def uuid_or_none(value: object) -> uuid.UUID | None:
    """The UUID a URL or form value names, or None (callers answer 404)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class CaseView:
    case: Case
    access: Access

    @property
    def works(self) -> bool:
        return self.access in access.WORKING

    @property
    def is_break_glass(self) -> bool:
        return self.access is Access.BREAK_GLASS

    @property
    def interprets(self) -> bool:
        """Seen as the case's interpreter: only the interpreter pages may show it."""
        return self.access is Access.INTERPRETER


def case_for(viewer: User, case_id: object) -> CaseView | None:
    """The case and how ``viewer`` sees it, or None (unknown, or not theirs to see)."""
    pk = uuid_or_none(case_id)
    if pk is None:
        return None
    case = (
        Case.objects.select_related("desk", "campaign", "assignee", "referred_by", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        return None
    seen = access.access_to(viewer, case)
    if not seen or seen in (Access.PARTNER, Access.INTERPRETER):
        # Partners read cases through the partner portal only, interpreters through the
        # interpreter pages only (``access_to`` never answers INTERPRETER here; belt and braces).
        return None
    return CaseView(case, seen)


# --- The triage queue and the case list ----------------------------------------------------


@dataclass
class QueueFilters:
    desk: Desk | None = None
    stage: str = ""
    campaign: Campaign | None = None
    assignee: User | None = None
    unassigned: bool = False
    overdue: bool = False
    waiting_over_days: int | None = None
    sort: str = "priority"


SORTS: dict[str, tuple[str, ...]] = {
    "priority": ("-priority_level", "-priority_score", "opened_at"),
    "waiting": ("opened_at",),
    "reference": ("reference",),
    "stage": ("stage", "-priority_level", "-priority_score", "opened_at"),
    "deadline": ("next_deadline", "-priority_level", "-priority_score"),
}


def _filtered(cases: QuerySet[Case], filters: QueueFilters, now: dt.datetime) -> QuerySet[Case]:
    if filters.desk is not None:
        cases = cases.filter(desk=filters.desk)
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.campaign is not None:
        cases = cases.filter(campaign=filters.campaign)
    if filters.assignee is not None:
        cases = cases.filter(assignee=filters.assignee)
    if filters.unassigned:
        cases = cases.filter(assignee__isnull=True)
    if filters.overdue:
        cases = cases.filter(Q(next_deadline__lt=now) | Q(next_contact_due__lt=now))
    if filters.waiting_over_days is not None:
        cases = cases.filter(opened_at__lt=now - dt.timedelta(days=filters.waiting_over_days))
    return cases


def queue_page(
    viewer: User,
    filters: QueueFilters,
    page_number: str | int | None = 1,
    *,
    now: dt.datetime | None = None,
) -> Page[Case]:
    """A page of the open cases ``viewer`` works, by priority then waiting time (or a sort)."""
    moment = now or timezone.now()
    cases = access.worked_cases(viewer).filter(stage__in=OPEN_STAGES)
    cases = _filtered(cases, filters, moment)
    ordering = SORTS.get(filters.sort, SORTS["priority"])
    cases = cases.select_related("desk", "campaign", "assignee").order_by(*ordering, "pk")
    paginator = Paginator(cases, QUEUE_PAGE)
    return paginator.get_page(page_number)


def case_list_page(
    viewer: User,
    filters: QueueFilters,
    page_number: str | int | None = 1,
    *,
    include_closed: bool = True,
) -> Page[Case]:
    """Every case ``viewer`` works (open and closed), newest first, filtered."""
    cases = access.worked_cases(viewer)
    if not include_closed:
        cases = cases.filter(stage__in=OPEN_STAGES)
    cases = _filtered(cases, filters, timezone.now())
    cases = cases.select_related("desk", "campaign", "assignee").order_by("-opened_at", "pk")
    return Paginator(cases, QUEUE_PAGE).get_page(page_number)


def chosen_names(viewer: User, cases: list[Case]) -> dict[uuid.UUID, str]:
    """The chosen names of the principals of those ``cases`` that ``viewer`` works (assigned or
    on their desk: never break-glass or partners), decrypted with the keys loaded in one query.

    For a page of a list: two queries whatever the page size. Showing them is a protected read
    (``cases.views.common.reveal_names``).
    """
    if not isinstance(viewer, User) or viewer.partner_id is not None or not cases:
        return {}
    desk_ids: set[uuid.UUID] = set()
    if viewer.may(Perm.CASES_VIEW_DESK):
        desk_ids = set(viewer.memberships.values_list("desk_id", flat=True))
    worked = [
        c.pk
        for c in cases
        if c.merged_into_id is None and (c.assignee_id == viewer.pk or c.desk_id in desk_ids)
    ]
    if not worked:
        return {}
    people = list(
        Person.objects.filter(case_id__in=worked, is_principal=True).only(
            "id", "case_id", "chosen_name"
        )
    )
    datakeys.preload(people)
    return {p.case_id: p.chosen_name for p in people if p.chosen_name}


def inbox(viewer: User) -> QuerySet[Case]:
    """New cases on the viewer's desks waiting to be screened (referrals and staff entries)."""
    return (
        access.worked_cases(viewer)
        .filter(stage=Stage.NEW)
        .select_related("desk", "referred_by", "assignee")
        .order_by("-priority_level", "-priority_score", "opened_at")
    )


def my_cases(viewer: User) -> QuerySet[Case]:
    return (
        access.worked_cases(viewer)
        .filter(assignee=viewer, stage__in=OPEN_STAGES)
        .select_related("desk")
        .order_by("-priority_level", "-priority_score", "opened_at")
    )


def desks_of(viewer: User) -> QuerySet[Desk]:
    return Desk.objects.filter(memberships__user=viewer).distinct().order_by("name")


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.all()


def assignable_users(desk_ids: list[uuid.UUID] | QuerySet[Any]) -> list[User]:
    """Active staff who may work cases on any of these desks (for assignment choices)."""
    users = (
        User.objects.filter(
            memberships__desk_id__in=desk_ids,
            is_active=True,
            suspended_at__isnull=True,
            partner__isnull=True,
        )
        .distinct()
        .order_by("username")
        .prefetch_related("role_grants", "memberships")
    )
    found = []
    for user in users:
        # ``User.roles`` would ask the database twice per user; the rows are prefetched.
        held = {Role(grant.role) for grant in user.role_grants.all()}
        if any(m.is_lead for m in user.memberships.all()):
            held.add(Role.DESK_LEAD)
        user._roles_cache = frozenset(held)
        if user.may(Perm.CASES_WORK):
            found.append(user)
    return found


# --- One case --------------------------------------------------------------------------------


@dataclass
class DuplicateRow:
    flag: DuplicateFlag
    other: Case
    visible: bool  # False: "possible match on desk X: ask its desk lead"


@dataclass
class Summary:
    """The case page's summary: plain operational facts only (no decryption, no audit)."""

    view: CaseView
    stage_dates: list[CaseEvent]
    pending_approvals: list[Approval]
    duplicates: list[DuplicateRow]
    verification_counts: list[tuple[str, int]]
    active_consents: int
    active_shares: list[CaseShare]
    emergency_due: list[Approval]
    counts: dict[str, int] = field(default_factory=dict)


def duplicate_rows(viewer: User, case: Case) -> list[DuplicateRow]:
    flags = list(
        DuplicateFlag.objects.filter(Q(case_a=case) | Q(case_b=case)).order_by("-flagged_at")
    )
    other_ids = [f.other(case.pk) for f in flags]
    others = {c.pk: c for c in Case.objects.filter(pk__in=other_ids).select_related("desk")}
    # Which of them the viewer works, in one query (as ``access_to`` would say for each).
    worked = set(access.worked_cases(viewer).filter(pk__in=other_ids).values_list("pk", flat=True))
    rows = []
    for flag in flags:
        other = others.get(flag.other(case.pk))
        if other is None:
            continue
        rows.append(DuplicateRow(flag, other, other.pk in worked))
    return rows


def summary(viewer: User, view: CaseView) -> Summary:
    case = view.case
    stage_dates = list(
        CaseEvent.objects.filter(case=case, kind__in=[CaseEvent.Kind.OPENED, CaseEvent.Kind.STAGE])
        .defer("note")
        .select_related("actor")
        .order_by("at")
    )
    pending = list(
        Approval.objects.filter(case=case, status=Approval.Status.PENDING)
        .defer("request_comment", "decision_comment", "review_note")
        .select_related("requested_by")
    )
    emergency_due = list(
        Approval.objects.filter(
            case=case,
            kind=Approval.Kind.EMERGENCY,
            status=Approval.Status.APPROVED,
            reviewed_at__isnull=True,
        ).defer("request_comment", "decision_comment", "review_note")
    )
    by_kind = dict(
        VerificationItem.objects.filter(case=case)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    counts = [
        (str(label), by_kind[kind])
        for kind, label in VerificationItem.Kind.choices
        if kind in by_kind
    ]
    shares = list(
        CaseShare.objects.filter(case=case, revoked_at__isnull=True).select_related("partner")
    )
    return Summary(
        view=view,
        stage_dates=stage_dates,
        pending_approvals=pending,
        duplicates=duplicate_rows(viewer, case),
        verification_counts=counts,
        active_consents=Consent.objects.filter(case=case, withdrawn_at__isnull=True).count(),
        active_shares=shares,
        emergency_due=emergency_due,
        counts={"people": Person.objects.filter(case=case).count()},
    )


def people_of(case: Case) -> list[Person]:
    """The case's people with their channels, keys unwrapped in one query (decrypts on use)."""
    people = list(Person.objects.filter(case=case).prefetch_related("channels"))
    rows: list[Any] = list(people)
    for person in people:
        rows.extend(person.channels.all())
    datakeys.preload(rows)
    return people


def person_of(case: Case, person_id: object) -> Person | None:
    pk = uuid_or_none(person_id)
    if pk is None:
        return None
    return Person.objects.filter(case=case, pk=pk).prefetch_related("channels").first()


def channels_of(person: Person) -> list[ContactChannel]:
    return list(person.channels.all())


def timeline(case: Case) -> list[CaseEvent]:
    events = list(
        CaseEvent.objects.filter(case=case).select_related("actor", "subject_user").order_by("at")
    )
    datakeys.preload(events)
    return events


def verification_items(case: Case) -> list[VerificationItem]:
    items = list(
        VerificationItem.objects.filter(case=case).select_related(
            "vouching_partner", "interviewer", "recorded_by"
        )
    )
    datakeys.preload(items)
    return items


def approvals_of(case: Case) -> list[Approval]:
    rows = list(
        Approval.objects.filter(case=case).select_related(
            "requested_by", "decided_by", "reviewed_by"
        )
    )
    datakeys.preload(rows)
    return rows


def approval_of(case: Case, approval_id: object) -> Approval | None:
    pk = uuid_or_none(approval_id)
    if pk is None:
        return None
    return Approval.objects.filter(case=case, pk=pk).select_related("case", "requested_by").first()


def consents_of(case: Case) -> list[Consent]:
    rows = list(Consent.objects.filter(case=case).select_related("partner", "recorded_by"))
    datakeys.preload(rows)
    return rows


def consent_of(case: Case, consent_id: object) -> Consent | None:
    pk = uuid_or_none(consent_id)
    if pk is None:
        return None
    return Consent.objects.filter(case=case, pk=pk).select_related("case").first()


def shares_of(case: Case) -> list[CaseShare]:
    return list(CaseShare.objects.filter(case=case).select_related("partner", "consent"))


def share_of(case: Case, share_id: object) -> CaseShare | None:
    pk = uuid_or_none(share_id)
    if pk is None:
        return None
    return CaseShare.objects.filter(case=case, pk=pk).select_related("case").first()


def flag_of(viewer: User, case: Case, flag_id: object) -> DuplicateRow | None:
    pk = uuid_or_none(flag_id)
    if pk is None:
        return None
    for row in duplicate_rows(viewer, case):
        if row.flag.pk == pk:
            return row
    return None


def partners_for_sharing(case: Case) -> QuerySet[PartnerOrganisation]:
    """Active partner organisations that work with the case's desk."""
    return PartnerOrganisation.objects.filter(is_active=True, desks=case.desk_id).order_by("code")


def partners_active() -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.filter(is_active=True).order_by("code")


def priority_breakdown(case: Case, now: dt.datetime | None = None) -> priority.Breakdown:
    """The parts of the case's score (decrypts the factors: a protected read)."""
    moment = now or timezone.now()
    campaign = case.campaign
    running = campaign is not None and campaign.runs_on(timezone.localdate(moment))
    desk_boost = DeskPriority.objects.filter(desk_id=case.desk_id).values_list("boost", flat=True)
    return priority.breakdown(
        factors=case.triage_factors,
        opened_at=case.opened_at,
        now=moment,
        campaign_boost=int(campaign.priority_boost) if running and campaign else 0,
        campaign_name=campaign.name if campaign else "",
        desk_boost=int(desk_boost.first() or 0),
        override=priority.Level(case.level_override) if case.level_override else None,
    )


# --- Search ----------------------------------------------------------------------------------


@dataclass
class SearchResult:
    case: Case
    matched: list[str]  # codes: reference, identifier, name


def search(viewer: User, text: str, *, limit: int = 50) -> list[SearchResult]:
    """Cases the viewer may see, by reference, by an exact identifier (phone or handle) or by
    name tokens (transliteration-tolerant). No free-text search over encrypted content."""
    text = text.strip()
    if not text:
        return []
    visible = access.visible_cases(viewer).exclude(pk__in=[])
    if viewer.partner_id is not None:
        return []
    found: dict[uuid.UUID, set[str]] = {}
    if REFERENCE_RE.fullmatch(text):
        for pk in visible.filter(reference__iexact=text).values_list("pk", flat=True):
            found.setdefault(pk, set()).add("reference")
    else:
        for match in blind.lookup("handle", text, row_types=["cases.contactchannel"]):
            found.setdefault(match.owner_id, set()).add("identifier")
        for scope in ("name", "name_sound"):
            for match in blind.lookup(scope, text, row_types=["cases.person"]):
                found.setdefault(match.owner_id, set()).add("name")
    if not found:
        return []
    cases = (
        visible.filter(pk__in=list(found)[: limit * 4])
        .select_related("desk", "assignee", "merged_into")
        .order_by("-priority_level", "-opened_at")[:limit]
    )
    return [SearchResult(case, sorted(found[case.pk])) for case in cases]


def case_by_reference_any(reference: str) -> Case | None:
    """For break-glass only: the case with this reference, whoever may see it."""
    return Case.objects.filter(reference__iexact=reference.strip()).select_related("desk").first()


# --- The partner portal ----------------------------------------------------------------------


PARTNER_STATUS = {
    Stage.NEW: "received",
    Stage.DECLINED: "not_taken_on",
    Stage.REFERRED_OUT: "referred_elsewhere",
    Stage.CLOSED: "closed",
}


def partner_status(case: Case) -> str:
    """What a referring partner may know of a case's progress: a coarse status, never the
    stage (in transit, a safe house) that could endanger the person if the partner's device
    were seized."""
    return PARTNER_STATUS.get(Stage(case.stage), "in_progress")


def partner_referrals(viewer: User) -> QuerySet[Case]:
    if viewer.partner_id is None or not viewer.may(Perm.PARTNER_PORTAL):
        return Case.objects.none()
    return (
        access.visible_cases(viewer)
        .filter(referred_by_id=viewer.partner_id)
        .select_related("desk")
        .order_by("-opened_at")
    )


@dataclass
class PartnerCase:
    case: Case
    referred: bool
    sections: set[str]  # shared with the partner


def partner_case(viewer: User, case_id: object) -> PartnerCase | None:
    pk = uuid_or_none(case_id)
    if pk is None or viewer.partner_id is None or not viewer.may(Perm.PARTNER_PORTAL):
        return None
    case = access.visible_cases(viewer).filter(pk=pk).select_related("desk").first()
    if case is None:
        return None
    sections: set[str] = set()
    for share in CaseShare.objects.filter(
        case=case, partner_id=viewer.partner_id, revoked_at__isnull=True
    ):
        sections |= set(share.sections)
    return PartnerCase(case, case.referred_by_id == viewer.partner_id, sections)


def partner_shared_cases(viewer: User) -> QuerySet[Case]:
    if viewer.partner_id is None or not viewer.may(Perm.PARTNER_PORTAL):
        return Case.objects.none()
    return (
        access.visible_cases(viewer)
        .exclude(referred_by_id=viewer.partner_id)
        .select_related("desk")
        .order_by("-opened_at")
    )


def partner_desks(viewer: User) -> QuerySet[Desk]:
    if viewer.partner_id is None:
        return Desk.objects.none()
    return Desk.objects.filter(partners=viewer.partner_id, is_active=True).order_by("name")


# --- Campaigns and desk priorities -----------------------------------------------------------


def priority_desks(viewer: User) -> list[tuple[Desk, int]]:
    """Desks whose priority the viewer may set (all for admins, led ones for desk leads)."""
    desks = Desk.objects.filter(is_active=True).order_by("name")
    if not viewer.is_admin:
        desks = desks.filter(memberships__user=viewer, memberships__is_lead=True).distinct()
    boosts = dict(DeskPriority.objects.values_list("desk_id", "boost"))
    return [(desk, int(boosts.get(desk.pk, 0))) for desk in desks]


def priority_desk(viewer: User, desk_id: object) -> tuple[Desk, int] | None:
    pk = uuid_or_none(desk_id)
    for desk, boost in priority_desks(viewer):
        if desk.pk == pk:
            return desk, boost
    return None


def campaign(campaign_id: object) -> Campaign | None:
    pk = uuid_or_none(campaign_id)
    return Campaign.objects.filter(pk=pk).first() if pk else None
