"""CumulusCI runs the offline suites without an org (robot_offline) and documents the keywords (robot_libdoc).

CumulusCI needs a git repository of the project: the test copies the project's CumulusCI and Robot
files into a fresh one (sccac itself is imported from this checkout through PYTHONPATH).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CCI = Path(sys.executable).with_name("cci")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("cci-project")
    for name in ("cumulusci.yml", "sfdx-project.json"):
        shutil.copy(REPO / name, root / name)
    for name in ("python_tasks", "robot"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("results", "__pycache__"))
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "HOME": str(home), "CUMULUSCI_KEY": "0123456789abcdef", "PYTHONPATH": str(REPO)}
    return root, env


def cci(project: tuple[Path, dict[str, str]], *args: str) -> subprocess.CompletedProcess[str]:
    root, env = project
    return subprocess.run([str(CCI), *args], cwd=root, env=env, capture_output=True, text=True, timeout=180, check=False)


def test_robot_offline_runs_the_offers_suite_without_an_org(project):
    result = cci(project, "task", "run", "robot_offline", "-o", "suites", "robot/SCCAC/tests/offers")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tests, 11 passed, 0 failed" in result.stdout
    assert (project[0] / "robot/SCCAC/results/report.html").exists()
    # The robot task itself runs the offline backend when no org is given.
    offline = cci(project, "task", "run", "robot", "-o", "suites", "robot/SCCAC/tests/offers")
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert "No org: running the suites on the offline backend" in offline.stdout + offline.stderr
    assert "tests, 11 passed, 0 failed" in offline.stdout


def test_robot_libdoc_documents_the_keywords_of_both_backends(project):
    result = cci(project, "task", "run", "robot_libdoc")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project[0] / "robot/SCCAC/doc/Keywords.html").read_text(encoding="utf-8")
    for keyword in ("Agent Should Be Offered The Chat", "Assign Case To Queue", "Task Contact Should Carry", "Set Omni Status"):
        assert keyword in html
