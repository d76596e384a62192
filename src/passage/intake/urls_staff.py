"""Staff URLs of intake under /staff/: the screening inbox and the referral directory."""

from django.urls import path

from passage.intake.views import staff

app_name = "screening"

urlpatterns = [
    path("requests/", staff.inbox, name="inbox"),
    path("requests/bulk-spam/", staff.bulk_spam, name="bulk-spam"),
    path("requests/<uuid:request_id>/", staff.request_detail, name="request"),
    path("requests/<uuid:request_id>/files/<uuid:item_id>/", staff.request_file, name="file"),
    path("requests/<uuid:request_id>/reply/", staff.reply, name="reply"),
    path("requests/<uuid:request_id>/triage/", staff.triage, name="triage"),
    path("requests/<uuid:request_id>/open-case/", staff.open_case, name="open-case"),
    path("requests/<uuid:request_id>/attach/", staff.attach, name="attach"),
    path("requests/<uuid:request_id>/decline/", staff.decline, name="decline"),
    path("requests/<uuid:request_id>/spam/", staff.mark_spam, name="spam"),
    path("referrals/", staff.directory_list, name="directory"),
    path("referrals/new/", staff.directory_edit, name="directory-new"),
    path("referrals/<uuid:organisation_id>/", staff.directory_edit, name="directory-edit"),
    path(
        "referrals/<uuid:organisation_id>/checked/",
        staff.directory_checked,
        name="directory-checked",
    ),
]
