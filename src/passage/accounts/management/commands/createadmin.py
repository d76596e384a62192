"""``passage createadmin --username NAME``: a new admin, who signs up with a one-time link.

No password on the command line (it would stay in the shell history and the process list): the
command prints an invitation link, valid 72 hours, for the new admin to open.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passage.accounts.exceptions import UsernameTaken
from passage.accounts.services import invitations
from passage.core.management.commands.setup import local_url


class Command(BaseCommand):
    help = "Create an admin account and print its one-time invitation link (valid 72 hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="the new admin's username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = str(options["username"]).strip()
        if not username or len(username) > 64 or any(ch.isspace() for ch in username):
            raise CommandError("The username must be 1 to 64 characters, without spaces.")
        try:
            user, path = invitations.admin_create_with_invitation(username=username, actor="cli")
        except UsernameTaken:
            raise CommandError(f"There is already an account named {username!r}.") from None
        self.stdout.write(
            "\n".join(
                [
                    f"Admin {user.get_username()!r} created. They sign up with this one-time link:",
                    f"  {local_url(path)}",
                    "It works once, for 72 hours, and is shown only now. Pass it on in person or",
                    "over a secure messenger.",
                ]
            )
        )
