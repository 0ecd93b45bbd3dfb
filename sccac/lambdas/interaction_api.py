"""HTTP client for the Salesforce Interaction Service API (/api/v1/interactions, /api/v1/route).

Every call carries ``Authorization: Bearer``, ``OrgId``, ``AuthorizationContext`` (the
ConversationChannelDefinition developer name) and ``RequestId``. The caller passes a
RequestId derived from the Connect ContactId, so a repeated call for the same contact is
recognisably the same request. A 401 (or error code 10004, token not valid) refreshes the
token and repeats the call once; the error codes that say "Please retry" and HTTP 429 are
retryable. An answer that is not the API's JSON (an HTML login or proxy page, an empty body)
names SF_SCRT_DOMAIN; text quoted from an error answer has any credential redacted.
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
    SalesforceResponseError,
    SalesforceUnavailableError,
)
from sccac.lambdas.redact import quote
from sccac.lambdas.transport import Endpoint, HttpResponse, Transport

# Fixed namespace so the same ContactId always maps to the same RequestId, in every
# container and on every retry.
REQUEST_ID_NAMESPACE = uuid.UUID("6f1d5a8e-52b4-4f4e-9d1b-5cc0a5c0ac01")


INTERACTIONS_PATH = "/api/v1/interactions"
ROUTE_PATH = "/api/v1/route"


def multipart_json(document: Any, boundary: str) -> tuple[bytes, str]:
    """A multipart/form-data body whose one part, named ``json``, holds ``document``.

    The boundary is the caller's (derived from the RequestId) so the same request is the same
    bytes on a retry. A value the end user chose (the client id) could contain it: then it is
    lengthened, still deterministically, until the part cannot end early.
    """
    part = json.dumps(document, separators=(",", ":"))
    while boundary in part:
        boundary += "x"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="json"\r\n'
        "Content-Type: application/json\r\n"
        "\r\n"
        f"{part}\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    return body, f"multipart/form-data; boundary={boundary}"


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

    def post_interaction(
        self,
        channel_address_identifier: str,
        client_id: str,
        entry_id: str,
        timestamp_ms: int,
        request_id: str,
        deadline: Deadline,
    ) -> dict[str, Any]:
        """``POST /api/v1/interactions`` with one entry interaction: finds or creates the
        conversation of (``to``, ``from``) and its MessagingSession, as SCC-AC's own function does.

        The body is multipart/form-data with one part named ``json`` (``InteractionRequestJson``:
        ``to``, ``from``, ``interactions`` holding exactly one ``EntryInteraction`` whose
        payload is a ``Message`` entry with an empty ``StaticContentMessage``, SCC-AC's shape).
        ``entry_id`` is the entry's (and its message's) id: the caller derives it from the
        contact so a retry sends the same entry again rather than a new one.
        """
        document = {
            "to": channel_address_identifier,
            "from": client_id,
            "interactions": [
                {
                    "timestamp": timestamp_ms,
                    "interactionType": "EntryInteraction",
                    "payload": {
                        "id": entry_id,
                        "entryType": "Message",
                        "abstractMessage": {
                            "messageType": "StaticContentMessage",
                            "id": entry_id,
                            "staticContent": {"formatType": "Text", "text": ""},
                        },
                    },
                }
            ],
        }
        body, content_type = multipart_json(document, boundary="sccac-" + request_id)
        return self._post(INTERACTIONS_PATH, body, content_type, request_id, deadline)

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
        payload = json.dumps(body, separators=(",", ":")).encode()
        return self._post(ROUTE_PATH, payload, "application/json", request_id, deadline)

    def post_conversation_history(self, body: dict[str, Any], request_id: str, deadline: Deadline) -> dict[str, Any]:
        """``AddConversationHistoryRequest``; this call alone also needs AuthorizationContextType."""
        payload = json.dumps(body, separators=(",", ":")).encode()
        return self._post("/api/v1/conversationHistory", payload, "application/json", request_id, deadline,
                          {"AuthorizationContextType": "ConversationChannelDefinition"})

    def _post(
        self, path: str, payload: bytes, content_type: str, request_id: str, deadline: Deadline,
        extra_headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        endpoint = Endpoint(f"Interaction Service POST {path}", "SF_SCRT_DOMAIN", "SF_SCRT_DOMAIN")
        for attempt in (1, 2):
            creds = self._tokens.credentials(deadline)
            token = self._tokens.token(deadline)
            response = self._transport.request(
                "POST",
                self._base_url + path,
                headers={
                    "Authorization": "Bearer " + token,
                    "OrgId": creds.org_id,
                    "AuthorizationContext": self._context,
                    "RequestId": request_id,
                    "Content-Type": content_type,
                    "Accept": "application/json",
                    **(extra_headers or {}),
                },
                body=payload,
                timeout_s=deadline.call_timeout(endpoint.what),
                endpoint=endpoint,
            )
            data = response.json()
            if attempt == 1 and (response.status == 401 or error_code(data) == TOKEN_INVALID):
                # Expired or revoked session: one fresh token, one more try.
                self._tokens.invalidate(token)
                continue
            return self._result(response, data, endpoint.what, token)
        raise AssertionError("unreachable")  # pragma: no cover

    def _result(self, response: HttpResponse, data: Any, what: str, token: str) -> dict[str, Any]:
        status = response.status
        # The server may quote the request back (the Authorization header among it).
        message = _error_message(data, known=(token,))
        code = error_code(data)
        where = f"HTTP {status}" + (f", Interaction API code {code}" if code is not None else "")
        if status == 401 or code == TOKEN_INVALID:
            raise SalesforceAuthError(
                f"{what} rejected a freshly issued token too ({where}: {message}).",
                field="AUTHORIZATION_CONTEXT",
                status=status,
                fix="Check that AUTHORIZATION_CONTEXT names the channel definition the connected app "
                "is linked to, and that the secret's orgId is this org's Id.",
            )
        if status == 429:
            raise SalesforceUnavailableError(
                f"{what} is limiting requests ({where}: {message}).",
                status=status,
                fix="The flow's retry loop will try again; if it persists, check the org's Interaction "
                "Service limits and how many contacts call it at once.",
            )
        if status >= 500 or code in RETRYABLE_CODES:
            raise SalesforceUnavailableError(
                f"{what} failed ({where}: {message}).",
                status=status,
                fix="The flow's retry loop will try again; check Salesforce status if it persists.",
            )
        if data is None or (status < 400 and not isinstance(data, dict)):
            # Not the API's JSON at all: another host answered (a login page, a proxy), which
            # no channel or routing setting explains.
            raise SalesforceResponseError(
                f"{what} answered HTTP {status} with {response.kind()}, not the Interaction API's JSON.",
                status=status,
                field="SF_SCRT_DOMAIN",
                fix="Set SF_SCRT_DOMAIN to the org's Interaction Service domain "
                "(<MyDomain>.my.salesforce-scrt.com, Setup > My Domain); an HTML page usually is the "
                "login page of another Salesforce host or a proxy's page.",
            )
        if status >= 400:
            field, fix = _REJECTION_HINTS.get(code or 0, (None, _DEFAULT_FIX))
            raise SalesforceRequestError(
                f"{what} rejected the request ({where}: {message}).",
                status=status,
                field=field,
                fix=fix,
            )
        return data


# Interaction API error codes (salesforce-misc/interaction-service-apis ERRORCODES.md).
TOKEN_INVALID = 10004  # "The supplied Authorization access token is not valid."
# Answers that say "retry": 10055 "Conversation precondition failed. Please retry.", 10056
# "Conversation processing aborted. Please retry.", 10094 "The request failed due to a timeout
# from a downstream service. Please try again later.", 10019 read-only mode during an org
# migration ("Try again later").
RETRYABLE_CODES = frozenset({10019, 10055, 10056, 10094})
_DEFAULT_FIX = (
    "Check the channelAddressIdentifier, AUTHORIZATION_CONTEXT and routing overrides against the "
    "org's messaging channel setup."
)
_CHANNEL_FIX = (
    "Copy the ChannelAddressIdentifier of an active MessagingChannel (custom channel type) into the "
    "flow's channelAddressIdentifier attribute."
)
_CONTEXT_FIX = (
    "Set AUTHORIZATION_CONTEXT to the developer name of the ConversationChannelDefinition the "
    "messaging channel and the connected app use."
)
_REJECTION_HINTS: dict[int, tuple[str | None, str]] = {
    10001: ("AUTHORIZATION_CONTEXT", _CONTEXT_FIX),
    10003: ("consumerKey", "Add the interaction_api OAuth scope to the connected app."),
    10005: ("AUTHORIZATION_CONTEXT", _CONTEXT_FIX),
    10069: ("AUTHORIZATION_CONTEXT", _CONTEXT_FIX),
    10070: ("AUTHORIZATION_CONTEXT", _CONTEXT_FIX),
    10017: ("channelAddressIdentifier", _CHANNEL_FIX),
    10031: ("channelAddressIdentifier", "Activate the MessagingChannel in Salesforce Setup (Messaging Settings)."),
    10035: ("channelAddressIdentifier", _CHANNEL_FIX),
    10052: ("channelAddressIdentifier", _CHANNEL_FIX),
    10054: ("clientId", "Send a clientId Salesforce accepts as a participant subject (a GUID or an email)."),
    10018: (
        "conversationIdentifier",
        "Store CreateMessagingSession's conversationIdentifier as a contact attribute before Routing.",
    ),
    10024: (
        "salesforceFlowFallbackQueueId",
        "Give the block parameter salesforceFlowFallbackQueueId (the fallback queue) with salesforceFlowId.",
    ),
    10030: (
        "salesforceFlowId",
        "Give either salesforceFlowId with salesforceFlowFallbackQueueId, or salesforceQueueId alone.",
    ),
    10032: (
        "salesforceQueueId",
        "Set salesforceQueueId / salesforceFlowFallbackQueueId (or the channel's routing) to an existing "
        "Omni-Queue Id (00G...).",
    ),
}


def error_code(data: Any) -> int | None:
    """The Interaction API error code of an error body ``{"code": int, "message": str}``."""
    raw = data.get("code") if isinstance(data, dict) else None
    if isinstance(raw, bool):
        return None
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError, OverflowError):  # Python's json reads Infinity
        return None


def _error_message(data: Any, known: tuple[str, ...] = ()) -> str:
    # Interaction Service errors are {"code": int, "message": str}; quoted redacted and short.
    if isinstance(data, dict):
        text = data.get("message") or data.get("reasonForNotRouting") or data.get("errorMessage")
        if text:
            return quote(text, known=known)
    if isinstance(data, list) and data and isinstance(data[0], dict) and data[0].get("message"):
        return quote(data[0]["message"], known=known)
    return "no error message"
