"""Reads for the lockdown pages and the banner on every staff page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.lockdown import current_lockdown
from passage.accounts.models import Lockdown, User
from passage.accounts.roles import Perm
from passage.accounts.services.lockdown import CONFIRM_SECONDS, pending_proposal, proposal_lapsed
from passage.lockdown.models import KeyDestruction
from passage.lockdown.services import pending_destruction


@dataclass(frozen=True)
class Banner:
    message: str
    url: str | None  # the lockdown page, for those who may act on it


@dataclass(frozen=True)
class State:
    """What the lockdown page shows: the lockdown in force or proposed, and key destruction."""

    active: Lockdown | None
    proposal: Lockdown | None
    proposal_until: datetime | None
    lift_pending: bool
    lift_until: datetime | None
    destruction: KeyDestruction | None
    destruction_until: datetime | None


def _until(at: datetime | None) -> datetime | None:
    return at + timedelta(seconds=CONFIRM_SECONDS) if at is not None else None


def state(*, now: datetime | None = None) -> State:
    now = now if now is not None else timezone.now()
    active = current_lockdown()
    proposal = None if active is not None else pending_proposal(now=now)
    lift_pending = (
        active is not None
        and active.lift_proposed_at is not None
        and not proposal_lapsed(active.lift_proposed_at, now=now)
    )
    destruction = pending_destruction(now=now)
    return State(
        active=active,
        proposal=proposal,
        proposal_until=_until(proposal.proposed_at) if proposal else None,
        lift_pending=lift_pending,
        lift_until=_until(active.lift_proposed_at) if active and lift_pending else None,
        destruction=destruction,
        destruction_until=_until(destruction.proposed_at) if destruction else None,
    )


def _page_url(user: User) -> str | None:
    if not user.may(Perm.LOCKDOWN_MANAGE):
        return None
    try:
        return reverse("lockdown:index")
    except NoReverseMatch:
        return None


def banner_for(user: User) -> Banner | None:
    """The banner a staff page shows now, or None (one indexed query when nothing is on)."""
    active = current_lockdown()
    if active is not None:
        return Banner(
            _(
                "Emergency lockdown in force: every staff session was ended, partner accounts "
                "are suspended and exports are disabled. Only admins may sign in; the public "
                "help form still accepts sealed requests. Two admins lift it on the Lockdown page."
            ),
            _page_url(user),
        )
    if not user.may(Perm.LOCKDOWN_MANAGE):
        return None
    if pending_proposal() is not None:
        return Banner(
            _(
                "An emergency lockdown is proposed: a second admin must confirm it within ten "
                "minutes, or it lapses."
            ),
            _page_url(user),
        )
    if pending_destruction() is not None:
        return Banner(
            _(
                "Destroying this server's keys is proposed: a second admin must confirm it "
                "within ten minutes, or it lapses."
            ),
            _page_url(user),
        )
    return None
