"""Helpers for the alerts tests."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from django.test import Client
from django_tasks_db.models import DBTaskResult

from passage.accounts.models import Desk, User
from passage.alerts.models import OnCallShift


def page_token(client: Client, path: str) -> str:
    """The CSRF token of the first form on ``path``, as a browser would send it."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert found, f"no form with a CSRF token on {path}"
    return found.group(1)


# --- pushes: a real local webhook server, the task queue, the rota -----------------------------
T0 = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # 3 a.m.: when duress alerts come


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Webhook:
    """A push service on 127.0.0.1 that records what it is sent and answers ``status``."""

    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    status: int = 200
    arrived: threading.Event = field(default_factory=threading.Event)  # set at each request

    def url(self, path: str = "/topic") -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.received]


@contextmanager
def webhook_server() -> Iterator[Webhook]:
    hook: Webhook

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            hook.received.append(
                Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            self.send_response(hook.status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            hook.arrived.set()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook = Webhook(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_alert_tasks() -> int:
    """Run the queued alert tasks that are due (as the worker would); how many ran."""
    ran = 0
    due = DBTaskResult.objects.ready().filter(task_path__startswith="passage.alerts.tasks.")
    for row in due.order_by("enqueued_at"):
        result = row.task_result
        value = row.task.call(*result.args, **result.kwargs)
        row.set_successful(value)
        ran += 1
    return ran


def on_call(user: User, desk: Desk, *, start: dt.datetime = T0, hours: int = 12) -> OnCallShift:
    return OnCallShift.objects.create(
        desk=desk,
        user=user,
        starts_at=start - dt.timedelta(hours=1),
        ends_at=start + dt.timedelta(hours=hours),
    )


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    """``django.utils.timezone.now`` answers ``moment`` (the queue's "due" check included)."""
    with patch("django.utils.timezone.now", return_value=moment):
        yield
