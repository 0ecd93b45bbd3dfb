"""After `make setup`, activating .venv puts sccac, cci and sf on PATH (the README's commands rely on it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"

pytestmark = pytest.mark.skipif(
    Path(sys.prefix).resolve() != (REPO / ".venv").resolve() or not (REPO / "node_modules").is_dir(),
    reason="runs in the project's own .venv after make setup",
)


def test_activated_venv_has_the_three_commands():
    script = f"source {VENV_BIN / 'activate'} && command -v sccac cci sf"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV",)}
    env["PATH"] = "/usr/bin:/bin"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(VENV_BIN / name) for name in ("sccac", "cci", "sf")]
    target = (VENV_BIN / "sf").resolve()
    assert target.is_file() and (REPO / "node_modules").resolve() in target.parents
