"""Locate the external tools the checks run: Java, the Apex jars from npm, the Salesforce CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sccac.checks.results import ToolMissing

PMD_ENGINE_JARS = Path("node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib")
SF_BIN = Path("node_modules/.bin/sf")
INSTALL_HINT = "run `make setup` (or `npm ci`) in the project root"


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
    env.update(
        {
            "SF_DISABLE_TELEMETRY": "true",
            "SF_AUTOUPDATE_DISABLE": "true",
            "SF_SKIP_NEW_VERSION_CHECK": "true",
            "SF_HIDE_RELEASE_NOTES": "true",
            "SF_USE_PROGRESS_BAR": "false",
            "PATH": f"{project_root / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    return env
