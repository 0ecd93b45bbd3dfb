"""CumulusCI reads the project offline: tasks load by class_path and the extended flows resolve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CCI = Path(sys.executable).with_name("cci")


@pytest.fixture
def cci_env(tmp_path: Path) -> dict[str, str]:
    """A fresh HOME (no keyring, no connected orgs), as on a CI machine."""
    env = dict(os.environ)
    env.update({"HOME": str(tmp_path), "CUMULUSCI_KEY": "0123456789abcdef"})
    return env


def run_cci(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CCI), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_task_list_shows_the_sccac_tasks(cci_env):
    result = run_cci(["task", "list"], cci_env)
    assert result.returncode == 0, result.stderr + result.stdout
    for task in ("sccac_check", "build_contact_flows", "lint_contact_flows"):
        assert task in result.stdout


def test_dev_org_flow_resolves_with_the_sccac_steps(cci_env):
    result = run_cci(["flow", "info", "dev_org"], cci_env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "deploy_omni_config" in result.stdout
    assert "unpackaged/config/omni" in result.stdout


def test_custom_task_options_are_documented(cci_env):
    result = run_cci(["task", "info", "sccac_check"], cci_env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "--checks" in result.stdout


SETUP_STEPS = ("deploy_messaging_channel", "setup_interaction_auth", "deploy_connect_credentials", "validate_queue_mappings", "wire_connect",
               "deploy_queue_mappings", "configure_case_routing", "queue_mapping_status")


@pytest.mark.parametrize("flow", ["dev_org", "qa_org", "ci_feature", "sccac_install"])
def test_setup_flows_run_the_whole_chain_in_order(cci_env, flow):
    result = run_cci(["flow", "info", flow], cci_env)
    assert result.returncode == 0, result.stderr + result.stdout
    positions = [result.stdout.find(task) for task in SETUP_STEPS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), result.stdout


def test_existing_org_flow_leaves_scheduled_jobs_and_profiles_alone(cci_env):
    result = run_cci(["flow", "info", "sccac_install"], cci_env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "unschedule_apex" not in result.stdout and "update_admin_profile" not in result.stdout
    assert "unschedule_apex" in run_cci(["flow", "info", "dev_org"], cci_env).stdout


@pytest.mark.parametrize("task", SETUP_STEPS)
def test_setup_tasks_load_and_document_their_options(cci_env, task):
    result = run_cci(["task", "info", task], cci_env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Options" in result.stdout or "--" in result.stdout
