"""Root URL tree: public pages at /, the staff console under /staff/, plumbing at /healthz."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path, re_path

from passage.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    # Our own collected static files: there is no separate static server (DESIGN invariant 5).
    re_path(r"^static/(?P<path>.+)$", core_views.static_file, name="static"),
]
if settings.PASSAGE_ROLE in {"all", "console"}:
    urlpatterns += [
        path("staff/alerts/", include("passage.alerts.urls", namespace="alerts")),
        path("staff/language/", include("passage.accounts.urls.language", namespace="language")),
        path("staff/drafts/", include("passage.drafts.urls", namespace="drafts")),
        path("staff/lockdown/", include("passage.lockdown.urls", namespace="lockdown")),
        path("staff/partner/", include("passage.cases.urls_partner", namespace="partner")),
        path("staff/", include("passage.intake.urls_staff", namespace="screening")),
        path("staff/", include("passage.cases.urls", namespace="cases")),
        path("staff/", include("passage.workload.urls", namespace="workload")),
        path("staff/", include("passage.casework.urls", namespace="casework")),
        path("staff/", include("passage.casefiles.urls", namespace="casefiles")),
        path("staff/", include("passage.funds.urls", namespace="funds")),
        path("staff/", include("passage.casefields.urls", namespace="casefields")),
        path("staff/", include("passage.routes.urls", namespace="routes")),
        path("staff/", include("passage.safehouses.urls", namespace="safehouses")),
        path("staff/", include("passage.pathways.urls", namespace="pathways")),
        path("staff/", include("passage.dossiers.urls", namespace="dossiers")),
        path("staff/", include("passage.documents.urls", namespace="documents")),
        path("staff/", include("passage.safety.urls", namespace="safety")),
        path("staff/", include("passage.settlement.urls", namespace="settlement")),
        path("staff/", include("passage.evidence.urls", namespace="evidence")),
        path("staff/", include("passage.retention.urls", namespace="retention")),
        path("staff/interpret/", include("passage.interpreting.urls", namespace="interpret")),
        path("staff/reports/", include("passage.reports.urls", namespace="reports")),
        path("staff/exports/", include("passage.exports.urls", namespace="exports")),
        path("staff/imports/", include("passage.imports.urls", namespace="imports")),
        path("staff/", include("passage.accounts.urls", namespace="staff")),
    ]
# The public pages and mailbox: on the intake tier and on a single-machine installation.
if settings.PASSAGE_ROLE in {"all", "intake"}:
    urlpatterns += [path("", include("passage.intake.urls_public", namespace="public"))]

handler400 = "passage.core.views.bad_request"
handler403 = "passage.core.views.permission_denied"
handler404 = "passage.core.views.page_not_found"
handler500 = "passage.core.views.server_error"
