"""Oversight: the auditor's view of the audit log (mounted at /staff/, namespace "staff")."""

from django.urls import path

from passage.accounts.views import oversight as views

urlpatterns = [
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/verify/", views.audit_verify, name="audit-verify"),
]
