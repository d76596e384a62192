"""Consent and sharing: what the person agreed may go to whom, and every share checking it.

Every share, referral or export of case data to someone outside the organisation calls
``consent_require`` first, which refuses with a clear message when no active consent covers the
recipient and the sections. Withdrawing a consent revokes the shares made under it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases import access
from passage.cases.exceptions import ConsentMissing, InvalidInput
from passage.cases.models import SHAREABLE_SECTIONS, Case, CaseEvent, CaseShare, Consent
from passage.cases.services import common


def _clean_sections(sections: set[str] | list[str]) -> list[str]:
    chosen = sorted(set(sections))
    if not chosen:
        raise InvalidInput(_("Choose at least one part of the case."))
    if any(s not in SHAREABLE_SECTIONS for s in chosen):
        raise InvalidInput(_("Unknown part of the case."))
    return chosen


def consent_record(
    *,
    case: Case,
    recipient_kind: str,
    sections: set[str] | list[str],
    given_on: dt.date,
    how_given: str,
    actor: User,
    partner: PartnerOrganisation | None = None,
    request_id: str | None = None,
) -> Consent:
    """Record what the person agreed may be shared with a kind of organisation (or one)."""
    access.require_working(actor, case)
    if recipient_kind not in PartnerOrganisation.Kind.values:
        raise InvalidInput(_("Choose who may receive it."))
    if partner is not None and partner.kind != recipient_kind:
        raise InvalidInput(_("That organisation is not of the kind chosen."))
    if given_on > timezone.localdate():
        raise InvalidInput(_("The date consent was given cannot be in the future."))
    how = how_given.strip()
    if not how:
        raise InvalidInput(_("Say how the person gave consent (e.g. on a call, in writing)."))
    chosen = _clean_sections(sections)
    with audit.atomic():
        locked = common.lock(case)
        consent = Consent.objects.create(
            case=locked,
            recipient_kind=recipient_kind,
            partner=partner,
            sections=chosen,
            given_on=given_on,
            recorded_by=actor,
            how_given=how,
        )
        common.event(locked, CaseEvent.Kind.CONSENT, actor=actor, detail="recorded")
        common.record(
            actor,
            "consent.recorded",
            locked,
            object_type="consent",
            object_id=str(consent.pk),
            request_id=request_id,
        )
    return consent


def consent_withdraw(*, consent: Consent, actor: User, request_id: str | None = None) -> int:
    """The person withdrew consent: mark it, and revoke every share made under it.

    Returns how many shares were revoked.
    """
    case = consent.case
    access.require_working(actor, case)
    with audit.atomic():
        locked = common.lock(case)
        consent = Consent.objects.select_for_update().get(pk=consent.pk, case=locked)
        if consent.withdrawn_at is not None:
            raise InvalidInput(_("This consent was withdrawn already."))
        now = timezone.now()
        consent.withdrawn_at = now
        consent.withdrawn_by = actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        revoked = CaseShare.objects.filter(consent=consent, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor
        )
        common.event(locked, CaseEvent.Kind.CONSENT, actor=actor, detail="withdrawn")
        common.record(
            actor,
            "consent.withdrawn",
            locked,
            object_type="consent",
            object_id=str(consent.pk),
            request_id=request_id,
        )
    return revoked


def consent_covering(
    *, case: Case, partner: PartnerOrganisation, sections: set[str]
) -> Consent | None:
    for consent in Consent.objects.filter(case=case, withdrawn_at__isnull=True):
        if consent.covers(partner, sections):
            return consent
    return None


def consent_require(*, case: Case, partner: PartnerOrganisation, sections: set[str]) -> Consent:
    """The active consent that covers giving ``sections`` to ``partner``; else ConsentMissing."""
    consent = consent_covering(case=case, partner=partner, sections=sections)
    if consent is None:
        raise ConsentMissing(
            _(
                "No consent of the person covers sharing this with %(partner)s. Record their "
                "consent first (who may receive it and which parts)."
            )
            % {"partner": partner.code}
        )
    return consent


def case_share(
    *,
    case: Case,
    partner: PartnerOrganisation,
    sections: set[str] | list[str],
    actor: User,
    request_id: str | None = None,
) -> CaseShare:
    """Show ``sections`` of ``case`` to ``partner``'s people, under the person's consent."""
    access.require_working(actor, case, Perm.CASES_SHARE)
    chosen = _clean_sections(sections)
    if not partner.is_active:
        raise InvalidInput(_("This organisation is deactivated."))
    if not partner.desks.filter(pk=case.desk_id).exists():
        raise InvalidInput(_("This organisation does not work with the case's desk."))
    with audit.atomic():
        locked = common.lock(case)
        if locked.is_frozen:
            raise ConsentMissing(_("The case is frozen: nothing is shared while it is."))
        consent = consent_require(case=locked, partner=partner, sections=set(chosen))
        share = CaseShare.objects.create(
            case=locked, partner=partner, sections=chosen, consent=consent, shared_by=actor
        )
        common.event(locked, CaseEvent.Kind.SHARE, actor=actor, detail=partner.code[:40])
        common.record(
            actor,
            "case.shared",
            locked,
            object_type="share",
            object_id=str(share.pk),
            request_id=request_id,
        )
    return share


def case_share_revoke(*, share: CaseShare, actor: User, request_id: str | None = None) -> None:
    case = share.case
    access.require_working(actor, case, Perm.CASES_SHARE)
    with audit.atomic():
        locked = common.lock(case)
        updated = CaseShare.objects.filter(
            pk=share.pk, case=locked, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_by=actor)
        if not updated:
            raise InvalidInput(_("This share was revoked already."))
        common.event(locked, CaseEvent.Kind.SHARE, actor=actor, detail="revoked")
        common.record(
            actor,
            "case.share_revoked",
            locked,
            object_type="share",
            object_id=str(share.pk),
            request_id=request_id,
        )
