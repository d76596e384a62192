"""The partner portal: refer a person, see the status of one's referrals and what was shared.

A partner's laptop may be seized (threat 1), so the portal shows the minimum: a coarse status
of each referral (never "in transit" or a place) and only the sections staff shared under the
person's consent; each view of a shared section is recorded.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.alerts import services as alert_services
from passage.cases import queries
from passage.cases.exceptions import CaseError
from passage.cases.forms.lists import ReferralForm
from passage.cases.models import SHAREABLE_SECTIONS
from passage.cases.services import opening
from passage.cases.services.people import ChannelDetails
from passage.cases.views.common import GET_POST, refused, request_id, status_of, viewer


@staff_view(Perm.PARTNER_PORTAL)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    context = {
        "referrals": [
            (c, queries.partner_status(c)) for c in queries.partner_referrals(user)[:200]
        ],
        "shared": list(queries.partner_shared_cases(user)[:200]),
    }
    return render(request, "cases/partner/home.html", context)


@staff_view(Perm.PARTNER_PORTAL)
@require_http_methods(GET_POST)
def refer(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, desks=queries.partner_desks(user))
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        channels = []
        if cleaned.get("contact_value"):
            channels.append(
                ChannelDetails(kind=cleaned["contact_kind"], value=cleaned["contact_value"])
            )
        try:
            case = opening.referral_submit(
                actor=user,
                desk=cleaned["desk"],
                person=form.details(),
                channels=channels,
                request_id=request_id(request),
                **form.facts(),
            )
        except CaseError as exc:
            refused(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. The referral %(reference)s reached the desk.")
                % {"reference": case.reference},
            )
            return redirect("partner:home")
    return render(request, "cases/partner/refer.html", {"form": form}, status=status_of(form))


@staff_view(Perm.PARTNER_PORTAL)
@require_safe
def case(request: HttpRequest, case_id: str) -> HttpResponse:
    user = viewer(request)
    found = queries.partner_case(user, case_id)
    if found is None:
        raise Http404
    people = []
    if found.sections:
        alert_services.protected_read(
            user=user,
            case_id=found.case.pk,
            desk_id=found.case.desk_id,
            section="partner_share",
            request_id=request_id(request),
        )
        people = queries.people_of(found.case)
    context = {
        "found": found,
        "status": queries.partner_status(found.case),
        "people": people,
        "sections": {key: SHAREABLE_SECTIONS[key] for key in sorted(found.sections)},
    }
    return render(request, "cases/partner/case.html", context)
