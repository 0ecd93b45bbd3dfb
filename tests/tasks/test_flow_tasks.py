"""The CumulusCI flow tasks: options validated first (TaskOptionsError), files written, lint failures fail the task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks.flows import BuildContactFlows, LintContactFlows
from sccac.flows.builders import FlowKind


ORG_OPTIONS = {
    "session_lambda_arn": "arn:aws:lambda:us-east-1:210987654321:function:acme-CreateMessagingSession",
    "routing_lambda_arn": "arn:aws:lambda:us-east-1:210987654321:function:acme-Routing",
    "channel_address_identifier": "0d6f1b9e-8c2a-4f1e-9b7d-3a5c2e8f6b10",
    "fallback_queue_arn": (
        "arn:aws:connect:us-east-1:210987654321:instance/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/queue/6e7f8a9b-0c1d-4e2f-a3b4-c5d6e7f8a9b0"
    ),
}


def test_build_writes_the_five_flows_with_the_given_settings(tmp_path):
    task = create_task(BuildContactFlows, {"path": str(tmp_path), "retry_count": "5", **ORG_OPTIONS})
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
        create_task(BuildContactFlows, {"path": str(tmp_path), **ORG_OPTIONS, **options})


def test_build_requires_the_org_values_unless_example(tmp_path):
    partial = {k: v for k, v in ORG_OPTIONS.items() if k not in ("routing_lambda_arn", "fallback_queue_arn")}
    with pytest.raises(TaskOptionsError, match="routing_lambda_arn, fallback_queue_arn"):
        create_task(BuildContactFlows, {"path": str(tmp_path), **partial})
    with pytest.raises(TaskOptionsError, match="example"):
        create_task(BuildContactFlows, {"path": str(tmp_path), "example": "False"})
    create_task(BuildContactFlows, {"path": str(tmp_path), "example": "True"})()
    assert len(list(tmp_path.glob("*.json"))) == 6  # the six flows, the disconnect flow with re-queue among them
    # Example flows are not for Connect: the placeholder rule rejects their channel.
    with pytest.raises(CumulusCIFailure, match="inbound_chat.json"):
        create_task(LintContactFlows, {"path": str(tmp_path)})()


def test_lint_passes_the_built_flows_and_fails_a_broken_one(tmp_path):
    create_task(BuildContactFlows, {"path": str(tmp_path), **ORG_OPTIONS})()
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
    fixture = json.loads((Path(__file__).parents[1] / "flows/fixtures/real/queue-transfer-describe-wrapper.json").read_text())
    (real / "scv.json").write_text(json.dumps(fixture))
    create_task(LintContactFlows, {"path": str(real)})()  # an ordinary transfer flow: generic, passes
    create_task(LintContactFlows, {"path": str(real), "kind": "generic"})()
    with pytest.raises(CumulusCIFailure, match="scv.json"):
        create_task(LintContactFlows, {"path": str(real), "kind": "queue_transfer"})()
    with pytest.raises(TaskOptionsError, match="generic"):
        create_task(LintContactFlows, {"path": str(real), "kind": "nonsense"})


def test_lint_ignore_rules_option_takes_comma_separated_prefixes(tmp_path):
    create_task(BuildContactFlows, {"path": str(tmp_path), **ORG_OPTIONS})()
    flow = json.loads((tmp_path / "inbound_chat.json").read_text())
    flow["Version"] = "2020-01-01"  # SCCAC-FLOW-001, an error
    (tmp_path / "inbound_chat.json").write_text(json.dumps(flow))
    with pytest.raises(CumulusCIFailure, match="inbound_chat.json"):
        create_task(LintContactFlows, {"path": str(tmp_path)})()
    create_task(LintContactFlows, {"path": str(tmp_path), "ignore_rules": "SCCAC-DESIGNER, sccac-flow-001"})()
    with pytest.raises(TaskOptionsError, match="'SCCAC-FLOW-1' matches no lint rule"):
        create_task(LintContactFlows, {"path": str(tmp_path), "ignore_rules": "SCCAC-FLOW-1"})
