"""`passage createadmin --username NAME`: an inactive admin and a one-time invitation link."""

from __future__ import annotations

import re

from tests.conftest import ScratchInstall


def test_createadmin_prints_a_one_time_link_and_refuses_a_taken_name(
    scratch_install: ScratchInstall,
) -> None:
    env_port = {**scratch_install.env, "PASSAGE_PORT": "8765"}
    scratch_install.env = env_port
    result = scratch_install.run("createadmin", "--username", "Ops-Admin")
    found = re.search(
        r"http://127\.0\.0\.1:8765/staff/invitation/([A-Za-z0-9_-]{43})/", result.stdout
    )
    assert found, result.stdout
    token = found.group(1)
    state = scratch_install.run(
        "shell",
        "-v",
        "0",
        "-c",
        "from passage.accounts.models import User\n"
        "from passage.accounts.services.invitations import invitation_find\n"
        "from passage.audit.models import AuditEntry\n"
        "u = User.objects.get(username='Ops-Admin')\n"
        "print(u.is_admin, u.is_active, u.has_usable_password())\n"
        f"print(invitation_find({token!r}).user_id == u.pk)\n"
        "print(sorted(set(AuditEntry.objects.values_list('action', flat=True))))\n",
    )
    lines = state.stdout.splitlines()
    assert lines[0] == "True False False"
    assert lines[1] == "True"
    assert "account.admin_created" in lines[2] and "account.invitation_created" in lines[2]

    taken = scratch_install.run("createadmin", "--username", "ops-admin", check=False)
    assert taken.returncode == 1
    assert "There is already an account named 'ops-admin'." in taken.stderr
    assert "Traceback" not in taken.stderr
    assert "invitation" not in taken.stdout

    missing = scratch_install.run("createadmin", check=False)
    assert missing.returncode != 0
    assert "--username" in missing.stderr


def test_no_password_option_exists(scratch_install: ScratchInstall) -> None:
    result = scratch_install.run("createadmin", "--help")
    assert "--password" not in result.stdout
