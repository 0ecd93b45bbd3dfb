"""Shape checks a flow must pass before it is simulated: the fields the simulator reads have the
JSON types Connect uses. Each problem names the field (``Actions[2].Identifier``, ...) and the
block, so the caller can say which file, block and field make the flow unusable.

:func:`require_shape` is what :func:`sccac.flows.simulator.simulate` calls: a malformed flow is a
usage error (:class:`FlowShapeError`), never a KeyError or TypeError halfway through a run. The
parameter types come from the typed block classes of :mod:`sccac.flows.model` (one declaration);
the linter reports the same defects as findings (SCCAC-FLOW-013 for the action's own keys,
SCCAC-FLOW-028 for parameter and Metadata types).
"""

from __future__ import annotations

from typing import Any

from sccac.flows.model import (
    ACTION_CLASSES,
    JSON_NAMES,
    Action,
    Flow,
    FlowFormatError,
    has_json_type,
    json_type,
)

__all__ = ["JSON_NAMES", "PARAMETER_TYPES", "FlowShapeError", "json_type", "require_shape", "shape_problems"]

#: Parameters each block type declares, with their JSON type (from the typed classes in model.py).
PARAMETER_TYPES: dict[str, dict[str, type]] = {name: cls.PARAMETER_TYPES for name, cls in ACTION_CLASSES.items() if cls.PARAMETER_TYPES}

#: Problems listed in one error message; the rest are counted.
SHOWN_PROBLEMS = 5


class FlowShapeError(FlowFormatError):
    """A flow (or module) whose fields do not have the JSON types the simulator reads."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.problems = problems
        shown = "; ".join(problems[:SHOWN_PROBLEMS])
        more = f"; and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
        super().__init__(f"cannot simulate this flow: {shown}{more} (`sccac flows lint` lists every problem)", source)


def require_shape(flow: Flow, source: str | None = None) -> None:
    """Raise :class:`FlowShapeError` naming every bad field when ``flow`` cannot be simulated."""
    problems = shape_problems(flow)
    if problems:
        raise FlowShapeError(problems, source)


def shape_problems(flow: Flow) -> list[str]:
    """Fields with a JSON type the simulator cannot use, as ``"<field> is <type>, not <type>"``."""
    problems: list[str] = []
    if flow.start_action is not None:
        problems += _expect("StartAction", flow.start_action, str)
    if flow.metadata is not None:
        problems += _expect("Metadata", flow.metadata, dict)
    for index, action in enumerate(flow.actions):
        block = f" (block {action.identifier!r})" if isinstance(action.identifier, str) else ""
        problems += [f"{problem}{block}" for problem in _action_problems(f"Actions[{index}]", action)]
    return problems


def _expect(where: str, value: Any, wanted: type) -> list[str]:
    return [] if has_json_type(value, wanted) else [f"{where} is {json_type(value)}, not {JSON_NAMES[wanted]}"]


def _action_problems(at: str, action: Action) -> list[str]:
    problems = _expect(f"{at}.Identifier", action.identifier, str)
    if "Type" in action.extra:
        problems.append(f"{at}.Type is {json_type(action.extra['Type'])}, not a string")
    for key in ("Parameters", "Transitions"):
        if key in action.extra:
            problems.append(f"{at}.{key} is {json_type(action.extra[key])}, not an object")
    problems += _transition_problems(f"{at}.Transitions", action)
    problems += [f"{at}.{problem.describe()}" for problem in action.parameter_problems()]
    return problems


def _transition_problems(at: str, action: Action) -> list[str]:
    transitions = action.transitions
    problems: list[str] = []
    if transitions.next_action is not None:
        problems += _expect(f"{at}.NextAction", transitions.next_action, str)
    for key in ("Errors", "Conditions"):
        if key in transitions.extra:
            problems.append(f"{at}.{key} is not a list of objects")
    for i, error in enumerate(transitions.errors or []):
        problems += _expect(f"{at}.Errors[{i}].ErrorType", error.error_type, str)
        if error.next_action is not None:
            problems += _expect(f"{at}.Errors[{i}].NextAction", error.next_action, str)
    for i, condition in enumerate(transitions.conditions or []):
        problems += _expect(f"{at}.Conditions[{i}].Condition.Operator", condition.operator, str)
        if condition.next_action is not None:
            problems += _expect(f"{at}.Conditions[{i}].NextAction", condition.next_action, str)
    return problems
