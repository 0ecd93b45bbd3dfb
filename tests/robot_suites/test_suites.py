"""The Robot suites can fail: a broken mapping fixture or an agent mapped to the wrong user fails the offer test.

Each run is a separate ``python -m robot`` process (Robot keeps global state), on the offline backend
with one fixture swapped through the suite's variables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from robot.api import ExecutionResult

ROOT = Path(__file__).resolve().parents[2]
OFFERS = ROOT / "robot" / "SCCAC" / "tests" / "offers"
FIXTURES = ROOT / "robot" / "SCCAC" / "resources" / "offline"
OFFER_TEST = "Chat Is Offered To An Available Agent Of The Mapped Queue And Accepted"
OFFER_TESTS = {line for line in (OFFERS / "omni_channel_offers.robot").read_text(encoding="utf-8").split("*** Test Cases ***")[1]
               .splitlines() if line and not line[0].isspace()}


def run_suite(tmp_path: Path, *options: str, test: str | None = None, env: dict[str, str] | None = None,
              suites: list[Path] | None = None) -> dict[str, tuple[str, str]]:
    """``options``: ``NAME:value`` variables, or ``--option=value`` Robot options."""
    args = [sys.executable, "-m", "robot", "--outputdir", str(tmp_path), "--output", "output.xml",
            "--log", "NONE", "--report", "NONE", "--console", "none"]
    for option in options:
        args += [option] if option.startswith("--") else ["--variable", option]
    if test:
        args += ["--test", test]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    subprocess.run([*args, *map(str, suites or [OFFERS])], cwd=ROOT, env=environment, check=False, timeout=120)
    result = ExecutionResult(str(tmp_path / "output.xml"))
    statuses: dict[str, tuple[str, str]] = {}

    def visit(suite) -> None:
        for case in suite.tests:
            statuses[case.name] = (case.status, case.message)
        for child in suite.suites:
            visit(child)

    visit(result.suite)
    return statuses


def test_the_offers_suite_passes_offline_with_the_shipped_fixtures(tmp_path):
    statuses = run_suite(tmp_path)
    assert len(statuses) >= 8
    failed = {name: message for name, (status, message) in statuses.items() if status != "PASS"}
    assert failed == {}


def test_a_broken_mapping_fixture_fails_the_offer_test(tmp_path):
    broken = tmp_path / "queue_mappings.yml"
    # The channel's Omni-Queue mapped to the wrong Connect queue: the chat lands in Billing.
    broken.write_text("mappings:\n  - omni_queue: SCCAC_Support\n    connect_queue: Billing\n", encoding="utf-8")
    status, message = run_suite(tmp_path, f"OFFLINE_MAPPING:{broken}", test=OFFER_TEST)[OFFER_TEST]
    assert status == "FAIL"
    assert "is in queue Billing, expected Support" in message


def test_an_agent_mapped_to_the_wrong_salesforce_user_fails_the_offer_test(tmp_path):
    staffing = (FIXTURES / "staffing.yml").read_text(encoding="utf-8")
    wrong = tmp_path / "staffing.yml"
    # maria's Connect user points at li's Salesforce user (a wrong CallCenterRoutingMap entry).
    wrong.write_text(staffing.replace("salesforce_user: maria@sccac.example", "salesforce_user: li@sccac.example"), encoding="utf-8")
    status, message = run_suite(tmp_path, f"OFFLINE_STAFFING:{wrong}", test=OFFER_TEST)[OFFER_TEST]
    assert status == "FAIL"
    assert "offered to maria (AgentWork Assigned)" in message and "li: Assigned" in message


def test_the_org_run_of_cumulusci_yml_selects_the_offer_tests_and_skips_them_with_one_line_without_an_org(tmp_path):
    """The options `cci task run robot --org dev` passes (cumulusci.yml), here without an org or AWS credentials."""
    options = yaml.safe_load((ROOT / "cumulusci.yml").read_text(encoding="utf-8"))["tasks"]["robot"]["options"]
    env = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "", "SCCAC_ORG": ""}
    args = [f"--exclude={options['exclude']}", *(f"--variable={v}" for v in options["vars"].split(","))]
    statuses = run_suite(tmp_path, *args, env=env, suites=[ROOT / options["suites"]])
    assert all(status == "SKIP" for status, _ in statuses.values())
    offers = {name: message for name, (_, message) in statuses.items() if name in OFFER_TESTS}
    assert len(offers) == len(OFFER_TESTS) >= 8
    assert set(offers.values()) == {"Skipped in parent suite setup:\n"
                                    "No Salesforce org: run the org backend through CumulusCI (cci task run robot --org dev)"}
    assert "Chat Survives Two Salesforce Failures" not in statuses  # the offline-only suite is not run
