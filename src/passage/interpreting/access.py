"""Who may use the interpreter pages of a case, from the case's active assignments.

``accounts.visibility.case_access`` decides, given the case's active interpreters (only this
app knows them and passes them): an interpreter with ``Perm.INTERPRET`` and an active
assignment sees the case as ``Access.INTERPRETER``, never while it is frozen, never a merged
tombstone. Everywhere else in the console the case stays invisible to them (``case_for`` and
``case_view`` refuse ``INTERPRETER``), so every other case page answers 404.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.accounts.roles import Perm
from passage.accounts.visibility import Access
from passage.cases import access
from passage.cases.exceptions import CaseNotFound
from passage.cases.models import Case
from passage.interpreting.models import InterpreterAssignment


def active_interpreter_ids(case: Case) -> list[uuid.UUID]:
    return list(
        InterpreterAssignment.objects.filter(case=case, ended_at__isnull=True).values_list(
            "interpreter_id", flat=True
        )
    )


def interpreting_access(user: User, case: Case) -> Access:
    """How ``user`` may see ``case`` on the interpreter pages (``NONE``: 404).

    Only as one of its active interpreters: someone who works the case but does not interpret it
    reads the case's own pages instead. A frozen case or a merged tombstone: nobody.
    """
    if not isinstance(user, User) or not user.may(Perm.INTERPRET):
        return Access.NONE
    if case.is_frozen or case.merged_into_id is not None:
        return Access.NONE
    interpreters = active_interpreter_ids(case)
    if not any(str(pk) == str(user.pk) for pk in interpreters):
        return Access.NONE
    return access.access_to(user, case, interpreter_ids=interpreters)


def require_interpreting(user: User, case: Case) -> Access:
    """Raise ``CaseNotFound`` unless ``user`` interprets ``case`` now."""
    seen = interpreting_access(user, case)
    if not seen:
        raise CaseNotFound(_("No such case."))
    return seen
