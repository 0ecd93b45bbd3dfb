"""Turn the Lambda's remaining time into a deadline and per-call HTTP timeouts.

Connect starts its Lambda block clock (at most 8 s) when it invokes the function, so the
budget is anchored at handler entry — before the per-container dependencies are built —
and, on a container's first on-demand invocation, at the process start, because Connect's
clock also covers the cold-start INIT phase (runtime start and module imports).
"""

from __future__ import annotations

import math
import os
import time
from typing import Any, Protocol

from sccac.lambdas.errors import ConfigurationError, SalesforceTimeoutError

# Kept back from the deadline so the handler can still log and raise a clear error
# before Connect (or the Lambda runtime) gives up on it.
SAFETY_MARGIN_MS = 200
MIN_CALL_TIMEOUT_S = 0.05

_first_invocation = True


class LambdaContext(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


def invocation_started() -> float:
    """The monotonic time Connect's clock is taken to have started, read at handler entry.

    Handler entry; on the first invocation of an on-demand container (the Lambda runtime
    sets ``AWS_LAMBDA_INITIALIZATION_TYPE=on-demand``) the process start, so the INIT phase
    counts against the budget. Provisioned concurrency and SnapStart initialise ahead of
    the invocation, so their INIT time is not charged; outside Lambda nothing is charged.
    """
    global _first_invocation
    started = time.monotonic()
    if _first_invocation:
        _first_invocation = False
        if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "on-demand":
            started -= process_age_s()
    return started


def process_age_s() -> float:
    """Seconds since this process started (Linux /proc), 0 when it cannot be read."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            # Field 22 (starttime, clock ticks after boot) follows the parenthesised command name.
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        age = uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0
    # Never more than Connect's whole budget: a wrong reading must not turn into a timeout.
    return min(max(age, 0.0), 8.0)


class Deadline:
    """The moment this invocation must have answered by.

    The smaller of the Lambda's remaining time and the Connect block timeout counted from
    the invocation start, minus a safety margin: Connect abandons the block at its own
    timeout even if Lambda would let the function run on.
    """

    def __init__(self, budget_ms: float, started: float | None = None) -> None:
        self._clock = time.monotonic
        self.budget_ms = max(0.0, budget_ms)
        begin = self._clock() if started is None else started
        self._ends_at = begin + self.budget_ms / 1000.0

    @classmethod
    def for_invocation(
        cls, context: LambdaContext | None, connect_timeout_ms: int, started: float | None = None
    ) -> Deadline:
        """``started``: ``invocation_started()`` from handler entry (default: now)."""
        now = time.monotonic()
        begin = now if started is None else min(started, now)
        ends_at = begin + connect_timeout_ms / 1000.0
        if context is not None:
            ends_at = min(ends_at, now + remaining_ms(context) / 1000.0)
        return cls((ends_at - begin) * 1000.0 - SAFETY_MARGIN_MS, started=begin)

    def remaining_s(self) -> float:
        return max(0.0, self._ends_at - self._clock())

    def call_timeout(self, what: str, minimum_s: float = MIN_CALL_TIMEOUT_S) -> float:
        """Timeout for the next call, or a timeout error if no useful time is left."""
        left = self.remaining_s()
        if left < minimum_s:
            raise SalesforceTimeoutError(
                f"No time left in the Connect budget ({self.budget_ms:.0f} ms) to call {what}.",
                fix="Raise the Lambda block timeout in the flow (up to 8 s) or check Salesforce latency.",
            )
        return left


def remaining_ms(context: Any) -> float:
    """The Lambda context's time left in ms, or a configuration error if it cannot say.

    Only a caller outside the Lambda runtime (a test harness, a hand-written invoker) passes
    a context without ``get_remaining_time_in_millis``; a retry cannot fix that.
    """
    getter = getattr(context, "get_remaining_time_in_millis", None)
    try:
        value = getter() if callable(getter) else None
        remaining = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan
    except Exception:  # noqa: BLE001 - whatever a foreign context raises, the answer is the same
        remaining = math.nan
    if not math.isfinite(remaining):
        raise ConfigurationError(
            "The Lambda context has no usable get_remaining_time_in_millis() (milliseconds left).",
            field="context",
            fix="Invoke the handler through the AWS Lambda runtime, or pass a context object whose "
            "get_remaining_time_in_millis() returns the milliseconds left.",
        )
    return remaining
