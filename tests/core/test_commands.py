"""`passage setup`, `passage serve` and configuration errors, through the real command."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import ScratchInstall
from tests.core.support import child_pids, command_line, http_get, passage_serve, run_passage

INVITATION = re.compile(
    r"username:\s+(?P<username>\S+)\n\s+invitation:\s+(?P<address>http://\S+/staff/invitation/)"
    r"(?P<token>[A-Za-z0-9_-]+)/"
)


def test_setup_twice_keeps_data_and_prints_the_invitation_once(
    fresh_install: ScratchInstall,
) -> None:
    env = {**fresh_install.env, "PASSAGE_PORT": "8123"}
    first = run_passage(env, "setup")
    assert first.returncode == 0, first.stderr
    found = INVITATION.search(first.stdout)
    assert found, first.stdout
    assert found["address"] == "http://127.0.0.1:8123/staff/invitation/"
    assert found["username"] == "admin"
    token = found["token"]
    assert len(token) >= 40
    assert "passphrase:" not in first.stdout
    assert "Traceback" not in first.stderr

    marker = run_passage(
        env,
        "shell",
        "-c",
        "from passage.accounts.models import User; User.objects.create(username='marker')",
    )
    assert marker.returncode == 0, marker.stderr

    second = run_passage(env, "setup")
    assert second.returncode == 0, second.stderr
    assert token not in second.stdout
    assert "invitation" not in second.stdout.lower()
    assert "admin" not in second.stdout.lower()

    state = run_passage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from passage.accounts.models import User\n"
        "from passage.accounts.services.invitations import invitation_find\n"
        "from passage.audit.models import AuditEntry\n"
        "print(sorted((u.username, u.is_admin, u.is_active) for u in User.objects.all()))\n"
        f"print(invitation_find({token!r}).user.username)\n"
        "print(AuditEntry.objects.filter(action='account.first_admin_created').count())\n",
    )
    assert state.stdout.split("\n")[:3] == [
        "[('admin', True, False), ('marker', False, True)]",
        "admin",
        "1",
    ], state.stderr
    # The token exists only in that one output: not in the database, keys or anywhere.
    for path in fresh_install.data_dir.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PASSAGE_MASTER_KEY_FILE", "/nonexistent"),
        ("DATABASE_URL", "notaurl"),
        ("PASSAGE_QUICK_EXIT_URL", "javascript:alert(1)"),
        ("PASSAGE_WORKERS", "many"),
        ("PASSAGE_TLS", "maybe"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(
    keyed_env: dict[str, str], variable: str, value: str
) -> None:
    result = run_passage({**keyed_env, variable: value}, "check")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("passage: configuration error: ")
    assert variable in lines[0]
    assert value not in lines[0] or value == "/nonexistent"  # values are never echoed back
    assert "Traceback" not in result.stderr


def test_serve_refuses_an_installation_that_is_not_set_up(fresh_install: ScratchInstall) -> None:
    result = run_passage(fresh_install.env, "serve", timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert len(lines) >= 3
    assert all(line.startswith("passage serve: ") for line in lines), lines
    text = result.stderr
    assert "secret key" in text
    assert "Keys:" in text
    assert "database" in text
    assert "Static files are not collected" in text


def test_serve_refuses_pending_migrations(scratch_install: ScratchInstall) -> None:
    scratch_install.run("collectstatic", "--no-input", "-v", "0")
    scratch_install.run("migrate", "sessions", "zero", "--no-input", "-v", "0")
    result = scratch_install.run("serve", check=False, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "passage serve: The database is not up to date: run `passage setup`."
    ]


def _children(pid: int) -> dict[str, int]:
    found = {}
    for child in child_pids(pid):
        line = command_line(child)
        if "gunicorn" in line:
            found["web"] = child
        elif "db_worker" in line:
            found["worker"] = child
        elif "scheduler" in line:
            found["scheduler"] = child
    return found


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)


def _state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "gone"
    match = re.search(r"^State:\s+\S+\s+\((\w+)\)", status, re.MULTILINE)
    return match.group(1) if match else ""


PERIODIC_DONE = "path=passage.core.periodic.run_periodic_jobs state=SUCCESSFUL"


def test_serve_runs_web_worker_and_scheduler_and_stops_all_on_sigterm(
    scratch_install: ScratchInstall, tmp_path: Path
) -> None:
    scratch_install.run("setup")
    with passage_serve(scratch_install.env, tmp_path / "logs") as server:
        children = _children(server.process.pid)
        assert set(children) == {"web", "worker", "scheduler"}, (children, server.output())
        with http_get(server.base_url + "/staff/") as response:
            assert response.status == 200
            page = response.read().decode()
        stylesheet = re.search(r'href="(/static/passage/passage\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the collected, hashed stylesheet is linked"
        with http_get(server.base_url + stylesheet.group(1)) as response:
            assert response.status == 200
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        # The scheduler queues the periodic jobs shortly after start, and the worker runs them.
        deadline = time.monotonic() + 60
        while PERIODIC_DONE not in server.output()[1]:
            assert time.monotonic() < deadline and server.process.poll() is None, server.output()
            time.sleep(0.2)

        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=45) == 0, server.output()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children.values())
        _, stderr = server.output()
    # No access log: no client address, no request line from gunicorn.
    assert "127.0.0.1 - " not in stderr
    assert '"GET /staff/' not in stderr
    assert "GET staff:sign-in 200" in stderr  # our own line: route name and status only
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    ("victim", "label"), [("worker", "background worker"), ("scheduler", "scheduler")]
)
def test_serve_stops_everything_and_fails_when_a_child_dies(
    scratch_install: ScratchInstall, tmp_path: Path, victim: str, label: str
) -> None:
    scratch_install.run("setup")
    with passage_serve(scratch_install.env, tmp_path / "logs") as server:
        children = _children(server.process.pid)
        assert set(children) == {"web", "worker", "scheduler"}, (children, server.output())
        os.kill(children[victim], signal.SIGKILL)
        assert server.process.wait(timeout=45) == 1, server.output()
        others = [pid for name, pid in children.items() if name != victim]
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in others) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in others)
        _, stderr = server.output()
    assert f"the {label} stopped unexpectedly (killed by SIGKILL)" in stderr
