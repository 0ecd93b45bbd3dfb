"""Local stand-in for the Salesforce Interaction Service and its OAuth token endpoint.

A real HTTP server (stdlib ``http.server``, one thread per request) on 127.0.0.1 that
answers the endpoints the SCC-AC Lambdas call, with the request and response shapes of
salesforce-misc/interaction-service-apis ``inbound-interaction-api.yaml``:

- ``POST /services/oauth2/token``: OAuth 2.0 JWT bearer grant; verifies the RS256
  assertion against the connected app certificate's public key, iss/sub/aud/exp (aud
  must be https://login.salesforce.com, as for a production org, unless configured).
- ``POST /api/v1/interactions`` (multipart/form-data, one ``json`` part:
  ``InteractionRequestJson`` with ``to``, ``from`` and exactly one interaction): finds or
  creates the conversation of (``to``, ``from``) and its open MessagingSession and answers
  ``PostInteractionResponse`` (``conversationIdentifier``, ``workItemIds``, ``success``). The
  published reference says an existing conversation is reused and the workItemId is the new
  or existing session; a repeated entry (same entry id) is modelled as adding nothing, which
  the published material does not state (docs/lambdas.md).
- ``POST /api/v1/conversation``: establishes the conversation for (channel, participant
  subject) and its open messaging session; a repeat returns the same records.
- ``POST /api/v1/route``: creates the PendingServiceRouting for the conversation's
  session and resolves the Omni-Queue (directly, by Omni-Flow, or from the channel's
  setup); ``contextParamMap`` carries ``queueId`` and, when the queue is mapped,
  ``externalQueueId`` (the Connect queue ARN) unless ``send_external_queue_id`` is off (the
  published reference does not list that key; an org whose contact center does not hold the
  mapping does not send it). ``routingInfo.routingAttributes`` are kept with the routing.
- ``POST /services/data/v62.0/composite`` (the org's REST API at the token's ``instance_url``):
  the two queries the Routing function's mapping lookup sends, answered from ``queues``
  (``Connect_Queue_Mapping__mdt`` records, active ones with an ARN) and ``queue_names``
  (Group DeveloperName per Omni-Queue Id). A token without the ``api`` scope
  (``api_scope`` off) gets 401 ``INVALID_SESSION_ID``, as Salesforce answers.
- ``POST /api/v1/conversationHistory``: ``AddConversationHistoryRequest`` (at most 5 entries and
  3 participants, header ``AuthorizationContextType: ConversationChannelDefinition``); the
  entries are kept on the conversation of the request's end user (``Conversation.history``).

Errors use the published ``Error`` body ``{"code": int, "message": str}`` with the
Interaction API error codes and descriptions of ERRORCODES.md (10004 token not valid,
10017 unknown channel, 10018 bad conversation, 10024 flow without fallback queue, 10031
inactive channel, 10032 bad queue, ...). With ``strict_published_shapes`` the responses hold
only the fields of the published schemas: ``PostConversationResponse`` as the older schema had
it (``conversationIdentifier`` and ``success``, no ``messagingSessionId``, which the reference
lists, optional, since October 2025), ``PostInteractionResponse`` and ``PostRouteResponse``.

It keeps state (tokens, conversations, sessions, routings, every request) and can inject
latency, HTTP status and Interaction API error-code faults. Used by the Lambda tests, the
benchmark and the offline mode.
"""

from __future__ import annotations

import argparse
import json
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from sccac.lambdas.ids import UUID_RE

INTERACTIONS = "/api/v1/interactions"
REST_COMPOSITE = "/services/data/v62.0/composite"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_ID_SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
# What a production org's token endpoint accepts as the JWT aud (sandboxes: test.salesforce.com).
DEFAULT_AUDIENCE = "https://login.salesforce.com"

# Interaction API error codes the stand-in answers with, and their published descriptions
# (salesforce-misc/interaction-service-apis ERRORCODES.md).
ERROR_CODES: dict[int, str] = {
    10004: "The supplied Authorization access token is not valid.",
    10005: "The AuthorizationContext for the request isn't valid based on the supplied Authorization access token.",
    10016: "Enter a valid header.",
    10017: "The channelAddressIdentifier provided does not exist.",
    10018: "The conversation identifier is not valid.",
    10019: "The service is in read-only mode because an org migration is in progress. Try again later.",
    10024: "For Flow based Routing, flow ID and Fallback Queue ID are required fields.",
    10030: "Specify either a flow or a queue to Route API.",
    10031: "The channelAddressIdentifier provided is not active.",
    10032: "Specified Queue ID is invalid.",
    10037: "The AppType provided is not supported.",
    10038: "The Participant Role provided is not supported.",
    10053: 'The "participants" field set in post conversation request is either invalid or empty.',
    10054: "Invalid subject of participant in conversation request.",
    10055: "Conversation precondition failed. Please retry.",
    10056: "Conversation processing aborted. Please retry.",
    10089: "Invalid parameters passed to API.",
    10094: "The request failed due to a timeout from a downstream service. Please try again later.",
    500: "An internal server error occured. Please contact Salesforce Support.",
}


@dataclass
class ChannelSetup:
    """A MessagingChannel as the service sees it: its default routing (Omni-Queue or Omni-Flow)."""

    queue_id: str | None = None
    flow_id: str | None = None
    active: bool = True  # an inactive channel answers 10031


@dataclass
class ServiceConfig:
    """What the stand-in org looks like."""

    public_key_pem: str  # certificate public key of the connected app
    consumer_key: str = "3MVG9-local-consumer-key"
    username: str = "integration@sccac.local"
    org_id: str = "00D000000000001"
    authorization_context: str = "SCCAC_Chat_Channel_Definition"
    audience: str | None = None  # expected JWT aud; default https://login.salesforce.com (production)
    channels: dict[str, ChannelSetup] = field(default_factory=dict)  # channelAddressIdentifier ->
    queues: dict[str, str | None] = field(default_factory=dict)  # Omni-Queue Id -> Connect queue ARN
    flows: dict[str, str | None] = field(default_factory=dict)  # Omni-Flow Id -> Omni-Queue it routes to
    # Answer with only the fields of the published response schemas (no messagingSessionId).
    strict_published_shapes: bool = False
    # Send contextParamMap.externalQueueId on /route (SCC-AC's function reads it; not published).
    send_external_queue_id: bool = True
    # Omni-Queue Id -> Group DeveloperName (the mapping records name queues by developer name).
    queue_names: dict[str, str] = field(default_factory=dict)
    # Tokens carry the api scope too, so the REST API (the mapping lookup) accepts them.
    api_scope: bool = True

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ServiceConfig:
        channels = {
            str(k).lower(): ChannelSetup(
                queue_id=v.get("queueId"), flow_id=v.get("flowId"), active=bool(v.get("active", True))
            )
            for k, v in (data.get("channels") or {}).items()
        }
        return cls(
            public_key_pem=data["publicKeyPem"],
            consumer_key=data.get("consumerKey", cls.consumer_key),
            username=data.get("username", cls.username),
            org_id=data.get("orgId", cls.org_id),
            authorization_context=data.get("authorizationContext", cls.authorization_context),
            audience=data.get("audience"),
            channels=channels,
            queues=dict(data.get("queues") or {}),
            flows=dict(data.get("flows") or {}),
            strict_published_shapes=bool(data.get("strictPublishedShapes", False)),
            send_external_queue_id=bool(data.get("sendExternalQueueId", True)),
            queue_names=dict(data.get("queueNames") or {}),
            api_scope=bool(data.get("apiScope", True)),
        )

    def queue_name(self, queue_id: str) -> str:
        """The Omni-Queue's developer name (a made-up one when the config names none)."""
        return self.queue_names.get(queue_id) or f"Queue_{queue_id[:15]}"


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


@dataclass
class MessagingSession:
    id: str
    conversation_identifier: str
    status: str = "Active"  # Active until ended; a later contact of the same user gets a new one


@dataclass
class Conversation:
    identifier: str
    channel_address_identifier: str
    subject: str
    sessions: list[MessagingSession] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)  # ids of the entries /interactions added
    history: list[dict[str, Any]] = field(default_factory=list)  # conversationHistory entries, as sent

    def open_session(self) -> MessagingSession | None:
        return next((s for s in self.sessions if s.status == "Active"), None)


@dataclass
class Routing:
    psr_id: str
    work_item_id: str
    routing_type: str
    queue_id: str | None
    routing_correlation_id: str
    routing_attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    status: int
    request_id: str | None
    body: bytes = b""
    content_type: str = ""

    def json(self) -> Any:
        """The request's JSON: the body, or for /interactions its multipart ``json`` part."""
        if self.path == INTERACTIONS:
            return _interaction_json(self.content_type, self.body)
        return json.loads(self.body or b"null")


def salesforce_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce-style Id (key prefix, counter, case-safe suffix)."""
    base = f"{prefix}{'0' * 3}{number:09d}"[:15]
    suffix = ""
    for chunk in range(3):
        bits = sum(1 << i for i, ch in enumerate(base[chunk * 5 : chunk * 5 + 5]) if ch.isupper())
        suffix += _ID_SUFFIX_CHARS[bits]
    return base + suffix


class _HttpError(Exception):
    """An error answer: HTTP status, Interaction API code, message (default: the published one)."""

    def __init__(self, status: int, code: int, message: str | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message or ERROR_CODES.get(code, f"HTTP {status}")
        super().__init__(self.message)


class LocalInteractionService:
    """The stand-in server: ``start()``, ``base_url``, state, fault injection, ``stop()``."""

    def __init__(self, config: ServiceConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config
        self._host = host
        self._port = port
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0
        self.tokens: set[str] = set()
        self.conversations: dict[str, Conversation] = {}  # by conversationIdentifier
        self._by_participant: dict[tuple[str, str], str] = {}
        self.routings: list[Routing] = []
        self._replies: dict[tuple[str, str], tuple[bytes, int, bytes]] = {}  # (path, RequestId)
        self.faults: list[Fault] = []
        self.requests: list[RecordedRequest] = []

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> LocalInteractionService:
        service = self

        class Handler(_RequestHandler):
            owner = service

        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="interaction-service",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # cuts injected delays short
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalInteractionService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the service first"
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}"

    # test controls -----------------------------------------------------------------------
    def inject(
        self,
        path: str,
        *,
        status: int | None = None,
        delay_s: float = 0.0,
        count: int = 1,
        code: int | None = None,
    ) -> None:
        """Fault the next ``count`` requests to ``path`` (``code`` alone implies HTTP 400)."""
        if code is not None and status is None:
            status = 400
        with self._lock:
            self.faults.append(Fault(path=path, status=status, delay_s=delay_s, count=count, code=code))

    def expire_tokens(self) -> None:
        """Every issued access token stops working (session timeout, revoked app)."""
        with self._lock:
            self.tokens.clear()

    def end_session(self, conversation_identifier: str) -> None:
        """The agent closed the chat: the next contact of this user opens a new session."""
        with self._lock:
            for session in self.conversations[conversation_identifier].sessions:
                session.status = "Ended"

    def calls(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def sessions(self) -> list[MessagingSession]:
        with self._lock:
            return [s for c in self.conversations.values() for s in c.sessions]

    # request handling -------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> tuple[int, bytes, str]:
        fault = self._take_fault(path)
        if fault is not None:
            if fault.delay_s:
                self._stopping.wait(fault.delay_s)
            if fault.status is not None:
                if fault.status == 401:
                    self.expire_tokens()
                code = fault.code or (10004 if fault.status == 401 else 500 if fault.status >= 500 else fault.status)
                return self._error(fault.status, code, ERROR_CODES.get(code, f"Injected HTTP {fault.status}"))
        try:
            if method != "POST":
                raise _HttpError(405, 405, f"{method} is not supported on {path}")
            if path == "/services/oauth2/token":
                return 200, json.dumps(self._token(body)).encode(), "application/json"
            if path in (INTERACTIONS, "/api/v1/conversation", "/api/v1/route", HISTORY_PATH):
                return self._api(path, headers, body)
            if path == REST_COMPOSITE:
                return self._composite(headers, body)
            raise _HttpError(404, 404, f"No resource at {path}")
        except _TokenError as exc:
            payload = {"error": exc.error, "error_description": exc.description}
            return 400, json.dumps(payload).encode(), "application/json"
        except _HttpError as exc:
            return self._error(exc.status, exc.code, exc.message)

    def _take_fault(self, path: str) -> Fault | None:
        # The session-creating call moved from /conversation to /interactions: a fault injected
        # for the old path (callers written before the move) applies to the new one too.
        paths = {path, "/api/v1/conversation"} if path == INTERACTIONS else {path}
        with self._lock:
            for fault in self.faults:
                if fault.path in paths and fault.count > 0:
                    fault.count -= 1
                    return fault
        return None

    @staticmethod
    def _error(status: int, code: int, message: str) -> tuple[int, bytes, str]:
        # The Interaction Service's Error schema: {"code": int, "message": str}, code from ERRORCODES.md
        return status, json.dumps({"code": code, "message": message}).encode(), "application/json"

    def _token(self, body: bytes) -> dict[str, Any]:
        import jwt  # PyJWT

        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") != JWT_BEARER_GRANT:
            raise _TokenError("unsupported_grant_type", "grant type not supported")
        assertion = form.get("assertion", "")
        audience = self.config.audience or DEFAULT_AUDIENCE
        try:
            claims = jwt.decode(
                assertion,
                self.config.public_key_pem,
                algorithms=["RS256"],
                audience=audience,
                options={"require": ["iss", "sub", "aud", "exp"]},
            )
        except jwt.ExpiredSignatureError:
            raise _TokenError("invalid_grant", "expired authorization code") from None
        except jwt.InvalidAudienceError:
            raise _TokenError("invalid_grant", "audience is invalid") from None
        except jwt.PyJWTError:
            raise _TokenError("invalid_grant", "invalid assertion") from None
        if claims["exp"] - time.time() > 300:
            raise _TokenError("invalid_grant", "assertion expiry is too far in the future")
        if claims["iss"] != self.config.consumer_key:
            raise _TokenError("invalid_client_id", "client identifier invalid")
        if claims["sub"] != self.config.username:
            raise _TokenError("invalid_grant", "user hasn't approved this consumer")
        token = f"{self.config.org_id}!{secrets.token_urlsafe(32)}"
        with self._lock:
            self.tokens.add(token)
        return {
            "access_token": token,
            "scope": "interaction_api api" if self.config.api_scope else "interaction_api",
            "instance_url": self.base_url,
            "id": f"{self.base_url}/id/{self.config.org_id}/005000000000001",
            "token_type": "Bearer",
        }

    def _api(self, path: str, headers: Mapping[str, str], body: bytes) -> tuple[int, bytes, str]:
        auth = headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with self._lock:
            valid = token in self.tokens
        if not valid:
            raise _HttpError(401, 10004)
        if headers.get("OrgId") != self.config.org_id:
            raise _HttpError(401, 10004)  # the OrgId header does not match the token's org
        if headers.get("AuthorizationContext") != self.config.authorization_context:
            raise _HttpError(403, 10005)
        if path == HISTORY_PATH and headers.get("AuthorizationContextType") != "ConversationChannelDefinition":
            raise _HttpError(400, 10016, "Enter a valid header: AuthorizationContextType must be ConversationChannelDefinition.")
        request_id = headers.get("RequestId", "")
        if not UUID_RE.match(request_id):
            raise _HttpError(400, 10016)
        if path == INTERACTIONS:
            data = _interaction_json(headers.get("Content-Type", ""), body)
            # A retry sends the same entry with a later timestamp: the same request all the same.
            same = json.dumps(_without_timestamps(data), sort_keys=True).encode()
        else:
            try:
                data = json.loads(body or b"null")
            except ValueError:
                raise _HttpError(400, 10089) from None
            same = body
        with self._lock:
            replay = self._replies.get((path, request_id))
        if replay is not None:
            # Same RequestId: the same answer again, nothing new created.
            if replay[0] != same:
                raise _HttpError(409, 10016, "RequestId was already used with a different body.")
            return replay[1], replay[2], "application/json"
        if not isinstance(data, dict):
            raise _HttpError(400, 10089)
        with self._lock:
            if path == INTERACTIONS:
                result = self._interaction(data)
            else:
                handler = {"/api/v1/conversation": self._conversation, HISTORY_PATH: self._history}.get(path, self._route)
                result = handler(data)
            encoded = json.dumps(result).encode()
            self._replies[(path, request_id)] = (same, 202, encoded)
        return 202, encoded, "application/json"

    def _composite(self, headers: Mapping[str, str], body: bytes) -> tuple[int, bytes, str]:
        """The REST composite request of the mapping lookup: each subrequest a SOQL query."""
        auth = headers.get("Authorization", "")
        with self._lock:
            valid = auth.startswith("Bearer ") and auth[7:] in self.tokens
        if not valid or not self.config.api_scope:
            error = [{"message": "This session is not valid for use with the REST API", "errorCode": "INVALID_SESSION_ID"}]
            return 401, json.dumps(error).encode(), "application/json"
        try:
            data = json.loads(body or b"null")
            requests = data["compositeRequest"]
            answers = [self._query(r) for r in requests]
        except (ValueError, KeyError, TypeError):
            error = [{"message": "Malformed composite request", "errorCode": "JSON_PARSER_ERROR"}]
            return 400, json.dumps(error).encode(), "application/json"
        return 200, json.dumps({"compositeResponse": answers}).encode(), "application/json"

    def _query(self, request: Mapping[str, Any]) -> dict[str, Any]:
        url = str(request["url"])
        soql = parse_qs(url.partition("?")[2]).get("q", [""])[0]
        reference = request["referenceId"]
        with self._lock:
            queues = dict(self.config.queues)
        if "FROM Connect_Queue_Mapping__mdt" in soql:
            records = [{"Omni_Queue__c": self.config.queue_name(q), "Connect_Queue_Arn__c": arn}
                       for q, arn in queues.items() if arn]
        elif "FROM Group" in soql:
            records = [{"Id": q, "DeveloperName": self.config.queue_name(q)} for q in queues]
        else:
            error = [{"message": "unsupported query in the local service", "errorCode": "MALFORMED_QUERY"}]
            return {"body": error, "httpHeaders": {}, "httpStatusCode": 400, "referenceId": reference}
        result = {"totalSize": len(records), "done": True, "records": records}
        return {"body": result, "httpHeaders": {}, "httpStatusCode": 200, "referenceId": reference}

    def _next_id(self, prefix: str) -> str:
        self._counter += 1
        return salesforce_id(prefix, self._counter)

    def _interaction(self, data: dict[str, Any]) -> dict[str, Any]:
        """InteractionRequestJson -> PostInteractionResponse (see the module docstring)."""
        channel = self._channel(data.get("to"))
        subject = data.get("from")
        if not isinstance(subject, str) or not subject or len(subject) > 255:
            raise _HttpError(400, 10054)
        interactions = data.get("interactions")
        if not isinstance(interactions, list) or len(interactions) != 1 or not isinstance(interactions[0], dict):
            raise _HttpError(400, 10089, "Invalid parameters passed to API: interactions must hold exactly one.")
        interaction = interactions[0]
        if interaction.get("interactionType") != "EntryInteraction":
            raise _HttpError(400, 10089, "Invalid parameters passed to API: only EntryInteraction is modelled.")
        timestamp = interaction.get("timestamp")
        if not isinstance(timestamp, int) or isinstance(timestamp, bool):
            raise _HttpError(400, 10089, "Invalid parameters passed to API: timestamp must be an integer (ms).")
        payload = interaction.get("payload")
        if not isinstance(payload, dict) or payload.get("entryType") != "Message":
            raise _HttpError(400, 10089, "Invalid parameters passed to API: payload must be a Message entry.")
        entry_id = payload.get("id")
        message = payload.get("abstractMessage")
        if not isinstance(entry_id, str) or not UUID_RE.match(entry_id) or not isinstance(message, dict):
            raise _HttpError(400, 10089, "Invalid parameters passed to API: the entry needs a UUID id and a message.")
        if message.get("messageType") != "StaticContentMessage" or not isinstance(message.get("staticContent"), dict):
            raise _HttpError(400, 10089, "Invalid parameters passed to API: the message must be static content.")
        conversation, session = self._establish(channel, subject)
        if entry_id not in conversation.entries:
            conversation.entries.append(entry_id)
        return {"conversationIdentifier": conversation.identifier, "workItemIds": [session.id], "success": True}

    def _channel(self, raw: Any) -> str:
        channel = str(raw or "").lower()
        if channel not in self.config.channels:
            raise _HttpError(400, 10017)
        if not self.config.channels[channel].active:
            raise _HttpError(400, 10031)
        return channel

    def _establish(self, channel: str, subject: str) -> tuple[Conversation, MessagingSession]:
        """The conversation of (channel, end user) and its open session, created when missing."""
        key = (channel, subject)
        conversation = self.conversations.get(self._by_participant.get(key, ""))
        if conversation is None:
            conversation = Conversation(str(uuid.uuid4()), channel, subject)
            self.conversations[conversation.identifier] = conversation
            self._by_participant[key] = conversation.identifier
        session = conversation.open_session()
        if session is None:
            session = MessagingSession(self._next_id("0Mw"), conversation.identifier)
            conversation.sessions.append(session)
        return conversation, session

    def _conversation(self, data: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(data.get("channelAddressIdentifier"))
        participants = data.get("participants")
        if not isinstance(participants, list) or len(participants) != 1 or not isinstance(participants[0], dict):
            raise _HttpError(400, 10053)
        participant = participants[0]
        subject = str(participant.get("subject") or "")
        if participant.get("appType") != "custom":
            raise _HttpError(400, 10037)
        if participant.get("role") != "EndUser":
            raise _HttpError(400, 10038)
        if not subject or len(subject) > 255:
            raise _HttpError(400, 10054)
        conversation, session = self._establish(channel, subject)
        if self.config.strict_published_shapes:
            # PostConversationResponse as the older published schema had it: no MessagingSession Id.
            return {"conversationIdentifier": conversation.identifier, "success": True}
        return {
            "conversationIdentifier": conversation.identifier,
            "messagingSessionId": session.id,
            "success": True,
        }

    def _history(self, data: dict[str, Any]) -> dict[str, Any]:
        """AddConversationHistoryRequest -> AddConversationHistoryResponse; the entries join the conversation."""
        channel = str(data.get("channelAddressIdentifier") or "").lower()
        if channel not in self.config.channels:
            raise _HttpError(400, 10017)
        if not self.config.channels[channel].active:
            raise _HttpError(400, 10031)
        participants = data.get("conversationParticipants")
        entries = data.get("conversationEntries")
        if not isinstance(participants, list) or not 1 <= len(participants) <= HISTORY_MAX_PARTICIPANTS:
            raise _HttpError(400, 10089, f"conversationParticipants must hold 1 to {HISTORY_MAX_PARTICIPANTS} participants.")
        if not isinstance(entries, list) or not 1 <= len(entries) <= HISTORY_MAX_ENTRIES:
            raise _HttpError(400, 10089, f"conversationEntries must hold 1 to {HISTORY_MAX_ENTRIES} entries.")
        people = [_history_participant(p) for p in participants]
        end_users = [p for p in people if p["role"] == "EndUser"]
        if len(end_users) != 1:
            raise _HttpError(400, 10053, "conversationParticipants must name exactly one EndUser.")
        conversation = self.conversations.get(self._by_participant.get((channel, end_users[0]["subject"]), ""))
        if conversation is None or not conversation.sessions:
            raise _HttpError(400, 10018, "No conversation with this end user on this channel.")
        for entry in entries:
            _check_history_entry(entry, people)
        conversation.history.extend(entries)
        return {"success": True}

    def _route(self, data: dict[str, Any]) -> dict[str, Any]:
        conversation = self.conversations.get(str(data.get("conversationIdentifier") or ""))
        if conversation is None:
            raise _HttpError(400, 10018)
        routing_type = data.get("routingType")
        if routing_type not in ("Initial", "Transfer"):
            raise _HttpError(400, 10089)
        session = conversation.open_session()
        if session is None:
            return {"success": False, "reasonForNotRouting": "The conversation has no active messaging session"}
        info = data.get("routingInfo") or {}
        if not isinstance(info, dict):
            raise _HttpError(400, 10089)
        attributes = info.get("routingAttributes")
        if attributes is not None and not (
            isinstance(attributes, dict) and all(isinstance(v, str) for v in attributes.values())
        ):
            raise _HttpError(400, 10089, "Invalid parameters passed to API: routingAttributes must map names to strings.")
        # routingAttributes alone name no route: 10030, as before (what Salesforce does is not published).
        queue_id, reason = self._resolve(conversation.channel_address_identifier, info)
        if queue_id is None:
            return {"success": False, "reasonForNotRouting": reason, "workItemId": session.id}
        routing = Routing(self._next_id("0JR"), session.id, routing_type, queue_id, str(uuid.uuid4()),
                          dict(attributes or {}))
        self.routings.append(routing)
        context = {"queueId": queue_id}
        arn = self.config.queues.get(queue_id)
        if arn and self.config.send_external_queue_id:
            context["externalQueueId"] = arn
        return {
            "success": True,
            "routingCorrelationId": routing.routing_correlation_id,
            "psrId": routing.psr_id,
            "workItemId": session.id,
            "contextParamMap": context,
        }

    def _resolve(self, channel: str, info: dict[str, Any]) -> tuple[str | None, str]:
        """Which Omni-Queue the work lands in: override queue, override flow, or channel setup.

        ``routingInfo`` (RoutingInfo): ``flow`` (FlowInfo ``{flowId, queueId}``, queueId the
        fallback) or ``queueId``. A flow without its fallback queue is error 10024; a
        routingInfo naming both a flow and a queue, or neither, is 10030.
        """
        flow = info.get("flow")
        routes = {k for k in ("flow", "queueId") if info.get(k)}
        if info and len(routes) != 1:
            raise _HttpError(400, 10030)
        if flow is not None:
            if not isinstance(flow, dict) or not flow.get("flowId") or not flow.get("queueId"):
                raise _HttpError(400, 10024)
            return self._by_flow(str(flow["flowId"]), flow.get("queueId"))
        if info.get("queueId"):
            return self._queue(str(info["queueId"])), ""
        setup = self.config.channels[channel]
        if setup.flow_id:
            return self._by_flow(setup.flow_id, setup.queue_id)
        if setup.queue_id:
            return self._queue(setup.queue_id), ""
        return None, "The messaging channel has no Omni-Flow or Omni-Queue routing configured"

    def _by_flow(self, flow_id: str, fallback: Any) -> tuple[str | None, str]:
        if flow_id not in self.config.flows:
            raise _HttpError(400, 10089, f"Invalid parameters passed to API: no active Omni-Flow {flow_id}.")
        target = self.config.flows[flow_id] or (str(fallback) if fallback else None)
        if target is None:
            return None, "The Omni-Flow ended without a Route Work action and no fallback queue was given"
        return self._queue(target), ""

    def _queue(self, queue_id: str) -> str:
        if queue_id not in self.config.queues:
            raise _HttpError(400, 10032)
        return queue_id


def _interaction_json(content_type: str, body: bytes) -> Any:
    """The ``json`` part of a multipart/form-data body, parsed; 400 10089 when there is none."""
    from email.parser import BytesParser
    from email.policy import HTTP

    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise _HttpError(400, 10089, "Invalid parameters passed to API: the body must be multipart/form-data.")
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    parts = [p for p in message.iter_parts() if p.get_param("name", header="content-disposition") == "json"] \
        if message.is_multipart() else []
    if len(parts) != 1:
        raise _HttpError(400, 10089, "Invalid parameters passed to API: the body needs exactly one part named json.")
    raw = parts[0].get_payload(decode=True)
    try:
        return json.loads(raw if isinstance(raw, bytes) else b"null")
    except ValueError:
        raise _HttpError(400, 10089, "Invalid parameters passed to API: the json part is not JSON.") from None


def _without_timestamps(data: Any) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        return data
    return {**data, "interactions": [
        {k: v for k, v in i.items() if k != "timestamp"} if isinstance(i, dict) else i for i in data["interactions"]
    ]}


HISTORY_PATH = "/api/v1/conversationHistory"
# AddConversationHistoryRequest: maxItems of conversationEntries and conversationParticipants.
HISTORY_MAX_ENTRIES = 5
HISTORY_MAX_PARTICIPANTS = 3


def _history_participant(raw: Any) -> dict[str, str]:
    """A ConversationParticipant's ``participant``, checked (joinedTime is required)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("joinedTime"), int) or isinstance(raw.get("joinedTime"), bool):
        raise _HttpError(400, 10089, "Each conversationParticipant needs a participant and an integer joinedTime.")
    participant = raw.get("participant")
    if not isinstance(participant, dict) or participant.get("appType") != "custom":
        raise _HttpError(400, 10037)
    if participant.get("role") not in ("EndUser", "Chatbot"):
        raise _HttpError(400, 10038)
    subject = participant.get("subject")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise _HttpError(400, 10054)
    return {"appType": "custom", "role": participant["role"], "subject": subject}


def _check_history_entry(entry: Any, people: list[dict[str, str]]) -> None:
    """A ConversationEntry: integer clientTimestamp, a sender among the participants, a Message payload."""
    if not isinstance(entry, dict) or not isinstance(entry.get("clientTimestamp"), int):
        raise _HttpError(400, 10089, "Each conversationEntry needs an integer clientTimestamp.")
    if entry.get("sender") not in people:
        raise _HttpError(400, 10089, "A conversationEntry's sender is not one of the conversationParticipants.")
    payload = entry.get("entryPayload")
    if not isinstance(payload, dict) or payload.get("entryType") != "Message" or not UUID_RE.match(str(payload.get("id"))):
        raise _HttpError(400, 10089, "entryPayload must be a Message entry with a UUID id.")
    message = payload.get("abstractMessage")
    content = message.get("staticContent") if isinstance(message, dict) else None
    if (not isinstance(message, dict) or message.get("messageType") != "StaticContentMessage"
            or not isinstance(content, dict) or content.get("formatType") != "Text"
            or not isinstance(content.get("text"), str)):
        raise _HttpError(400, 10089, "abstractMessage must be a StaticContentMessage with Text content.")


class _TokenError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(error)
        self.error = error
        self.description = description


class _RequestHandler(BaseHTTPRequestHandler):
    owner: LocalInteractionService
    protocol_version = "HTTP/1.1"  # keep-alive, like the real service

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus the
        # client's delayed ACK adds ~40 ms to every keep-alive response.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        self._dispatch("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        status, payload, content_type = self.owner.handle(method, path, dict(self.headers.items()), body)
        with self.owner._lock:
            self.owner.requests.append(RecordedRequest(method, path, status, self.headers.get("RequestId"),
                                                       body, self.headers.get("Content-Type") or ""))
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test); nothing to answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence access logs
        return


def main(argv: list[str] | None = None) -> None:
    """Run the stand-in until Ctrl-C: ``python -m sccac.testing.interaction_service --config c.json``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--config", required=True, help="JSON: publicKeyPem, consumerKey, username, orgId, "
                        "authorizationContext, audience, channels, queues, flows, strictPublishedShapes "
                        "(see docs/lambdas.md)")
    parser.add_argument("--port", type=int, default=8085)
    args = parser.parse_args(argv)
    with open(args.config, encoding="utf-8") as handle:
        config = ServiceConfig.from_dict(json.load(handle))
    with LocalInteractionService(config, port=args.port) as service:
        print(f"Local Interaction Service on {service.base_url} (Ctrl-C to stop)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
