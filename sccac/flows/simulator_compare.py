"""Condition operators of the flow language (Check contact attributes), as Connect evaluates them."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

OPERATORS: dict[str, Callable[[str, str], bool]] = {}


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    # A Number* operator is false when either side is not a number (no NoMatchingError).
    def check(left: str, right: str) -> bool:
        a, b = _number(left), _number(right)
        return a is not None and b is not None and compare(a, b)

    return check


OPERATORS.update(
    {
        # Connect compares text case-sensitively ("Green" does not equal "green").
        "Equals": lambda left, right: left == right,
        "TextStartsWith": lambda left, right: left.startswith(right),
        "TextEndsWith": lambda left, right: left.endswith(right),
        "TextContains": lambda left, right: right in left,
        "NumberGreaterThan": _numeric(lambda a, b: a > b),
        "NumberGreaterOrEqualTo": _numeric(lambda a, b: a >= b),
        "NumberLessThan": _numeric(lambda a, b: a < b),
        "NumberLessOrEqualTo": _numeric(lambda a, b: a <= b),
    }
)


class UnknownOperatorError(ValueError):
    pass


def evaluate(operator: str, value: Any, operand: Any) -> bool:
    """Whether ``value <operator> operand`` holds.

    A value that did not resolve (None) matches nothing: the AWS docs say a NULL check
    needs a Lambda, so a missing attribute always falls to NoMatchingCondition.
    """
    check = OPERATORS.get(operator)
    if check is None:
        raise UnknownOperatorError(f"unknown condition operator {operator!r} (known: {', '.join(OPERATORS)})")
    if value is None or operand is None:
        return False
    return check(_text(value), _text(operand))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
