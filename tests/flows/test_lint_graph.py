"""The graph facts lint computes once per flow: cycles, paths around a setter, dead ends."""

from __future__ import annotations

from typing import Any

from sccac.flows.lint.graph import FlowGraph
from sccac.flows.model import Flow


def _flow(start: str, *actions: tuple[str, str, dict[str, Any]]) -> Flow:
    return Flow.from_dict({
        "Version": "2019-10-30",
        "StartAction": start,
        "Actions": [{"Identifier": i, "Type": t, "Parameters": {}, "Transitions": tr} for i, t, tr in actions],
    })


def _next(target: str, error: str | None = None) -> dict[str, Any]:
    errors = [{"NextAction": error, "ErrorType": "NoMatchingError"}] if error else []
    return {"NextAction": target, "Errors": errors}


def test_cycles_without_a_loop_are_found_and_blocks_after_them_are_not_part_of_them() -> None:
    flow = _flow(
        "a",
        ("a", "InvokeLambdaFunction", _next("b", error="a")),  # retries itself: a cycle of one
        ("b", "MessageParticipant", _next("c")),
        ("c", "UpdateContactAttributes", _next("b", error="d")),  # b <-> c
        ("d", "Loop", _next("e", error="x")),
        ("e", "InvokeLambdaFunction", _next("end", error="d")),  # d <-> e, broken by the Loop
        ("x", "DisconnectParticipant", {}),
        ("end", "DisconnectParticipant", {}),
    )
    cycles = FlowGraph(flow).cycles_without(lambda action: action.type == "Loop")
    assert sorted(cycles) == [["a"], ["b", "c"]]


def test_a_path_that_leaves_a_setter_by_its_error_branch_still_lacks_the_value() -> None:
    # Set working queue's success goes to the transfer, but its error branch does too.
    flow = _flow(
        "queue",
        ("queue", "UpdateContactTargetQueue", _next("transfer", error="transfer")),
        ("transfer", "TransferContactToQueue", _next("end")),
        ("end", "DisconnectParticipant", {}),
    )
    graph = FlowGraph(flow)
    assert graph.may_reach_without("transfer", {"queue"})
    only_success = _flow(
        "queue",
        ("queue", "UpdateContactTargetQueue", _next("transfer", error="end")),
        ("transfer", "TransferContactToQueue", _next("end")),
        ("end", "DisconnectParticipant", {}),
    )
    assert not FlowGraph(only_success).may_reach_without("transfer", {"queue"})


def test_error_paths_report_the_dead_ends_they_reach_but_not_their_origin() -> None:
    flow = _flow(
        "a",
        ("a", "InvokeLambdaFunction", _next("ok", error="msg")),
        ("msg", "MessageParticipant", {"Errors": []}),  # no NextAction: a dead end
        ("ok", "EndFlowExecution", {}),
        ("b", "InvokeLambdaFunction", _next("ok", error="ok")),
    )
    graph = FlowGraph(flow)
    assert graph.dead_ends() == {"msg"}
    assert graph.error_path_bad_ends("a", "msg") == ["msg"]
    assert graph.error_path_bad_ends("b", "ok") == []
    assert graph.error_path_bad_ends("a", "ok", frozenset({"DisconnectParticipant"})) == ["ok"]
