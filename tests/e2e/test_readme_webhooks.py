"""The README's webhook walk-through leaves nothing registered to fail for 27 hours."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from connect.config import Config
from tests.e2e.server import RunningServer

README = Path(__file__).parents[2] / "README.md"


def test_the_readme_registers_test_sends_and_deletes_its_sample_webhook(tmp_path: Path) -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), re.S)
    (block,) = [b for b in blocks if "/api/v1/webhooks -H" in b]
    # NOTE: tests stay on loopback: the sample host becomes a closed local port (the
    # test send fails there as it does for the sample name), allowed for this server.
    block = block.replace("hooks.example.org", "127.0.0.1:9")
    server = RunningServer(tmp_path / "c.db", Config(webhook_allow_networks=("127.0.0.0/8",)))
    try:
        env = {**os.environ, "API": server.base_url, "ORG": server.organizer}
        ran = subprocess.run(
            ["bash", "-e", "-c", block], env=env, capture_output=True, text=True, timeout=60
        )
        assert ran.returncode == 0, ran.stderr
        assert '"secret": "whsec_' in ran.stdout
        assert '"success": false' in ran.stdout
        listed = server.request("GET", "/api/v1/webhooks", token=server.organizer).json()
        assert listed["data"] == []
    finally:
        server.close()
