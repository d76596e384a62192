"""``passage serve``: run Passage in production: web server, background worker and scheduler.

Starts gunicorn (``passage.wsgi``, bound to PASSAGE_HOST:PASSAGE_PORT with PASSAGE_WORKERS
processes, no access log), the django-tasks-db worker (``passage db_worker``) and the scheduler
that queues the periodic jobs for it (``passage scheduler``). Ctrl-C or SIGTERM stops all three
gracefully. If any stops on its own, the others are stopped too and this command exits
non-zero, so a supervisor (systemd, a container runtime) restarts them together. After an
emergency key destruction (the destruction marker appears, docs/lockdown.md) every child is
stopped and this command exits 3, so no process keeps a key in memory; it then refuses to start
until the keys are recovered.

Before starting, the configuration is checked; each problem is one line, then exit status 2.
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from passage.core import memstore, queries
from passage.core.staticfiles import manifest_present
from passage.crypto.keyring import keys_destroyed

# Longer than gunicorn's graceful_timeout (core/gunicorn_conf.py), so it can finish requests.
STOP_GRACE_SECONDS = 35.0
POLL_SECONDS = 0.2


def preflight() -> list[str]:
    """Every reason not to start, one plain sentence each (empty when all is well)."""
    problems: list[str] = []
    try:
        secret_ok = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:
        secret_ok = False
    if not secret_ok:
        problems.append("The Django secret key file is missing: run `passage setup`.")
    try:
        call_command("keys", "check", stdout=io.StringIO(), stderr=io.StringIO())
    except (CommandError, ImproperlyConfigured) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if secret_ok or "SECRET_KEY" not in message:
            problems.append(f"Keys: {message}")
    if not queries.database_ok():
        problems.append(
            "The database cannot be reached: check DATABASE_URL and that the server is running."
        )
    elif not queries.migrations_current():
        problems.append("The database is not up to date: run `passage setup`.")
    if not manifest_present():
        problems.append("Static files are not collected: run `passage setup`.")
    if settings.PASSAGE_ROLE in {"all", "intake"} and not memstore_ok():
        problems.append(
            "The memory store (Redis) cannot be reached: check PASSAGE_REDIS_URL; the mailbox "
            "and the surge limits need it."
        )
    for check in checks.run_checks(include_deployment_checks=False):
        if check.level >= checks.ERROR:
            problems.append(f"{check.id}: {check.msg}".splitlines()[0])
    return problems


def memstore_ok() -> bool:
    try:
        memstore.call("ping")
    except memstore.StoreUnavailable:
        return False
    return True


def bind_address() -> str:
    host = settings.PASSAGE_HOST
    return f"[{host}]:{settings.PASSAGE_PORT}" if ":" in host else f"{host}:{settings.PASSAGE_PORT}"


@dataclass
class Child:
    label: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None


class Command(BaseCommand):
    help = (
        "Run the web server (gunicorn), the background worker and the scheduler; Ctrl-C stops "
        "them all."
    )
    # Our own preflight runs the system checks and reports each problem on one line.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        problems = preflight()
        if problems:
            for problem in problems:
                self.stderr.write(f"passage serve: {problem}")
            sys.exit(2)
        children = [
            Child(
                "web server",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    "python:passage.core.gunicorn_conf",
                    "--bind",
                    bind_address(),
                    "--workers",
                    str(settings.PASSAGE_WORKERS),
                    "passage.wsgi:application",
                ],
            ),
            Child(
                "background worker",
                [sys.executable, "-m", "passage", "db_worker", "--queue-name", "*", "--no-reload"],
            ),
            Child("scheduler", [sys.executable, "-m", "passage", "scheduler"]),
        ]
        if settings.PASSAGE_ROLE == "intake":
            # The intake tier runs no jobs: they work on data it may not read.
            children = children[:1]
            self.stdout.write(
                f"Passage (intake tier) is serving on http://{bind_address()}/ with "
                f"{settings.PASSAGE_WORKERS} web worker process(es). Press Ctrl-C to stop."
            )
            sys.exit(self._supervise(children))
        self.stdout.write(
            f"Passage is serving on http://{bind_address()}/ with {settings.PASSAGE_WORKERS} "
            "web worker process(es), a background worker and the scheduler (periodic jobs every "
            f"{settings.PASSAGE_SCHEDULER_SECONDS} s). Press Ctrl-C to stop."
        )
        sys.exit(self._supervise(children))

    def _supervise(self, children: list[Child]) -> int:
        signals_received: list[int] = []

        def on_signal(signum: int, frame: FrameType | None) -> None:
            signals_received.append(signum)

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        failed: Child | None = None
        destroyed = False
        try:
            for child in children:
                # Own process group: Ctrl-C in the terminal reaches only us, and each child gets
                # exactly one SIGTERM from us (a second signal makes the worker abort its task).
                child.process = subprocess.Popen(child.argv, process_group=0)  # noqa: S603
            while not signals_received and failed is None and not destroyed:
                if keys_destroyed():
                    destroyed = True
                    break
                for child in children:
                    if child.process is not None and child.process.poll() is not None:
                        failed = child
                        break
                else:
                    time.sleep(POLL_SECONDS)
        finally:
            codes = self._stop(children, signals_received)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if destroyed:
            self.stderr.write(
                "passage serve: this server's keys were destroyed; every process is stopped. "
                "Recover them before starting again (docs/deploy.md, key ceremony)."
            )
            return 3
        if failed is not None:
            self.stderr.write(
                f"passage serve: the {failed.label} stopped unexpectedly "
                f"({_describe(codes[failed.label])}); stopped everything else too."
            )
            return 1
        if any(code not in (0, None) for code in codes.values()):
            return 1
        return 0

    def _stop(self, children: list[Child], signals_received: list[int]) -> dict[str, int | None]:
        """SIGTERM every running child, wait for them, and kill what outlives the grace time.

        A child that dies of the SIGTERM we sent (e.g. the worker, asked to stop before it had
        installed its own handler) has stopped as asked: that counts as a clean exit.
        """
        asked = set()
        for child in children:
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
                asked.add(child.label)
        already = len(signals_received)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children:
            process = child.process
            if process is None:
                continue
            while process.poll() is None:
                # A second Ctrl-C, or the grace time over: do not wait any longer.
                if time.monotonic() > deadline or len(signals_received) > already:
                    process.kill()
                    process.wait()
                    break
                time.sleep(POLL_SECONDS / 2)
        codes: dict[str, int | None] = {}
        for child in children:
            code = child.process.returncode if child.process else None
            if child.label in asked and code == -signal.SIGTERM:
                code = 0
            codes[child.label] = code
        return codes


def _describe(code: int | None) -> str:
    if code is None:
        return "did not start"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"
