"""Reads of the pathways app, always filtered by what the viewer may see.

Applications are read for a case the viewer may see (a ``cases.queries.CaseView``); callers
record the read of what these functions decrypt (``cases.views.common.record_read``). The
partner directory shows a viewer the partners of their desks and those of no desk in
particular; programmes are organisation-wide (their names are no personal data, but they are
encrypted because a programme can be secret).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.cases.queries import CaseView, uuid_or_none
from passage.crypto import datakeys
from passage.pathways.models import HOLDS_PLACE, Application, PartnerProfile, Programme

# --- Partner directory -----------------------------------------------------------------------


def directory_partners(viewer: User) -> QuerySet[PartnerOrganisation]:
    """Partners ``viewer`` finds in the directory: those working with one of their desks, or
    with no desk in particular (e.g. a UNHCR office). Nobody else's."""
    if not (viewer.may(Perm.PARTNERS_CONTACTS) or viewer.may(Perm.PATHWAYS_MANAGE)):
        return PartnerOrganisation.objects.none()
    desks = viewer.memberships.values("desk_id")
    return (
        PartnerOrganisation.objects.filter(Q(desks__in=desks) | Q(desks__isnull=True))
        .distinct()
        .order_by("code")
    )


@dataclass(frozen=True)
class DirectoryRow:
    partner: PartnerOrganisation
    desks: list[str]
    trust_level: str
    trust_label: str


def directory(viewer: User) -> list[DirectoryRow]:
    """The directory's rows (names decrypted; contact details are not)."""
    partners = list(directory_partners(viewer).prefetch_related("desks"))
    datakeys.preload(partners)
    profiles = {
        p.partner_id: p for p in PartnerProfile.objects.filter(partner__in=[x.pk for x in partners])
    }
    rows = []
    for partner in partners:
        profile = profiles.get(partner.pk)
        level = profile.trust_level if profile else PartnerProfile.Trust.UNVETTED
        rows.append(
            DirectoryRow(
                partner=partner,
                desks=sorted(str(d.name) for d in partner.desks.all()),
                trust_level=level,
                trust_label=str(PartnerProfile.Trust(level).label),
            )
        )
    return rows


def directory_partner(viewer: User, partner_id: object) -> PartnerOrganisation | None:
    pk = uuid_or_none(partner_id)
    if pk is None:
        return None
    return directory_partners(viewer).filter(pk=pk).first()


def profile_of(partner: PartnerOrganisation) -> PartnerProfile | None:
    return PartnerProfile.objects.filter(partner=partner).first()


# --- Programmes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    programme: Programme
    used: int

    @property
    def remaining(self) -> int | None:
        quota = self.programme.quota
        return None if quota is None else max(quota - self.used, 0)


def programmes(*, active_only: bool = False) -> list[ProgrammeRow]:
    """Every programme with its places used (names decrypted)."""
    found = Programme.objects.select_related("partner").annotate(
        used=Count("applications", filter=Q(applications__status__in=HOLDS_PLACE))
    )
    if active_only:
        found = found.filter(is_active=True)
    rows = list(found)
    datakeys.preload(rows)
    return [ProgrammeRow(programme=p, used=p.used) for p in rows]


def programme(programme_id: object) -> Programme | None:
    pk = uuid_or_none(programme_id)
    return None if pk is None else Programme.objects.filter(pk=pk).first()


def programme_row(programme_id: object) -> ProgrammeRow | None:
    pk = uuid_or_none(programme_id)
    if pk is None:
        return None
    return next((row for row in programmes() if row.programme.pk == pk), None)


# --- Applications ----------------------------------------------------------------------------


def applications_of(view: CaseView) -> list[Application]:
    """The case's pathway applications, oldest first (decrypted: the caller records the read)."""
    rows = list(Application.objects.filter(case=view.case).select_related("programme"))
    datakeys.preload(rows)
    datakeys.preload([row.programme for row in rows])
    return rows


def application_of(view: CaseView, application_id: object) -> Application | None:
    pk = uuid_or_none(application_id)
    if pk is None:
        return None
    return Application.objects.filter(case=view.case, pk=pk).select_related("programme").first()
