"""Bot-only chats in the offline system: the chat ends, ContactDisconnected copies its transcript to the org.

A chat a bot answered to the end never reaches an agent, so no Salesforce conversation holds it
until the ContactDisconnected function (``sccac.lambdas.contact_disconnected``) sends its
transcript with /api/v1/conversationHistory. Here the offline Connect instance stores chat
transcripts in an in-memory S3 bucket (``sccac.testing.object_store``), the chat's transcript is
written there as Connect writes it, and the contact-disconnected event goes through the real
function code against the local Interaction Service, whose conversation keeps the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sccac.lambdas import runtime
from sccac.lambdas.contact_disconnected import DisconnectDependencies, DisconnectSettings, run_for_contact
from sccac.lambdas.transcript_store import PollPlan
from sccac.clock import VirtualClock
from sccac.testing.connect import ConnectFake
from sccac.testing.connect.contacts import ContactOperations
from sccac.testing.connect.models import Contact
from sccac.testing.object_store import InMemoryS3
from sccac.testing.transcripts import ChatWorld, bot_only_transcript

if TYPE_CHECKING:
    from sccac.offline.system import OfflineSystem

#: The offline org's CallCenter record Id, as CreateMessagingSession stores it on the contact.
OFFLINE_CALL_CENTER = "04v000000000001AAA"
TRANSCRIPT_BUCKET = "sccac-offline-chat-transcripts"
EVENT_DELAY_S = 2.5  # virtual seconds from the chat's end to the event (the API budget refills)


@dataclass(frozen=True)
class BotChatResult:
    """What the function answered for the ended chat and what the offline org holds for it now."""

    contact_id: str
    result: dict[str, Any]  # the function's answer (status, entriesSent, batchesSent, ...)
    history: list[dict[str, Any]]  # the conversation's history entries in the org, in time order

    @property
    def status(self) -> str:
        return str(self.result.get("status", ""))

    @property
    def texts(self) -> list[str]:
        return [e["entryPayload"]["abstractMessage"]["staticContent"]["text"] for e in self.history]


@dataclass
class BotChats:
    """Chat transcript storage and the ContactDisconnected function for one running offline system."""

    system: OfflineSystem
    s3: InMemoryS3 = field(default_factory=InMemoryS3)
    world: ChatWorld | None = None

    def _world(self) -> ChatWorld:
        if self.world is None:
            fake = ConnectFake(self.system.connect)
            ContactOperations(fake)
            self.world = ChatWorld.attach(fake, self.system.config.instance_id, self.s3, TRANSCRIPT_BUCKET)
        return self.world

    def _deps(self, world: ChatWorld) -> DisconnectDependencies:
        # The Lambdas' runtime the system installed (settings, secret, token, Interaction Service client).
        plan = PollPlan(attempts=1, interval_s=0.0, reserve_s=1.0)
        return DisconnectDependencies(runtime.current(), world.fake.client(max_attempts=1), self.s3,
                                      DisconnectSettings(OFFLINE_CALL_CENTER, plan), VirtualClock())

    def _contact(self, world: ChatWorld, contact_id: str, client_id: str | None) -> None:
        instance = self.system.connect.instance(world.instance_id)
        if any(c.id == contact_id for c in instance.contacts):
            return  # the event is delivered again for a contact Connect already has
        flow = next(f for f in instance.flows.values() if f.type == "CONTACT_FLOW")
        attributes = {"channelAddressIdentifier": self.system.config.channel_address_identifier,
                      "callCenterId": OFFLINE_CALL_CENTER}
        if client_id:
            attributes["clientId"] = client_id
        instance.contacts.append(Contact(contact_id, "CHAT", flow.id, attributes, "Customer"))

    def end(self, contact_id: str, messages: int, *, client_id: str | None = None) -> BotChatResult:
        """A chat of ``messages`` customer/bot messages ends without an agent; the event is delivered."""
        service = self.system.service
        if service is None:
            raise RuntimeError("start the offline system first: with OfflineSystem() as system")
        world = self._world()
        self._contact(world, contact_id, client_id)
        ended = datetime.now(timezone.utc)
        world.store_transcript(contact_id, bot_only_transcript(contact_id, messages, ended - timedelta(minutes=2),
                                                               instance_id=world.instance_id), ended)
        # The function's three Connect calls share the instance's API budget with the wiring and the
        # router (2 a second, bursts of 5): virtual seconds pass as they do between a chat's end and
        # the event's delivery, with any offer timing out on the way as it would.
        self.system.wait(EVENT_DELAY_S)
        result = run_for_contact(self.system.config.instance_arn, contact_id, self._deps(world))
        return BotChatResult(contact_id, result, self.history(contact_id, client_id))

    def history(self, contact_id: str, client_id: str | None = None) -> list[dict[str, Any]]:
        """The history entries the org's conversation for this chat holds (none: no conversation yet)."""
        service = self.system.service
        assert service is not None
        subject = client_id or contact_id
        entries = [e for c in service.conversations.values() if c.subject == subject for e in c.history]
        # Batches go out concurrently: read them in time order.
        return sorted(entries, key=lambda e: e["clientTimestamp"])
