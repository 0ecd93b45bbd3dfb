"""Typed errors the Lambda handlers raise so Amazon Connect takes the block's Error branch.

Connect only takes the Error branch when the function raises (or times out); a returned
``{"error": ...}`` map would take the Success branch. Every error therefore is raised, and
its message is one compact JSON object (code, field, contact id, what to do) that never
contains a secret, a token or a signed JWT.
"""

from __future__ import annotations

import json
from typing import Any

from sccac.lambdas.redact import redact


class LambdaError(Exception):
    """Base of every error a handler raises on purpose.

    ``code`` is stable and machine-readable, ``field`` names the input or setting at fault,
    ``fix`` tells an admin what to do. ``retryable`` says whether the flow's retry loop can
    help (a Salesforce outage can clear; a missing attribute cannot).
    """

    code = "LAMBDA_ERROR"
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        contact_id: str | None = None,
        field: str | None = None,
        fix: str | None = None,
        status: int | None = None,
    ) -> None:
        # Defence in depth: callers quote server text through redact.quote already, but no
        # credential-shaped string may reach Connect or CloudWatch even if one forgets.
        self.message = redact(message)
        self.contact_id = contact_id
        self.field = field
        self.fix = fix
        self.status = status
        super().__init__(self._render())

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.field:
            out["field"] = self.field
        if self.contact_id:
            out["contactId"] = self.contact_id
        if self.status is not None:
            out["status"] = self.status
        out["retryable"] = self.retryable
        if self.fix:
            out["fix"] = self.fix
        return out

    def with_contact(self, contact_id: str | None) -> LambdaError:
        """Attach the contact id once it is known (errors raised deep in the client lack it)."""
        if contact_id and not self.contact_id:
            self.contact_id = contact_id
            self.args = (self._render(),)
        return self

    def _render(self) -> str:
        return json.dumps(self.as_dict(), separators=(",", ":"), sort_keys=False)

    def __str__(self) -> str:
        return self._render()


class InvalidInputError(LambdaError):
    """The Connect event lacks an attribute/parameter, or one is malformed."""

    code = "INVALID_INPUT"


class ConfigurationError(LambdaError):
    """An environment variable or the Secrets Manager secret is missing or malformed."""

    code = "CONFIGURATION_ERROR"


class SalesforceAuthError(LambdaError):
    """The OAuth JWT bearer flow failed or Salesforce kept answering 401."""

    code = "SALESFORCE_AUTH_FAILED"


class SalesforceUnavailableError(LambdaError):
    """Salesforce answered 5xx, could not be reached, or did not answer in time."""

    code = "SALESFORCE_UNAVAILABLE"
    retryable = True


class SalesforceTimeoutError(SalesforceUnavailableError):
    """The time budget Connect gives the function ran out before Salesforce answered."""

    code = "SALESFORCE_TIMEOUT"


class SalesforceRequestError(LambdaError):
    """Salesforce rejected the request (4xx other than 401), or answered success=false."""

    code = "SALESFORCE_REJECTED"


class SalesforceResponseError(LambdaError):
    """An answer the Interaction Service or the token endpoint never sends: not JSON (an HTML
    login or proxy page, an empty body), too large, ``success`` not the boolean true, or an id of
    the wrong shape. Usually the URL points at another host, so a retry does not help."""

    code = "SALESFORCE_BAD_RESPONSE"


class RoutingRejectedError(LambdaError):
    """Salesforce accepted the call but did not route the work item (success=false)."""

    code = "ROUTING_REJECTED"


class InternalError(LambdaError):
    """An unexpected failure; only its type name is reported so nothing sensitive leaks."""

    code = "INTERNAL_ERROR"
    retryable = True
