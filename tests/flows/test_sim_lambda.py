"""The simulator's Lambda layer: the Connect event shape, scripted answers, real-handler adapter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sccac.flows.builders import FlowSettings, build_inbound_chat
from sccac.flows.model import load_flow
from sccac.flows.simulator import Contact, SimulationOptions, simulate
from sccac.flows.simulator_lambda import (
    HandlerInvoker,
    LambdaRequest,
    LambdaScript,
    LambdaTimeout,
    RoleMap,
    ScriptedInvoker,
    ScriptedResponse,
    SimulatedLambdaContext,
    function_name,
)
from sccac.flows.simulator_trace import OutcomeKind
from sccac.lambdas.event import parse_route_request, parse_session_request

SIM = Path(__file__).parent / "sim_fixtures"
MAPPED_QUEUE = (
    "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
    "queue/bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"
)


def test_event_has_connect_shape_with_resolved_parameters_and_current_attributes() -> None:
    invoker = ScriptedInvoker()
    contact = Contact(contact_id="c-1", channel="CHAT", attributes={"clientId": "me@example.com"})
    simulate(load_flow(SIM / "lambda_branches.json"), contact, invoker)
    (request,) = invoker.calls
    event = request.event
    assert event["Name"] == "ContactFlowEvent"
    data = event["Details"]["ContactData"]
    assert data["ContactId"] == "c-1" and data["InitialContactId"] == "c-1"
    assert data["Channel"] == "CHAT"
    assert data["InstanceARN"].startswith("arn:aws:connect:")
    # Attributes as they are when the block runs: the initial one plus the one set just before.
    assert data["Attributes"] == {"clientId": "me@example.com", "customerTier": "gold"}
    # Parameters: LambdaInvocationAttributes with dynamic values resolved.
    assert event["Details"]["Parameters"] == {"tier": "gold", "mode": "static", "channel": "CHAT", "missing": ""}
    assert request.timeout_seconds == 5.0
    assert request.attempt == 1


def test_attempts_count_per_function_across_the_contact(settings: FlowSettings) -> None:
    invoker = ScriptedInvoker({"session": LambdaScript(fail_first=2)})
    simulate(build_inbound_chat(settings), Contact(), invoker)
    assert [(r.role, r.attempt) for r in invoker.calls] == [("session", 1), ("session", 2), ("session", 3), ("routing", 1)]


def test_scripted_calls_then_failures_then_returns() -> None:
    script = LambdaScript(
        calls=(ScriptedResponse(returns={"a": "1"}), ScriptedResponse(timeout=True)),
        fail_first=1,
        returns={"b": "2"},
    )
    request = LambdaRequest("arn:x", {}, 8, None, "blk", 1)
    assert script.response_for(1).answer(request) == {"a": "1"}
    with pytest.raises(LambdaTimeout):
        script.response_for(2).answer(request)
    assert script.response_for(3).error is not None
    assert script.response_for(4).answer(request) == {"b": "2"}
    assert script.response_for(99).answer(request) == {"b": "2"}


def test_script_lookup_prefers_arn_then_role_then_wildcard() -> None:
    invoker = ScriptedInvoker(
        {"arn:exact": LambdaScript(returns={"k": "arn"}), "routing": LambdaScript(returns={"k": "role"}), "*": LambdaScript(returns={"k": "any"})}
    )
    assert invoker.invoke(LambdaRequest("arn:exact", {}, 8, "routing", "b", 1)) == {"k": "arn"}
    assert invoker.invoke(LambdaRequest("arn:other", {}, 8, "routing", "b", 1)) == {"k": "role"}
    assert invoker.invoke(LambdaRequest("arn:other", {}, 8, None, "b", 1)) == {"k": "any"}


def test_role_map_explicit_arns_win_over_inference() -> None:
    roles = RoleMap(session_arns=frozenset({"arn:aws:lambda:us-east-1:1:function:Router"}))
    assert roles.role_of("arn:aws:lambda:us-east-1:1:function:Router", {"routingType": "Initial"}) == "session"
    assert RoleMap().role_of("arn:aws:lambda:us-east-1:1:function:Anything", {"routingType": "Initial"}) == "routing"
    assert RoleMap().role_of("arn:aws:lambda:us-east-1:1:function:my-CreateMessagingSession", {}) == "session"
    assert RoleMap().role_of("arn:aws:lambda:us-east-1:1:function:unrelated", {}) is None
    assert function_name("arn:aws:lambda:us-east-1:1:function:Fn:live") == "Fn"


def test_real_lambda_parsers_accept_the_simulated_events(settings: FlowSettings) -> None:
    """The events must be what the project's own handlers parse (the offline mode relies on it)."""
    seen: dict[str, Any] = {}

    def session_handler(event: dict[str, Any], context: Any) -> dict[str, str]:
        request = parse_session_request(event)
        seen["session"] = request
        return {"conversationIdentifier": "conv-1", "workItemId": "0Mw5e000000AbCdCAK", "source": "SCCAC"}

    def routing_handler(event: dict[str, Any], context: Any) -> dict[str, str]:
        seen["routing"] = parse_route_request(event)
        return {"externalQueueId": MAPPED_QUEUE}

    invoker = HandlerInvoker({"session": session_handler, "routing": routing_handler})
    trace = simulate(build_inbound_chat(settings), Contact(contact_id="5b1c2d3e-0000-4000-8000-000000000009"), invoker)
    assert trace.outcome.queue == MAPPED_QUEUE
    assert seen["session"].channel_address_identifier == settings.channel_address_identifier
    assert seen["session"].contact_id == "5b1c2d3e-0000-4000-8000-000000000009"
    assert seen["routing"].routing_type == "Initial"


def test_handler_exception_takes_error_branch_and_is_recorded(settings: FlowSettings) -> None:
    calls = {"n": 0}

    def flaky(event: dict[str, Any], context: Any) -> dict[str, str]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("Salesforce down")
        return {"conversationIdentifier": "c", "workItemId": "w", "source": "SCCAC"}

    invoker = HandlerInvoker({"session": flaky, "routing": lambda e, c: {"externalQueueId": MAPPED_QUEUE}})
    trace = simulate(build_inbound_chat(settings), Contact(), invoker)
    statuses = [(c.role, c.status) for c in trace.lambda_calls]
    assert statuses == [("session", "error"), ("session", "ok"), ("routing", "ok")]
    assert "ConnectionError: Salesforce down" in trace.lambda_calls[0].error
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_context_remaining_time_honours_the_block_time_limit(settings: FlowSettings) -> None:
    clock = FakeClock()
    remaining: list[int] = []

    def slow_handler(event: dict[str, Any], context: Any) -> dict[str, str]:
        remaining.append(context.get_remaining_time_in_millis())
        clock.now += 2.5
        remaining.append(context.get_remaining_time_in_millis())
        assert context.invoked_function_arn.endswith(":function:sccac-CreateMessagingSession")
        return {"conversationIdentifier": "c", "workItemId": "w", "source": "SCCAC"}

    invoker = HandlerInvoker({"session": slow_handler, "routing": lambda e, c: {}}, clock=clock)
    simulate(build_inbound_chat(settings), Contact(), invoker)
    assert remaining == [settings.lambda_timeout_seconds * 1000, settings.lambda_timeout_seconds * 1000 - 2500]


def test_handler_slower_than_the_limit_counts_as_timeout(settings: FlowSettings) -> None:
    clock = FakeClock()

    def too_slow(event: dict[str, Any], context: Any) -> dict[str, str]:
        clock.now += settings.lambda_timeout_seconds + 0.5
        return {"conversationIdentifier": "c", "workItemId": "w", "source": "SCCAC"}

    invoker = HandlerInvoker({"session": too_slow, "routing": lambda e, c: {}}, clock=clock)
    trace = simulate(build_inbound_chat(settings), Contact(), invoker)
    assert [c.status for c in trace.calls_to("session")] == ["timeout"] * settings.retry_count
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED


def test_missing_handler_is_an_error_naming_the_function(settings: FlowSettings) -> None:
    trace = simulate(build_inbound_chat(settings), Contact(), HandlerInvoker({}))
    assert "no handler for arn:aws:lambda" in trace.lambda_calls[0].error
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED


def test_context_never_goes_negative() -> None:
    clock = FakeClock()
    context = SimulatedLambdaContext("arn:aws:lambda:us-east-1:1:function:F", 1.0, clock=clock)
    clock.now += 5
    assert context.get_remaining_time_in_millis() == 0
    assert context.function_name == "F"


def test_role_map_option_reaches_the_trace(settings: FlowSettings) -> None:
    options = SimulationOptions(roles=RoleMap(routing_arns=frozenset({settings.session_lambda_arn})))
    trace = simulate(build_inbound_chat(settings), Contact(), ScriptedInvoker(), options)
    assert trace.lambda_calls[0].role == "routing"
