"""The contact a simulated flow runs for: its fixed data and the state the flow changes.

`Contact` is what the caller gives (channel, attributes, agent, pre-set queue...);
`ContactState` is what the blocks read and write while the flow runs (attributes,
External, FlowAttributes, working queue, recording behaviour). Dynamic values such as
``$.Attributes.x`` or ``$.Agent.UserName`` resolve against both.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

CHANNELS = ("CHAT", "VOICE", "TASK", "EMAIL")
DEFAULT_INSTANCE_ARN = "arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-000000000000"
DEFAULT_CONTACT_ID = "11111111-2222-4333-8444-555555555555"


@dataclass(frozen=True)
class WorkingQueue:
    """The contact's TargetQueue: a standard queue (id or ARN) or an agent's personal queue."""

    kind: str  # "queue" or "agent"
    id: str
    name: str | None = None

    def describe(self) -> str:
        return f"agent queue of {self.id}" if self.kind == "agent" else f"queue {self.id}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.name:
            out["name"] = self.name
        return out


@dataclass(frozen=True)
class Contact:
    """Everything Connect knows about the contact before the flow starts."""

    contact_id: str = DEFAULT_CONTACT_ID
    channel: str = "CHAT"
    attributes: dict[str, str] = field(default_factory=dict)
    initial_contact_id: str | None = None
    previous_contact_id: str | None = None
    instance_arn: str = DEFAULT_INSTANCE_ARN
    initiation_method: str = "API"
    # Agent namespace: in an agent-transfer flow this is the agent the quick connect targets.
    agent_user_name: str | None = None
    agent_arn: str | None = None
    # A queue already set before the flow starts (a queue transfer sets it as it starts the flow).
    queue_arn: str | None = None
    queue_name: str | None = None
    customer_endpoint: str | None = None
    customer_endpoint_type: str | None = None
    system_endpoint: str | None = None
    name: str | None = None  # task contacts carry a name
    description: str | None = None
    references: dict[str, Any] = field(default_factory=dict)
    language_code: str = "en-US"

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(CHANNELS)}, not {self.channel!r}")
        for key, value in self.attributes.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise ValueError(f"contact attribute {key!r} must be a string key with a string value")


@dataclass
class RecordingState:
    """What Set recording and analytics behavior left on the contact."""

    recorded_participants: list[str] | None = None
    analytics_enabled: bool = False
    chat_analytics_modes: list[str] = field(default_factory=list)
    voice_analytics_modes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "recorded_participants": self.recorded_participants,
            "analytics_enabled": self.analytics_enabled,
            "chat_analytics_modes": list(self.chat_analytics_modes),
            "voice_analytics_modes": list(self.voice_analytics_modes),
        }


@dataclass
class ContactState:
    """Mutable flow data of one simulated contact."""

    contact: Contact
    attributes: dict[str, str]
    external: dict[str, Any] = field(default_factory=dict)
    flow_attributes: dict[str, str] = field(default_factory=dict)
    working_queue: WorkingQueue | None = None
    recording: RecordingState = field(default_factory=RecordingState)
    flow_logging: str | None = None
    messages: list[str] = field(default_factory=list)
    stored_customer_input: str | None = None
    lambda_invocation_id: str | None = None

    @classmethod
    def start(cls, contact: Contact) -> ContactState:
        queue = WorkingQueue("queue", contact.queue_arn, contact.queue_name) if contact.queue_arn else None
        return cls(contact=contact, attributes=dict(contact.attributes), working_queue=queue)

    def snapshot(self) -> dict[str, Any]:
        return {
            "attributes": dict(self.attributes),
            "external": copy.deepcopy(self.external),
            "flow_attributes": dict(self.flow_attributes),
            "working_queue": self.working_queue.to_dict() if self.working_queue else None,
        }

    def lookup(self, path: str) -> Any:
        """The value a ``$.`` JSONPath points at, or None when it does not resolve.

        Connect resolves a missing value to nothing (Check contact attributes then matches no
        condition); the callers decide what "nothing" means for their block.
        """
        if not path.startswith("$."):
            return path
        parts = path[2:].split(".")
        head, rest = parts[0], parts[1:]
        contact = self.contact
        if head == "Attributes":
            return _dig(self.attributes, rest)
        if head == "External":
            return _dig(self.external, rest)
        if head == "FlowAttributes":
            return _dig(self.flow_attributes, rest)
        if head == "Agent":
            agent = {"UserName": contact.agent_user_name, "ARN": contact.agent_arn}
            return _dig(agent, rest)
        if head == "Queue":
            queue = self.working_queue
            data = {"ARN": queue.id, "Name": queue.name} if queue and queue.kind == "queue" else {}
            if queue and queue.kind == "queue" and "/queue/" in queue.id:
                data["Id"] = queue.id.rsplit("/", 1)[-1]
            return _dig(data, rest)
        if head == "CustomerEndpoint":
            return _dig({"Address": contact.customer_endpoint, "Type": contact.customer_endpoint_type}, rest)
        if head == "SystemEndpoint":
            return _dig({"Address": contact.system_endpoint}, rest)
        if head == "LambdaInvocation":
            return _dig({"InvocationId": self.lambda_invocation_id}, rest)
        scalars = {
            "Channel": contact.channel,
            "ContactId": contact.contact_id,
            "InitialContactId": contact.initial_contact_id or contact.contact_id,
            "PreviousContactId": contact.previous_contact_id,
            "InstanceARN": contact.instance_arn,
            "InitiationMethod": contact.initiation_method,
            "Name": contact.name,
            "Description": contact.description,
            "LanguageCode": contact.language_code,
            "StoredCustomerInput": self.stored_customer_input,
        }
        if head in scalars and not rest:
            return scalars[head]
        return None

    def resolve(self, value: Any) -> Any:
        """A block parameter's value: static values as they are, ``$.`` paths looked up."""
        if isinstance(value, str) and value.startswith("$."):
            return self.lookup(value)
        return value


def _dig(data: Any, keys: list[str]) -> Any:
    current = data
    for key in keys:
        if not isinstance(current, dict) or key not in current:
            return None
        current = current[key]
    return current
