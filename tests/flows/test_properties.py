"""Property tests (Hypothesis): for any input, the flow reader, linter, simulator, diagram and scenario
reader give a result or their documented error, never another exception.

Inputs are arbitrary text, arbitrary JSON/YAML values, and the five SCC-AC flows (and a scenario) with
random parts replaced by values of any type, including lone surrogates and control characters.
Bounded with max_examples so the module runs in seconds.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from sccac.flows import builders as b
from sccac.flows.builders import FlowSettings
from sccac.flows.cli import flows
from sccac.flows.diagram import to_d2, to_mermaid
from sccac.flows.files import EXAMPLE_SETTINGS as EXAMPLE_VALUES
from sccac.flows.lint import lint_flow
from sccac.flows.lint.engine import INTERNAL_RULE_ID
from sccac.flows.lint.report import FileReport, render_human
from sccac.flows.model import Flow, FlowFormatError, load_flow, parse_flow
from sccac.flows.scenario import Scenario, ScenarioError, parse_scenario, scenario_from_text
from sccac.flows.shape import FlowShapeError, shape_problems
from sccac.flows.simulator import SimulationOptions, simulate
from sccac.flows.simulator_contact import Contact
from sccac.flows.simulator_lambda import ScriptedInvoker
from sccac.flows.text import printable

FAST = settings(max_examples=int(__import__("os").environ.get("PROP_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with what crashed the CLI before: lone surrogates, terminal escapes, newlines, JSONPaths.
_ODD_TEXT = st.sampled_from(["\ud800", "a\udfffb", "\x1b[2J", "x\ny", "\u202eevil", "$.", "$.Attributes.", "", "a" * 60])
TEXT = st.one_of(st.text(max_size=20), _ODD_TEXT)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT, st.integers(min_value=10**300, max_value=10**301)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)

EXAMPLE_SETTINGS = FlowSettings(**{name: value for name, value in EXAMPLE_VALUES.items()})
REAL = Path(__file__).parent / "fixtures" / "real"
# The five SCC-AC flows and the console exports of the fixtures (more block types, real Metadata).
BASE_FLOWS = [built.flow.to_dict() for built in b.build_all(EXAMPLE_SETTINGS)] + [
    load_flow(path).to_dict() for path in sorted(REAL.glob("*.json")) if "legacy" not in path.name
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


_DELETE = object()


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return {} if value is _DELETE else value
    node = doc
    for step in path[:-1]:
        node = node[step]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


@st.composite
def mutated_documents(draw: st.DrawFn, bases: list[Any]) -> Any:
    """One of ``bases`` with one to four of its values (at any depth) replaced by any JSON value or removed."""
    doc = copy.deepcopy(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths[1:] or paths))
        doc = _replace(doc, path, draw(st.one_of(JSON_VALUES, st.just(_DELETE))))
    return doc


def _parse(text: str) -> Flow | None:
    try:
        return parse_flow(text, "prop.json")
    except FlowFormatError:
        return None


def _dump(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=True)  # ASCII: lone surrogates travel as \ud800 escapes, as in a real file


@FAST
@given(st.text(max_size=200))
def test_any_text_is_a_flow_or_a_format_error(text: str) -> None:
    _parse(text)


@FAST
@given(JSON_VALUES)
def test_any_json_value_is_a_flow_or_a_format_error(value: Any) -> None:
    _parse(_dump(value))
    _parse(_dump({"ContactFlow": {"Content": value, "Type": "CONTACT_FLOW"}}))
    _parse(_dump({"ContactFlow": {"Content": _dump(value)}}))


def _exercise(flow: Flow) -> None:
    """Everything the CLI does with a parsed flow: lint, report, draw, and simulate (or its shape error)."""
    result = lint_flow(flow)
    crashed = [f.message for f in result.findings if f.rule_id == INTERNAL_RULE_ID]
    assert not crashed, crashed
    report = render_human([FileReport("prop.json", flow.to_json(), result)])
    assert printable(report.replace("\n", "")) == report.replace("\n", ""), "controls in the lint report are escaped"
    for drawn in (to_mermaid(flow, "prop"), to_d2(flow, "prop")):
        assert printable(drawn.replace("\n", "")) == drawn.replace("\n", ""), "controls in diagram labels are shown as codes"
    try:
        trace = simulate(flow, Contact(), ScriptedInvoker(), SimulationOptions(max_steps=50))
    except FlowShapeError as exc:
        # simulate() itself refuses exactly the flows with shape problems, naming them.
        assert exc.problems == shape_problems(flow) != []
    else:
        assert not shape_problems(flow)
        assert trace.outcome is not None
        rendered = trace.render()
        assert printable(rendered.replace("\n", "")) == rendered.replace("\n", ""), "controls in the trace are escaped"
        json.dumps(trace.to_dict())


@FAST
@given(mutated_documents(BASE_FLOWS))
def test_mutated_flows_lint_draw_and_simulate_without_crashing(doc: Any) -> None:
    flow = _parse(_dump(doc))
    if flow is not None:
        _exercise(flow)


@FAST
@given(st.lists(st.tuples(TEXT, st.sampled_from(sorted({a["Type"] for f in BASE_FLOWS for a in f["Actions"]}))), max_size=5), JSON_VALUES)
def test_small_odd_flows_lint_draw_and_simulate_without_crashing(blocks: list[tuple[str, str]], parameters: Any) -> None:
    actions = [
        {"Identifier": ident, "Type": kind, "Parameters": parameters, "Transitions": {"NextAction": blocks[0][0]}}
        for ident, kind in blocks
    ]
    doc = {"Version": "2019-10-30", "StartAction": blocks[0][0] if blocks else "x", "Actions": actions}
    flow = _parse(_dump(doc))
    if flow is not None:
        _exercise(flow)


@pytest.mark.parametrize(
    "text",
    [
        '{"Actions":' + "[" * 50_000 + "]" * 50_000 + "}",  # RecursionError in json
        '{"Actions": [], "Version": ' + "9" * 5000 + "}",  # past the integer digit limit
        '{"Version": "2019-10-30", "StartAction": "\\ud800", "Actions": [{"Identifier": "\\ud800", "Type": "DisconnectParticipant"}]}',
        '{"ContactFlow": {"Content": [1, 2]}}',
        '{"ContactFlow": {"Content": "7"}}',
        "[" * 70 + "]" * 70,
    ],
    ids=["deep", "digits", "surrogate", "content-list", "content-number", "nested-70"],
)
def test_inputs_that_crashed_the_cli_are_format_errors(text: str) -> None:
    with pytest.raises(FlowFormatError, match="cannot read the flow"):
        parse_flow(text, "bad.json")


BASE_SCENARIO: dict[str, Any] = {
    "name": "routing times out",
    "contact": {"channel": "CHAT", "attributes": {"caseId": "500xx"}},
    "lambdas": {"routing": {"fail_first": 1, "returns": {"queueArn": "arn"}, "calls": [{"timeout": True}]}},
    "roles": {"session": [EXAMPLE_SETTINGS.session_lambda_arn], "routing": EXAMPLE_SETTINGS.routing_lambda_arn},
    "queues": {"known": ["q1"], "at_capacity": []},
    "hours_open": True,
    "max_steps": 200,
    "expect": {"outcome": "transferred_to_queue", "lambda_calls": {"routing": 2}, "attributes": {"a": "b"}},
}
INBOUND = b.build_inbound_chat(EXAMPLE_SETTINGS)


def _scenario_or_error(make: Any) -> Scenario | None:
    try:
        return make()
    except ScenarioError:
        return None


@FAST
@given(mutated_documents([BASE_SCENARIO]))
def test_mutated_scenarios_are_read_or_rejected_and_then_run(doc: Any) -> None:
    scenario = _scenario_or_error(lambda: parse_scenario(doc, "prop.yaml"))
    if scenario is None:
        return
    trace = simulate(INBOUND, scenario.contact, scenario.invoker(), scenario.options())
    if scenario.expect:
        scenario.expect.mismatches(trace)
    trace.render()


@FAST
@given(st.one_of(st.text(max_size=200), JSON_VALUES.map(_dump)))
def test_any_scenario_text_is_a_scenario_or_a_scenario_error(text: str) -> None:
    _scenario_or_error(lambda: scenario_from_text(text, "prop.yaml"))
    _scenario_or_error(lambda: scenario_from_text(text, "prop.json", json_format=True))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi")), "more than"),
        ("max_steps: " + "9" * 5000, "digits"),
        ("name: " + "[" * 2000 + "]" * 2000, "nest"),
        ('name: "\\ud800"', "surrogate|Unicode character"),
        ("max_steps: 100000000", "between 1 and 100,000"),
        ("contact: {channel: " + "x" * 5000 + "}", "is not one of"),
    ],
    ids=["alias-bomb", "digits", "deep", "surrogate", "max-steps", "long-value"],
)
def test_scenarios_that_crashed_or_hung_are_scenario_errors(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as info:
        scenario_from_text(text, "bad.yaml")
    assert len(str(info.value)) < 400, "the message quotes at most a short part of the value"


@settings(max_examples=int(__import__("os").environ.get("PROP_EXAMPLES", "30")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents(BASE_FLOWS), st.sampled_from(["lint", "simulate", "simulate-json", "diagram", "diagram-d2"]))
def test_the_cli_answers_any_mutated_flow_with_an_exit_code(doc: Any, command: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "flow.json"
        path.write_text(_dump(doc), encoding="utf-8")
        args = {
            "lint": ["lint", str(path)],
            "simulate": ["simulate", str(path), "--max-steps", "50"],
            "simulate-json": ["simulate", str(path), "--max-steps", "50", "--format", "json"],
            "diagram": ["diagram", str(path)],
            "diagram-d2": ["diagram", str(path), "--format", "d2"],
        }[command]
        result = CliRunner().invoke(flows, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2, 3)
    assert "Traceback" not in result.output
