"""Staff URLs of evidence (namespace ``evidence``): a case's Testimony tab under
/staff/cases/<case>/testimony/ and the Evidence area under /staff/evidence/."""

from django.urls import path

from passage.evidence.views import area, case

app_name = "evidence"

CASE = "cases/<uuid:case_id>/testimony/"
ONE = CASE + "<uuid:testimony_id>/"
AREA = "evidence/"
BUNDLE = AREA + "bundles/<uuid:bundle_id>/"

urlpatterns = [
    path(CASE, case.testimonies, name="case"),
    path(CASE + "add/", case.testimony_add, name="testimony-add"),
    path(ONE, case.testimony, name="testimony"),
    path(ONE + "redactions/", case.redaction_add, name="redaction-add"),
    path(ONE + "redactions/remove/", case.redaction_remove, name="redaction-remove"),
    path(ONE + "withdraw/", case.consent_withdraw, name="consent-withdraw"),
    path(ONE + "incidents/add/", case.incident_add, name="incident-add"),
    path(ONE + "links/", case.links, name="links"),
    path(ONE + "files/add/", case.file_add, name="file-add"),
    path(AREA, area.index, name="index"),
    path(AREA + "places/", area.places, name="places"),
    path(AREA + "places/new/", area.place_new, name="place-new"),
    path(AREA + "perpetrators/", area.perpetrators, name="perpetrators"),
    path(AREA + "perpetrators/new/", area.perpetrator_new, name="perpetrator-new"),
    path(AREA + "bundles/", area.bundles, name="bundles"),
    path(AREA + "bundles/new/", area.bundle_new, name="bundle-new"),
    path(BUNDLE, area.bundle, name="bundle"),
    path(BUNDLE + "items/", area.bundle_items, name="bundle-items"),
    path(BUNDLE + "approve/", area.bundle_approve, name="bundle-approve"),
    path(BUNDLE + "pdf/", area.bundle_download, name="bundle-download"),
    path(BUNDLE + "custody/", area.custody_add, name="custody-add"),
]
