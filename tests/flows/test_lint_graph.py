"""The graph facts lint computes once per flow: cycles, paths around a setter, dead ends."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given, settings as hypothesis_settings, strategies as st

from sccac.flows.lint.graph import FlowGraph
from sccac.flows.model import ACTION_CLASSES, Action, Flow, FlowFormatError, Loop, parse_flow


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


def _on_cycles(nodes: list[str], edges: set[tuple[str, str]], allowed: set[str]) -> set[str]:
    """The allowed nodes on a cycle of allowed nodes, by closing reachability (Floyd-Warshall)."""
    reach = {(a, b) for a, b in edges if a in allowed and b in allowed}
    for via in nodes:
        reach |= {(a, b) for a, v in reach if v == via for w, b in reach if w == via}
    return {n for n in nodes if (n, n) in reach}


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=7).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=14),
            st.sets(st.integers(0, n - 1)),
            st.permutations(range(n)),
        )
    )
)
def test_the_cycles_without_a_loop_are_exactly_those_of_the_graph(case: tuple[int, set[tuple[int, int]], set[int], list[int]]) -> None:
    # Any order of the blocks (the quick answer reads the edges that lead back up the list), any edges.
    count, edges, loops, order = case
    names = [f"n{i}" for i in range(count)]
    successors: dict[str, list[str]] = {name: [] for name in names}
    for source, target in sorted(edges):
        successors[names[source]].append(names[target])
    actions = []
    for index in order:
        name = names[index]
        conditions = [{"NextAction": t, "Condition": {"Operator": "Equals", "Operands": [t]}} for t in successors[name]]
        actions.append((name, "Loop" if index in loops else "MessageParticipant", {"Conditions": conditions}))
    flow = _flow(names[order[0]], *actions)
    found = FlowGraph(flow).cycles_without(lambda action: action.type == "Loop")
    allowed = {names[i] for i in range(count) if i not in loops}
    named_edges = {(names[a], names[b]) for a, b in edges}
    assert {member for component in found for member in component} == _on_cycles(names, named_edges, allowed)


def _naive_index(flow: Flow) -> tuple[dict[str, list[Action]], int, dict[str, list[str]]]:
    """By Type, the branch count and the edges, each worked out the plain way."""
    by_type: dict[str, list[Action]] = {}
    for action in flow.actions:
        by_type.setdefault(action.type, []).append(action)
    branches = sum(
        (a.transitions.next_action is not None) + len(a.transitions.errors or []) + len(a.transitions.conditions or [])
        for a in flow.actions
    )
    first: dict[str, Action] = {}
    for action in flow.actions:
        if isinstance(action.identifier, str):
            first.setdefault(action.identifier, action)
    edges = {
        ident: [t for _, t in action.transitions.targets() if isinstance(t, str) and t in first] for ident, action in first.items()
    }
    return by_type, branches, edges


def test_the_index_of_the_one_pass_is_that_of_plain_passes_on_damaged_and_code_made_flows() -> None:
    from tests.flows.test_lint_findings_unchanged import _bases, _damaged

    rng = random.Random(7)
    flows = []
    for _, doc in _bases():
        for _ in range(12):
            try:
                flows.append(parse_flow(json.dumps(_damaged(rng, doc))))
            except FlowFormatError:
                continue
    made = _flow("a", ("a", "Loop", _next("b", error="c")), ("b", "MessageParticipant", _next("a")), ("c", "DisconnectParticipant", {}))
    assert FlowGraph(made).actions_of(Loop) == [made.actions[0]]

    class _OwnLoop(Loop):
        """A subclass of a typed block class made after lint ran, as a user's code might (the index is by exact class)."""

        TYPE = ""  # not registered: the reader keeps making Loop blocks

    made.actions.append(_OwnLoop(identifier="own", type="Loop"))
    made.actions.append(Loop(identifier="odd", type="NotALoop"))  # a typed class with another Type
    flows.append(made)
    assert len(flows) > 200
    for flow in flows:
        graph = FlowGraph(flow)
        by_type, branches, edges = _naive_index(flow)
        assert graph.by_type == by_type and graph.branches == branches
        assert {ident: graph.successors(ident) for ident in graph.actions} == edges
        for cls in [Action, _OwnLoop, *ACTION_CLASSES.values()]:
            assert graph.actions_of(cls) == flow.actions_of(cls), cls
