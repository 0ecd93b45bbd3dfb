"""Turn the Lambda's remaining time into a deadline and per-call HTTP timeouts.

Connect starts its Lambda block clock (at most 8 s) when it invokes the function, so the
budget is anchored at handler entry — before the per-container dependencies are built —
and, on a container's first on-demand invocation, at the process start, because Connect's
clock also covers the cold-start INIT phase (runtime start and module imports).

Every reading of the time goes through a ``Clock`` object (``sccac.clock``): real time in the
Lambda runtime, a virtual clock in the tests. Only the socket timeouts the transport derives
from ``Deadline.call_timeout`` run on real time, as a socket must.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from sccac.clock import Clock, RealClock
from sccac.lambdas.errors import ConfigurationError, SalesforceTimeoutError

# Kept back from the deadline so the handler can still log and raise a clear error
# before Connect (or the Lambda runtime) gives up on it.
SAFETY_MARGIN_MS = 200
MIN_CALL_TIMEOUT_S = 0.05
# Connect's longest Lambda block timeout: the most INIT time there is to charge.
CONNECT_MAX_TIMEOUT_S = 8.0
# The Lambda runtime's name for how this container was initialised.
INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE"


class LambdaContext(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


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
    return min(max(age, 0.0), CONNECT_MAX_TIMEOUT_S)


class InvocationStarts:
    """When Connect's clock is taken to have started, for each invocation of one container.

    Handler entry; on the first invocation of an on-demand container (the Lambda runtime
    sets ``AWS_LAMBDA_INITIALIZATION_TYPE=on-demand``) the process start, so the INIT phase
    counts against the budget. Provisioned concurrency and SnapStart initialise ahead of
    the invocation, so their INIT time is not charged; outside Lambda nothing is charged.
    ``environ`` and ``process_age`` stand in for the runtime's environment and /proc in tests.
    """

    def __init__(
        self,
        clock: Clock,
        environ: Mapping[str, str] | None = None,
        process_age: Callable[[], float] | None = None,
    ) -> None:
        self.clock = clock
        self._environ = os.environ if environ is None else environ
        self._process_age = process_age_s if process_age is None else process_age
        self._first = True

    def next(self) -> float:
        """The monotonic start of the invocation that is entering now (read it first thing)."""
        started = self.clock.monotonic()
        if self._first:
            self._first = False
            if self._environ.get(INITIALIZATION_TYPE) == "on-demand":
                # Bounded as process_age_s is, whatever age is given.
                started -= min(max(self._process_age(), 0.0), CONNECT_MAX_TIMEOUT_S)
        return started


class Deadline:
    """The moment this invocation must have answered by.

    The smaller of the Lambda's remaining time and the Connect block timeout counted from
    the invocation start, minus a safety margin: Connect abandons the block at its own
    timeout even if Lambda would let the function run on.
    """

    def __init__(self, budget_ms: float, started: float | None = None, clock: Clock | None = None) -> None:
        """``started``: a reading of ``clock.monotonic()`` (default: now); ``clock``: real time by default."""
        self.clock: Clock = clock or RealClock()
        self.budget_ms = max(0.0, budget_ms)
        begin = self.clock.monotonic() if started is None else started
        self._ends_at = begin + self.budget_ms / 1000.0

    @classmethod
    def for_invocation(
        cls,
        context: LambdaContext | None,
        connect_timeout_ms: int,
        started: float | None = None,
        clock: Clock | None = None,
    ) -> Deadline:
        """``started``: ``InvocationStarts.next()`` from handler entry, on ``clock`` (default: now)."""
        clock = clock or RealClock()
        now = clock.monotonic()
        begin = now if started is None else min(started, now)
        ends_at = begin + connect_timeout_ms / 1000.0
        if context is not None:
            ends_at = min(ends_at, now + remaining_ms(context) / 1000.0)
        return cls((ends_at - begin) * 1000.0 - SAFETY_MARGIN_MS, started=begin, clock=clock)

    def remaining_s(self) -> float:
        return max(0.0, self._ends_at - self.clock.monotonic())

    def capped(self, seconds: float) -> Deadline:
        """This deadline, or ``seconds`` from now on the same clock if that comes first."""
        return Deadline(min(self.remaining_s(), seconds) * 1000.0, clock=self.clock)

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
