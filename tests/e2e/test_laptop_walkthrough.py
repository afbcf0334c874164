"""docs/webhooks.md "Test on your laptop in two minutes", run as written: the shell block
is read from the document, so the two cannot drift. Only what a test machine needs is
changed: free ports for 8080 and 3000, and absolute paths for ``.venv/bin/`` and
``examples/`` (the block runs in a temporary directory)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "webhooks.md"


def section_block(heading: str, language: str) -> str:
    text = DOC.read_text()
    section = text.split(f"## {heading}\n", 1)[1]
    found = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_laptop_walkthrough_in_the_docs_runs_as_written(tmp_path: Path) -> None:
    script = section_block("Test on your laptop in two minutes", "sh")
    assert "connect listen" in script and "examples/sync_receiver.py" in script
    api_port, receiver_port = free_port(), free_port()
    script = (
        script.replace(".venv/bin/", f"{Path(sys.executable).parent}/")
        .replace("examples/", f"{ROOT / 'examples'}/")
        .replace("8080", str(api_port))
        .replace("3000", str(receiver_port))
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECT_")}
    process = subprocess.Popen(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        output, errors = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, errors = process.communicate()
        pytest.fail(f"the walk-through did not finish: {output}\n{errors}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, (output, errors)
    lines = output.splitlines()
    forwarded = [line for line in lines if "-->" in line]
    assert [line.split("-->")[1].split()[0] for line in forwarded] == [
        "submission.created",
        "submission.updated",
        "talk.scheduled",
    ]
    assert all(line.endswith("<-- [200]") for line in forwarded)
    assert "stored submission 1: Ferris (2026-03-18)" in lines
    with sqlite3.connect(tmp_path / "sync.db") as copy:
        (document,) = copy.execute("SELECT document FROM submissions WHERE id = 1").fetchone()
    assert json.loads(document)["scheduled_date"] == "2026-03-18"
    assert json.loads(document)["status"] == "scheduled"
    assert "Traceback" not in errors
