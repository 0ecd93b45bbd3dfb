"""The stand-in org's state and rules: tokens, conversations, messaging sessions, routings, replies.

Nothing here knows HTTP: ``responses.py`` checks a request's shape, calls
:class:`InteractionBackend` and turns what it returns (or the :mod:`exceptions` it raises)
into the published JSON answers.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sccac.testing.interaction_service.exceptions import (
    FlowWithoutFallbackQueue,
    InactiveChannel,
    InvalidConversation,
    InvalidParameters,
    InvalidQueue,
    NoSingleRoute,
    UnknownChannel,
)

_ID_SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


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


def salesforce_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce-style Id (key prefix, counter, case-safe suffix)."""
    base = f"{prefix}{'0' * 3}{number:09d}"[:15]
    suffix = ""
    for chunk in range(3):
        bits = sum(1 << i for i, ch in enumerate(base[chunk * 5 : chunk * 5 + 5]) if ch.isupper())
        suffix += _ID_SUFFIX_CHARS[bits]
    return base + suffix


class InteractionBackend:
    """One org's Interaction Service state: issued tokens, conversations and their sessions, routings."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        # Requests run on one thread each. Re-entrant: a response holds the lock across the
        # backend calls of one request and the reply it records for the request's RequestId.
        self.lock = threading.RLock()
        self._counter = 0
        self.tokens: set[str] = set()
        self.conversations: dict[str, Conversation] = {}  # by conversationIdentifier
        self._by_participant: dict[tuple[str, str], str] = {}  # (channel, end user subject) ->
        self.routings: list[Routing] = []
        # (path, RequestId) -> (request as compared, status, answer): a repeated RequestId gets the same answer.
        self.replies: dict[tuple[str, str], tuple[bytes, int, bytes]] = {}

    # access tokens ----------------------------------------------------------------------
    def issue_token(self) -> str:
        token = f"{self.config.org_id}!{secrets.token_urlsafe(32)}"
        with self.lock:
            self.tokens.add(token)
        return token

    def token_valid(self, token: str) -> bool:
        with self.lock:
            return token in self.tokens

    def expire_tokens(self) -> None:
        """Every issued access token stops working (session timeout, revoked app)."""
        with self.lock:
            self.tokens.clear()

    # channels, conversations, sessions ----------------------------------------------------
    def channel(self, raw: Any) -> str:
        """The channelAddressIdentifier, known and active (10017, 10031)."""
        channel = str(raw or "").lower()
        if channel not in self.config.channels:
            raise UnknownChannel()
        if not self.config.channels[channel].active:
            raise InactiveChannel()
        return channel

    def establish(self, channel: str, subject: str) -> tuple[Conversation, MessagingSession]:
        """The conversation of (channel, end user) and its open session, created when missing."""
        with self.lock:
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

    def add_entry(self, channel: str, subject: str, entry_id: str) -> tuple[Conversation, MessagingSession]:
        """An end user's message entry: its conversation and open session; a repeated entry adds nothing."""
        with self.lock:
            conversation, session = self.establish(channel, subject)
            if entry_id not in conversation.entries:
                conversation.entries.append(entry_id)
            return conversation, session

    def conversation(self, identifier: str) -> Conversation:
        with self.lock:
            conversation = self.conversations.get(identifier)
        if conversation is None:
            raise InvalidConversation()
        return conversation

    def end_user_conversation(self, channel: str, end_user: str) -> Conversation:
        """The conversation of ``end_user`` on ``channel`` that had a session (10018 without one)."""
        with self.lock:
            conversation = self.conversations.get(self._by_participant.get((channel, end_user), ""))
        if conversation is None or not conversation.sessions:
            raise InvalidConversation("No conversation with this end user on this channel.")
        return conversation

    def add_history(self, conversation: Conversation, entries: list[dict[str, Any]]) -> None:
        """conversationHistory entries join the conversation, as sent."""
        with self.lock:
            conversation.history.extend(entries)

    def end_session(self, conversation_identifier: str) -> None:
        """The agent closed the chat: the next contact of this user opens a new session."""
        with self.lock:
            for session in self.conversations[conversation_identifier].sessions:
                session.status = "Ended"

    def sessions(self) -> list[MessagingSession]:
        with self.lock:
            return [s for c in self.conversations.values() for s in c.sessions]

    # routing --------------------------------------------------------------------------------
    def route(self, conversation: Conversation, session: MessagingSession, routing_type: str,
              info: dict[str, Any], attributes: dict[str, str]) -> tuple[Routing | None, str]:
        """A PendingServiceRouting for ``session`` in the resolved Omni-Queue, or None and the reason why not."""
        queue_id, reason = self._resolve(conversation.channel_address_identifier, info)
        if queue_id is None:
            return None, reason
        with self.lock:
            routing = Routing(self._next_id("0JR"), session.id, routing_type, queue_id, str(uuid.uuid4()),
                              dict(attributes))
            self.routings.append(routing)
        return routing, ""

    def _resolve(self, channel: str, info: dict[str, Any]) -> tuple[str | None, str]:
        """Which Omni-Queue the work lands in: override queue, override flow, or channel setup.

        ``routingInfo`` (RoutingInfo): ``flow`` (FlowInfo ``{flowId, queueId}``, queueId the
        fallback) or ``queueId``. A flow without its fallback queue is error 10024; a
        routingInfo naming both a flow and a queue, or neither, is 10030.
        """
        flow = info.get("flow")
        routes = {k for k in ("flow", "queueId") if info.get(k)}
        if info and len(routes) != 1:
            raise NoSingleRoute()
        if flow is not None:
            if not isinstance(flow, dict) or not flow.get("flowId") or not flow.get("queueId"):
                raise FlowWithoutFallbackQueue()
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
            raise InvalidParameters(f"Invalid parameters passed to API: no active Omni-Flow {flow_id}.")
        target = self.config.flows[flow_id] or (str(fallback) if fallback else None)
        if target is None:
            return None, "The Omni-Flow ended without a Route Work action and no fallback queue was given"
        return self._queue(target), ""

    def _queue(self, queue_id: str) -> str:
        if queue_id not in self.config.queues:
            raise InvalidQueue()
        return queue_id

    # the org's records the REST API answers from ---------------------------------------------
    def queue_mapping_records(self) -> list[dict[str, Any]]:
        """Connect_Queue_Mapping__mdt: the active mappings (Omni-Queues with a Connect queue ARN)."""
        return [{"Omni_Queue__c": self.config.queue_name(q), "Connect_Queue_Arn__c": arn}
                for q, arn in self._queues().items() if arn]

    def queue_group_records(self) -> list[dict[str, Any]]:
        """Group: each Omni-Queue's Id and DeveloperName."""
        return [{"Id": q, "DeveloperName": self.config.queue_name(q)} for q in self._queues()]

    def _queues(self) -> dict[str, str | None]:
        with self.lock:  # a test may remap a queue while a request reads them
            return dict(self.config.queues)

    def _next_id(self, prefix: str) -> str:
        with self.lock:
            self._counter += 1
            return salesforce_id(prefix, self._counter)
