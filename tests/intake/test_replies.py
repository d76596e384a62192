"""intake.replies: reply templates for the common answers, in the person's reply language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from passage.intake import replies


def test_every_template_has_a_title_and_a_body() -> None:
    keys = [key for key, _title in replies.choices()]
    assert keys == ["received", "need_info", "working", "safety"]
    for key in keys:
        assert replies.text(key, "en")


def test_the_body_comes_in_the_asked_language_not_the_pages() -> None:
    english = str(replies.TEMPLATES["safety"][1])
    with translation.override("en"):
        body = replies.text("safety", "fa")
        assert translation.get_language() == "en"
    with translation.override("fa"):
        assert body == gettext(english)


def test_an_unknown_template_is_empty() -> None:
    assert replies.text("nope", "en") == ""
