"""Errors of the Connect wiring engine: usage errors (fix the input, exit 2) and failures (exit 1)."""

from __future__ import annotations

from sccac.errors import SccacFailure, SccacUsageError


class ConnectUsageError(SccacUsageError):
    """Bad input for the wiring: a mapping, an option, an instance that does not exist."""


class PlanRefused(SccacUsageError):
    """The plan would change something the engine may not change without an explicit option."""


class QuotaExceeded(SccacFailure):
    """The plan would exceed an instance quota; nothing was written."""


class StepFailed(SccacFailure):
    """A step failed in AWS: names the step, the resource and the AWS error code. Earlier steps stay applied."""

    def __init__(self, step: str, resource: str, code: str, message: str) -> None:
        self.step, self.resource, self.code = step, resource, code
        super().__init__(
            f"{step} {resource!r} failed: {code}: {message} "
            "(the steps before it are applied; fix the cause and run apply again, it continues from here)"
        )
