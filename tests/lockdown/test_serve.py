"""After the keys are destroyed, `passage serve` stops every process (exit 3) so no key stays in
memory, and refuses to start again until the keys are recovered (the real command)."""

from __future__ import annotations

import time
from pathlib import Path

from tests.conftest import ScratchInstall
from tests.core.support import child_pids, passage_serve


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" not in status.read_text()
    except OSError:
        return False


def test_serve_stops_everything_when_the_keys_are_destroyed(
    scratch_install: ScratchInstall, tmp_path: Path
) -> None:
    scratch_install.run("setup")
    with passage_serve(scratch_install.env, tmp_path / "logs") as server:
        children = child_pids(server.process.pid)
        assert len(children) == 3, server.output()
        scratch_install.python(
            "from passage.lockdown.services import destroy_now; destroy_now(note='test')"
        )
        assert server.process.wait(timeout=45) == 3, server.output()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children)
        _, stderr = server.output()
    assert "keys were destroyed; every process is stopped" in stderr
    again = scratch_install.run("serve", check=False, timeout=60)
    assert again.returncode == 2
    assert "destroyed in an emergency" in again.stderr
    setup = scratch_install.run("setup", check=False)
    assert setup.returncode != 0 and "destroyed in an emergency" in setup.stderr
