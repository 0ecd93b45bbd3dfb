"""A bot-only chat for the ContactDisconnected function against local services: tests, bench, offline demo.

``ChatWorld`` holds the Connect fake (contact APIs from ``connect.contacts``, the chat transcript
storage from ``connect.storage``), chat contacts started with their attributes, an S3 bucket
(moto's, or any boto3 S3 client), and writes Connect-shaped transcripts (``bot_only_transcript``)
where Connect would.
``run_for_contact`` in ``sccac.lambdas.contact_disconnected`` runs the function for the contact.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sccac.testing.connect import ConnectBackend, ConnectFake
from sccac.testing.connect.contacts import ContactOperations
from sccac.testing.connect.models import Contact
from sccac.testing.connect.storage import StorageConfigs

BOT_PARTICIPANT = "b07b07b0-0000-4000-8000-00000000b07b"
CUSTOMER_PARTICIPANT = "c0570000-0000-4000-8000-0000c0570000"
TRANSCRIPT_PREFIX = "connect/sccac/ChatTranscripts"
_MINIMAL_FLOW = json.dumps({"Version": "2019-10-30", "StartAction": "end", "Actions": []})


def item(kind: str, role: str, at: datetime, *, content: str | None = None,
         content_type: str = "text/plain", participant: str | None = None, **extra: Any) -> dict[str, Any]:
    """One transcript item the way Connect writes it."""
    body: dict[str, Any] = {
        "AbsoluteTime": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
        "ContentType": content_type,
        "Id": str(uuid.uuid4()),
        "Type": kind,
        "ParticipantId": participant or (CUSTOMER_PARTICIPANT if role == "CUSTOMER" else BOT_PARTICIPANT),
        "DisplayName": {"CUSTOMER": "Customer", "CUSTOM_BOT": "BOT", "SYSTEM": "SYSTEM_MESSAGE"}.get(role, role),
        "ParticipantRole": role,
        **extra,
    }
    if content is not None:
        body["Content"] = content
    return body


def bot_only_transcript(contact_id: str, messages: int, start: datetime, *, instance_id: str = "",
                        extra_items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A chat in which a customer and a bot take turns for ``messages`` messages, with join/leave events."""
    items = [item("EVENT", "CUSTOMER", start, content_type="application/vnd.amazonaws.connect.event.participant.joined")]
    for n in range(messages):
        role = "CUSTOMER" if n % 2 == 0 else "CUSTOM_BOT"
        at = start + timedelta(seconds=2 * n + 1)
        items.append(item("MESSAGE", role, at, content=f"message {n + 1} from {role.lower()}"))
    end = start + timedelta(seconds=2 * messages + 1)
    items.append(item("EVENT", "CUSTOMER", end, content_type="application/vnd.amazonaws.connect.event.participant.left"))
    items += extra_items or []
    return {
        "Version": "2019-08-26",
        "AWSAccountId": "123456789012",
        "InstanceId": instance_id,
        "InitialContactId": contact_id,
        "ContactId": contact_id,
        "Participants": [{"ParticipantId": CUSTOMER_PARTICIPANT}, {"ParticipantId": BOT_PARTICIPANT}],
        "Transcript": items,
    }


@dataclass
class ChatWorld:
    fake: ConnectFake
    instance_id: str
    instance_arn: str
    s3: Any
    bucket: str
    storage: StorageConfigs
    flow_id: str

    @classmethod
    def create(cls, s3: Any, bucket: str, *, backend: ConnectBackend | None = None) -> ChatWorld:
        """A Connect instance whose chat transcripts go to ``bucket`` (created here)."""
        fake = ConnectFake(backend or ConnectBackend(rate=1000.0, burst=1000))
        ContactOperations(fake)
        instance = fake.backend.create_instance("sccac-transcripts")
        flow = fake.backend.create_contact_flow(instance.id, "Inbound chat", "CONTACT_FLOW", _MINIMAL_FLOW)
        return cls.attach(fake, instance.id, s3, bucket, flow_id=flow.id)

    @classmethod
    def attach(cls, fake: ConnectFake, instance_id: str, s3: Any, bucket: str, *,
               storage: StorageConfigs | None = None, flow_id: str = "") -> ChatWorld:
        """Chat transcript storage in ``bucket`` (created here) for an instance that exists (the offline demo's).

        The fake must answer GetContactAttributes (a ``ContactOperations`` attached, as the demo's is).
        """
        instance = fake.backend.instance(instance_id)
        storage = storage or StorageConfigs(fake)
        s3.create_bucket(Bucket=bucket)
        storage.associate(instance.id, "CHAT_TRANSCRIPTS", {
            "StorageType": "S3", "S3Config": {"BucketName": bucket, "BucketPrefix": TRANSCRIPT_PREFIX},
        })
        return cls(fake, instance.id, instance.arn, s3, bucket, storage, flow_id)

    def start_chat(self, attributes: dict[str, str]) -> str:
        """A chat contact with these contact attributes; returns its ContactId."""
        return self.fake.backend.start_contact(self.instance_id, "CHAT", self.flow_id, attributes, "Customer").id

    def contact(self, contact_id: str) -> Contact:
        return next(c for c in self.fake.backend.instance(self.instance_id).contacts if c.id == contact_id)

    def attributes(self, contact_id: str) -> dict[str, str]:
        return dict(self.contact(contact_id).attributes)

    def store_transcript(self, contact_id: str, document: dict[str, Any], at: datetime) -> str:
        """Write the transcript where Connect writes it; returns the key."""
        key = f"{TRANSCRIPT_PREFIX}/{at:%Y/%m/%d}/{contact_id}_{at:%Y%m%dT%H:%M}_UTC.json"
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=json.dumps(document).encode())
        return key


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
