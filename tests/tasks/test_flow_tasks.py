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
    task = create_task(BuildContactFlows, {"out": str(tmp_path), "retry_count": "5", **ORG_OPTIONS})
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
        create_task(BuildContactFlows, {"out": str(tmp_path), **ORG_OPTIONS, **options})


def test_build_requires_the_org_values_unless_example(tmp_path):
    partial = {k: v for k, v in ORG_OPTIONS.items() if k not in ("routing_lambda_arn", "fallback_queue_arn")}
    with pytest.raises(TaskOptionsError, match="(?s)routing_lambda_arn: missing.*fallback_queue_arn: missing"):
        create_task(BuildContactFlows, {"out": str(tmp_path), **partial})
    with pytest.raises(TaskOptionsError, match="example"):
        create_task(BuildContactFlows, {"out": str(tmp_path), "example": "False"})
    create_task(BuildContactFlows, {"out": str(tmp_path), "example": "True"})()
    assert len(list(tmp_path.glob("*.json"))) == 6  # the six flows, the disconnect flow with re-queue among them
    # Example flows are not for Connect: the placeholder rule rejects their channel.
    with pytest.raises(CumulusCIFailure, match="inbound_chat.json"):
        create_task(LintContactFlows, {"path": str(tmp_path)})()


def test_lint_passes_the_built_flows_and_fails_a_broken_one(tmp_path):
    create_task(BuildContactFlows, {"out": str(tmp_path), **ORG_OPTIONS})()
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


# Every flow setting, by its FlowSettings name, as the task takes it (strings from -o, YAML values from cumulusci.yml).
EVERY_SETTING = {
    "retry_count": 4, "lambda_timeout_seconds": "6", "name_prefix": "Acme", "client_id": "$.Attributes.email",
    "salesforce_flow_id": "3015e000001AbCdEAF", "salesforce_flow_fallback_queue_id": "00G5e000001AbCdEAF",
    "routing_attributes": {"Tier": "$.Attributes.tier"},
    "transcription_module_arn": "arn:aws:connect:us-east-1:210987654321:instance/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/"
                                "flow-module/77777777-2222-4333-8444-555555555555",
    "disconnect_flow_arn": "arn:aws:connect:us-east-1:210987654321:instance/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/"
                           "contact-flow/88888888-2222-4333-8444-555555555555",
    "requeue_wait_seconds": "600", "requeue_message": "Your agent left; reply to continue.",
    "failure_message": "We are closed.", "analytics_language": "fr-FR",
}


def test_every_flow_setting_is_a_task_option_and_reaches_the_flows(tmp_path):
    create_task(BuildContactFlows, {"out": str(tmp_path), **ORG_OPTIONS, **EVERY_SETTING})()
    inbound = json.loads((tmp_path / "inbound_chat.json").read_text())
    by_type = {a["Type"]: a for a in inbound["Actions"]}
    assert inbound["Metadata"]["name"] == "Acme Inbound Chat"
    assert by_type["InvokeLambdaFunction"]["Parameters"]["InvocationTimeLimitSeconds"] == "6"
    assert by_type["MessageParticipant"]["Parameters"]["Text"] == "We are closed."
    assert inbound["Actions"][0]["Parameters"]["Attributes"]["clientId"] == "$.Attributes.email"
    assert "salesforceFlowRoutingAttributes.Tier" in json.dumps(inbound)
    disconnect = json.loads((tmp_path / "disconnect_requeue.json").read_text())
    assert {a["Type"]: a for a in disconnect["Actions"]}["Wait"]["Parameters"]["TimeLimitSeconds"] == "600"
    assert "Your agent left; reply to continue." in json.dumps(disconnect)
    assert "fr-FR" in (tmp_path / "transcription.json").read_text()


def test_build_reports_every_bad_option_at_once(tmp_path):
    bad = {"retry_count": "many", "lambda_timeout_seconds": "9", "channel_address_identifier": "REPLACE_ME",
           "salesforce_flow_id": "3015e000001AbCdEAF", "routing_attributes": "Tier"}
    with pytest.raises(TaskOptionsError) as info:
        create_task(BuildContactFlows, {"out": str(tmp_path), **ORG_OPTIONS, **bad})
    message = str(info.value)
    assert message.startswith("5 flow settings to fix:")
    for line in ("channel_address_identifier: 'REPLACE_ME' is not a UUID", "retry_count: 'many' is not a whole number",
                 "lambda_timeout_seconds: 9 must be a whole number of seconds from 1 to 8",
                 "salesforce_flow_fallback_queue_id: salesforce_flow_id needs a fallback Omni-Queue",
                 "routing_attributes: 'Tier' is not NAME=VALUE"):
        assert line in message
    assert not list(tmp_path.glob("*.json"))


def test_the_old_path_option_still_works_with_a_warning(tmp_path, caplog):
    create_task(BuildContactFlows, {"path": str(tmp_path), **ORG_OPTIONS})()
    assert (tmp_path / "inbound_chat.json").is_file()
    assert "Option path is deprecated; use out" in caplog.text
    with pytest.raises(TaskOptionsError, match="give out only"):
        create_task(BuildContactFlows, {"path": str(tmp_path), "out": str(tmp_path), **ORG_OPTIONS})


def test_lint_takes_the_cli_options_format_and_out(tmp_path, caplog):
    create_task(BuildContactFlows, {"out": str(tmp_path / "flows"), **ORG_OPTIONS})()
    report = tmp_path / "lint.sarif"
    create_task(LintContactFlows, {"path": str(tmp_path / "flows"), "format": "sarif", "out": str(report)})()
    assert json.loads(report.read_text())["version"] == "2.1.0"
    text = tmp_path / "lint.txt"
    create_task(LintContactFlows, {"path": f"{tmp_path / 'flows' / 'inbound_chat.json'},{tmp_path / 'flows' / 'task_routing.json'}",
                                   "out": str(text)})()
    assert "2 file(s) linted: 0 error(s), 0 warning(s)" in text.read_text()
    create_task(LintContactFlows, {"path": str(tmp_path / "flows"), "format": "human", "out": str(text)})()
    assert "format human is deprecated; use text" in caplog.text and "0 error(s)" in text.read_text()
    with pytest.raises(TaskOptionsError, match="format must be one of json, sarif, text"):
        create_task(LintContactFlows, {"path": str(tmp_path / "flows"), "format": "html"})
