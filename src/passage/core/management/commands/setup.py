"""``passage setup``: make this installation ready to serve. Safe to run again at any time.

Creates missing keys, brings the database up to date, collects static files, and creates the
first admin if there is no admin yet, printing a one-time invitation link for them. That link is
printed this once; later runs keep all data and say nothing about admins.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.accounts.exceptions import UsernameTaken
from passage.accounts.services import sign_in as account_services


def staff_url() -> str:
    """The local address of the staff console, as a person would type it."""
    host = settings.PASSAGE_HOST
    if host in {"", "0.0.0.0"}:  # noqa: S104 -- naming the wildcard, not binding to it
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.PASSAGE_PORT}/staff/"


def local_url(path: str) -> str:
    """``path`` (``/staff/...``) on the local address of the staff console."""
    return staff_url().removesuffix("/staff/") + path


class Command(BaseCommand):
    help = (
        "Create missing keys, migrate the database, collect static files and create the first "
        "admin. Keeps all data; safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--admin-username",
            default="admin",
            help="username of the first admin, if one is created (default: admin)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        inner = max(verbosity - 1, 0)  # Django's own step-by-step output only with -v 2
        call_command("keys", "init", stdout=self.stdout, stderr=self.stderr)
        if settings.PASSAGE_ROLE == "intake":
            # The intake tier's database role may only add requests: the console migrates.
            call_command("collectstatic", interactive=False, verbosity=inner, stdout=self.stdout)
            if verbosity:
                self.stdout.write("Static files collected. Run `passage setup` on the console.")
            return
        call_command("migrate", interactive=False, verbosity=inner, stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=inner, stdout=self.stdout)
        if verbosity:
            self.stdout.write("Database and static files are up to date.")
        try:
            created = account_services.first_admin_create(username=options["admin_username"])
        except UsernameTaken as exc:
            raise CommandError(str(exc)) from None
        if created is None:
            return
        user, path = created
        # Printed once, to this terminal only; only the SHA-256 of the link's token is stored.
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Passage is ready. The first administrator signs up with this one-time link:",
                    f"  username:   {user.get_username()}",
                    f"  invitation: {local_url(path)}",
                    "",
                    "Open it within 72 hours, on the computer where Passage runs or through a",
                    "secure channel: it sets the passphrase and the authenticator app. It is",
                    "shown only this once. Start the server with `passage serve`.",
                    "",
                ]
            )
        )
