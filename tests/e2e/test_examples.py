from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_the_embedding_example_runs_and_shows_the_schedule() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "embedding.py")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "library: [(2, 'Corro', 'pending'), (1, 'Ferris', 'scheduled')]" in result.stdout
    assert "http: 200 OK ['Ferris']" in result.stdout
