"""Pace and count a Connect client's requests: a token bucket on an injected clock, calls by kind, throttles.

Connect's management APIs allow 2 requests a second with bursts of 5 per account and region,
shared by every caller; pacing every attempt (retries included) to that budget keeps throttling
rare, and botocore's retry mode handles what still comes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sccac.clock import Clock

READ_PREFIXES = ("Describe", "List", "Search", "Get")
THROTTLING_CODES = frozenset({"ThrottlingException", "TooManyRequestsException", "LimitExceededException"})


def is_read(operation: str) -> bool:
    return operation.startswith(READ_PREFIXES)


class TokenBucket:
    """``rate`` tokens a second up to ``burst``; :meth:`acquire` sleeps on the clock until one is free."""

    def __init__(self, clock: Clock, rate: float = 2.0, burst: int = 5) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self._clock, self.rate, self.burst = clock, rate, burst
        self._tokens = float(burst)
        self._last = clock.monotonic()

    def acquire(self) -> None:
        self._refill()
        if self._tokens < 1.0:
            self._clock.sleep((1.0 - self._tokens) / self.rate)
            self._refill()
        self._tokens = max(0.0, self._tokens - 1.0)

    def _refill(self) -> None:
        now = self._clock.monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
        self._last = now


@dataclass
class CallStats:
    reads: int = 0
    writes: int = 0
    throttled: int = 0
    by_operation: Counter[str] = field(default_factory=Counter)

    @property
    def calls(self) -> int:
        return self.reads + self.writes


class CallMeter:
    """Attach to a client: every request attempt waits for the bucket (when pacing) and is counted."""

    def __init__(self, clock: Clock, bucket: TokenBucket | None) -> None:
        self.clock, self.bucket = clock, bucket
        self.stats = CallStats()

    def attach(self, client: Any) -> Any:
        # First, so pacing happens before anything (such as a test double) answers the request.
        client.meta.events.register_first("before-send.connect", self._before_send)
        client.meta.events.register("response-received.connect", self._received)
        return client

    def reset(self) -> CallStats:
        stats, self.stats = self.stats, CallStats()
        return stats

    def _before_send(self, request: Any, event_name: str, **_: Any) -> None:
        operation = event_name.rsplit(".", 1)[-1]
        if self.bucket is not None:
            self.bucket.acquire()
        self.stats.by_operation[operation] += 1
        if is_read(operation):
            self.stats.reads += 1
        else:
            self.stats.writes += 1

    def _received(self, parsed_response: Any = None, **_: Any) -> None:
        code = ((parsed_response or {}).get("Error") or {}).get("Code")
        if code in THROTTLING_CODES:
            self.stats.throttled += 1
