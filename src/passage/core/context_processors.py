"""Template context every page may use. Nothing here touches the database."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "public_title": settings.PASSAGE_PUBLIC_TITLE,
        "quick_exit_url": settings.PASSAGE_QUICK_EXIT_URL,
        "passage_role": settings.PASSAGE_ROLE,
    }
