"""Invariant 1 for safe houses: a marker in the address, contact, rules and compromise reason is
in neither the database (file and WAL, or ``pg_dump``) nor any file of the data directory; the
plain code name beside them is (a positive control), and the row decrypts back to the marker."""

from __future__ import annotations

import base64

from tests.conftest import ScratchInstall
from tests.crypto.test_at_rest import stored_bytes

MARKER = "MrkSafeHouseAddr4471"
CONTROL = "ctrlplaincodename"

WRITE = """
from passage.accounts.models import Desk, Membership, RoleGrant, User
from passage.safehouses import services
from passage.safehouses.models import SafeHouse
desk = Desk.objects.create(name="North")
user = User.objects.create(username="logistics")
RoleGrant.objects.create(user=user, role="logistics")
Membership.objects.create(user=user, desk=desk)
house = services.safehouse_create(
    actor=user, desk=desk, code_name="{control}", region="Kazan", beds=2,
    address="{marker} street", contact="{marker} phone", rules="{marker} rules",
)
services.safehouse_mark_compromised(house=house, actor=user, reason="{marker} reason")
row = SafeHouse.objects.get(pk=house.pk)
assert "{marker}" in row.address and "{marker}" in row.compromise_reason
print("written")
"""


def _forms(text: str) -> list[bytes]:
    raw = text.encode()
    return [raw, raw.lower(), raw.hex().encode(), base64.b64encode(raw), text.encode("utf-16-le")]


def test_an_address_is_encrypted_at_rest(scratch_install: ScratchInstall) -> None:
    code = WRITE.format(marker=MARKER, control=CONTROL)
    assert "written" in scratch_install.python(code).stdout
    database, where = stored_bytes(scratch_install)
    assert CONTROL.encode() in database  # the control: a plain column is found
    everything = [p for p in scratch_install.data_dir.rglob("*") if p.is_file()]
    for form in _forms(MARKER):
        assert form not in database, f"marker found in {where}"
        for path in everything:
            assert form not in path.read_bytes(), f"marker found in {path.name}"
