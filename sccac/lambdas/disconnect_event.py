"""Parse the EventBridge "Amazon Connect Contact Event" that triggers the contact-disconnected function.

``{"source": "aws.connect", "detail-type": "Amazon Connect Contact Event", "time": ...,
"detail": {"eventType": "DISCONNECTED", "channel": "CHAT", "instanceArn", "contactId",
"initialContactId", "agentInfo"?, "initiationTimestamp"?, ...}}``. ``agentInfo`` is there once
the contact reached an agent. Whatever the event holds, parsing returns the event or raises
``InvalidInputError`` quoting at most a short, escaped excerpt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sccac.clock import Clock, RealClock
from sccac.lambdas.errors import InvalidInputError
from sccac.lambdas.ids import CONNECT_INSTANCE_ARN_RE as INSTANCE_ARN_RE
from sccac.lambdas.ids import UUID_RE
from sccac.lambdas.redact import quote
from sccac.lambdas.transcript import utc_time

WARM_UP_SOURCE = "aws.events"


@dataclass(frozen=True)
class DisconnectEvent:
    contact_id: str
    initial_contact_id: str
    instance_arn: str
    instance_id: str
    event_type: str
    channel: str
    reached_agent: bool
    time: datetime  # when EventBridge saw the event (UTC)
    initiated: datetime | None  # when the chat started, if the event says


def is_warm_up(event: Any) -> bool:
    return isinstance(event, Mapping) and event.get("source") == WARM_UP_SOURCE


def parse_disconnect_event(event: Any, clock: Clock | None = None) -> DisconnectEvent:
    detail = event.get("detail") if isinstance(event, Mapping) else None
    if not isinstance(detail, Mapping):
        raise InvalidInputError(
            "The event has no detail object: it is not an Amazon Connect contact event.",
            field="detail",
            fix="Trigger the function with the stack's EventBridge rule (Amazon Connect Contact Event, "
            "DISCONNECTED, CHAT).",
        )
    contact_id = _uuid(detail, "contactId")
    initial = detail.get("initialContactId")
    initial_id = _uuid(detail, "initialContactId") if initial not in (None, "") else contact_id
    instance_arn = detail.get("instanceArn")
    match = INSTANCE_ARN_RE.match(instance_arn) if isinstance(instance_arn, str) else None
    if match is None:
        raise InvalidInputError(
            f"detail.instanceArn '{quote(instance_arn, 120)}' is not a Connect instance ARN.",
            field="detail.instanceArn",
            contact_id=contact_id,
            fix="Trigger the function with the stack's EventBridge rule; Connect always sends the instance ARN.",
        )
    agent = detail.get("agentInfo")
    return DisconnectEvent(
        contact_id=contact_id,
        initial_contact_id=initial_id,
        instance_arn=match.string,
        instance_id=match.group("instance").lower(),
        event_type=str(detail.get("eventType") or ""),
        channel=str(detail.get("channel") or ""),
        reached_agent=isinstance(agent, Mapping) and bool(agent),
        # An event without its time is filed under the day ``clock`` (real time unless given) says.
        time=utc_time(event.get("time")) or datetime.fromtimestamp((clock or RealClock()).time(), timezone.utc),
        initiated=utc_time(detail.get("initiationTimestamp")),
    )


def _uuid(detail: Mapping[str, Any], key: str) -> str:
    value = detail.get(key)
    if not isinstance(value, str) or not UUID_RE.match(value.strip()):
        raise InvalidInputError(
            f"detail.{key} is missing or not a contact id (a UUID).",
            field=f"detail.{key}",
            fix="Trigger the function with the stack's EventBridge rule; Connect always sends it.",
        )
    return value.strip().lower()
