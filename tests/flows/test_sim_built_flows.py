"""The five built SCC-AC flows behave as the source document requires, run through the simulator."""

from __future__ import annotations

import pytest

from sccac.flows.builders import (
    FlowSettings,
    build_agent_transfer,
    build_inbound_chat,
    build_queue_transfer,
    build_task_routing,
    build_transcription_module,
)
from sccac.flows.simulator import Contact, SimulationOptions, simulate
from sccac.flows.simulator_lambda import LambdaScript, ScriptedInvoker
from sccac.flows.simulator_trace import OutcomeKind

MAPPED_QUEUE = (
    "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
    "queue/bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"
)
SESSION_RESULT = {"conversationIdentifier": "3b0f1c2a-0000-4000-8000-000000000001", "workItemId": "0Mw5e000000AbCdCAK", "source": "SCCAC"}


def session_and_routing(session: LambdaScript | None = None, routing: LambdaScript | None = None) -> ScriptedInvoker:
    return ScriptedInvoker(
        {
            "session": session or LambdaScript(returns=SESSION_RESULT),
            "routing": routing or LambdaScript(returns={"externalQueueId": MAPPED_QUEUE}),
        }
    )


def test_inbound_chat_recovers_after_two_session_failures(settings: FlowSettings) -> None:
    invoker = session_and_routing(session=LambdaScript(fail_first=2, returns=SESSION_RESULT))
    trace = simulate(build_inbound_chat(settings), Contact(channel="CHAT"), invoker)
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE
    assert trace.outcome.queue == MAPPED_QUEUE
    session_calls = trace.calls_to(settings.session_lambda_arn)
    assert [c.status for c in session_calls] == ["error", "error", "ok"]
    assert [c.attempt for c in session_calls] == [1, 2, 3]
    assert len(trace.calls_to("routing")) == 1
    # The session results are stored as contact attributes, as the source requires.
    assert {k: trace.attributes[k] for k in SESSION_RESULT} == SESSION_RESULT
    assert trace.attributes["channelAddressIdentifier"] == settings.channel_address_identifier


@pytest.mark.parametrize("retry_count", [1, 3, 5])
def test_inbound_chat_disconnects_when_session_retries_run_out(settings: FlowSettings, retry_count: int) -> None:
    flow_settings = FlowSettings(**{**settings.__dict__, "retry_count": retry_count})
    invoker = session_and_routing(session=LambdaScript(fail_first=1000))
    trace = simulate(build_inbound_chat(flow_settings), Contact(), invoker)
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED
    assert len(trace.calls_to("session")) == retry_count
    assert trace.calls_to("routing") == []
    assert trace.messages == [flow_settings.failure_message]


def test_inbound_chat_disconnects_when_routing_retries_run_out(settings: FlowSettings) -> None:
    invoker = session_and_routing(routing=LambdaScript(timeout_first=1000))
    trace = simulate(build_inbound_chat(settings), Contact(), invoker)
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED
    assert [c.status for c in trace.calls_to("routing")] == ["timeout"] * settings.retry_count


@pytest.mark.parametrize("routing_result", [{}, {"externalQueueId": ""}, {"other": "x"}])
def test_inbound_chat_uses_fallback_queue_without_external_queue_id(settings: FlowSettings, routing_result: dict) -> None:
    invoker = session_and_routing(routing=LambdaScript(returns=routing_result))
    trace = simulate(build_inbound_chat(settings), Contact(), invoker)
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE
    assert trace.outcome.queue == settings.fallback_queue_arn


def test_inbound_chat_passes_routing_type_initial(settings: FlowSettings) -> None:
    trace = simulate(build_inbound_chat(settings), Contact(), session_and_routing())
    (routing_call,) = trace.calls_to("routing")
    assert routing_call.parameters["routingType"] == "Initial"
    (session_call,) = trace.calls_to("session")
    assert session_call.parameters["channelAddressIdentifier"] == settings.channel_address_identifier


def test_inbound_chat_queue_at_capacity_disconnects(settings: FlowSettings) -> None:
    options = SimulationOptions(at_capacity_queues=frozenset({MAPPED_QUEUE}))
    trace = simulate(build_inbound_chat(settings), Contact(), session_and_routing(), options)
    assert [s.branch for s in trace.steps if s.type == "TransferContactToQueue"] == ["QueueAtCapacity"]
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED


def test_agent_transfer_sets_working_queue_from_agent_user_name(settings: FlowSettings) -> None:
    contact = Contact(agent_user_name="jdoe@example.com", initiation_method="TRANSFER")
    trace = simulate(build_agent_transfer(settings), contact, ScriptedInvoker())
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE
    assert (trace.outcome.queue_kind, trace.outcome.queue) == ("agent", "jdoe@example.com")
    (call,) = trace.calls_to("routing")
    assert call.parameters == {"routingType": "Transfer"}


def test_agent_transfer_without_agent_disconnects(settings: FlowSettings) -> None:
    trace = simulate(build_agent_transfer(settings), Contact(), ScriptedInvoker())
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED


def test_task_routing_uses_queue_id_attribute(settings: FlowSettings) -> None:
    contact = Contact(channel="TASK", attributes={"queueId": MAPPED_QUEUE, "workItemId": "500000000000001AAA", "externalRouting": "true"})
    trace = simulate(build_task_routing(settings), contact)
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE
    assert trace.outcome.queue == MAPPED_QUEUE
    assert trace.lambda_calls == []


@pytest.mark.parametrize("attributes", [{}, {"queueId": ""}, {"queueId": "not-an-arn"}])
def test_task_routing_without_queue_id_uses_fallback(settings: FlowSettings, attributes: dict) -> None:
    trace = simulate(build_task_routing(settings), Contact(channel="TASK", attributes=attributes))
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE
    assert trace.outcome.queue == settings.fallback_queue_arn


def test_queue_transfer_transfers_to_the_preset_queue(settings: FlowSettings) -> None:
    contact = Contact(queue_arn=MAPPED_QUEUE, initiation_method="TRANSFER")
    invoker = ScriptedInvoker({"routing": LambdaScript(fail_first=1)})
    trace = simulate(build_queue_transfer(settings), contact, invoker)
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE
    assert trace.outcome.queue == MAPPED_QUEUE
    assert [c.status for c in trace.calls_to("routing")] == ["error", "ok"]
    # The event carries the preset queue as Connect's ContactData.Queue.
    assert invoker.calls[0].event["Details"]["ContactData"]["Queue"]["ARN"] == MAPPED_QUEUE


def test_transcription_module_ends_with_chat_analytics_on(settings: FlowSettings) -> None:
    trace = simulate(build_transcription_module(settings), Contact(channel="CHAT"))
    assert trace.outcome.kind is OutcomeKind.ENDED
    assert trace.recording["analytics_enabled"] is True
    assert trace.recording["chat_analytics_modes"] == ["ContactLens"]


def test_inbound_chat_runs_the_transcription_module_when_configured(settings: FlowSettings) -> None:
    module_arn = (
        "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
        "flow-module/99999999-8888-4777-8666-555555555555"
    )
    with_module = FlowSettings(**{**settings.__dict__, "transcription_module_arn": module_arn})
    module = build_transcription_module(with_module)
    options = SimulationOptions(resolver=lambda flow_id: module if flow_id == module_arn else None)
    trace = simulate(build_inbound_chat(with_module), Contact(), session_and_routing(), options)
    assert trace.recording["chat_analytics_modes"] == ["ContactLens"]
    assert trace.outcome.queue == MAPPED_QUEUE
