"""Emergency key destruction and the trustees' shares, with real keys in a private key
directory: after destruction every encrypted field and sealed request is unreadable here and
`keys init` refuses; after `keys recover` from a threshold of SLIP-39 shares the data reads
again."""

from __future__ import annotations

import io
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from passage.accounts.models import PartnerOrganisation, User
from passage.crypto import archive, datakeys, sealed
from passage.crypto.exceptions import CryptoError
from passage.crypto.keyring import KeysDestroyed, keyring, keys_destroyed
from passage.lockdown import services
from passage.lockdown.models import KeyDestruction
from passage.lockdown.services import DestructionRefused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_keys")]

SECRET_NAME = "Rainbow Railroad Test Network"


def keys_out(*args: str, stdin: str | None = None, monkeypatch: Any = None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("keys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def shares_in(output: str) -> list[str]:
    return re.findall(r"^Share \d+ of \d+:\n(.+)$", output, flags=re.MULTILINE)


def fresh_name(pk: object) -> str:
    datakeys.cache.clear()
    return PartnerOrganisation.objects.get(pk=pk).name


def test_destroyed_then_recovered_from_three_of_five_shares(
    isolated_keys: Path, monkeypatch: Any
) -> None:
    partner = PartnerOrganisation.objects.create(code="P-LOCK", name=SECRET_NAME)
    box = sealed.seal(b"a sealed help request")
    offline_copy = isolated_keys.parent / "offline-usb"
    shutil.copytree(isolated_keys, offline_copy)  # the key ceremony's offline copy
    shares = shares_in(keys_out("split", "--threshold", "3", "--shares", "5"))
    assert len(shares) == 5 and len(set(shares)) == 5

    count = services.destroy_now(note="test")
    assert count >= 4 and keys_destroyed()
    for name in ("master.key", "blind-index.key", "codename-pepper.key"):
        assert not (isolated_keys / name).exists()
    assert not list((isolated_keys / "intake").glob("*.secret"))
    assert list((isolated_keys / "intake").glob("*.public"))  # they open nothing

    with pytest.raises(KeysDestroyed):
        fresh_name(partner.pk)
    with pytest.raises(CryptoError):
        sealed.open_sealed(box)
    with pytest.raises(CommandError, match="destroyed in an emergency"):
        keys_out("init")
    with pytest.raises(CommandError, match="destroyed"):
        keys_out("check")

    # Two shares are not enough; three of the five (any three) are.
    with pytest.raises(CommandError, match="Not enough shares"):
        keys_out("recover", stdin="\n".join(shares[:2]) + "\n", monkeypatch=monkeypatch)
    assert not (isolated_keys / "master.key").exists()
    output = keys_out(
        "recover",
        stdin="\n".join([shares[4], shares[1], shares[2]]) + "\n",
        monkeypatch=monkeypatch,
    )
    assert "Master key" in output
    master = isolated_keys / "master.key"
    assert stat.S_IMODE(master.stat().st_mode) == 0o600
    assert master.read_bytes() == (offline_copy / "master.key").read_bytes()
    assert not keys_destroyed()
    assert list(isolated_keys.glob("DESTROYED.retired-*"))

    keyring.reload()
    assert fresh_name(partner.pk) == SECRET_NAME
    # The sealed request needs its intake private key, which only the offline copy holds.
    with pytest.raises(CryptoError):
        sealed.open_sealed(box)
    for secret in (offline_copy / "intake").glob("*.secret"):
        shutil.copy2(secret, isolated_keys / "intake" / secret.name)
    keyring.reload()
    assert sealed.open_sealed(box) == b"a sealed help request"
    # A present key is never overwritten by a recovery.
    with pytest.raises(CommandError, match="never overwritten"):
        keys_out("recover", stdin="\n".join(shares[:3]) + "\n", monkeypatch=monkeypatch)


def test_the_backup_private_key_travels_in_the_same_shares(
    isolated_keys: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    private = tmp_path / "usb" / "backup.private"
    private.parent.mkdir()
    archive.create_backup_key_pair(
        public_path=isolated_keys / "backup.public", private_path=private
    )
    output = keys_out(
        "split", "--threshold", "2", "--shares", "3", "--backup-private", str(private)
    )
    assert "backup private key" in output
    shares = shares_in(output)
    services.destroy_now(note="test")
    with pytest.raises(CommandError, match="backup-private-out"):
        keys_out("recover", stdin="\n".join(shares[:2]) + "\n", monkeypatch=monkeypatch)
    out = tmp_path / "usb2" / "backup.private"
    out.parent.mkdir()
    keys_out(
        "recover",
        "--backup-private-out",
        str(out),
        stdin="\n".join(shares[1:]) + "\n",
        monkeypatch=monkeypatch,
    )
    assert out.read_bytes() == private.read_bytes()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_wrong_share_is_refused(monkeypatch: Any) -> None:
    shares = shares_in(keys_out("split", "--threshold", "2", "--shares", "3"))
    words = shares[0].split()
    words[5] = "academic" if words[5] != "academic" else "acid"
    with pytest.raises(CommandError):
        keys_out(
            "recover", stdin=" ".join(words) + "\n" + shares[1] + "\n", monkeypatch=monkeypatch
        )


def test_split_checks_its_numbers() -> None:
    for args in (("--threshold", "4", "--shares", "3"), ("--threshold", "1", "--shares", "3")):
        with pytest.raises(CommandError):
            keys_out("split", *args)


def test_starting_afresh_after_destruction_leaves_old_data_unreadable(
    isolated_keys: Path,
) -> None:
    partner = PartnerOrganisation.objects.create(code="P-FRESH", name=SECRET_NAME)
    services.destroy_now(note="test")
    output = keys_out("init", "--after-destruction")
    assert "Created master key." in output
    keyring.reload()
    with pytest.raises(CryptoError):
        fresh_name(partner.pk)
    # New records work under the new keys.
    newer = PartnerOrganisation.objects.create(code="P-NEW", name="New network")
    assert fresh_name(newer.pk) == "New network"


def test_two_admins_destroy_the_keys_when_the_entry_commits(
    admin: User,
    django_capture_on_commit_callbacks: Any,
    isolated_keys: Path,
) -> None:
    from passage.accounts.roles import Role
    from tests.personas import make_staff

    other = make_staff("admin2", Role.ADMIN)
    partner = PartnerOrganisation.objects.create(code="P-GONE", name=SECRET_NAME)
    proposal = services.destruction_propose(actor=admin)
    with pytest.raises(DestructionRefused, match="second, different admin"):
        services.destruction_confirm(proposal=proposal, actor=admin)
    assert not keys_destroyed()
    with django_capture_on_commit_callbacks(execute=True):
        services.destruction_confirm(proposal=proposal, actor=other)
    assert keys_destroyed()
    assert KeyDestruction.objects.get().files_destroyed >= 4
    with pytest.raises(KeysDestroyed):
        fresh_name(partner.pk)
    with pytest.raises(DestructionRefused, match="destroyed already"):
        services.destruction_propose(actor=other)
