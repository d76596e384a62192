"""Periodic jobs: the background task, the scheduler that queues it, and ``passage periodic``."""

from __future__ import annotations

import io
import logging
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import OperationalError
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from passage.core import periodic
from passage.core.management.commands.scheduler import POLL_SECONDS, Scheduler
from passage.core.periodic import enqueue_periodic_jobs, run_periodic_jobs
from tests.conftest import ScratchInstall
from tests.core import periodic_jobs
from tests.core.periodic_jobs import SECRET
from tests.core.support import PASSAGE

pytestmark = pytest.mark.django_db

JOBS = "tests.core.periodic_jobs"
TASK_PATH = "passage.core.periodic.run_periodic_jobs"


@pytest.fixture
def ran() -> Iterator[list[str]]:
    periodic_jobs.RAN.clear()
    yield periodic_jobs.RAN
    periodic_jobs.RAN.clear()


@pytest.fixture
def use_jobs(settings: Settings) -> Callable[..., None]:
    def use(*names: str) -> None:
        settings.PASSAGE_PERIODIC_JOBS = [f"{JOBS}.{name}" for name in names]

    return use


def run_queued(task_id: str) -> DBTaskResult[Any, Any]:
    """Run one queued task as ``passage db_worker`` does (its own Worker.run_task)."""
    row = DBTaskResult.objects.get(id=task_id)
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    row.claim(worker.worker_id)
    worker.run_task(row)
    row.refresh_from_db()
    return row


def test_the_task_runs_every_configured_job_in_order(
    use_jobs: Callable[..., None], ran: list[str]
) -> None:
    use_jobs("first", "second")
    task_id = enqueue_periodic_jobs()
    assert task_id is not None
    row = DBTaskResult.objects.get(id=task_id)
    assert (row.task_path, row.status, row.queue_name) == (TASK_PATH, "READY", "default")
    assert ran == []  # queued, not run

    row = run_queued(task_id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == {f"{JOBS}.first": 3, f"{JOBS}.second": 0}
    assert ran == ["first", "second"]


def test_a_failing_job_does_not_stop_the_others_and_fails_the_task(
    use_jobs: Callable[..., None], ran: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    use_jobs("first", "broken", "missing", "not_a_count", "second")
    task_id = enqueue_periodic_jobs()
    assert task_id is not None
    with caplog.at_level(logging.INFO):
        row = run_queued(task_id)

    assert ran == ["first", "broken", "not_a_count", "second"]
    # The task's row says it failed, which jobs, and how: class names and counts only.
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "passage.core.periodic.PeriodicJobsFailed"
    assert (
        f"3 of 5 periodic job(s) failed: {JOBS}.broken (RuntimeError), {JOBS}.missing "
        f"(ImportError), {JOBS}.not_a_count (TypeError); done: {JOBS}.first=3, {JOBS}.second=0"
    ) in row.traceback
    # No job's exception is chained into the stored traceback.
    assert "could not process" not in row.traceback
    assert "During handling" not in row.traceback
    assert "direct cause" not in row.traceback

    errors = [r.getMessage() for r in caplog.records if r.name == "passage.core.periodic"]
    assert errors == [
        f"Periodic job {JOBS}.first done: 3",
        f"Periodic job {JOBS}.broken failed (RuntimeError)",
        f"Periodic job {JOBS}.missing failed (ImportError)",
        f"Periodic job {JOBS}.not_a_count failed (TypeError)",
        f"Periodic job {JOBS}.second done: 0",
    ]
    failed = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert {r.name for r in failed} == {"passage.core.periodic", "django_tasks"}
    assert SECRET not in caplog.text
    assert "could not process" not in caplog.text
    for column in (row.traceback, str(row.return_value), str(row.args_kwargs)):
        assert SECRET not in column


def test_the_task_called_directly_raises_after_running_every_job(
    use_jobs: Callable[..., None], ran: list[str]
) -> None:
    use_jobs("broken", "first")
    with pytest.raises(periodic.PeriodicJobsFailed) as raised:
        run_periodic_jobs.call()
    assert ran == ["broken", "first"]
    assert raised.value.__context__ is None
    assert raised.value.__cause__ is None
    assert SECRET not in str(raised.value)


def test_a_run_is_not_queued_again_while_one_waits(use_jobs: Callable[..., None]) -> None:
    use_jobs("first")
    first = enqueue_periodic_jobs()
    assert first is not None
    assert enqueue_periodic_jobs() is None
    assert run_queued(first).status == TaskResultStatus.SUCCESSFUL
    second = enqueue_periodic_jobs()
    assert second is not None
    assert second != first
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 2


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[], None] = lambda: None

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.on_sleep()
        self.sleeps.append(seconds)
        self.now += seconds


def test_scheduler_queues_the_task_on_time_into_the_database_queue(
    use_jobs: Callable[..., None], ran: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    use_jobs("first")
    clock = FakeClock()
    start = clock.now
    scheduler = Scheduler(interval=300, first_delay=5, clock=clock.monotonic, sleep=clock.sleep)
    queued_at: list[float] = []

    def on_sleep() -> None:
        count = DBTaskResult.objects.filter(task_path=TASK_PATH).count()
        if count > len(queued_at):
            queued_at.append(clock.now - start)
            # The worker picks each run up at once: the next tick queues a new one.
            run_queued(str(DBTaskResult.objects.get(status="READY").id))
        if clock.now - start > 5 + 2 * 300 + 1:
            scheduler.stop()

    clock.on_sleep = on_sleep
    with caplog.at_level(logging.INFO):
        scheduler.run()

    rows = DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at")
    assert [(r.status, r.queue_name, r.backend_name) for r in rows] == [
        ("SUCCESSFUL", "default", "default")
    ] * 3
    assert ran == ["first"] * 3
    # Queued at 5 s, then every 300 s, of the fake clock (seen at the sleep that follows).
    assert queued_at == [5.0, 305.0, 605.0]
    # It never sleeps so long that a SIGTERM would wait for it.
    assert max(clock.sleeps) <= POLL_SECONDS
    queued = [r.getMessage() for r in caplog.records if r.name == "passage.core.scheduler"]
    assert sorted(queued) == sorted(f"Queued the periodic jobs (task {r.id})." for r in rows)


def test_scheduler_does_not_pile_up_runs_while_the_worker_is_away(
    use_jobs: Callable[..., None], ran: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    use_jobs("first")
    clock = FakeClock()
    start = clock.now
    scheduler = Scheduler(interval=60, first_delay=5, clock=clock.monotonic, sleep=clock.sleep)
    clock.on_sleep = lambda: scheduler.stop() if clock.now - start > 5 + 3 * 60 + 1 else None
    scheduler.run()

    rows = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert [r.status for r in rows] == ["READY"]
    assert ran == []
    waiting = [r for r in caplog.records if "have not started yet" in r.getMessage()]
    assert len(waiting) == 3
    assert all(r.levelno == logging.WARNING for r in waiting)


def test_scheduler_survives_a_database_error_and_logs_its_class_only(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse() -> str:
        raise OperationalError(f"connection refused for {SECRET}")

    monkeypatch.setattr("passage.core.management.commands.scheduler.enqueue_periodic_jobs", refuse)
    Scheduler(interval=300).tick()
    assert [r.getMessage() for r in caplog.records if r.name == "passage.core.scheduler"] == [
        "Could not queue the periodic jobs (OperationalError); trying again in 300 s."
    ]
    assert SECRET not in caplog.text


def test_passage_periodic_prints_one_line_per_job(
    use_jobs: Callable[..., None], ran: list[str]
) -> None:
    use_jobs("first", "second")
    out, err = io.StringIO(), io.StringIO()
    call_command("periodic", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == [f"{JOBS}.first: 3", f"{JOBS}.second: 0"]
    assert err.getvalue() == ""
    assert ran == ["first", "second"]
    assert not DBTaskResult.objects.exists()  # in-process: nothing queued


def test_passage_periodic_reports_a_failing_job_and_exits_1(
    use_jobs: Callable[..., None], ran: list[str]
) -> None:
    use_jobs("first", "broken", "second")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("periodic", stdout=out, stderr=err)
    assert exited.value.code == 1
    assert out.getvalue().splitlines() == [
        f"{JOBS}.first: 3",
        f"{JOBS}.broken: failed (RuntimeError)",
        f"{JOBS}.second: 0",
    ]
    assert err.getvalue().splitlines() == ["passage periodic: 1 of 3 job(s) failed."]
    assert ran == ["first", "broken", "second"]
    assert SECRET not in out.getvalue() + err.getvalue()


# --- Real processes, on a scratch installation with Passage's own jobs --------------------------


def test_passage_periodic_runs_the_installed_jobs(scratch_install: ScratchInstall) -> None:
    result = scratch_install.run("periodic")
    assert result.stdout.splitlines() == [
        f"{path}: 0" for path in django_settings.PASSAGE_PERIODIC_JOBS
    ], result.stderr
    assert "Traceback" not in result.stderr


QUEUED_ROWS = """
from django_tasks_db.models import DBTaskResult
for row in DBTaskResult.objects.order_by("enqueued_at"):
    print(row.id, row.task_path, row.status, row.queue_name)
"""


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_passage_scheduler_queues_into_the_database_and_stops_cleanly(
    scratch_install: ScratchInstall, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    log = tmp_path / "scheduler.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [*PASSAGE, "scheduler"],
            env=scratch_install.env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 60
        while "Queued the periodic jobs" not in log.read_text() and process.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        process.send_signal(stop_signal)
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = log.read_text()
    assert "Scheduler started: periodic jobs every 300 s" in text
    assert "Scheduler stopped." in text
    assert "Traceback" not in text

    listing = scratch_install.run("shell", "-v", "0", "-c", QUEUED_ROWS)
    rows = [line.split() for line in listing.stdout.splitlines()]
    assert len(rows) == 1, listing.stdout
    task_id, task_path, status, queue_name = rows[0]
    assert (task_path, status, queue_name) == (TASK_PATH, "READY", "default")
    assert f"Queued the periodic jobs (task {task_id})." in text
