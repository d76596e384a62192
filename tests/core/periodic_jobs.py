"""Small periodic jobs for tests/core/test_periodic.py: each notes that it ran in ``RAN``."""

from __future__ import annotations

# A marker that must never reach a log, the task queue or command output.
SECRET = "Nadia Petrova, +7 912 555 0142"

RAN: list[str] = []


def first() -> int:
    RAN.append("first")
    return 3


def second() -> int:
    RAN.append("second")
    return 0


def broken() -> int:
    RAN.append("broken")
    raise RuntimeError(f"could not process {SECRET}")


def not_a_count() -> str:
    RAN.append("not_a_count")
    return SECRET
