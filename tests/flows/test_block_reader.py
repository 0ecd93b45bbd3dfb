"""One reader of a flow block: the typed classes of the model read every parameter, tolerantly.

A parameter of the wrong JSON type reads as absent through the typed accessors; the same
declaration makes the linter report it (SCCAC-FLOW-028) and makes ``simulate()`` refuse the flow
with a usage error naming the block and the field, while the diagram still draws it.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sccac.errors import SccacUsageError
from sccac.flows import builders as b
from sccac.flows.diagram import label_lines, to_d2, to_mermaid
from sccac.flows.lint import lint_flow
from sccac.flows.lint.engine import INTERNAL_RULE_ID
from sccac.flows.model import (
    Action,
    Flow,
    FlowFormatError,
    InvokeLambdaFunction,
    Loop,
    ParameterProblem,
    UpdateContactRecordingBehavior,
    UpdateContactTargetQueue,
    has_json_type,
)
from sccac.flows.shape import FlowShapeError, shape_problems
from sccac.flows.simulator import SimulationOptions, simulate
from sccac.flows.simulator_contact import Contact
from sccac.flows.simulator_lambda import ScriptedInvoker
from sccac.flows.files import EXAMPLE_SETTINGS as EXAMPLE_VALUES

EXAMPLE_SETTINGS = b.FlowSettings(**EXAMPLE_VALUES)
BUILT = {kind: b.BUILDERS[kind](EXAMPLE_SETTINGS).to_dict() for kind in b.BUILDERS}


def _flow(doc: dict[str, Any]) -> Flow:
    return Flow.from_dict(copy.deepcopy(doc))


def _block(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(a for a in doc["Actions"] if a["Identifier"] == ident)


def _with(kind: b.FlowKind, ident: str, key: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BUILT[kind])
    _block(doc, ident)["Parameters"][key] = value
    return doc


def test_a_wrong_type_reads_as_absent_and_is_named_as_a_problem() -> None:
    loop = Action.from_dict({"Identifier": "L", "Type": "Loop", "Parameters": {"LoopCount": 5}})
    assert isinstance(loop, Loop)
    assert loop.loop_count is None and loop.given("LoopCount") == 5 and loop.shown("LoopCount") == "5"
    assert loop.parameter_problems() == [ParameterProblem("LoopCount", 5, str)]
    assert loop.parameter_problems()[0].describe() == "Parameters.LoopCount is a number, not a string"


def test_nested_values_of_the_wrong_type_read_as_empty() -> None:
    lam = Action.from_dict(
        {
            "Identifier": "F",
            "Type": "InvokeLambdaFunction",
            "Parameters": {"LambdaInvocationAttributes": ["routingType"], "ResponseValidation": {"ResponseType": 7}, "InvocationType": True},
        }
    )
    assert isinstance(lam, InvokeLambdaFunction)
    assert lam.invocation_attributes == {} and lam.response_type is None and not lam.is_asynchronous
    assert [p.key for p in lam.parameter_problems()] == ["LambdaInvocationAttributes", "InvocationType"]
    recording = Action.from_dict(
        {
            "Identifier": "R",
            "Type": "UpdateContactRecordingBehavior",
            "Parameters": {"AnalyticsBehavior": {"Enabled": "True", "ChannelConfiguration": {"Chat": ["ContactLens"]}}},
        }
    )
    assert isinstance(recording, UpdateContactRecordingBehavior)
    assert recording.analytics_enabled and recording.chat_analytics_modes == [] and not recording.chat_analytics_on


def test_a_block_built_in_code_gets_the_class_of_its_type() -> None:
    queue = Action("Q", "UpdateContactTargetQueue", {"AgentId": "$.Agent.UserName"})
    assert isinstance(queue, UpdateContactTargetQueue)
    assert queue.by_agent and queue.target == "$.Agent.UserName" and queue.dynamic_key == "AgentId"
    assert type(Action("X", "SomethingNew")) is Action


def test_the_flow_format_error_is_the_package_usage_error() -> None:
    assert issubclass(FlowFormatError, SccacUsageError) and issubclass(FlowShapeError, FlowFormatError)
    assert FlowShapeError(["x"]).exit_code == 2


# (flow kind, block, parameter, wrong value, how the problem is named)
CASES = [
    (b.FlowKind.INBOUND_CHAT, b.ID_SESSION_LOOP, "LoopCount", 3, "Parameters.LoopCount is a number, not a string"),
    (b.FlowKind.INBOUND_CHAT, b.ID_SESSION_LAMBDA, "LambdaInvocationAttributes", ["x"], "Parameters.LambdaInvocationAttributes is a list, not an object"),
    (b.FlowKind.INBOUND_CHAT, b.ID_ROUTING_LAMBDA, "InvocationTimeLimitSeconds", 8, "Parameters.InvocationTimeLimitSeconds is a number, not a string"),
    (b.FlowKind.INBOUND_CHAT, b.ID_SET_CHANNEL, "Attributes", "channel", "Parameters.Attributes is a string, not an object"),
    (b.FlowKind.TASK_ROUTING, b.ID_CHECK_QUEUE_ID, "ComparisonValue", {"a": 1}, "Parameters.ComparisonValue is an object, not a string"),
    (b.FlowKind.AGENT_TRANSFER, b.ID_QUEUE_BY_AGENT, "AgentId", True, "Parameters.AgentId is a boolean, not a string"),
    (b.FlowKind.DISCONNECT_REQUEUE, b.ID_WAIT_FOR_CUSTOMER, "Events", "CustomerReturned", "Parameters.Events is a string, not a list"),
    (b.FlowKind.TRANSCRIPTION, b.ID_RECORDING, "ChatBehavior", [], "Parameters.ChatBehavior is a list, not an object"),
    (b.FlowKind.QUEUE_TRANSFER, b.ID_ROUTING_LAMBDA, "LambdaFunctionARN", None, "Parameters.LambdaFunctionARN is null, not a string"),
]


@pytest.mark.parametrize(("kind", "ident", "key", "value", "named"), CASES, ids=[c[2] for c in CASES])
def test_simulate_refuses_a_bad_shape_naming_block_and_field(kind: b.FlowKind, ident: str, key: str, value: Any, named: str) -> None:
    flow = _flow(_with(kind, ident, key, value))
    with pytest.raises(FlowShapeError) as info:
        simulate(flow, Contact(channel="CHAT"), ScriptedInvoker())
    message = str(info.value)
    assert "cannot simulate this flow" in message and named in message and repr(ident) in message
    # The same defect is a lint finding on that block (never a linter crash), and the diagram draws the block.
    findings = lint_flow(flow).findings
    assert any(f.rule_id == "SCCAC-FLOW-028" and f.block == ident and named in f.message for f in findings)
    assert not [f for f in findings if f.rule_id == INTERNAL_RULE_ID]
    assert any(ident in line for line in to_mermaid(flow).splitlines())


def test_simulate_refuses_a_module_with_a_bad_shape_when_it_is_entered() -> None:
    main = Flow.from_dict(
        {
            "Version": "2019-10-30",
            "StartAction": "Invoke",
            "Actions": [
                {"Identifier": "Invoke", "Type": "InvokeFlowModule", "Parameters": {"FlowModuleId": "mod-1"}, "Transitions": {"NextAction": "End"}},
                {"Identifier": "End", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
            ],
        }
    )
    module = Flow.from_dict(
        {
            "Version": "2019-10-30",
            "StartAction": "Say",
            "Actions": [{"Identifier": "Say", "Type": "MessageParticipant", "Parameters": {"Text": ["hi"]}, "Transitions": {}}],
        }
    )
    with pytest.raises(FlowShapeError, match=r"flow mod-1: cannot simulate this flow: .*Parameters\.Text is a list, not a string \(block 'Say'\)"):
        simulate(main, Contact(), options=SimulationOptions(resolver={"mod-1": module}.get))
    assert simulate(main).outcome is not None  # without a resolver the module is skipped, as before


def test_an_identifier_that_is_not_text_is_refused_before_the_run() -> None:
    doc = copy.deepcopy(BUILT[b.FlowKind.QUEUE_TRANSFER])
    doc["Actions"][0]["Identifier"] = ["not", "text"]
    with pytest.raises(FlowShapeError, match=r"Actions\[0\]\.Identifier is a list, not a string"):
        simulate(_flow(doc))


def test_the_odd_value_is_drawn_as_written() -> None:
    flow = _flow(_with(b.FlowKind.TASK_ROUTING, b.ID_CHECK_QUEUE_ID, "ComparisonValue", {"a": 1}))
    assert label_lines(flow.action(b.ID_CHECK_QUEUE_ID)) == ["Check contact attributes", '{"a": 1}']


# --- any declared parameter of any built block, given a value of another JSON type -------------------

_TYPED = [
    (kind, action.identifier, key, wanted)
    for kind, doc in BUILT.items()
    for action in _flow(doc).actions
    for key, wanted in action.PARAMETER_TYPES.items()
]
_ANY_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_TYPED), _ANY_JSON)
def test_any_wrong_typed_parameter_is_refused_reported_and_drawn(case: tuple[b.FlowKind, str, str, type], value: Any) -> None:
    kind, ident, key, wanted = case
    if has_json_type(value, wanted):
        return  # a value of the right type is not a shape problem
    flow = _flow(_with(kind, ident, key, value))
    field = f"Parameters.{key}"
    assert any(field in problem and repr(ident) in problem for problem in shape_problems(flow))
    with pytest.raises(FlowShapeError, match=f"{field} is "):
        simulate(flow, Contact(channel="CHAT"), ScriptedInvoker(), SimulationOptions(max_steps=50))
    findings = lint_flow(flow).findings
    assert not [f.message for f in findings if f.rule_id == INTERNAL_RULE_ID]
    assert any(f.rule_id == "SCCAC-FLOW-028" and f.block == ident and field in f.message for f in findings)
    assert to_mermaid(flow) and to_d2(flow)
