"""Simulator semantics on small hand-written flows: Loop, Compare, stuck runs, Lambda branches, modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from sccac.flows.model import Flow, load_flow
from sccac.flows.simulator import Contact, SimulationOptions, simulate
from sccac.flows.simulator_lambda import LambdaScript, ScriptedInvoker, ScriptedResponse
from sccac.flows.simulator_trace import OutcomeKind

SIM = Path(__file__).parent / "sim_fixtures"
LOOKUP_ARN = "arn:aws:lambda:us-east-1:123456789012:function:sim-Lookup"
MODULE_ARN = (
    "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
    "flow-module/99999999-8888-4777-8666-555555555555"
)


def flow(name: str) -> Flow:
    return load_flow(SIM / name)


def branches(trace, identifier: str) -> list[str | None]:
    return [s.branch for s in trace.steps if s.identifier == identifier]


def test_loop_continues_loopcount_times_then_done_once_then_resets() -> None:
    trace = simulate(flow("loop_reset.json"))
    assert branches(trace, "Retry") == [
        "ContinueLooping", "ContinueLooping", "DoneLooping",
        # second entry into the same Loop: the counter was reset by DoneLooping
        "ContinueLooping", "ContinueLooping", "DoneLooping",
    ]
    assert trace.messages == ["tick"] * 4
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("150", "gt"),
        ("-10", "lt"),
        ("50", "ge"),
        ("-1", "le"),
        ("exact", "eq"),
        ("prefix", "starts"),
        ("xpost", "ends"),
        ("amidb", "contains"),
        ("premidpost", "starts"),  # several hold: the first in order wins
        ("Exact", "none"),  # case-sensitive, as in Connect
        ("abc", "none"),  # Number* operators are false for non-numbers
        ("1e3", "gt"),
        ("", "none"),
    ],
)
def test_compare_evaluates_conditions_in_order_with_every_operator(value: str, expected: str) -> None:
    trace = simulate(flow("compare_operators.json"), Contact(attributes={"value": value}))
    assert trace.attributes["matched"] == expected


def test_compare_missing_attribute_takes_no_matching_condition() -> None:
    trace = simulate(flow("compare_operators.json"))
    assert branches(trace, "Check value") == ["NoMatchingCondition"]
    assert trace.attributes["matched"] == "none"


def test_endless_cycle_is_reported_stuck_within_the_step_budget() -> None:
    trace = simulate(flow("endless.json"), options=SimulationOptions(max_steps=50))
    assert trace.outcome.kind is OutcomeKind.STUCK
    assert len(trace.steps) == 50
    assert "step budget of 50" in trace.outcome.reason
    assert "Ping" in trace.outcome.reason and "Pong" in trace.outcome.reason


def test_dangling_target_is_stuck_naming_the_block_and_target() -> None:
    trace = simulate(flow("dangling.json"))
    assert trace.outcome.kind is OutcomeKind.STUCK
    assert "'Start here'" in trace.outcome.reason and "'Nowhere'" in trace.outcome.reason


def test_missing_error_branch_is_stuck() -> None:
    data = flow("lambda_branches.json").to_dict()
    for action in data["Actions"]:
        if action["Identifier"] == "Lookup":
            action["Transitions"].pop("Errors")
    trace = simulate(Flow.from_dict(data), invoker=ScriptedInvoker({"*": LambdaScript(fail_first=1)}))
    assert trace.outcome.kind is OutcomeKind.STUCK
    assert "no NoMatchingError branch" in trace.outcome.reason


def test_lambda_result_lands_in_external_and_success_branch() -> None:
    invoker = ScriptedInvoker({LOOKUP_ARN: LambdaScript(returns={"answer": "42"})})
    trace = simulate(flow("lambda_branches.json"), invoker=invoker)
    assert trace.attributes["branch"] == "success"
    assert trace.attributes["answer"] == "42"
    assert trace.external == {"answer": "42"}


@pytest.mark.parametrize(
    "bad_result",
    [{"answer": {"nested": "x"}}, {"answer": 42}, {"answer": None}, ["not", "a", "map"], "text"],
)
def test_string_map_violation_takes_the_error_branch(bad_result: object) -> None:
    invoker = ScriptedInvoker({LOOKUP_ARN: LambdaScript(returns=bad_result)})
    trace = simulate(flow("lambda_branches.json"), invoker=invoker)
    assert trace.attributes["branch"] == "error"
    assert trace.lambda_calls[0].status == "invalid_response"


def test_json_response_type_accepts_nested_results() -> None:
    data = flow("lambda_branches.json").to_dict()
    for action in data["Actions"]:
        if action["Identifier"] == "Lookup":
            action["Parameters"]["ResponseValidation"] = {"ResponseType": "JSON"}
        if action["Identifier"] == "Store result":
            action["Parameters"]["Attributes"]["answer"] = "$.External.answer.value"
    invoker = ScriptedInvoker({LOOKUP_ARN: LambdaScript(returns={"answer": {"value": "deep"}})})
    trace = simulate(Flow.from_dict(data), invoker=invoker)
    assert trace.attributes["branch"] == "success"
    assert trace.attributes["answer"] == "deep"


@pytest.mark.parametrize("response", [ScriptedResponse(error="boom"), ScriptedResponse(timeout=True)])
def test_lambda_error_or_timeout_takes_no_matching_error(response: ScriptedResponse) -> None:
    invoker = ScriptedInvoker({"*": LambdaScript(calls=(response,))})
    trace = simulate(flow("lambda_branches.json"), invoker=invoker)
    assert trace.attributes["branch"] == "error"
    assert branches(trace, "Lookup") == ["NoMatchingError"]
    assert trace.lambda_calls[0].status == ("timeout" if response.timeout else "error")


def test_unknown_action_type_follows_next_action_and_is_noted() -> None:
    trace = simulate(flow("unknown_type.json"))
    first = trace.steps[0]
    assert first.type == "UpdateContactTextToSpeechVoice" and first.branch == "Success"
    assert any("not simulated" in note for note in first.notes)
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE


def test_queue_at_capacity_is_injected() -> None:
    queue = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/queue/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    trace = simulate(flow("unknown_type.json"), options=SimulationOptions(at_capacity_queues=frozenset({queue})))
    assert branches(trace, "Transfer") == ["QueueAtCapacity"]
    assert trace.attributes["full"] == "true"
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED


def test_unknown_queue_takes_set_working_queue_error_branch() -> None:
    trace = simulate(flow("unknown_type.json"), options=SimulationOptions(known_queues=frozenset({"arn:other"})))
    assert branches(trace, "Queue it") == ["NoMatchingError"]
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED


def test_module_runs_through_the_resolver_and_returns() -> None:
    module = flow("module.json")
    options = SimulationOptions(resolver=lambda flow_id: module if flow_id == MODULE_ARN else None)
    trace = simulate(flow("invokes_module.json"), options=options)
    assert [s.flow for s in trace.steps] == ["main", MODULE_ARN, MODULE_ARN, "main", "main"]
    assert trace.attributes == {"inModule": "yes", "after": "yes"}
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED


def test_module_without_resolver_is_skipped_and_unknown_module_errors() -> None:
    skipped = simulate(flow("invokes_module.json"))
    assert skipped.attributes == {"after": "yes"}
    assert "module skipped" in skipped.steps[0].notes
    missing = simulate(flow("invokes_module.json"), options=SimulationOptions(resolver=lambda _id: None))
    assert branches(missing, "Run module") == ["NoMatchingError"]


def test_trace_renders_numbered_lines_and_json() -> None:
    trace = simulate(flow("loop_reset.json"))
    text = trace.render()
    assert text.splitlines()[1].startswith(" 1. Retry (Loop) -> ContinueLooping")
    assert text.rstrip().endswith("outcome: disconnected")
    data = trace.to_dict()
    assert data["outcome"]["kind"] == "disconnected"
    assert [s["identifier"] for s in data["steps"]] == trace.visited


def test_real_exports_simulate_to_an_outcome() -> None:
    """Fixtures shaped like real Connect exports (console, DescribeContactFlow/-Module) run without crashing."""
    real = Path(__file__).parent / "fixtures" / "real"
    # What each export does for this contact (a chat with a preset queue, no agent named).
    expected = {
        "agent-transfer-console-export.json": OutcomeKind.DISCONNECTED,  # no agent to transfer to
        "chat-bot-console-export.json": OutcomeKind.TRANSFERRED_TO_QUEUE,
        "module-export.json": OutcomeKind.ENDED,
        "queue-transfer-describe-wrapper.json": OutcomeKind.DISCONNECTED,
    }
    ran: dict[str, OutcomeKind] = {}
    for path in sorted(real.glob("*.json")):
        try:
            exported = load_flow(path)
        except ValueError:
            continue  # the legacy console export is rejected by design
        trace = simulate(exported, Contact(channel="CHAT", queue_arn="arn:aws:connect:us-east-1:1:instance/i/queue/q"))
        assert trace.outcome is not None, path.name
        assert trace.outcome.kind is not OutcomeKind.STUCK, f"{path.name}: {trace.outcome.describe()}"
        assert trace.steps, path.name
        ran[path.name] = trace.outcome.kind
    assert ran == expected


def test_export_fixtures_reach_their_transfers() -> None:
    real = Path(__file__).parent / "fixtures" / "real"
    agent = simulate(load_flow(real / "agent-transfer-console-export.json"), Contact(channel="VOICE", agent_user_name="jdoe"))
    assert agent.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE and agent.outcome.queue_kind == "agent"
    chat = simulate(load_flow(real / "chat-bot-console-export.json"), Contact(channel="CHAT"))
    assert chat.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE  # past the untyped Lex block via its NextAction
    queue = simulate(load_flow(real / "queue-transfer-describe-wrapper.json"), Contact(channel="VOICE"))
    assert "Create Voice Call & Save Call Id" in queue.visited
