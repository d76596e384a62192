"""Staff URLs of cases under /staff/: queue, inbox, cases and their sections, campaigns."""

from django.urls import path

from passage.cases.views import admin, case, checks, lists

app_name = "cases"

CASE = "cases/<uuid:case_id>/"

urlpatterns = [
    path("queue/", lists.queue, name="queue"),
    path("queue/assign/", lists.queue_assign, name="queue-assign"),
    path("inbox/", lists.inbox, name="inbox"),
    path("cases/", lists.case_list, name="list"),
    path("cases/new/", lists.case_new, name="new"),
    path("cases/search/", lists.search, name="search"),
    path("cases/break-glass/", lists.break_glass, name="break-glass"),
    path(CASE, case.case_summary, name="case"),
    path(CASE + "screen/", lists.screen_open, name="screen"),
    path(CASE + "person/", case.case_person, name="case-person"),
    path(CASE + "people/add/", case.person_add, name="person-add"),
    path(CASE + "people/<uuid:person_id>/edit/", case.person_edit, name="person-edit"),
    path(CASE + "people/<uuid:person_id>/remove/", case.person_remove, name="person-remove"),
    path(CASE + "story/edit/", case.narrative_edit, name="narrative-edit"),
    path(CASE + "triage/", case.case_triage, name="case-triage"),
    path(CASE + "triage/level/", case.triage_override, name="triage-override"),
    path(CASE + "move/", case.transition, name="transition"),
    path(CASE + "assign/", case.assign, name="assign"),
    path(CASE + "assign/me/", lists.assign_me, name="assign-me"),
    path(CASE + "timeline/", case.case_timeline, name="case-timeline"),
    path(CASE + "verification/", checks.case_verification, name="case-verification"),
    path(CASE + "verification/add/<slug:kind>/", checks.verification_add, name="verification-add"),
    path(CASE + "verification/outcome/", checks.verification_outcome, name="verification-outcome"),
    path(CASE + "unfreeze/", checks.unfreeze, name="unfreeze"),
    path(CASE + "approvals/", checks.case_approvals, name="case-approvals"),
    path(CASE + "approvals/relocation/", checks.relocation_request, name="relocation-request"),
    path(CASE + "approvals/emergency/", checks.emergency_request, name="emergency-request"),
    path(
        CASE + "approvals/<uuid:approval_id>/decide/",
        checks.approval_decide,
        name="approval-decide",
    ),
    path(
        CASE + "approvals/<uuid:approval_id>/withdraw/",
        checks.approval_withdraw,
        name="approval-withdraw",
    ),
    path(
        CASE + "approvals/<uuid:approval_id>/review/",
        checks.emergency_review,
        name="emergency-review",
    ),
    path(CASE + "consent/", checks.case_consent, name="case-consent"),
    path(CASE + "consent/add/", checks.consent_add, name="consent-add"),
    path(
        CASE + "consent/<uuid:consent_id>/withdraw/",
        checks.consent_withdraw,
        name="consent-withdraw",
    ),
    path(CASE + "shares/add/", checks.share_add, name="share-add"),
    path(CASE + "shares/<uuid:share_id>/revoke/", checks.share_revoke, name="share-revoke"),
    path(
        CASE + "duplicates/<uuid:flag_id>/distinct/",
        checks.duplicate_distinct,
        name="duplicate-distinct",
    ),
    path(CASE + "duplicates/<uuid:flag_id>/merge/", checks.duplicate_merge, name="duplicate-merge"),
    path("campaigns/", admin.campaign_list, name="campaigns"),
    path("campaigns/new/", admin.campaign_new, name="campaign-new"),
    path("campaigns/<uuid:campaign_id>/edit/", admin.campaign_edit, name="campaign-edit"),
    path("campaigns/desks/<uuid:desk_id>/", admin.desk_priority, name="desk-priority"),
]
