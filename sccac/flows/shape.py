"""Shape checks a flow must pass before it is simulated: the fields the simulator reads have the
JSON types Connect uses. Each problem names the field (``Actions[2].Identifier``, ...), so the
CLI can say which file and field make the flow unusable instead of failing with a traceback.

The linter reports the same defects as findings (SCCAC-FLOW-013 for the action's own keys, SCCAC-FLOW-028 for parameter and Metadata types); these checks only
decide whether running the flow makes sense.
"""

from __future__ import annotations

from typing import Any

from sccac.flows.model import Flow

# Parameters the simulator (and the diagram labels) read, per action type, with their JSON type.
PARAMETER_TYPES: dict[str, dict[str, type]] = {
    "InvokeLambdaFunction": {
        "LambdaFunctionARN": str,
        "LambdaInvocationAttributes": dict,
        "ResponseValidation": dict,
        "InvocationTimeLimitSeconds": str,
        "InvocationType": str,
    },
    "UpdateContactAttributes": {"Attributes": dict, "TargetContact": str},
    "UpdateFlowAttributes": {"FlowAttributes": dict},
    "UpdateContactTargetQueue": {"QueueId": str, "AgentId": str},
    "Compare": {"ComparisonValue": str},
    "Loop": {"LoopCount": str},
    "MessageParticipant": {"Text": str},
    "UpdateContactRecordingBehavior": {"RecordingBehavior": dict, "AnalyticsBehavior": dict},
    "UpdateFlowLoggingBehavior": {"FlowLoggingBehavior": str},
    "InvokeFlowModule": {"FlowModuleId": str},
    "TransferToFlow": {"ContactFlowId": str},
}

JSON_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}


def json_type(value: Any) -> str:
    """The JSON name of a Python value's type ("an object", "a list", "null", ...)."""
    if value is None:
        return "null"
    return JSON_NAMES.get(type(value), type(value).__name__)


def shape_problems(flow: Flow) -> list[str]:
    """Fields with a JSON type the simulator cannot use, as ``"<field> is <type>, not <type>"``."""
    problems: list[str] = []

    def expect(where: str, value: Any, wanted: type) -> None:
        if not isinstance(value, wanted) or isinstance(value, bool) is not (wanted is bool):
            problems.append(f"{where} is {json_type(value)}, not {JSON_NAMES[wanted]}")

    if flow.start_action is not None:
        expect("StartAction", flow.start_action, str)
    if flow.metadata is not None:
        expect("Metadata", flow.metadata, dict)
    for index, action in enumerate(flow.actions):
        at = f"Actions[{index}]"
        expect(f"{at}.Identifier", action.identifier, str)
        if "Type" in action.extra:
            problems.append(f"{at}.Type is {json_type(action.extra['Type'])}, not a string")
        for key in ("Parameters", "Transitions"):
            if key in action.extra:
                problems.append(f"{at}.{key} is {json_type(action.extra[key])}, not an object")
        transitions = action.transitions
        if transitions.next_action is not None:
            expect(f"{at}.Transitions.NextAction", transitions.next_action, str)
        for key in ("Errors", "Conditions"):
            if key in transitions.extra:
                problems.append(f"{at}.Transitions.{key} is not a list of objects")
        for i, error in enumerate(transitions.errors or []):
            expect(f"{at}.Transitions.Errors[{i}].ErrorType", error.error_type, str)
            if error.next_action is not None:
                expect(f"{at}.Transitions.Errors[{i}].NextAction", error.next_action, str)
        for i, condition in enumerate(transitions.conditions or []):
            expect(f"{at}.Transitions.Conditions[{i}].Condition.Operator", condition.operator, str)
            if condition.next_action is not None:
                expect(f"{at}.Transitions.Conditions[{i}].NextAction", condition.next_action, str)
        for key, wanted in PARAMETER_TYPES.get(action.type, {}).items():
            if key in action.parameters:
                expect(f"{at}.Parameters.{key}", action.parameters[key], wanted)
    return problems
