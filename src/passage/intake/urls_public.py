"""Public URLs: the help page at / and /<lang>/, the receipt, the mailbox (namespace "public")."""

from django.conf import settings
from django.urls import path, re_path

from passage.intake.views import checkins, public

app_name = "public"

LANG = "(?P<lang>" + "|".join(code for code, _name in settings.LANGUAGES) + ")"

urlpatterns = [
    path("", public.help_page, name="help-root"),
    re_path(rf"^{LANG}/$", public.help_page, name="help"),
    re_path(rf"^{LANG}/request/$", public.request_submit, name="request"),
    re_path(rf"^{LANG}/story/$", public.story_submit, name="story"),
    re_path(rf"^{LANG}/mailbox/$", public.mailbox, name="mailbox"),
    re_path(rf"^{LANG}/mailbox/message/$", public.mailbox_message, name="message"),
    re_path(rf"^{LANG}/mailbox/check-in/$", checkins.checkin, name="checkin"),
    re_path(rf"^{LANG}/mailbox/words/$", checkins.words, name="words"),
    re_path(rf"^{LANG}/mailbox/sign-out/$", public.mailbox_sign_out, name="sign-out"),
    re_path(rf"^{LANG}/mailbox/delete/$", public.mailbox_delete, name="delete"),
    re_path(rf"^{LANG}/privacy/$", public.privacy, name="privacy"),
]
