"""Locate and run the external tools the checks use: Java, the Apex jars from npm, the Salesforce CLI."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

from sccac.checks.results import ToolFailed, ToolMissing

PMD_ENGINE_JARS = Path("node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib")
SF_BIN = Path("node_modules/.bin/sf")
INSTALL_HINT = "run `make setup` (or `npm ci`) in the project root"
# Each tool run ends within this many seconds; a tool that hangs becomes a failed check, not a stuck command.
TOOL_TIMEOUT_S = 300.0

# The Salesforce CLI reads these (names from @salesforce/cli dist/util/env.js, @salesforce/core
# config/envVars.js for telemetry, oclif's plugin-warn-if-update-available for the version check,
# @salesforce/plugin-info for release notes). Without them an npm-installed `sf` looks up its newest
# version on the network, may print release notes and sends usage telemetry.
QUIET_SF_ENV = {
    "SF_AUTOUPDATE_DISABLE": "true",
    "SF_DISABLE_AUTOUPDATE": "true",
    "SF_DISABLE_TELEMETRY": "true",
    "SF_SKIP_NEW_VERSION_CHECK": "true",
    "SF_HIDE_RELEASE_NOTES": "true",
    "SF_USE_PROGRESS_BAR": "false",
}


def java() -> str:
    found = shutil.which("java")
    if not found:
        raise ToolMissing("java is not on PATH; install a Java 17 runtime (e.g. apt-get install openjdk-17-jre-headless)")
    return found


def apex_jars(project_root: Path) -> Path:
    """The jar folder of @salesforce/code-analyzer-pmd-engine: PMD, apex-ls and the Salesforce type stubs."""
    override = os.environ.get("SCCAC_APEX_JARS")
    folder = Path(override) if override else project_root / PMD_ENGINE_JARS
    if not any(folder.glob("apex-ls*.jar")):
        raise ToolMissing(f"the Apex language server jars are missing in {folder}; {INSTALL_HINT}")
    return folder


def sf_cli(project_root: Path) -> Path:
    path = project_root / SF_BIN
    if not path.exists():
        raise ToolMissing(f"the Salesforce CLI is missing ({path}); {INSTALL_HINT}")
    return path


def quiet_sf_env(project_root: Path) -> dict[str, str]:
    """Environment for offline, non-interactive `sf` runs: no telemetry, no update checks."""
    env = dict(os.environ)
    env.update(QUIET_SF_ENV)
    env["PATH"] = f"{project_root / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_tool(
    what: str, args: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a tool to completion or stop it after ``timeout`` seconds (default TOOL_TIMEOUT_S).

    The tool runs in its own process group so that the whole group is killed on timeout: `sf` and
    Java start child processes that would otherwise keep the output pipes open and the wait going.
    """
    limit = TOOL_TIMEOUT_S if timeout is None else timeout
    try:
        proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
    except OSError as exc:
        raise ToolFailed(f"{what} could not be started ({args[0]}): {exc.strerror or exc}; {INSTALL_HINT}") from None
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ToolFailed(f"{what} did not finish within {limit:g} s and was stopped") from None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    # Collect the killed process; the pipes close once every member of the group is gone.
    proc.communicate()
