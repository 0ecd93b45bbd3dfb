"""HTTP client for the Salesforce Interaction Service API (/api/v1/conversation, /api/v1/route).

Every call carries ``Authorization: Bearer``, ``OrgId``, ``AuthorizationContext`` (the
ConversationChannelDefinition developer name) and ``RequestId``. The caller passes a
RequestId derived from the Connect ContactId, so a repeated call for the same contact is
recognisably the same request. A 401 refreshes the token and repeats the call once.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sccac.lambdas.auth import TokenProvider
from sccac.lambdas.budget import Deadline
from sccac.lambdas.errors import (
    SalesforceAuthError,
    SalesforceRequestError,
    SalesforceUnavailableError,
)
from sccac.lambdas.transport import Transport

# Fixed namespace so the same ContactId always maps to the same RequestId, in every
# container and on every retry.
REQUEST_ID_NAMESPACE = uuid.UUID("6f1d5a8e-52b4-4f4e-9d1b-5cc0a5c0ac01")


def request_id_for(contact_id: str, operation: str) -> str:
    """Deterministic RequestId (UUID v5) for one operation on one Connect contact."""
    return str(uuid.uuid5(REQUEST_ID_NAMESPACE, f"{contact_id}/{operation}"))


class InteractionApi:
    """The two Interaction Service calls the contact flows need."""

    def __init__(
        self,
        base_url: str,
        authorization_context: str,
        tokens: TokenProvider,
        transport: Transport,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._context = authorization_context
        self._tokens = tokens
        self._transport = transport

    def post_conversation(
        self, channel_address_identifier: str, subject: str, request_id: str, deadline: Deadline
    ) -> dict[str, Any]:
        body = {
            "channelAddressIdentifier": channel_address_identifier,
            "participants": [{"appType": "custom", "subject": subject, "role": "EndUser"}],
        }
        return self._post("/api/v1/conversation", body, request_id, deadline)

    def post_route(
        self,
        conversation_identifier: str,
        routing_type: str,
        routing_info: dict[str, Any] | None,
        request_id: str,
        deadline: Deadline,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "conversationIdentifier": conversation_identifier,
            "routingType": routing_type,
        }
        if routing_info:
            body["routingInfo"] = routing_info
        return self._post("/api/v1/route", body, request_id, deadline)

    def _post(self, path: str, body: dict[str, Any], request_id: str, deadline: Deadline) -> dict[str, Any]:
        what = f"Interaction Service POST {path}"
        payload = json.dumps(body, separators=(",", ":")).encode()
        for attempt in (1, 2):
            creds = self._tokens.credentials()
            token = self._tokens.token(deadline)
            response = self._transport.request(
                "POST",
                self._base_url + path,
                headers={
                    "Authorization": "Bearer " + token,
                    "OrgId": creds.org_id,
                    "AuthorizationContext": self._context,
                    "RequestId": request_id,
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
                body=payload,
                timeout_s=deadline.call_timeout(what),
                what=what,
            )
            if response.status == 401 and attempt == 1:
                # Expired or revoked session: one fresh token, one more try.
                self._tokens.invalidate(token)
                continue
            return self._result(response.status, response.json(), what)
        raise AssertionError("unreachable")  # pragma: no cover

    def _result(self, status: int, data: Any, what: str) -> dict[str, Any]:
        message = _error_message(data)
        if status == 401:
            raise SalesforceAuthError(
                f"{what} answered 401 twice, with a freshly issued token ({message}).",
                field="AUTHORIZATION_CONTEXT",
                status=status,
                fix="Check that AUTHORIZATION_CONTEXT names the channel definition the connected app "
                "is linked to, and that the secret's orgId is this org's Id.",
            )
        if status >= 500:
            raise SalesforceUnavailableError(
                f"{what} answered HTTP {status} ({message}).",
                status=status,
                fix="The flow's retry loop will try again; check Salesforce status if it persists.",
            )
        if status >= 400 or not isinstance(data, dict):
            raise SalesforceRequestError(
                f"{what} rejected the request: HTTP {status} ({message}).",
                status=status,
                fix="Check the channelAddressIdentifier, AUTHORIZATION_CONTEXT and routing overrides "
                "against the org's messaging channel setup.",
            )
        return data


def _error_message(data: Any) -> str:
    # Interaction Service errors are {"code": int, "message": str}; keep them short.
    if isinstance(data, dict):
        text = data.get("message") or data.get("reasonForNotRouting") or data.get("errorMessage")
        if text:
            return str(text)[:200]
    if isinstance(data, list) and data and isinstance(data[0], dict) and data[0].get("message"):
        return str(data[0]["message"])[:200]
    return "no error message"
