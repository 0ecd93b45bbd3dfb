"""The five SCC-AC flow builders: required elements, settings validation, determinism."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sccac.flows import builders as b
from sccac.flows.builders import FlowKind, FlowSettings, FlowSettingsError
from sccac.flows.model import (
    Compare,
    DisconnectParticipant,
    EndFlowModuleExecution,
    InvokeLambdaFunction,
    Loop,
    TransferContactToQueue,
    UpdateContactAttributes,
    UpdateContactTargetQueue,
    parse_flow,
)

ROOT = Path(__file__).resolve().parents[2]


def test_build_all_gives_six_flows_with_their_connect_types(settings: FlowSettings) -> None:
    built = b.build_all(settings)
    assert {f.kind: f.connect_type for f in built} == {
        FlowKind.INBOUND_CHAT: "CONTACT_FLOW",
        FlowKind.AGENT_TRANSFER: "AGENT_TRANSFER",
        FlowKind.QUEUE_TRANSFER: "QUEUE_TRANSFER",
        FlowKind.TRANSCRIPTION: "MODULE",
        FlowKind.TASK_ROUTING: "CONTACT_FLOW",
        FlowKind.DISCONNECT_REQUEUE: "CONTACT_FLOW",
    }
    for item in built:
        assert item.name.startswith("SCCAC ")
        assert item.flow.metadata is not None and item.flow.metadata["name"] == item.name


def test_inbound_chat_sets_channel_address_then_invokes_session_lambda_in_a_retry_loop(settings: FlowSettings) -> None:
    flow = b.build_inbound_chat(settings)
    start = flow.action(flow.start_action or "")
    assert isinstance(start, UpdateContactAttributes)
    assert start.attributes == {"channelAddressIdentifier": settings.channel_address_identifier}
    session = flow.action(b.ID_SESSION_LAMBDA)
    assert isinstance(session, InvokeLambdaFunction)
    assert session.function_arn == settings.session_lambda_arn
    assert session.invocation_attributes == {"channelAddressIdentifier": "$.Attributes.channelAddressIdentifier"}
    assert session.timeout_seconds == "8" and session.response_type == "STRING_MAP"
    loop = flow.action(b.ID_SESSION_LOOP)
    assert isinstance(loop, Loop) and loop.loop_count == "3"
    assert loop.continue_target == b.ID_SESSION_LAMBDA
    assert session.transitions.error_target("NoMatchingError") == b.ID_SESSION_LOOP
    # Retries exhausted: message then disconnect.
    assert flow.action(loop.done_target or "").transitions.next_action == b.ID_DISCONNECT
    assert isinstance(flow.action(b.ID_DISCONNECT), DisconnectParticipant)


def test_inbound_chat_stores_session_results_and_routes_with_initial(settings: FlowSettings) -> None:
    flow = b.build_inbound_chat(settings)
    store = flow.action(b.ID_STORE_SESSION)
    assert isinstance(store, UpdateContactAttributes)
    assert store.attributes == {
        "conversationIdentifier": "$.External.conversationIdentifier",
        "workItemId": "$.External.workItemId",
        "source": "$.External.source",
        "callCenterId": "$.External.callCenterId",
    }
    routing = flow.action(b.ID_ROUTING_LAMBDA)
    assert isinstance(routing, InvokeLambdaFunction)
    assert routing.invocation_attributes == {"routingType": "Initial"}
    assert flow.action(b.ID_ROUTING_LOOP).transitions.condition_target("ContinueLooping") == b.ID_ROUTING_LAMBDA
    queue = flow.action(b.ID_QUEUE_FROM_ROUTING)
    assert isinstance(queue, UpdateContactTargetQueue) and queue.queue_id == "$.External.externalQueueId"
    fallback = flow.action(queue.transitions.error_target("NoMatchingError") or "")
    assert isinstance(fallback, UpdateContactTargetQueue) and fallback.queue_id == settings.fallback_queue_arn
    assert isinstance(flow.action(queue.transitions.next_action or ""), TransferContactToQueue)


def test_inbound_chat_optional_client_id_overrides_and_module(settings: FlowSettings) -> None:
    module_arn = (
        "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
        "flow-module/77777777-2222-4333-8444-555555555555"
    )
    custom = dataclasses.replace(
        settings, client_id="$.Attributes.email", salesforce_queue_id="00G5e000001AbCdEAF",
        transcription_module_arn=module_arn
    )
    flow = b.build_inbound_chat(custom)
    start = flow.action(flow.start_action or "")
    assert isinstance(start, UpdateContactAttributes) and start.attributes["clientId"] == "$.Attributes.email"
    assert start.transitions.next_action == b.ID_INVOKE_TRANSCRIPTION
    assert flow.action(b.ID_INVOKE_TRANSCRIPTION).parameters == {"FlowModuleId": module_arn}
    routing = flow.action(b.ID_ROUTING_LAMBDA)
    assert isinstance(routing, InvokeLambdaFunction)
    assert routing.invocation_attributes == {"routingType": "Initial", "salesforceQueueId": "00G5e000001AbCdEAF"}


def test_agent_transfer_uses_max_timeout_and_agent_user_name(settings: FlowSettings) -> None:
    flow = b.build_agent_transfer(dataclasses.replace(settings, lambda_timeout_seconds=3))
    routing = flow.action(b.ID_ROUTING_LAMBDA)
    assert isinstance(routing, InvokeLambdaFunction)
    assert routing.timeout_seconds == "8"
    assert routing.invocation_attributes == {"routingType": "Transfer"}
    queue = flow.action(b.ID_QUEUE_BY_AGENT)
    assert isinstance(queue, UpdateContactTargetQueue)
    assert queue.parameters == {"AgentId": "$.Agent.UserName"}
    assert queue.transitions.next_action == b.ID_TRANSFER
    assert flow.metadata is not None and flow.metadata["type"] == "agentTransfer"


def test_queue_transfer_invokes_routing_then_transfers_without_setting_a_queue(settings: FlowSettings) -> None:
    flow = b.build_queue_transfer(settings)
    assert not flow.actions_of(UpdateContactTargetQueue)
    routing = flow.action(b.ID_ROUTING_LAMBDA)
    assert isinstance(routing, InvokeLambdaFunction)
    assert routing.invocation_attributes == {"routingType": "Transfer"}
    assert routing.transitions.next_action == b.ID_TRANSFER
    assert flow.metadata is not None and flow.metadata["type"] == "queueTransfer"


def test_transcription_module_enables_contact_lens_chat_analytics(settings: FlowSettings) -> None:
    flow = b.build_transcription_module(settings)
    assert flow.is_module and flow.settings == b.MODULE_SETTINGS
    behaviour = flow.action(flow.start_action or "")
    # The block AWS documents for new flows, in its chat form.
    assert behaviour.type == "UpdateContactRecordingAndAnalyticsBehavior"
    analytics = behaviour.parameters["ChatBehavior"]["ChatAnalyticsBehavior"]
    assert analytics["Enabled"] == "True" and analytics["AnalyticsModes"] == ["ContactLens"]
    assert set(behaviour.parameters) == {"ChatBehavior"}
    end = flow.action(behaviour.transitions.next_action or "")
    assert isinstance(end, EndFlowModuleExecution)
    # Both required error branches return from the module.
    assert behaviour.transitions.error_target("NoMatchingError") == end.identifier
    assert behaviour.transitions.error_target("ChannelMismatch") == end.identifier
    assert [t["ReferenceName"] for t in flow.settings["Transitions"]] == ["Success", "Error"]  # type: ignore[index]


def test_built_flows_carry_what_the_designer_reads(settings: FlowSettings) -> None:
    inbound = b.build_inbound_chat(settings).to_dict()["Metadata"]["ActionMetadata"]
    dynamic = inbound[b.ID_QUEUE_FROM_ROUTING]
    assert dynamic["useDynamic"] is True and dynamic["parameters"] == {"QueueId": {"useDynamic": True}}
    assert "useDynamic" not in inbound[b.ID_FALLBACK_QUEUE]  # a queue chosen by hand
    assert all(entry["isFriendlyName"] is True for entry in inbound.values())
    agent = b.build_agent_transfer(settings).to_dict()["Metadata"]["ActionMetadata"][b.ID_QUEUE_BY_AGENT]
    assert agent["parameters"] == {"AgentId": {"useDynamic": True}}
    task = b.build_task_routing(settings).to_dict()["Metadata"]["ActionMetadata"][b.ID_CHECK_QUEUE_ID]
    [condition] = task["conditionMetadata"]
    assert condition["operator"] == {"name": "Starts with", "value": "TextStartsWith", "shortDisplay": "starts with"}
    assert condition["value"] == "arn:"
    again = b.build_task_routing(settings).to_dict()["Metadata"]["ActionMetadata"][b.ID_CHECK_QUEUE_ID]
    assert again["conditionMetadata"][0]["id"] == condition["id"]  # deterministic


def test_task_routing_checks_queue_id_with_fallback(settings: FlowSettings) -> None:
    flow = b.build_task_routing(settings)
    check = flow.action(flow.start_action or "")
    assert isinstance(check, Compare) and check.comparison_value == "$.Attributes.queueId"
    matched = flow.action(check.transitions.conditions[0].next_action or "")  # type: ignore[index]
    assert isinstance(matched, UpdateContactTargetQueue) and matched.queue_id == "$.Attributes.queueId"
    fallback = flow.action(check.transitions.error_target("NoMatchingCondition") or "")
    assert isinstance(fallback, UpdateContactTargetQueue) and fallback.queue_id == settings.fallback_queue_arn
    assert matched.transitions.error_target("NoMatchingError") == fallback.identifier


def test_retry_count_and_timeout_are_strings_from_settings(settings: FlowSettings) -> None:
    flow = b.build_inbound_chat(dataclasses.replace(settings, retry_count=5, lambda_timeout_seconds=6))
    assert {a.parameters["LoopCount"] for a in flow.actions_of(Loop)} == {"5"}
    assert {a.parameters["InvocationTimeLimitSeconds"] for a in flow.actions_of(InvokeLambdaFunction)} == {"6"}


def test_every_action_has_a_canvas_position(settings: FlowSettings) -> None:
    for item in b.build_all(settings):
        metadata = item.flow.metadata or {}
        positions = metadata["ActionMetadata"]
        assert set(positions) == {a.identifier for a in item.flow.actions}
        start = positions[item.flow.start_action]["position"]
        # Left to right: nothing sits left of the start block.
        assert all(p["position"]["x"] >= start["x"] for p in positions.values())


def test_build_is_byte_for_byte_deterministic(settings: FlowSettings) -> None:
    first = [x.flow.to_json() for x in b.build_all(settings)]
    second = [x.flow.to_json() for x in b.build_all(FlowSettings(**dataclasses.asdict(settings)))]
    assert first == second


BUILD_AND_PRINT = """
import sys
from sccac.flows.builders import FlowSettings, build_all
from sccac.flows.files import EXAMPLE_SETTINGS
for built in build_all(FlowSettings(**EXAMPLE_SETTINGS)):
    sys.stdout.write(built.kind.value + "\\n" + built.flow.to_json() + "\\n")
"""


def test_build_is_identical_across_processes_with_different_hash_seeds() -> None:
    """Set/dict ordering must not leak into the output: str hashes change with PYTHONHASHSEED."""
    outputs = []
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", BUILD_AND_PRINT], capture_output=True, env=env, cwd=ROOT, check=True, timeout=120
        )
        outputs.append(done.stdout)
    assert all(f"{kind.value}\n{{".encode() in outputs[0] for kind in FlowKind)  # all five flows, as JSON
    assert outputs[1] == outputs[0]
    assert outputs[2] == outputs[0]


def test_built_flows_round_trip(settings: FlowSettings) -> None:
    for item in b.build_all(settings):
        text = item.flow.to_json()
        assert parse_flow(text) == item.flow
        assert parse_flow(text).to_json() == text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("session_lambda_arn", "arn:aws:lambda:us-east-1:123:function:x"),
        ("routing_lambda_arn", "sccac-Routing"),
        ("channel_address_identifier", "REPLACE_ME"),
        ("fallback_queue_arn", "arn:aws:connect:us-east-1:123456789012:instance/x/queue/y"),
        ("retry_count", 0),
        ("retry_count", 101),
        ("lambda_timeout_seconds", 9),
        ("lambda_timeout_seconds", 0),
        ("name_prefix", " "),
        ("salesforce_flow_id", "not-an-id"),
        ("salesforce_queue_id", "3015e000001AbCdEAF"),
        ("salesforce_flow_fallback_queue_id", "3015e000001AbCdEAF"),
        ("transcription_module_arn", "arn:aws:connect:us-east-1:123456789012:instance/x"),
    ],
)
def test_invalid_settings_raise_an_error_naming_the_field(settings: FlowSettings, field: str, value: object) -> None:
    with pytest.raises(FlowSettingsError) as info:
        dataclasses.replace(settings, **{field: value})
    assert info.value.field == field
    assert field in str(info.value)


def test_flow_override_needs_its_fallback_queue(settings: FlowSettings) -> None:
    with pytest.raises(FlowSettingsError, match="fallback") as info:
        dataclasses.replace(settings, salesforce_flow_id="3015e000001AbCdEAF")
    assert info.value.field == "salesforce_flow_fallback_queue_id"
    flow = b.build_inbound_chat(dataclasses.replace(
        settings, salesforce_flow_id="3015e000001AbCdEAF", salesforce_flow_fallback_queue_id="00G5e000001AbCdEAF",
        routing_attributes=(("Tier", "$.Attributes.tier"),)))
    routing = flow.action(b.ID_ROUTING_LAMBDA)
    assert routing.parameters["LambdaInvocationAttributes"] == {
        "routingType": "Initial", "salesforceFlowId": "3015e000001AbCdEAF",
        "salesforceFlowFallbackQueueId": "00G5e000001AbCdEAF",
        "salesforceFlowRoutingAttributes.Tier": "$.Attributes.tier",
    }


@pytest.mark.parametrize(("changes", "field"), [
    ({"salesforce_queue_id": "00G5e000001AbCdEAF", "salesforce_flow_id": "3015e000001AbCdEAF",
      "salesforce_flow_fallback_queue_id": "00G5e000001AbCdEAF"}, "salesforce_queue_id"),
    ({"salesforce_flow_fallback_queue_id": "00G5e000001AbCdEAF"}, "salesforce_flow_id"),
    ({"salesforce_flow_id": "3015e000001AbCdEAF", "salesforce_flow_fallback_queue_id": "00G5e000001AbCdEAF",
      "routing_attributes": (("2fast", "x"),)}, "routing_attributes"),
    ({"salesforce_queue_id": "00G5e000001AbCdEAF", "routing_attributes": (("Tier", "x"),)}, "routing_attributes"),
])
def test_routing_overrides_follow_the_lambdas_rules(settings: FlowSettings, changes: dict, field: str) -> None:
    with pytest.raises(FlowSettingsError) as info:
        dataclasses.replace(settings, **changes)
    assert info.value.field == field
