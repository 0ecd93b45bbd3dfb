"""What Connect's flow designer reads in ``Metadata.ActionMetadata`` besides a block's position.

Flows Connect exported (public samples) carry, per block, the markers the designer needs to show
the block as it was set up; without them the flow still runs, but opens wrongly:

- a dynamic Set working queue (``QueueId``/``AgentId`` a JSONPath) carries ``useDynamic: true``
  (at the block and under ``parameters.<key>``); without it the designer shows the literal
  ``$.External...`` text as a queue chosen by hand;
- a Check contact attributes block (``Compare``) carries ``conditionMetadata``, one entry per
  condition (id, operator with its display name, value); without it the designer lists no
  conditions;
- a block whose Identifier is a readable name rather than a UUID carries ``isFriendlyName: true``.

The builders write these (``designer_metadata``) and the linter checks them in any flow that has
designer metadata (``sccac/flows/lint/rules/designer.py``), both from the same facts here.
"""

from __future__ import annotations

import uuid
from typing import Any

from sccac.flows.model import Action, UpdateContactTargetQueue
from sccac.lambdas.ids import UUID_RE

#: The designer's names for the Compare operators (what its operator menu shows).
OPERATOR_NAMES: dict[str, tuple[str, str]] = {
    "Equals": ("Equals", "="),
    "TextStartsWith": ("Starts with", "starts with"),
    "TextEndsWith": ("Ends with", "ends with"),
    "TextContains": ("Contains", "contains"),
    "NumberGreaterThan": ("Is greater than", ">"),
    "NumberGreaterOrEqualTo": ("Is greater or equal", ">="),
    "NumberLessThan": ("Is less than", "<"),
    "NumberLessOrEqualTo": ("Is less or equal", "<="),
}
# Fixed namespace: the same flow always gets the same condition ids (deterministic builds).
_CONDITION_NAMESPACE = uuid.UUID("2b0f6a3c-5e1d-4c8b-9a7e-3d2c1b0a9f8e")


def dynamic_queue_key(action: Action) -> str | None:
    """The key of a Set working queue block that is set dynamically, else None."""
    return action.dynamic_key if isinstance(action, UpdateContactTargetQueue) else None


def is_friendly(identifier: Any) -> bool:
    """A readable Identifier (not a UUID), which the designer marks ``isFriendlyName``."""
    return isinstance(identifier, str) and not UUID_RE.match(identifier)


def designer_metadata(action: Action, flow_name: str) -> dict[str, Any]:
    """The ActionMetadata entries (beyond ``position``) the designer needs for ``action``."""
    out: dict[str, Any] = {}
    key = dynamic_queue_key(action)
    if key is not None:
        out["parameters"] = {key: {"useDynamic": True}}
        out["useDynamic"] = True
    if action.type == "Compare":
        out["conditionMetadata"] = [
            _condition(flow_name, action.identifier, index, condition.operator, condition.operands)
            for index, condition in enumerate(action.transitions.conditions or [])
        ]
    if is_friendly(action.identifier):
        out["isFriendlyName"] = True
    return out


def _condition(flow_name: str, identifier: str, index: int, operator: str, operands: list[Any]) -> dict[str, Any]:
    name, short = OPERATOR_NAMES.get(operator, (operator, operator))
    return {
        "id": str(uuid.uuid5(_CONDITION_NAMESPACE, f"{flow_name}/{identifier}/{index}")),
        "operator": {"name": name, "value": operator, "shortDisplay": short},
        "value": str(operands[0]) if operands else "",
    }
