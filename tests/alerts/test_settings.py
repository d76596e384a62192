"""The e-mail settings of pushes fail loudly (one line, exit 2, no value echoed) and default to
a backend that sends nothing off the machine."""

from __future__ import annotations

import pytest

from passage import settings as passage_settings
from tests.core.conftest import keyed_env
from tests.core.support import run_passage

__all__ = ["keyed_env"]


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"PASSAGE_EMAIL_HOST": "smtp.example"}, "PASSAGE_EMAIL_FROM"),
        (
            {"PASSAGE_EMAIL_HOST": "smtp.example", "PASSAGE_EMAIL_FROM": "x@y.example\r\nBcc: z"},
            "PASSAGE_EMAIL_FROM",
        ),
        (
            {"PASSAGE_EMAIL_HOST": "smtp.example", "PASSAGE_EMAIL_PORT": "smtp"},
            "PASSAGE_EMAIL_PORT",
        ),
        (
            {"PASSAGE_EMAIL_HOST": "smtp.example", "PASSAGE_EMAIL_PASSWORD_FILE": "/nonexistent"},
            "PASSAGE_EMAIL_PASSWORD_FILE",
        ),
        (
            {
                "PASSAGE_EMAIL_HOST": "smtp.example",
                "PASSAGE_EMAIL_FROM": "alerts@example.org",
                "PASSAGE_EMAIL_SSL": "1",
                "PASSAGE_EMAIL_STARTTLS": "1",
            },
            "PASSAGE_EMAIL_SSL",
        ),
        ({"PASSAGE_PUSH_TIMEOUT_SECONDS": "0"}, "PASSAGE_PUSH_TIMEOUT_SECONDS"),
    ],
)
def test_bad_email_settings_are_one_line_and_exit_2(
    keyed_env: dict[str, str], variables: dict[str, str], named: str
) -> None:
    result = run_passage({**keyed_env, **variables}, "check")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("passage: configuration error: ")
    assert named in lines[0]
    assert "smtp.example" not in lines[0]


def test_without_a_host_nothing_leaves_the_machine() -> None:
    # The module as configured for the suite (no PASSAGE_EMAIL_HOST): the dummy backend. The
    # test runner swaps in locmem for the tests themselves.
    assert passage_settings.EMAIL_BACKEND == "django.core.mail.backends.dummy.EmailBackend"
