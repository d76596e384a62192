"""What the pathways services share: permission checks, the quota lock (and casework's
``text`` check of typed text)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.casework.services.common import text
from passage.pathways.exceptions import QuotaFull
from passage.pathways.models import HOLDS_PLACE, Application, Programme

__all__ = ["lock_programme", "places_used", "require", "take_place", "text"]


def require(actor: User, perm: Perm) -> None:
    if not actor.may(perm):
        raise NotAllowed(_("Your role does not allow this."))


def places_used(programme: Programme) -> int:
    """Applications of ``programme`` that hold a place (submitted, interview, approved)."""
    return Application.objects.filter(programme=programme, status__in=HOLDS_PLACE).count()


def lock_programme(programme: Programme) -> Programme:
    """The programme row, locked for the rest of the transaction (fresh from the database).

    Every change of who holds a place of its quota takes this lock first and counts the places
    after it, so two concurrent submissions cannot both take the last place."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


def take_place(programme: Programme) -> Programme:
    """Lock ``programme`` and refuse if its quota has no place left (call inside a
    transaction, before the application is saved with a status that holds a place)."""
    locked = lock_programme(programme)
    if not locked.is_active:
        raise InvalidInput(_("This programme is closed: it takes no new applications."))
    if locked.quota is not None and places_used(locked) >= locked.quota:
        raise QuotaFull(
            _("Every place of this programme is taken (%(quota)s of %(quota)s).")
            % {"quota": locked.quota}
        )
    return locked
