"""The public first step under load, through the production server, against a bare view.

Sustained submissions per second of POST ``/<lang>/request/`` (country, urgency, reply language:
the real view seals, derives the codename's key, hashes its lookup, writes Mailbox + HelpRequest
+ an audit entry, starts the mailbox session in Redis) against the bench's bare view
``/<lang>/bench-bare/request/`` (``bench/bare_intake/views.py``: the same form, the same two rows
unsealed, the same receipt page; no sealing, no codename work, no audit, no session), both
served by one gunicorn with ``passage serve``'s configuration and the production middleware
(settings ``bench/intake_settings.py``: production's plus that one URL). Real and bare alternate
in one run (real, bare, real, bare, ...) and the median of the per-round ratios real/bare is the
gate (issue 6: at least 0.8). Also: the absolute rate (aim 300/s on 2 cores), the p99 at a fixed
offered load (open loop, 150/s; aim under 250 ms), and what the default surge limits answer
under overload (429/503, never a 500).

    .venv/bin/python bench/intake.py [--databases sqlite,postgres] [--duration 20] \\
        [--connections 16] [--rounds 3] [--rate 150]

Needs ``wrk`` (Debian: ``apt-get install wrk``) for the closed-loop runs; the open-loop client
is asyncio on raw sockets here. PostgreSQL at ``--postgres`` (a database ``passage_bench_intake``
is created and dropped), Redis at PASSAGE_REDIS_URL (keys under a unique prefix, deleted after).
Each database gets a fresh data directory with new keys under ``--data-dir`` (``passage
setup``); the results are written there as JSON. The load generator runs on the same machine,
so it takes its share of the same cores. One TCP connection per submission, as behind a Tor
onion service (``--keep-alive`` to reuse them).

Besides rates and latencies, each run reports CPU time per request of the workers, the load
generator, this database's PostgreSQL backends and Redis (a machine shared with other jobs
changes rates far more than CPU per request), and after the runs it checks that every answered
200 has its rows and audit entry and that the audit chain verifies. Last, the parts of a
submission are timed in-process (CPU time, hot loop) by a child (``--parts``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
LANG = "ru"
BODY = "country=RU&urgency=immediate&language=ru"
REAL_PATH = f"/{LANG}/request/"
BARE_PATH = f"/{LANG}/bench-bare/request/"
PATHS = {"real": REAL_PATH, "bare": BARE_PATH}
PG_DATABASE = "passage_bench_intake"
GUNICORN_THREADS = 4  # passage.core.gunicorn_conf.threads
# Raised for the throughput runs (both views alike): no rate limit in effect, and the in-flight
# cap equal to the threads of a worker, so every thread can work.
RAISED_LIMITS = {"PASSAGE_PUBLIC_POSTS_PER_SECOND": "100000", "PASSAGE_PUBLIC_MAX_INFLIGHT": "4"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
REDIS_URL = os.environ.get("PASSAGE_REDIS_URL", "redis://127.0.0.1:6379/0")

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = "%(body)s"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
%(connection)s
statuses = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do counts[k] = (counts[k] or 0) + v end
  end
  io.write("BENCH-STATUS")
  for k, v in pairs(counts) do io.write(string.format(" %%d=%%d", k, v)) end
  io.write("\\n")
  io.write(string.format("BENCH-LATENCY %%d %%d %%d %%d\\n", latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
  local e = summary.errors
  io.write(string.format("BENCH-SUMMARY %%d %%d %%d %%d %%d %%d\\n", summary.duration,
    summary.requests, e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass
class Run:
    kind: str  # "real" or "bare"
    mode: str  # "closed c=16", "open 150/s", ...
    seconds: float
    statuses: dict[int, int]
    errors: int  # socket errors and timeouts
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    worker_cpu_ms: float = 0.0  # gunicorn workers' CPU time per answered request
    client_cpu_ms: float = 0.0  # the load generator's (wrk, or the asyncio client)
    db_cpu_ms: float = 0.0  # this bench's PostgreSQL backends' (SQLite: inside the workers)
    redis_cpu_ms: float = 0.0
    idle_pct: float = 0.0  # the machine's idle share of both cores during the run
    load: float = 0.0  # 1-minute load average before the run
    connections: int = 0  # wrk's (each may have one request in flight when it stops)
    missed: int = 0  # open loop: due but not sent within the schedule (every connection busy)
    split: list[float] = field(default_factory=list)  # each worker's share of the workers' CPU

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds

    @property
    def stack_cpu_ms(self) -> float:
        """CPU per answered request of everything serving it, load generator included."""
        return self.worker_cpu_ms + self.client_cpu_ms + self.db_cpu_ms + self.redis_cpu_ms

    @property
    def capacity(self) -> float:
        """Requests per second the 2 cores would serve at that CPU cost if nothing else ran."""
        return 1000 * (os.cpu_count() or 1) / self.stack_cpu_ms if self.stack_cpu_ms else 0.0


# --- Machine ------------------------------------------------------------------------------------


def cpu_times() -> tuple[float, float]:
    """(busy, idle) seconds of all cores since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / CLOCK_TICKS, idle / CLOCK_TICKS


def process_cpu(pid: int) -> float:
    try:
        parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(parts[11]) + int(parts[12])) / CLOCK_TICKS  # utime + stime


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(x) for x in text)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine() -> dict[str, str]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    memory = Path("/proc/meminfo").read_text().split()[1]
    return {
        "cores": str(os.cpu_count()),
        "cpu": model,
        "memory": f"{int(memory) / 2**20:.0f} GiB",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


# --- The installation ---------------------------------------------------------------------------


class Installation:
    """A scratch data directory, database and Redis prefix; one gunicorn at a time on it."""

    def __init__(self, database: str, data_dir: Path, postgres: str) -> None:
        self.database = database
        self.data_dir = data_dir / database
        self.prefix = f"bench-intake-{secrets.token_hex(4)}"
        self.port = free_port()
        self.admin_url = urlunsplit(urlsplit(postgres)._replace(path="/postgres"))
        if database == "postgres":
            self.url = urlunsplit(urlsplit(postgres)._replace(path=f"/{PG_DATABASE}"))
        else:
            self.url = f"sqlite:///{self.data_dir / 'passage.sqlite3'}"
        self.server: subprocess.Popen[bytes] | None = None
        self.log = self.data_dir / "server.log"

    def env(self, limits: dict[str, str]) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PASSAGE_PUBLIC_") and key != "DATABASE_URL"
        }
        env.update(
            PASSAGE_DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.url,
            DJANGO_SETTINGS_MODULE="bench.intake_settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
            PASSAGE_REDIS_PREFIX=self.prefix,
            PASSAGE_HOST="127.0.0.1",
            PASSAGE_PORT=str(self.port),
            PASSAGE_WORKERS="2",
            **limits,
        )
        return env

    def create(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir.mkdir(parents=True)
        if self.database == "postgres":
            self.drop_database()
            psql(self.admin_url, f'CREATE DATABASE "{PG_DATABASE}"')
        # Keys, migrations, static files and a first admin, as an installation has them.
        subprocess.run(
            [str(PYTHON), "-m", "passage", "setup", "-v", "0"],
            env=self.env({}),
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def drop_database(self) -> None:
        if self.database == "postgres":
            psql(self.admin_url, f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')

    def start(self, limits: dict[str, str]) -> None:
        # `passage serve`'s web server exactly (core/management/commands/serve.py), without its
        # background worker and scheduler, which have nothing to do here.
        argv = [
            str(PYTHON),
            "-m",
            "gunicorn",
            "--config",
            "python:passage.core.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "passage.wsgi:application",
        ]
        with self.log.open("ab") as log:
            self.server = subprocess.Popen(
                argv,
                env=self.env(limits),
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start-up; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as answer:  # noqa: S310 -- our own loopback server
                    if answer.status == 200 and len(self.workers()) == 2:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not become healthy; see {self.log}")

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.terminate()
        try:
            self.server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        self.server = None

    def database_backends(self) -> dict[int, float]:
        """CPU seconds of the PostgreSQL backends serving this bench's database, by pid (found
        by their process title, ``postgres: USER DATABASE HOST(PORT) ...``)."""
        if self.database != "postgres":
            return {}
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and f" {PG_DATABASE} ".encode() in title:
                found[int(entry.name)] = process_cpu(int(entry.name))
        return found

    def workers(self) -> list[int]:
        assert self.server is not None
        return children_of(self.server.pid)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rows(self) -> dict[str, int]:
        """Help requests in the database: real (sealed) and bare; audit entries."""
        sql = (
            "SELECT (SELECT count(*) FROM intake_helprequest WHERE intake_key_id <> 'bare'),"
            " (SELECT count(*) FROM intake_helprequest WHERE intake_key_id = 'bare'),"
            " (SELECT count(*) FROM intake_mailbox),"
            " (SELECT count(*) FROM audit_auditentry WHERE action = 'request.submit')"
        )
        if self.database == "postgres":
            out = subprocess.run(
                ["psql", self.url, "-tAc", sql], capture_output=True, text=True, check=True
            ).stdout
            values = [int(x) for x in out.strip().split("|")]
        else:
            with contextlib.closing(sqlite3.connect(self.data_dir / "passage.sqlite3")) as db:
                values = list(db.execute(sql).fetchone())
        return dict(zip(["real", "bare", "mailboxes", "audit"], values, strict=True))

    def parts(self, runs: int) -> dict[str, float]:
        done = subprocess.run(
            [str(PYTHON), __file__, "--parts", str(runs)],
            env=self.env(RAISED_LIMITS) | {"PASSAGE_LOG_LEVEL": "WARNING"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def audit_verify(self) -> str:
        done = subprocess.run(
            [str(PYTHON), "-m", "passage", "audit", "verify"],
            env=self.env({}),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return (done.stdout + done.stderr).strip().splitlines()[-1]

    def clear_redis(self) -> None:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{self.prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-qc", sql], check=True, stdout=subprocess.DEVNULL)


# --- Load: closed loop (wrk) ------------------------------------------------------------------


def redis_cpu() -> float:
    import redis

    info = redis.Redis.from_url(REDIS_URL).info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def own_cpu() -> float:
    """This process (the open-loop client) and its waited-for children (wrk)."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


class Meter:
    """CPU time over one run: the gunicorn workers (each), the load generator, this bench's
    PostgreSQL backends, Redis (the whole server: others' use of it is counted too); and the
    machine's idle time. Per answered request, so it holds up on a machine shared with other
    jobs better than a rate does.

    Database connections are recycled (CONN_MAX_AGE 60 s), so backends come and go during a
    run: a thread looks at them every 0.2 s; one that started during the run counts from zero,
    and one that ended counts up to its last look."""

    def __init__(self, site: Installation) -> None:
        self.site = site
        self.pids = site.workers()
        self.cpu = [process_cpu(pid) for pid in self.pids]
        self.db_first = site.database_backends()
        self.db_last = dict(self.db_first)
        self.watching = threading.Event()
        self.watcher = threading.Thread(target=self._watch_backends, daemon=True)
        if site.database == "postgres":
            self.watcher.start()
        self.client = own_cpu()
        self.redis = redis_cpu()
        self.busy, self.idle = cpu_times()
        self.load = os.getloadavg()[0]

    def _watch_backends(self) -> None:
        while not self.watching.wait(0.2):
            self.db_last.update(self.site.database_backends())

    def finish(self, run: Run) -> Run:
        if self.watcher.is_alive():
            self.watching.set()
            self.watcher.join()
        self.db_last.update(self.site.database_backends())
        db_used = sum(cpu - self.db_first.get(pid, 0.0) for pid, cpu in self.db_last.items())
        answered = max(sum(run.statuses.values()), 1)
        used = [process_cpu(pid) - before for pid, before in zip(self.pids, self.cpu, strict=True)]
        busy, idle = cpu_times()
        total = sum(used)
        run.worker_cpu_ms = 1000 * total / answered
        run.client_cpu_ms = 1000 * (own_cpu() - self.client) / answered
        run.db_cpu_ms = 1000 * db_used / answered
        run.redis_cpu_ms = 1000 * (redis_cpu() - self.redis) / answered
        run.idle_pct = 100 * (idle - self.idle) / max((busy - self.busy) + (idle - self.idle), 1e-9)
        run.split = [round(u / total, 2) if total else 0.0 for u in used]
        run.load = self.load
        return run


def wrk(site: Installation, kind: str, connections: int, seconds: int, script: Path) -> Run:
    meter = Meter(site)
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        site.base + PATHS[kind],
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    statuses: dict[int, int] = {}
    latency = summary = None
    for line in out.splitlines():
        if line.startswith("BENCH-STATUS"):
            for item in line.split()[1:]:
                code, count = item.split("=")
                statuses[int(code)] = int(count)
        elif line.startswith("BENCH-LATENCY"):
            latency = [int(x) / 1000 for x in line.split()[1:]]
        elif line.startswith("BENCH-SUMMARY"):
            summary = [int(x) for x in line.split()[1:]]
    if latency is None or summary is None:
        raise SystemExit(f"wrk printed no summary:\n{out}")
    run = Run(
        kind=kind,
        mode=f"closed c={connections}",
        seconds=summary[0] / 1e6,
        statuses=statuses,
        errors=sum(summary[2:]),
        p50_ms=latency[0],
        p90_ms=latency[1],
        p99_ms=latency[2],
        max_ms=latency[3],
        connections=connections,
    )
    return meter.finish(run)


# --- Load: open loop (asyncio, raw sockets) -----------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; (status, whether the connection may be reused)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip().lower()
    if headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection") != "close"


async def open_loop_run(
    port: int, path: str, rate: float, seconds: float, connections: int, close: bool
) -> tuple[list[float], Counter[int], int, int, float]:
    """``rate`` requests a second on a fixed schedule; latency counts from each one's due time
    (so a late start is not hidden: no coordinated omission). A request that could not even be
    sent by the end of the schedule (all ``connections`` busy until then) is counted as missed."""
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        + ("Connection: close\r\n" if close else "")
        + f"Content-Length: {len(BODY)}\r\n\r\n{BODY}"
    ).encode("ascii")
    loop = asyncio.get_running_loop()
    total = int(rate * seconds)
    start = loop.time() + 0.2
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors = 0
    issued = 0
    missed = 0

    async def client() -> None:
        nonlocal issued, errors, missed
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while issued < total:
            if loop.time() > start + seconds:
                missed, issued = missed + total - issued, total
                break
            due = start + issued / rate
            issued += 1
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            for attempt in (1, 2):  # a kept-alive connection the server just closed: once more
                fresh = conn is None
                try:
                    if conn is None:
                        conn = await asyncio.open_connection("127.0.0.1", port)
                    conn[1].write(request)
                    status, reuse = await asyncio.wait_for(read_response(conn[0]), 30)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                    if conn is not None:
                        conn[1].close()
                    conn = None
                    if fresh or attempt == 2:
                        errors += 1
                        break
                    continue
                latencies.append(loop.time() - due)
                statuses[status] += 1
                if not reuse:
                    conn[1].close()
                    conn = None
                break
        if conn is not None:
            conn[1].close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return latencies, statuses, errors, missed, loop.time() - start


def open_loop(site: Installation, kind: str, rate: float, seconds: float, close: bool) -> Run:
    meter = Meter(site)
    latencies, statuses, errors, missed, elapsed = asyncio.run(
        open_loop_run(site.port, PATHS[kind], rate, seconds, connections=64, close=close)
    )
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    run = Run(
        kind=kind,
        mode=f"open {rate:g}/s",
        seconds=elapsed,
        statuses=dict(statuses),
        errors=errors,
        missed=missed,
        p50_ms=pct(50),
        p90_ms=pct(90),
        p99_ms=pct(99),
        max_ms=1000 * ordered[-1],
    )
    return meter.finish(run)


# --- Where the CPU goes: the parts, in-process ----------------------------------------------


def parts(runs: int) -> dict[str, float]:
    """CPU time (this thread's) of each part of a submission, in ms, median of ``runs``; run by
    ``--parts`` in a child with the installation's environment (see ``Installation.parts``)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from bench.bare_intake import views as bare
    from django.db import transaction
    from django.shortcuts import render
    from django.test import Client, RequestFactory
    from django.utils import translation

    from passage.audit import services as audit
    from passage.crypto import codename as codenames
    from passage.intake import payloads, sessions
    from passage.intake.forms.public import FirstStepForm
    from passage.intake.models import HelpRequest, Mailbox
    from passage.intake.services import public as services
    from passage.intake.views.public import _context, blank_story_fields
    from passage.intake.words import wordlist

    data = dict(item.split("=") for item in BODY.split("&"))
    request = RequestFactory().post(REAL_PATH, data, HTTP_HOST="127.0.0.1")
    words = wordlist(LANG)
    codename = codenames.generate(words)
    private_key = codenames.derive_private_key(codename)
    public_key = codenames.public_key_of(private_key)
    first_step = payloads.FirstStep(
        country="RU", urgency="immediate", language=LANG, contact_phrase=codename[:20]
    )

    def rows(audited: bool) -> None:
        with audit.atomic() if audited else transaction.atomic():
            mailbox = Mailbox.objects.create(
                lookup=os.urandom(32),
                public_key=public_key,
                language=LANG,
                contact_phrase=b"x" * 80,
            )
            row = HelpRequest.objects.create(
                mailbox=mailbox,
                urgency="immediate",
                reply_language=LANG,
                intake_key_id=bare.BARE_KEY_ID,
                sealed=b"x" * 200,
            )
            if audited:
                audit.record(
                    actor="public",
                    action="request.submit",
                    object_type="request",
                    object_id=str(row.pk),
                    coarse_time=True,
                )

    client = Client(HTTP_HOST="127.0.0.1")
    translation.activate(LANG)
    measured = {
        "FirstStepForm(POST).is_valid()": lambda: FirstStepForm(data).is_valid(),
        "render the receipt page (empty second step, rendered once per language)": lambda: render(
            request,
            "intake/public/receipt.html",
            _context(
                request,
                LANG,
                codename=codename,
                codename_lang=LANG,
                contact_phrase="a b c",
                blank_story_fields=blank_story_fields(),
            ),
        ),
        "codename + contact phrase: generate (6 + 3 words)": lambda: (
            codenames.generate(words),
            codenames.generate(words, count=codenames.CONTACT_PHRASE_WORDS),
        ),
        "codename: HKDF private key + X25519 public key + lookup HMAC": lambda: (
            codenames.public_key_of(codenames.derive_private_key(codename)),
            codenames.lookup_hash(codename),
        ),
        "seal: contact phrase to mailbox + first step to intake key": lambda: (
            codenames.seal_to(public_key, b"a b c"),
            payloads.seal_document(first_step),
        ),
        "mailbox session in Redis (sessions.start)": lambda: sessions.start(
            mailbox_id=uuid.uuid4(), private_key=private_key
        ),
        "Mailbox + HelpRequest rows, transaction.atomic": lambda: rows(False),
        "the same rows + audit entry, audit.atomic": lambda: rows(True),
        "services.request_submit (all the real one does)": lambda: services.request_submit(
            country="RU", urgency="immediate", language=LANG
        ),
        "whole request in-process (test client), real": lambda: client.post(REAL_PATH, data),
        "whole request in-process (test client), bare": lambda: client.post(BARE_PATH, data),
    }
    result: dict[str, float] = {}
    for label, work in measured.items():
        for _ in range(10):
            work()
        samples = []
        for _ in range(runs):
            started = time.thread_time()
            work()
            samples.append(time.thread_time() - started)
        result[label] = 1000 * statistics.median(samples)
    return result


# --- The bench ----------------------------------------------------------------------------------


def sanity(site: Installation) -> None:
    """One submission each way: 200, a receipt with a codename of six words in Russian."""
    for kind, path in PATHS.items():
        request = urllib.request.Request(  # noqa: S310 -- our own loopback server
            site.base + path, data=BODY.encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            page = answer.read().decode()
            cookies = answer.headers.get_all("Set-Cookie") or []
        found = re.search(r'<p class="codename" lang="ru">([^<]+)</p>', page)
        assert answer.status == 200 and found, f"{kind}: no receipt"
        words = found.group(1).split()
        assert len(words) == 6 and all(re.fullmatch(r"[\u0400-\u04ff-]+", w) for w in words), words
        mailbox = any(c.startswith("passage_mailbox=") for c in cookies)
        assert mailbox == (kind == "real"), f"{kind}: mailbox cookie {mailbox}"
        print(f"  {kind}: 200, {len(page):,} bytes, codename of 6 Russian words", flush=True)


def as_dict(run: Run) -> dict[str, Any]:
    return asdict(run) | {
        "rate": run.rate,
        "stack_cpu_ms": run.stack_cpu_ms,
        "capacity": run.capacity,
    }


def show(run: Run) -> None:
    others = {k: v for k, v in sorted(run.statuses.items()) if k != 200}
    missed = f"  missed: {run.missed}" if run.missed else ""
    print(
        f"  {run.kind:4} {run.mode:12} {run.rate:6.1f}/s  p50 {run.p50_ms:6.1f} ms  "
        f"p99 {run.p99_ms:6.1f} ms  max {run.max_ms:6.0f} ms  200: {run.ok}  other: {others}  "
        f"errors: {run.errors}{missed}\n"
        f"       CPU ms/req: workers {run.worker_cpu_ms:.2f} {run.split}, client "
        f"{run.client_cpu_ms:.2f}, PostgreSQL {run.db_cpu_ms:.2f}, Redis {run.redis_cpu_ms:.2f}, "
        f"all {run.stack_cpu_ms:.2f} (2 idle cores: {run.capacity:.0f}/s)  "
        f"idle {run.idle_pct:.0f}%  load {run.load:.2f}",
        flush=True,
    )


def bench(database: str, args: argparse.Namespace, script: Path) -> dict[str, Any]:
    site = Installation(database, args.data_dir, args.postgres)
    print(f"\n== {database}: data in {site.data_dir}, Redis prefix {site.prefix}", flush=True)
    runs: list[Run] = []
    result: dict[str, Any] = {
        "database": database,
        "connection": "close" if args.close else "keep-alive",
    }
    try:
        site.create()
        site.start(RAISED_LIMITS)
        sanity(site)
        print(f"  warm-up {args.warmup} s each", flush=True)
        warmups = [wrk(site, kind, args.connections, args.warmup, script) for kind in PATHS]
        for _round in range(args.rounds):
            for kind in PATHS:
                runs.append(wrk(site, kind, args.connections, args.duration, script))
                show(runs[-1])
        for kind in PATHS:
            runs.append(open_loop(site, kind, args.rate, args.open_duration, args.close))
            show(runs[-1])
        site.stop()
        # The defaults under overload: closed loop with more connections than threads, and the
        # open loop at the fixed rate, which is above the default 100 posts per second.
        site.start({})
        overload = [
            wrk(site, "real", args.overload_connections, args.overload_duration, script),
            open_loop(site, "real", args.rate, args.overload_duration, args.close),
        ]
        for run in overload:
            run.mode = "defaults " + run.mode
            show(run)
        site.stop()
        # Every 200 was committed: at least one row per answered submission (and one audit entry
        # per real row), counting the sanity check's one each and the warm-ups. A few more rows:
        # wrk stops with up to one request per connection in flight, committed but not counted.
        rows = site.rows()
        done = [*warmups, *runs, *overload]
        for kind in PATHS:
            answered = 1 + sum(r.ok for r in done if r.kind == kind)
            cut_off = sum(r.connections for r in done if r.kind == kind)
            assert answered <= rows[kind] <= answered + cut_off, (kind, rows, answered)
            result[f"rows_{kind}"] = {"answered": answered, "rows": rows[kind]}
        assert rows["audit"] == rows["real"], rows
        assert rows["mailboxes"] == rows["real"] + rows["bare"], rows
        print(f"  CPU per part, in-process, median of {args.parts_runs}:", flush=True)
        result["parts"] = site.parts(args.parts_runs)
        for label, ms in result["parts"].items():
            print(f"    {ms:7.2f} ms  {label}")
        verified = site.audit_verify()
        closed = [r for r in runs if r.mode.startswith("closed")]
        ratios = [
            real.rate / bare.rate
            for real, bare in zip(closed[::2], closed[1::2], strict=True)
            if bare.rate
        ]
        cpu_ratios = [
            bare.stack_cpu_ms / real.stack_cpu_ms
            for real, bare in zip(closed[::2], closed[1::2], strict=True)
            if real.stack_cpu_ms
        ]
        result.update(
            runs=[as_dict(r) for r in runs],
            overload=[as_dict(r) for r in overload],
            cpu_ratios=cpu_ratios,
            cpu_ratio=statistics.median(cpu_ratios),
            ratios=ratios,
            ratio=statistics.median(ratios),
            rows=rows,
            audit_verify=verified,
        )
        print(f"  ratios real/bare per round: {', '.join(f'{r:.2f}' for r in ratios)}")
        print(f"  median ratio: {result['ratio']:.2f} (gate: at least 0.8)")
        print(
            "  CPU per request, bare/real (all processes), per round: "
            f"{', '.join(f'{r:.2f}' for r in cpu_ratios)}; median {result['cpu_ratio']:.2f}"
        )
        print(
            f"  rows: {rows}; answered 200s: real {result['rows_real']['answered']}, bare "
            f"{result['rows_bare']['answered']} (each has its rows); {verified}",
            flush=True,
        )
    finally:
        site.stop()
        site.clear_redis()
        if not args.keep:
            site.drop_database()
            shutil.rmtree(site.data_dir, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-intake")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=20, help="seconds per closed-loop run")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=150.0, help="open-loop requests/s")
    parser.add_argument("--open-duration", type=float, default=20.0)
    parser.add_argument("--overload-connections", type=int, default=32)
    parser.add_argument("--overload-duration", type=int, default=10)
    parser.add_argument(
        "--keep-alive",
        dest="close",
        action="store_false",
        help="reuse connections (default: one connection per submission, as through Tor)",
    )
    parser.add_argument("--parts-runs", type=int, default=300, help="per part, in-process")
    parser.add_argument("--parts", type=int, help=argparse.SUPPRESS)  # the child's own mode
    parser.add_argument("--keep", action="store_true", help="keep the data dir and database")
    args = parser.parse_args()
    if args.parts:
        print(json.dumps(parts(args.parts)))
        return
    if shutil.which("wrk") is None:
        sys.exit("bench/intake.py needs wrk: apt-get install wrk")
    args.data_dir = args.data_dir.resolve()
    started = dt.datetime.now(dt.UTC)
    info = machine()
    print(f"{started:%Y-%m-%d %H:%M} UTC; {info}", flush=True)
    print(
        f"connections: {'one per submission' if args.close else 'kept alive'}",
        flush=True,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        connection = 'wrk.headers["Connection"] = "close"' if args.close else ""
        handle.write(WRK_SCRIPT % {"body": BODY, "connection": connection})
        script = Path(handle.name)
    try:
        results = [bench(db.strip(), args, script) for db in args.databases.split(",")]
    finally:
        script.unlink()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    out = args.data_dir / f"results-{started:%Y%m%dT%H%M}.json"
    out.write_text(
        json.dumps({"started": str(started), "machine": info, "results": results}, indent=1)
    )
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
