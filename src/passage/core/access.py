"""Access declarations every view wears, so the access-matrix test can list who may use it.

This module only records declarations; ``passage.accounts.access.staff_view`` adds the checks
for staff pages. Lives in core so that plumbing views (health check, static files) below the
accounts app can declare themselves too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Access:
    kind: str  # "public", "pre_auth" or "staff"
    perm: str | None = None
    step_up: int | None = None


def access_of(view: Callable[..., Any]) -> Access | None:
    """The access a view declared, or None if it declared none (the matrix test fails then)."""
    declared: Access | None = getattr(view, "passage_access", None)
    return declared


def declare(view: Callable[..., Any], access: Access) -> None:
    view.passage_access = access  # type: ignore[attr-defined]


def public_view(view: View) -> View:
    """Anyone may open this page (public help pages, health check, static files)."""
    declare(view, Access("public"))
    return view


def pre_auth_view(view: View) -> View:
    """Part of signing in or enrolling: reachable before the second factor is done."""
    declare(view, Access("pre_auth"))
    return view
