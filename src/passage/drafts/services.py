"""Every write of drafts: save (autosave), restore, discard, clear after submit, expire.

What is audited (docs/drafts.md): a draft's creation, each restoration into a page, its discard
(by the user, after the form was submitted, or when it expired). The autosaves in between are
not: they come every few seconds while someone types, and an entry per keystroke burst would
bury the trail without telling an auditor anything the creation and the end do not.

Discarding shreds: the draft's data key is destroyed (and the shred ledger remembers it, so a
restored backup loses it again), then the row is deleted.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence

from django.db import IntegrityError
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.audit import services as audit
from passage.crypto import shred
from passage.crypto.exceptions import CryptoError
from passage.crypto.models import ShredRecord
from passage.drafts import keys
from passage.drafts.exceptions import DraftRefused
from passage.drafts.models import Draft

KEEP_FOR = dt.timedelta(days=7)
MAX_FIELDS = 300
MAX_CHARS = 200_000
# Never kept, whatever a form posts: the CSRF token, the draft's own key, anything secret.
_SKIPPED = {"csrfmiddlewaretoken", keys.FIELD}
_SECRET = re.compile(r"pass(word|phrase)|secret|token|^code$|^otp$", re.IGNORECASE)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

Values = dict[str, list[str]]


def values_from(data: QueryDict | Mapping[str, Sequence[str]]) -> Values:
    """The fields of a posted form worth keeping: text the person typed or chose.

    Raises ``DraftRefused`` when there are too many fields or too much text.
    """
    items = data.lists() if isinstance(data, QueryDict) else data.items()
    values: Values = {}
    total = 0
    for name, raw in items:
        if name in _SKIPPED or _SECRET.search(name) or len(name) > 100:
            continue
        kept = [str(v) for v in raw]
        total += sum(len(v) for v in kept) + len(name)
        values[name] = kept
    if len(values) > MAX_FIELDS or total > MAX_CHARS:
        raise DraftRefused(_("This form is too large to keep as a draft."))
    return values


def _actor(user: User) -> str:
    return audit.actor_for("user", user.pk)


def draft_save(
    *, actor: User, form_key: str, values: Values, request_id: str | None = None
) -> Draft:
    """Keep ``actor``'s values of the form ``form_key`` (replacing earlier ones) for 7 days.

    The first save of a draft is audited (``draft.created``); later saves are not.
    """
    if keys.parse(form_key) is None:
        raise DraftRefused(_("This form cannot keep a draft."))
    now = timezone.now()
    with audit.atomic():
        draft = Draft.objects.select_for_update().filter(owner=actor, form_key=form_key).first()
        if draft is None:
            draft = Draft(owner=actor, form_key=form_key, values=values, expires_at=now + KEEP_FOR)
            try:
                with audit.atomic():
                    draft.save()
            except IntegrityError:  # the same user's other tab created it meanwhile
                draft = Draft.objects.select_for_update().get(owner=actor, form_key=form_key)
            else:
                audit.record(
                    actor=_actor(actor),
                    action="draft.created",
                    object_type="draft",
                    object_id=str(draft.pk),
                    request_id=request_id,
                )
                return draft
        draft.values = values
        draft.updated_at = now
        draft.expires_at = now + KEEP_FOR
        draft.save(update_fields=["values", "updated_at", "expires_at"])
    return draft


def draft_restore(*, actor: User, form_key: str, request_id: str | None = None) -> Values | None:
    """``actor``'s kept values of ``form_key`` for a page to show again (audited), or None."""
    from passage.drafts import queries

    draft = queries.draft_of(actor, form_key)
    if draft is None:
        return None
    try:
        values = draft.values
    except CryptoError:  # shredded meanwhile
        return None
    if not isinstance(values, dict):
        return None
    with audit.atomic():
        audit.record(
            actor=_actor(actor),
            action="draft.restored",
            object_type="draft",
            object_id=str(draft.pk),
            request_id=request_id,
        )
    return {str(k): [str(v) for v in vs] for k, vs in values.items() if isinstance(vs, list)}


def _destroy(draft: Draft, *, actor: str, action: str, request_id: str | None) -> None:
    """Shred the draft's key, delete its row and record why (inside the caller's atomic)."""
    draft_id = str(draft.pk)
    shred.shred(draft)
    Draft.objects.filter(pk=draft.pk).delete()
    audit.record(
        actor=actor, action=action, object_type="draft", object_id=draft_id, request_id=request_id
    )


def draft_discard(
    *,
    actor: User,
    form_key: str,
    request_id: str | None = None,
    action: str = "draft.discarded",
) -> bool:
    """Destroy ``actor``'s draft of ``form_key``; False if there was none. Audited."""
    with audit.atomic():
        draft = Draft.objects.select_for_update().filter(owner=actor, form_key=form_key).first()
        if draft is None:
            return False
        _destroy(draft, actor=_actor(actor), action=action, request_id=request_id)
    return True


def draft_clear_for(request: HttpRequest, form_key: str) -> bool:
    """For a view whose form was just submitted: its draft is no longer needed (audited as
    ``draft.cleared``). The drafts middleware already does this for forms that redirect on
    success; a view that answers otherwise calls it itself."""
    user = request.user
    if not isinstance(user, User):
        return False
    return draft_discard(
        actor=user,
        form_key=form_key,
        request_id=audit.request_id_from(request),
        action="draft.cleared",
    )


def _shredded_pages(drafts: list[Draft]) -> set[uuid.UUID]:
    """Draft ids whose page names a record that has since been shredded (e.g. its case)."""
    named: dict[uuid.UUID, set[uuid.UUID]] = {}
    for draft in drafts:
        ids = {uuid.UUID(found) for found in _UUID.findall(draft.form_key)}
        if ids:
            named[draft.pk] = ids
    wanted = set().union(*named.values()) if named else set()
    gone = set(ShredRecord.objects.filter(owner_id__in=wanted).values_list("owner_id", flat=True))
    return {draft_id for draft_id, ids in named.items() if ids & gone}


def drafts_expire(*, now: dt.datetime | None = None, chunk: int = 200) -> int:
    """Destroy drafts past their expiry, and drafts of pages whose record was shredded.

    Idempotent; commits in chunks (the audit head is held per chunk only)."""
    now = now or timezone.now()
    destroyed = 0
    expired = list(Draft.objects.filter(expires_at__lte=now).values_list("pk", flat=True))
    live = list(Draft.objects.filter(expires_at__gt=now).only("pk", "form_key"))
    doomed = expired + sorted(_shredded_pages(live))
    for start in range(0, len(doomed), chunk):
        with audit.atomic():
            for draft in Draft.objects.select_for_update().filter(
                pk__in=doomed[start : start + chunk]
            ):
                _destroy(draft, actor="system", action="draft.expired", request_id=None)
                destroyed += 1
    return destroyed
