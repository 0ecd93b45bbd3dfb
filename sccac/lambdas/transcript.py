"""Convert an Amazon Connect chat transcript (the JSON file Connect stores in S3) to conversation entries.

Connect writes ``{"Participants": [...], "Transcript": [item, ...]}``; each item has ``Type``
(``MESSAGE``, ``ATTACHMENT``, ``EVENT``), ``ContentType``, ``ParticipantRole`` (``CUSTOMER``,
``CUSTOM_BOT``, ``SYSTEM``, ``AGENT``, ``SUPERVISOR``), ``ParticipantId``, ``DisplayName``,
``AbsoluteTime`` and ``Id``. The Interaction Service takes ``ConversationEntry`` objects
(inbound-interaction-api.yaml): a ``sender`` Participant (role ``EndUser`` or ``Chatbot``), a
``clientTimestamp`` in ms and an ``entryPayload`` ``Message`` whose ``abstractMessage`` is a
``StaticContentMessage`` with ``Text`` content.

What becomes what (one function per kind, tested one by one):

- plain text and markdown messages: their text (markdown as written);
- interactive messages (list pickers, quick replies, panels, ...): the title, then one line per
  option ("- option"); a customer's answer to one: the chosen option's title. Text, because the
  history is a record to read and the choice messages of the Interaction Service need option ids
  of a message Salesforce itself sent;
- attachments: one line naming the file and its type (the file stays in Connect's bucket: the
  history call carries no files);
- participant joined / left events: the participant's ``joinedTime`` / ``leftTime``;
- typing indicators, delivered / read receipts and "chat ended": not conversation content,
  skipped without being counted;
- anything else (an agent's message, an unknown content type, a message without text or time):
  counted by kind (``Type`` and ``ContentType``, never its text) and skipped.

Customer messages are sent as the ``EndUser`` whose subject is the messaging session's client
id; bot and system messages as a ``Chatbot`` whose subject is the Connect participant id.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sccac.lambdas.ids import UUID_RE
from sccac.lambdas.redact import clip, escape

TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive"
INTERACTIVE_RESPONSE = "application/vnd.amazonaws.connect.message.interactive.response"
JOINED = "application/vnd.amazonaws.connect.event.participant.joined"
LEFT = "application/vnd.amazonaws.connect.event.participant.left"
# Events that say nothing a reader of the conversation needs.
NOT_CONTENT = frozenset({
    "application/vnd.amazonaws.connect.event.typing",
    "application/vnd.amazonaws.connect.event.message.delivered",
    "application/vnd.amazonaws.connect.event.message.read",
    "application/vnd.amazonaws.connect.event.chat.ended",
})
END_USER = "EndUser"
CHATBOT = "Chatbot"
# Connect roles whose messages a bot-only conversation holds.
BOT_ROLES = frozenset({"CUSTOM_BOT", "SYSTEM"})
# Fixed namespace: the same transcript item always gets the same entry and message ids.
_ENTRY_NAMESPACE = uuid.UUID("0b6f5c3e-3f1a-4d0e-9a51-7c2d9e4b1a60")


@dataclass(frozen=True)
class Sender:
    """A conversation participant: role (EndUser | Chatbot) and subject."""

    role: str
    subject: str

    def as_participant(self) -> dict[str, str]:
        return {"appType": "custom", "subject": self.subject, "role": self.role}


@dataclass
class ParticipantTimes:
    display_name: str = ""
    joined_ms: int | None = None
    left_ms: int | None = None

    def saw(self, at_ms: int) -> None:
        self.joined_ms = at_ms if self.joined_ms is None else min(self.joined_ms, at_ms)


@dataclass(frozen=True)
class Entry:
    """One ConversationEntry, with the sender kept apart for batching."""

    entry_id: str
    sender: Sender
    timestamp_ms: int
    text: str

    def as_conversation_entry(self) -> dict[str, Any]:
        return {
            "clientTimestamp": self.timestamp_ms,
            "sender": self.sender.as_participant(),
            "entryPayload": {
                "entryType": "Message",
                "id": self.entry_id,
                "abstractMessage": {
                    "messageType": "StaticContentMessage",
                    "id": str(uuid.uuid5(_ENTRY_NAMESPACE, self.entry_id + "/message")),
                    "staticContent": {"formatType": "Text", "text": self.text},
                },
            },
        }


@dataclass
class Conversion:
    """The entries in time order, who took part and when, and what could not be converted."""

    end_user: Sender
    entries: list[Entry] = field(default_factory=list)
    participants: dict[Sender, ParticipantTimes] = field(default_factory=dict)
    not_converted: Counter[str] = field(default_factory=Counter)  # kind -> count
    not_content: int = 0

    @property
    def not_converted_count(self) -> int:
        return sum(self.not_converted.values())

    def conversation_participant(self, sender: Sender) -> dict[str, Any]:
        times = self.participants.get(sender) or ParticipantTimes()
        first = min((e.timestamp_ms for e in self.entries if e.sender == sender), default=0)
        body: dict[str, Any] = {
            "participant": sender.as_participant(),
            "joinedTime": times.joined_ms if times.joined_ms is not None else first,
        }
        if times.display_name:
            body["displayName"] = times.display_name
        if times.left_ms is not None:
            body["leftTime"] = times.left_ms
        return body


def convert(document: Any, client_id: str, contact_id: str) -> Conversion:
    """The conversion of a transcript document (parsed JSON) for the end user ``client_id``."""
    result = Conversion(end_user=Sender(END_USER, client_id))
    items = document.get("Transcript") if isinstance(document, Mapping) else None
    if not isinstance(items, list):
        result.not_converted["transcript without a Transcript list"] += 1
        return result
    for item in items:
        _convert_item(item, result, contact_id)
    result.entries.sort(key=lambda e: e.timestamp_ms)
    result.participants.setdefault(result.end_user, ParticipantTimes())
    return result


def _convert_item(item: Any, result: Conversion, contact_id: str) -> None:
    if not isinstance(item, Mapping):
        result.not_converted["item that is not an object"] += 1
        return
    kind, content_type = _text_field(item, "Type"), _text_field(item, "ContentType")
    at_ms = timestamp_ms(item.get("AbsoluteTime"))
    sender = _sender(item, result.end_user, contact_id)
    if kind == "EVENT" and content_type in NOT_CONTENT:
        result.not_content += 1
        return
    text = None
    if at_ms is not None and sender is not None:
        if kind == "EVENT":
            if _participant_event(item, content_type, sender, at_ms, result):
                return
        elif kind == "MESSAGE":
            text = message_text(content_type, item.get("Content"))
        elif kind == "ATTACHMENT":
            text = attachment_text(item.get("Attachments"))
    if text is None or at_ms is None or sender is None:
        result.not_converted[kind_of(item)] += 1
        return
    times = result.participants.setdefault(sender, ParticipantTimes())
    times.display_name = times.display_name or _text_field(item, "DisplayName")
    result.entries.append(Entry(_entry_id(item, contact_id, len(result.entries)), sender, at_ms, text))


def _participant_event(item: Mapping[str, Any], content_type: str, sender: Sender, at_ms: int,
                       result: Conversion) -> bool:
    if content_type not in (JOINED, LEFT):
        return False
    times = result.participants.setdefault(sender, ParticipantTimes())
    times.display_name = times.display_name or _text_field(item, "DisplayName")
    if content_type == JOINED:
        times.saw(at_ms)
    else:
        times.left_ms = at_ms if times.left_ms is None else max(times.left_ms, at_ms)
    return True


def message_text(content_type: str, content: Any) -> str | None:
    """The text of a MESSAGE item, or None when it cannot be converted."""
    if not isinstance(content, str) or not content.strip():
        return None
    if content_type in TEXT_TYPES:
        return content
    if content_type == INTERACTIVE:
        return interactive_text(content)
    if content_type == INTERACTIVE_RESPONSE:
        return interactive_response_text(content)
    return None


def interactive_text(content: str) -> str | None:
    """An interactive message (``{"templateType", "data": {"content": {...}}}``) as title + options."""
    body = _interactive_content(content)
    if body is None:
        return None
    lines = [str(body[k]) for k in ("title", "subtitle") if isinstance(body.get(k), str) and body[k].strip()]
    elements = body.get("elements")
    for element in elements if isinstance(elements, list) else []:
        title = element.get("title") if isinstance(element, Mapping) else None
        if isinstance(title, str) and title.strip():
            lines.append(f"- {title}")
    return "\n".join(lines) or None


def interactive_response_text(content: str) -> str | None:
    """A customer's answer to an interactive message: the title of what was chosen."""
    body = _interactive_content(content)
    title = body.get("title") if body is not None else None
    return title if isinstance(title, str) and title.strip() else None


def attachment_text(attachments: Any) -> str | None:
    """One line per attachment: its name, its type, and whether Connect let it through."""
    if not isinstance(attachments, list) or not attachments:
        return None
    lines = []
    for attachment in attachments:
        if not isinstance(attachment, Mapping):
            return None
        name = _text_field(attachment, "AttachmentName") or "unnamed file"
        content_type = _text_field(attachment, "ContentType") or "unknown type"
        status = _text_field(attachment, "Status")
        state = "" if status in ("", "APPROVED") else f", {status.lower()}"
        lines.append(f"[Attachment: {name} ({content_type}{state})]")
    return "\n".join(lines)


def kind_of(item: Mapping[str, Any]) -> str:
    """How an unconverted item is counted and logged: its Type, ContentType and role, never its text."""
    parts = [_text_field(item, "Type") or "no Type", _text_field(item, "ContentType") or "no ContentType"]
    role = _text_field(item, "ParticipantRole")
    if role and role != "CUSTOMER" and role not in BOT_ROLES:
        parts.append(f"role {role}")
    return clip(escape(" ".join(parts)), 120)


def utc_time(value: Any) -> datetime | None:
    """An ISO 8601 time with its zone (Connect writes UTC with Z) as an aware UTC datetime; None otherwise,
    since a local time cannot be placed."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(timezone.utc) if parsed.tzinfo else None


def timestamp_ms(value: Any) -> int | None:
    """``AbsoluteTime`` (ISO 8601, e.g. 2026-12-02T10:15:30.123Z) in epoch milliseconds."""
    parsed = utc_time(value)
    return None if parsed is None else int(parsed.timestamp() * 1000)


def _sender(item: Mapping[str, Any], end_user: Sender, contact_id: str) -> Sender | None:
    role = _text_field(item, "ParticipantRole")
    if role == "CUSTOMER":
        return end_user
    if role in BOT_ROLES:
        participant = _text_field(item, "ParticipantId")
        # A system message may carry no participant id: one stable subject per contact stands in.
        return Sender(CHATBOT, participant or str(uuid.uuid5(_ENTRY_NAMESPACE, f"{contact_id}/{role}")))
    return None  # AGENT, SUPERVISOR: not part of a bot-only conversation


def _entry_id(item: Mapping[str, Any], contact_id: str, position: int) -> str:
    # Connect's item Id is a UUID: reuse it, so Salesforce's entry is traceable to Connect's.
    raw = _text_field(item, "Id")
    if UUID_RE.match(raw):
        return raw.lower()
    return str(uuid.uuid5(_ENTRY_NAMESPACE, f"{contact_id}/{raw or position}"))


def _interactive_content(content: str) -> Mapping[str, Any] | None:
    try:
        document = json.loads(content)
    except ValueError:
        return None
    data = document.get("data") if isinstance(document, Mapping) else None
    body = data.get("content") if isinstance(data, Mapping) else None
    return body if isinstance(body, Mapping) else None


def _text_field(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return value.strip() if isinstance(value, str) else ""
