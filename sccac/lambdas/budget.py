"""Turn the Lambda's remaining time into a deadline and per-call HTTP timeouts."""

from __future__ import annotations

import time
from typing import Protocol

from sccac.lambdas.errors import SalesforceTimeoutError

# Kept back from the deadline so the handler can still log and raise a clear error
# before Connect (or the Lambda runtime) gives up on it.
SAFETY_MARGIN_MS = 200
MIN_CALL_TIMEOUT_S = 0.05


class LambdaContext(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


class Deadline:
    """The moment this invocation must have answered by.

    The smaller of the Lambda's remaining time and the Connect block timeout, minus a
    safety margin: Connect abandons the block at its own timeout even if Lambda would
    let the function run on.
    """

    def __init__(self, budget_ms: float) -> None:
        self._clock = time.monotonic
        self.budget_ms = max(0.0, budget_ms)
        self._ends_at = self._clock() + self.budget_ms / 1000.0

    @classmethod
    def for_invocation(cls, context: LambdaContext | None, connect_timeout_ms: int) -> Deadline:
        remaining = connect_timeout_ms
        if context is not None:
            remaining = min(remaining, int(context.get_remaining_time_in_millis()))
        return cls(remaining - SAFETY_MARGIN_MS)

    def remaining_s(self) -> float:
        return max(0.0, self._ends_at - self._clock())

    def call_timeout(self, what: str) -> float:
        """Timeout for the next HTTP call, or a timeout error if no useful time is left."""
        left = self.remaining_s()
        if left < MIN_CALL_TIMEOUT_S:
            raise SalesforceTimeoutError(
                f"No time left in the Connect budget ({self.budget_ms:.0f} ms) to call {what}.",
                fix="Raise the Lambda block timeout in the flow (up to 8 s) or check Salesforce latency.",
            )
        return left
