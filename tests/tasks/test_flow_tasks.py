"""The CumulusCI flow tasks: options validated first (TaskOptionsError), files written, lint failures fail the task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks.flows import BuildContactFlows, LintContactFlows
from sccac.flows.builders import FlowKind


def test_build_writes_the_five_flows_with_the_given_settings(tmp_path):
    task = create_task(BuildContactFlows, {"path": str(tmp_path), "retry_count": "5",
                                          "channel_address_identifier": "0d6f1b9e-8c2a-4f1e-9b7d-3a5c2e8f6b10"})
    task()
    assert sorted(p.name for p in tmp_path.glob("*.json")) == sorted(f"{k.value}.json" for k in FlowKind)
    inbound = json.loads((tmp_path / "inbound_chat.json").read_text())
    text = json.dumps(inbound)
    assert "0d6f1b9e-8c2a-4f1e-9b7d-3a5c2e8f6b10" in text
    assert any(a["Type"] == "Loop" and a["Parameters"]["LoopCount"] == "5" for a in inbound["Actions"])


@pytest.mark.parametrize(
    "options, named",
    [
        ({"retry_count": "many"}, "retry_count"),
        ({"retry_count": "0"}, "retry_count"),
        ({"fallback_queue_arn": "arn:aws:connect:us-east-1:1:queue"}, "fallback_queue_arn"),
        ({"channel_address_identifier": "REPLACE_ME"}, "channel_address_identifier"),
    ],
)
def test_build_rejects_bad_options_by_name(tmp_path, options, named):
    with pytest.raises(TaskOptionsError, match=named):
        create_task(BuildContactFlows, {"path": str(tmp_path), **options})


def test_lint_passes_the_built_flows_and_fails_a_broken_one(tmp_path):
    create_task(BuildContactFlows, {"path": str(tmp_path)})()
    create_task(LintContactFlows, {"path": str(tmp_path)})()

    flow = json.loads((tmp_path / "inbound_chat.json").read_text())
    flow["StartAction"] = "nowhere"
    (tmp_path / "inbound_chat.json").write_text(json.dumps(flow))
    with pytest.raises(CumulusCIFailure, match="inbound_chat.json"):
        create_task(LintContactFlows, {"path": str(tmp_path)})()


def test_lint_needs_existing_files(tmp_path):
    with pytest.raises(TaskOptionsError, match="build_contact_flows"):
        create_task(LintContactFlows, {"path": str(tmp_path / "missing")})


def test_lint_kind_option_accepts_generic_and_rejects_unknown(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    fixture = json.loads((Path(__file__).parents[1] / "flows/fixtures/real/scv-queue-transfer-describe-wrapper.json").read_text())
    (real / "scv.json").write_text(json.dumps(fixture))
    create_task(LintContactFlows, {"path": str(real)})()  # an ordinary transfer flow: generic, passes
    create_task(LintContactFlows, {"path": str(real), "kind": "generic"})()
    with pytest.raises(CumulusCIFailure, match="scv.json"):
        create_task(LintContactFlows, {"path": str(real), "kind": "queue_transfer"})()
    with pytest.raises(TaskOptionsError, match="generic"):
        create_task(LintContactFlows, {"path": str(real), "kind": "nonsense"})
