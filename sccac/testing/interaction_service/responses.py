"""The stand-in's wire format: read each request as the published API defines it, answer in its JSON.

Request and response shapes are those of salesforce-misc/interaction-service-apis
``inbound-interaction-api.yaml``; state changes go to :class:`InteractionBackend`, errors are
the :mod:`exceptions`, answered with their status and body. With ``strict_published_shapes``
the answers hold only the fields of the published schemas: ``PostConversationResponse`` as the
older schema had it (``conversationIdentifier`` and ``success``, no ``messagingSessionId``,
which the reference lists, optional, since October 2025).

A request repeated with the same ``RequestId`` header gets the first answer again and changes
nothing; the same RequestId with another body is refused (409, 10016).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from sccac.lambdas.ids import UUID_RE
from sccac.testing.interaction_service.exceptions import (
    InvalidAccessToken,
    InvalidAuthorizationContext,
    InvalidHeader,
    InvalidParameters,
    InvalidParticipants,
    InvalidParticipantSubject,
    MethodNotAllowed,
    RequestIdReused,
    ResourceNotFound,
    RestApiError,
    ServiceError,
    UnsupportedAppType,
    UnsupportedParticipantRole,
)
from sccac.testing.interaction_service.models import InteractionBackend, ServiceConfig
from sccac.testing.interaction_service.oauth import verify_assertion
from sccac.testing.interaction_service.urls import HISTORY_PATH, INTERACTIONS, URL_PATHS

#: An answer: HTTP status, body, Content-Type.
Answer = tuple[int, bytes, str]

# AddConversationHistoryRequest: maxItems of conversationEntries and conversationParticipants.
HISTORY_MAX_ENTRIES = 5
HISTORY_MAX_PARTICIPANTS = 3
ROUTING_TYPES = ("Initial", "Transfer")
MAX_SUBJECT_LENGTH = 255
_JSON = "application/json"


def json_answer(status: int, data: Any) -> Answer:
    return status, json.dumps(data).encode(), _JSON


def error_answer(error: ServiceError) -> Answer:
    return json_answer(error.status, error.body())


@dataclass(frozen=True)
class Request:
    path: str
    headers: Mapping[str, str]
    body: bytes


class InteractionResponses:
    """Answers the endpoints of :data:`URL_PATHS` from ``backend``; ``base_url`` is where the stand-in listens."""

    def __init__(self, backend: InteractionBackend, base_url: Callable[[], str]) -> None:
        self.backend = backend
        self._base_url = base_url

    @property
    def config(self) -> ServiceConfig:
        return self.backend.config

    def dispatch(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        try:
            if method != "POST":
                raise MethodNotAllowed(f"{method} is not supported on {path}")
            endpoint = URL_PATHS.get(path)
            if endpoint is None:
                raise ResourceNotFound(f"No resource at {path}")
            answer: Answer = getattr(self, endpoint)(Request(path, headers, body))
            return answer
        except ServiceError as exc:
            return error_answer(exc)

    # POST /services/oauth2/token ------------------------------------------------------------
    def token(self, request: Request) -> Answer:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        verify_assertion(form, self.config)
        token = self.backend.issue_token()
        base_url = self._base_url()
        return json_answer(200, {
            "access_token": token,
            "scope": "interaction_api api" if self.config.api_scope else "interaction_api",
            "instance_url": base_url,
            "id": f"{base_url}/id/{self.config.org_id}/005000000000001",
            "token_type": "Bearer",
        })

    # The Interaction API ----------------------------------------------------------------------
    def interactions(self, request: Request) -> Answer:
        return self._api(request, self._interaction)

    def conversation(self, request: Request) -> Answer:
        return self._api(request, self._conversation)

    def route(self, request: Request) -> Answer:
        return self._api(request, self._route)

    def conversation_history(self, request: Request) -> Answer:
        return self._api(request, self._history)

    def _api(self, request: Request, answer: Callable[[dict[str, Any]], dict[str, Any]]) -> Answer:
        """Headers checked, body read, a repeated RequestId answered again, else ``answer`` (202)."""
        request_id = self._authorize(request)
        data, same = _request_json(request)
        key = (request.path, request_id)
        with self.backend.lock:
            replay = self.backend.replies.get(key)
        if replay is not None:
            if replay[0] != same:
                raise RequestIdReused("RequestId was already used with a different body.")
            return replay[1], replay[2], _JSON
        if not isinstance(data, dict):
            raise InvalidParameters()
        with self.backend.lock:
            encoded = json.dumps(answer(data)).encode()
            self.backend.replies[key] = (same, 202, encoded)
        return 202, encoded, _JSON

    def _authorize(self, request: Request) -> str:
        """The request's RequestId, once its token, org and authorization context are the org's."""
        headers = request.headers
        auth = headers.get("Authorization", "")
        if not self.backend.token_valid(auth[7:] if auth.startswith("Bearer ") else ""):
            raise InvalidAccessToken()
        if headers.get("OrgId") != self.config.org_id:
            raise InvalidAccessToken()  # the OrgId header does not match the token's org
        if headers.get("AuthorizationContext") != self.config.authorization_context:
            raise InvalidAuthorizationContext()
        if request.path == HISTORY_PATH and headers.get("AuthorizationContextType") != "ConversationChannelDefinition":
            raise InvalidHeader("Enter a valid header: AuthorizationContextType must be ConversationChannelDefinition.")
        request_id = headers.get("RequestId", "")
        if not UUID_RE.match(request_id):
            raise InvalidHeader()
        return request_id

    def _interaction(self, data: dict[str, Any]) -> dict[str, Any]:
        """InteractionRequestJson -> PostInteractionResponse.

        The conversation of (``to``, ``from``) and its open MessagingSession, created when missing;
        the workItemId is the new or existing session. A repeated entry (same entry id) adds
        nothing, which the published material does not state (docs/lambdas.md).
        """
        channel = self.backend.channel(data.get("to"))
        subject = data.get("from")
        if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT_LENGTH:
            raise InvalidParticipantSubject()
        entry_id = _message_entry_id(_single_interaction(data.get("interactions")))
        conversation, session = self.backend.add_entry(channel, subject, entry_id)
        return {"conversationIdentifier": conversation.identifier, "workItemIds": [session.id], "success": True}

    def _conversation(self, data: dict[str, Any]) -> dict[str, Any]:
        """PostConversationRequest -> PostConversationResponse: a repeat returns the same records."""
        channel = self.backend.channel(data.get("channelAddressIdentifier"))
        subject = _end_user_subject(data.get("participants"))
        conversation, session = self.backend.establish(channel, subject)
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
        channel = self.backend.channel(data.get("channelAddressIdentifier"))
        participants = data.get("conversationParticipants")
        entries = data.get("conversationEntries")
        if not isinstance(participants, list) or not 1 <= len(participants) <= HISTORY_MAX_PARTICIPANTS:
            raise InvalidParameters(f"conversationParticipants must hold 1 to {HISTORY_MAX_PARTICIPANTS} participants.")
        if not isinstance(entries, list) or not 1 <= len(entries) <= HISTORY_MAX_ENTRIES:
            raise InvalidParameters(f"conversationEntries must hold 1 to {HISTORY_MAX_ENTRIES} entries.")
        people = [_history_participant(p) for p in participants]
        end_users = [p for p in people if p["role"] == "EndUser"]
        if len(end_users) != 1:
            raise InvalidParticipants("conversationParticipants must name exactly one EndUser.")
        conversation = self.backend.end_user_conversation(channel, end_users[0]["subject"])
        for entry in entries:
            _check_history_entry(entry, people)
        self.backend.add_history(conversation, entries)
        return {"success": True}

    def _route(self, data: dict[str, Any]) -> dict[str, Any]:
        """PostRouteRequest -> PostRouteResponse: a PendingServiceRouting in the resolved Omni-Queue.

        ``contextParamMap`` carries ``queueId`` and, when the queue is mapped, ``externalQueueId``
        (the Connect queue ARN) unless ``send_external_queue_id`` is off (the published reference
        does not list that key). ``routingInfo.routingAttributes`` are kept with the routing.
        """
        conversation = self.backend.conversation(str(data.get("conversationIdentifier") or ""))
        routing_type = data.get("routingType")
        if routing_type not in ROUTING_TYPES:
            raise InvalidParameters()
        session = conversation.open_session()
        if session is None:
            return {"success": False, "reasonForNotRouting": "The conversation has no active messaging session"}
        info, attributes = _routing_info(data.get("routingInfo"))
        # routingAttributes alone name no route: 10030, as before (what Salesforce does is not published).
        routing, reason = self.backend.route(conversation, session, str(routing_type), info, attributes)
        if routing is None:
            return {"success": False, "reasonForNotRouting": reason, "workItemId": session.id}
        return {
            "success": True,
            "routingCorrelationId": routing.routing_correlation_id,
            "psrId": routing.psr_id,
            "workItemId": session.id,
            "contextParamMap": self._route_context(routing.queue_id),
        }

    def _route_context(self, queue_id: str | None) -> dict[str, Any]:
        context: dict[str, Any] = {"queueId": queue_id}
        arn = self.config.queues.get(queue_id) if queue_id else None
        if arn and self.config.send_external_queue_id:
            context["externalQueueId"] = arn
        return context

    # POST /services/data/v62.0/composite: the org's REST API --------------------------------
    def composite(self, request: Request) -> Answer:
        """The REST composite request of the mapping lookup: each subrequest a SOQL query."""
        auth = request.headers.get("Authorization", "")
        valid = auth.startswith("Bearer ") and self.backend.token_valid(auth[7:])
        if not valid or not self.config.api_scope:
            raise RestApiError(401, "INVALID_SESSION_ID", "This session is not valid for use with the REST API")
        try:
            data = json.loads(request.body or b"null")
            answers = [self._query(r) for r in data["compositeRequest"]]
        except (ValueError, KeyError, TypeError):
            raise RestApiError(400, "JSON_PARSER_ERROR", "Malformed composite request") from None
        return json_answer(200, {"compositeResponse": answers})

    def _query(self, request: Mapping[str, Any]) -> dict[str, Any]:
        url = str(request["url"])
        soql = parse_qs(url.partition("?")[2]).get("q", [""])[0]
        reference = request["referenceId"]
        if "FROM Connect_Queue_Mapping__mdt" in soql:
            records = self.backend.queue_mapping_records()
        elif "FROM Group" in soql:
            records = self.backend.queue_group_records()
        else:
            error = [{"message": "unsupported query in the local service", "errorCode": "MALFORMED_QUERY"}]
            return {"body": error, "httpHeaders": {}, "httpStatusCode": 400, "referenceId": reference}
        result = {"totalSize": len(records), "done": True, "records": records}
        return {"body": result, "httpHeaders": {}, "httpStatusCode": 200, "referenceId": reference}


def interaction_json(content_type: str, body: bytes) -> Any:
    """The ``json`` part of a multipart/form-data body, parsed; 400 10089 when there is none."""
    from email.parser import BytesParser
    from email.policy import HTTP

    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise InvalidParameters("Invalid parameters passed to API: the body must be multipart/form-data.")
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    parts = [p for p in message.iter_parts() if p.get_param("name", header="content-disposition") == "json"] \
        if message.is_multipart() else []
    if len(parts) != 1:
        raise InvalidParameters("Invalid parameters passed to API: the body needs exactly one part named json.")
    raw = parts[0].get_payload(decode=True)
    try:
        return json.loads(raw if isinstance(raw, bytes) else b"null")
    except ValueError:
        raise InvalidParameters("Invalid parameters passed to API: the json part is not JSON.") from None


def _request_json(request: Request) -> tuple[Any, bytes]:
    """The request's JSON and what a repeat of it must match to count as the same request."""
    if request.path == INTERACTIONS:
        data = interaction_json(request.headers.get("Content-Type", ""), request.body)
        # A retry sends the same entry with a later timestamp: the same request all the same.
        return data, json.dumps(_without_timestamps(data), sort_keys=True).encode()
    try:
        return json.loads(request.body or b"null"), request.body
    except ValueError:
        raise InvalidParameters() from None


def _without_timestamps(data: Any) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        return data
    return {**data, "interactions": [
        {k: v for k, v in i.items() if k != "timestamp"} if isinstance(i, dict) else i for i in data["interactions"]
    ]}


def _single_interaction(interactions: Any) -> dict[str, Any]:
    """The one EntryInteraction of an InteractionRequestJson, with its integer (ms) timestamp."""
    if not isinstance(interactions, list) or len(interactions) != 1 or not isinstance(interactions[0], dict):
        raise InvalidParameters("Invalid parameters passed to API: interactions must hold exactly one.")
    interaction = interactions[0]
    if interaction.get("interactionType") != "EntryInteraction":
        raise InvalidParameters("Invalid parameters passed to API: only EntryInteraction is modelled.")
    timestamp = interaction.get("timestamp")
    if not isinstance(timestamp, int) or isinstance(timestamp, bool):
        raise InvalidParameters("Invalid parameters passed to API: timestamp must be an integer (ms).")
    return interaction


def _message_entry_id(interaction: dict[str, Any]) -> str:
    """The id of the interaction's payload: a Message entry with a UUID id and static content."""
    payload = interaction.get("payload")
    if not isinstance(payload, dict) or payload.get("entryType") != "Message":
        raise InvalidParameters("Invalid parameters passed to API: payload must be a Message entry.")
    entry_id = payload.get("id")
    message = payload.get("abstractMessage")
    if not isinstance(entry_id, str) or not UUID_RE.match(entry_id) or not isinstance(message, dict):
        raise InvalidParameters("Invalid parameters passed to API: the entry needs a UUID id and a message.")
    if message.get("messageType") != "StaticContentMessage" or not isinstance(message.get("staticContent"), dict):
        raise InvalidParameters("Invalid parameters passed to API: the message must be static content.")
    return entry_id


def _end_user_subject(participants: Any) -> str:
    """The subject of a conversation request's one participant: a custom app's EndUser."""
    if not isinstance(participants, list) or len(participants) != 1 or not isinstance(participants[0], dict):
        raise InvalidParticipants()
    participant = participants[0]
    subject = str(participant.get("subject") or "")
    if participant.get("appType") != "custom":
        raise UnsupportedAppType()
    if participant.get("role") != "EndUser":
        raise UnsupportedParticipantRole()
    if not subject or len(subject) > MAX_SUBJECT_LENGTH:
        raise InvalidParticipantSubject()
    return subject


def _routing_info(raw: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """RoutingInfo (empty when left out) and its routingAttributes, names to strings."""
    info = raw or {}
    if not isinstance(info, dict):
        raise InvalidParameters()
    attributes = info.get("routingAttributes")
    if attributes is not None and not (
        isinstance(attributes, dict) and all(isinstance(v, str) for v in attributes.values())
    ):
        raise InvalidParameters("Invalid parameters passed to API: routingAttributes must map names to strings.")
    return info, dict(attributes or {})


def _history_participant(raw: Any) -> dict[str, str]:
    """A ConversationParticipant's ``participant``, checked (joinedTime is required)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("joinedTime"), int) or isinstance(raw.get("joinedTime"), bool):
        raise InvalidParameters("Each conversationParticipant needs a participant and an integer joinedTime.")
    participant = raw.get("participant")
    if not isinstance(participant, dict) or participant.get("appType") != "custom":
        raise UnsupportedAppType()
    if participant.get("role") not in ("EndUser", "Chatbot"):
        raise UnsupportedParticipantRole()
    subject = participant.get("subject")
    if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT_LENGTH:
        raise InvalidParticipantSubject()
    return {"appType": "custom", "role": participant["role"], "subject": subject}


def _check_history_entry(entry: Any, people: list[dict[str, str]]) -> None:
    """A ConversationEntry: integer clientTimestamp, a sender among the participants, a Message payload."""
    if not isinstance(entry, dict) or not isinstance(entry.get("clientTimestamp"), int):
        raise InvalidParameters("Each conversationEntry needs an integer clientTimestamp.")
    if entry.get("sender") not in people:
        raise InvalidParameters("A conversationEntry's sender is not one of the conversationParticipants.")
    payload = entry.get("entryPayload")
    if not isinstance(payload, dict) or payload.get("entryType") != "Message" or not UUID_RE.match(str(payload.get("id"))):
        raise InvalidParameters("entryPayload must be a Message entry with a UUID id.")
    _check_text_message(payload.get("abstractMessage"))


def _check_text_message(message: Any) -> None:
    content = message.get("staticContent") if isinstance(message, dict) else None
    if (not isinstance(message, dict) or message.get("messageType") != "StaticContentMessage"
            or not isinstance(content, dict) or content.get("formatType") != "Text"
            or not isinstance(content.get("text"), str)):
        raise InvalidParameters("abstractMessage must be a StaticContentMessage with Text content.")
