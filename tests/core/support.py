"""Helpers shared by the core, accounts and browser tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PASSAGE = [sys.executable, "-m", "passage"]

# Attributes that make a browser fetch or navigate somewhere.
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "background"}


@dataclass(frozen=True)
class UrlRef:
    tag: str
    attribute: str
    value: str
    element_id: str | None


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[UrlRef] = []
        self.inline: list[str] = []
        self._in_script_without_src = False
        self._script_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in URL_ATTRIBUTES:
                for part in value.split(",") if name == "srcset" else [value]:
                    self.urls.append(UrlRef(tag, name, part.strip(), values.get("id")))
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                self.inline.append(f"<{tag} style=...> attribute")
        if tag == "style":
            self.inline.append("<style> element")
        if tag == "script" and "src" not in values:
            self.inline.append("<script> without src")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.urls.append(UrlRef(tag, "content", values.get("content", ""), None))


def scan_html(html: str) -> tuple[list[UrlRef], list[str]]:
    """Every URL an element points at, and every piece of inline script or style."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.urls, scanner.inline


def is_same_origin(url: str) -> bool:
    """A URL that can only lead to the page's own origin (relative, no scheme, no host)."""
    if url.startswith("//") or url.startswith("\\"):
        return False
    parts = urlsplit(url)
    return parts.scheme == "" and parts.netloc == ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_passage(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PASSAGE, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


PROBE = """
import json
from django.test import Client
from django.conf import settings

def describe(response):
    return {
        "status": response.status_code,
        "headers": dict(response.headers),
        "body": response.content.decode(),
        "cookies": {
            name: {
                "httponly": bool(morsel["httponly"]),
                "secure": bool(morsel["secure"]),
                "samesite": morsel["samesite"],
            }
            for name, morsel in response.cookies.items()
        },
    }

results = {}
"""


def probe(env: dict[str, str], code: str, *, timeout: float = 120) -> dict[str, object]:
    """Run ``code`` with Django set up for the installation in ``env`` (``passage shell -c``).

    The code fills ``results`` (a dict; ``describe(response)`` helps); it comes back as JSON.
    """
    script = PROBE + code + "\nprint('PROBE-RESULT ' + json.dumps(results))\n"
    result = run_passage(env, "shell", "-c", script, timeout=timeout)
    for line in result.stdout.splitlines():
        if line.startswith("PROBE-RESULT "):
            return dict(json.loads(line.removeprefix("PROBE-RESULT ")))
    raise AssertionError(f"probe failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


# Straight to our own server, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, *, timeout: float = 5) -> Any:
    """GET ``url`` from a server of ours; the response is a context manager."""
    return _opener.open(url, timeout=timeout)


def wait_for_http(url: str, *, server: RunningServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            out, err = server.output()
            raise AssertionError(f"server exited {server.process.returncode}:\n{out}\n{err}")
        try:
            with http_get(url) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer 200 within {timeout} s")


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants(pid: int) -> list[int]:
    found = []
    for child in child_pids(pid):
        found.append(child)
        found.extend(descendants(child))
    return found


@dataclass
class RunningServer:
    process: subprocess.Popen[bytes]
    base_url: str
    log_dir: Path

    def output(self) -> tuple[str, str]:
        """What ``passage serve`` (and its children) wrote so far: stdout, stderr."""
        return (
            (self.log_dir / "stdout").read_text(errors="replace"),
            (self.log_dir / "stderr").read_text(errors="replace"),
        )


@contextlib.contextmanager
def passage_serve(
    env: dict[str, str], log_dir: Path, *, workers: int = 1
) -> Iterator[RunningServer]:
    """``passage serve`` on a free port until the block ends; every process of it killed after.

    Output goes to files in ``log_dir`` (a pipe nobody reads would fill up and stall the server).
    """
    port = free_port()
    server_env = {**env, "PASSAGE_PORT": str(port), "PASSAGE_WORKERS": str(workers)}
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "stdout").open("wb") as out, (log_dir / "stderr").open("wb") as err:
        process = subprocess.Popen([*PASSAGE, "serve"], env=server_env, stdout=out, stderr=err)
    server = RunningServer(process=process, base_url=f"http://127.0.0.1:{port}", log_dir=log_dir)
    family: list[int] = []
    try:
        wait_for_http(server.base_url + "/healthz", server=server)
        family = descendants(process.pid)
        yield server
    finally:
        family = sorted(set(family) | set(descendants(process.pid)))
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=45)
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in family:  # the children run in their own process groups
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
