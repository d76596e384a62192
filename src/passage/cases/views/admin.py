"""Campaigns and desk priorities: the boosts of the triage score."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passage.accounts.access import staff_view
from passage.accounts.roles import Perm
from passage.cases import queries
from passage.cases.forms.lists import CampaignForm, DeskPriorityForm
from passage.cases.models import Campaign
from passage.cases.services import campaigns as services
from passage.cases.views.common import GET_POST, request_id, run, status_of, viewer


@staff_view(Perm.CAMPAIGNS_MANAGE)
@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    context = {
        "campaigns": list(queries.campaigns()),
        "desks": queries.priority_desks(viewer(request)),
    }
    return render(request, "cases/campaigns.html", context)


def _campaign_page(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = {}
    if campaign is not None:
        initial = {
            "name": campaign.name,
            "countries": campaign.countries,
            "regions": "\n".join(campaign.regions),
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "priority_boost": campaign.priority_boost,
            "is_active": campaign.is_active,
        }
    form = CampaignForm(data, initial=initial)
    done = run(
        request,
        form,
        lambda: services.campaign_save(
            campaign=campaign,
            name=form.cleaned_data["name"],
            countries=form.cleaned_data["countries"],
            regions=form.region_list(),
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            priority_boost=form.cleaned_data["priority_boost"],
            is_active=form.cleaned_data["is_active"],
            actor=viewer(request),
            request_id=request_id(request),
        ),
        success=_("Campaign saved; scores of open cases are updated."),
        then=reverse("cases:campaigns"),
    )
    if done:
        return done
    context = {"form": form, "campaign": campaign}
    return render(request, "cases/campaign_form.html", context, status=status_of(form))


@staff_view(Perm.CAMPAIGNS_MANAGE)
@require_http_methods(GET_POST)
def campaign_new(request: HttpRequest) -> HttpResponse:
    return _campaign_page(request, None)


@staff_view(Perm.CAMPAIGNS_MANAGE)
@require_http_methods(GET_POST)
def campaign_edit(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = queries.campaign(campaign_id)
    if campaign is None:
        raise Http404
    return _campaign_page(request, campaign)


@staff_view(Perm.CAMPAIGNS_MANAGE)
@require_http_methods(GET_POST)
def desk_priority(request: HttpRequest, desk_id: str) -> HttpResponse:
    user = viewer(request)
    found = queries.priority_desk(user, desk_id)
    if found is None:
        raise Http404
    desk, current = found
    form = DeskPriorityForm(
        request.POST if request.method == "POST" else None, initial={"boost": current}
    )
    done = run(
        request,
        form,
        lambda: services.desk_priority_set(
            desk=desk, boost=form.cleaned_data["boost"], actor=user, request_id=request_id(request)
        ),
        success=_("Desk priority saved."),
        then=reverse("cases:campaigns"),
    )
    if done:
        return done
    context = {"form": form, "desk": desk}
    return render(request, "cases/desk_priority_form.html", context, status=status_of(form))
