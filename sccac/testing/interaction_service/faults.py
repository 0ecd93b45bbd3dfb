"""Fault injection: the next requests to a path answered late, with an HTTP status, or with an error code."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sccac.testing.interaction_service.exceptions import InjectedError
from sccac.testing.interaction_service.urls import CONVERSATION, INTERACTIONS

# The session-creating call moved from /conversation to /interactions: a fault injected for the
# old path (callers written before the move) applies to the new one too.
_ALSO_FAULTED_BY = {INTERACTIONS: CONVERSATION}


@dataclass
class Fault:
    """Answer the next ``count`` requests to ``path`` with a delay and/or an error.

    ``code``: the Interaction API error code in the body (default: 10004 for 401, 500 for
    5xx, else the status).
    """

    path: str
    status: int | None = None
    delay_s: float = 0.0
    count: int = 1
    code: int | None = None

    def error(self) -> InjectedError | None:
        """The error to answer with, or None for a delay alone."""
        if self.status is None:
            return None
        code = self.code or (10004 if self.status == 401 else 500 if self.status >= 500 else self.status)
        return InjectedError(self.status, code)


class FaultInjector:
    """The faults still to answer with, in the order injected."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.faults: list[Fault] = []

    def inject(self, path: str, *, status: int | None = None, delay_s: float = 0.0, count: int = 1,
               code: int | None = None) -> None:
        """Fault the next ``count`` requests to ``path`` (``code`` alone implies HTTP 400)."""
        if code is not None and status is None:
            status = 400
        with self._lock:
            self.faults.append(Fault(path=path, status=status, delay_s=delay_s, count=count, code=code))

    def take(self, path: str) -> Fault | None:
        """The first fault left for ``path``, counted as used; None when the request is to be answered."""
        paths = {path, _ALSO_FAULTED_BY[path]} if path in _ALSO_FAULTED_BY else {path}
        with self._lock:
            for fault in self.faults:
                if fault.path in paths and fault.count > 0:
                    fault.count -= 1
                    return fault
        return None
