"""DESIGN invariant 2: the intake tier holds no key that opens requests or case data.

An intake tier is set up as production would: its own data directory holding only the intake
public keys, the codename pepper and its Django secret (no master key, no blind-index key, no
intake private key), against the same database as the console. It takes a request; it cannot
open it, nor any data key; the console can.
"""

from __future__ import annotations

import shutil

from tests.conftest import ScratchInstall

SUBMIT = (
    "from passage.intake.services import public\n"
    "receipt = public.request_submit(country='RU', urgency='immediate', language='ru')\n"
    "print('REQUEST', receipt.request.pk)\n"
)

TRY_OPEN = (
    "from passage.crypto.exceptions import CryptoError\n"
    "from passage.crypto.keyring import keyring\n"
    "from passage.intake import payloads\n"
    "from passage.intake.models import HelpRequest\n"
    "row = HelpRequest.objects.get(pk='{pk}')\n"
    "for what, attempt in (\n"
    "    ('request', lambda: payloads.open_document(bytes(row.sealed))),\n"
    "    ('master', lambda: keyring.wrapping_key()),\n"
    "    ('blind', lambda: keyring.blind_root()),\n"
    "):\n"
    "    try:\n"
    "        attempt()\n"
    "    except CryptoError as exc:\n"
    "        print('REFUSED', what, type(exc).__name__)\n"
    "    else:\n"
    "        print('OPENED', what)\n"
)


def _intake_tier(console: ScratchInstall) -> dict[str, str]:
    """The environment of an intake tier sharing the console's database."""
    keys = console.data_dir.parent / "intake-tier" / "keys"
    (keys / "intake").mkdir(parents=True)
    for public in (console.data_dir / "keys" / "intake").glob("*.public"):
        shutil.copy2(public, keys / "intake" / public.name)
    for name in ("codename-pepper.key", "django-secret.key"):
        shutil.copy2(console.data_dir / "keys" / name, keys / name)
    env = dict(console.env)
    env["PASSAGE_DATA_DIR"] = str(keys.parent)
    env["PASSAGE_ROLE"] = "intake"
    if not console.is_postgres:
        env["DATABASE_URL"] = console.database_url
    return env


def test_the_intake_tier_takes_a_request_it_cannot_open(scratch_install: ScratchInstall) -> None:
    intake = ScratchInstall(
        data_dir=scratch_install.data_dir.parent / "intake-tier",
        database_url=scratch_install.database_url,
        env=_intake_tier(scratch_install),
    )
    assert not (intake.data_dir / "keys" / "master.key").exists()
    assert not list((intake.data_dir / "keys" / "intake").glob("*.secret"))

    submitted = intake.python(SUBMIT)
    pk = submitted.stdout.split("REQUEST", 1)[1].split()[0]

    refused = intake.python(TRY_OPEN.format(pk=pk)).stdout
    assert "REFUSED request SealedBoxError" in refused
    assert "REFUSED master KeyFileError" in refused
    assert "REFUSED blind KeyFileError" in refused
    assert "OPENED" not in refused

    # The console tier, with the private half, opens what the intake tier sealed.
    opened = scratch_install.python(TRY_OPEN.format(pk=pk)).stdout
    assert "OPENED request" in opened


def test_the_intake_tier_serves_no_staff_page(scratch_install: ScratchInstall) -> None:
    intake = ScratchInstall(
        data_dir=scratch_install.data_dir.parent / "intake-tier",
        database_url=scratch_install.database_url,
        env=_intake_tier(scratch_install),
    )
    probe = intake.python(
        "from django.urls import resolve, Resolver404\n"
        "for path in ('/staff/', '/staff/requests/', '/staff/sign-in/', '/ru/', '/ru/mailbox/'):\n"
        "    try:\n"
        "        resolve(path)\n"
        "        print('SERVED', path)\n"
        "    except Resolver404:\n"
        "        print('ABSENT', path)\n"
    ).stdout
    assert "ABSENT /staff/requests/" in probe
    assert "ABSENT /staff/sign-in/" in probe
    assert "SERVED /ru/" in probe
    assert "SERVED /ru/mailbox/" in probe
