"""ContactDisconnected Lambda: copy a bot-only chat's transcript into Salesforce as conversation history.

Triggered by the stack's EventBridge rule (Amazon Connect Contact Event, ``DISCONNECTED``,
``CHAT``, this instance). Steps, each a clear result or a typed error (docs/lambdas.md):

1. not mine: a contact that reached an agent, that belongs to another call center
   (``callCenterId`` attribute), or that has no ``channelAddressIdentifier`` attribute is
   ``IGNORED`` with the reason, and logged; nothing else is called;
2. already sent: the contact attribute ``sccacHistoryComplete`` says an earlier delivery of
   this event sent everything: ``ALREADY_SENT``, nothing is sent again;
3. the transcript, through the instance's chat transcript storage (``transcript_store``),
   waiting for it while it is not there yet;
4. the conversion (``transcript``); items it cannot convert are counted and logged by kind;
5. the messaging session, made sure of through CreateMessagingSession's own code;
6. the history (``history``): 5 entries and 3 participants a request, 3 requests at a time,
   RequestIds derived from the contact and the batch; the batches sent are recorded on the
   contact (``sccacHistorySent``) so a repeated event does not send them again.

Result: ``SUCCESS``, or ``PARTIAL`` with ``notConverted`` (how many transcript items were
skipped), or a raised ``LambdaError`` (EventBridge's asynchronous invoke retries those).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sccac.clock import Clock, RealClock
from sccac.lambdas import runtime
from sccac.lambdas.budget import SAFETY_MARGIN_MS, Deadline, remaining_ms
from sccac.lambdas.config import Settings, call_center_id
from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.disconnect_event import DisconnectEvent, is_warm_up, parse_disconnect_event
from sccac.lambdas.errors import ConfigurationError, InternalError, InvalidInputError, LambdaError
from sccac.lambdas.history import HistoryBatch, batches, send_all
from sccac.lambdas.ids import UUID_RE
from sccac.lambdas.log import log
from sccac.lambdas.redact import quote
from sccac.lambdas.transcript import convert
from sccac.lambdas.transcript_store import (
    PollPlan,
    aws_call,
    find_transcript,
    key_prefixes,
    transcript_location,
)

NAME = "contact_disconnected"
SENT_ATTRIBUTE = "sccacHistorySent"  # comma-separated keys of the batches Salesforce accepted
COMPLETE_ATTRIBUTE = "sccacHistoryComplete"  # "true" once every batch is in
# One history request may take this long: a hung answer must not hold its slot (one of three)
# for the whole minute the function has.
HISTORY_CALL_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class DisconnectSettings:
    """This function's own settings (besides the Salesforce ones in ``config.Settings``)."""

    # The CallCenter record Id CreateMessagingSession stores as the callCenterId attribute; ""
    # (unset) handles the chats that carry none, as the flows store "" then.
    call_center_id: str = ""
    plan: PollPlan = field(default_factory=PollPlan)
    history_call_timeout_s: float = HISTORY_CALL_TIMEOUT_S

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DisconnectSettings:
        env = os.environ if env is None else env
        call_center = call_center_id(env)
        return cls(call_center, PollPlan(
            attempts=_number(env, "TRANSCRIPT_POLL_ATTEMPTS", 3, 1, 10, int),
            interval_s=_number(env, "TRANSCRIPT_POLL_INTERVAL_SECONDS", 10.0, 0.0, 60.0, float),
        ))


@dataclass
class DisconnectDependencies:
    core: runtime.Dependencies  # settings, secrets, token, Interaction Service client
    connect: Any  # boto3 Connect client
    s3: Any  # boto3 S3 client
    settings: DisconnectSettings
    # The function's time: its deadline, the waits for the transcript (real time unless given).
    clock: Clock = field(default_factory=RealClock)


# The Lambda runtime's clock; the dependencies built from the environment run on it too.
_CLOCK = RealClock()


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point (Handler: sccac.lambdas.contact_disconnected.handler)."""
    started = _CLOCK.monotonic()
    if is_warm_up(event):
        return {}
    return _run(event, context, started, _CLOCK, _current_dependencies)


def contact_disconnected(event: Any, context: Any, deps: DisconnectDependencies) -> dict[str, Any]:
    """Same as ``handler`` with explicit dependencies (tests, the offline demo, the bench)."""
    started = deps.clock.monotonic()
    if is_warm_up(event):
        return {}
    return _run(event, context, started, deps.clock, lambda: deps)


def disconnected_event(instance_arn: str, contact_id: str, *, initial_contact_id: str | None = None,
                       agent_connected: bool = False, time_iso: str | None = None) -> dict[str, Any]:
    """The EventBridge event Connect sends when a chat contact ends (for the offline demo and tests).

    Without ``time_iso`` it is stamped with the real time: Connect files the transcript under
    the real day, whatever clock the function runs on.
    """
    now = datetime.fromtimestamp(RealClock().time(), timezone.utc)
    detail: dict[str, Any] = {
        "eventType": "DISCONNECTED",
        "channel": "CHAT",
        "instanceArn": instance_arn,
        "contactId": contact_id,
        "initialContactId": initial_contact_id or contact_id,
        "initiationMethod": "API",
    }
    if agent_connected:
        detail["agentInfo"] = {"agentArn": f"{instance_arn}/agent/00000000-0000-4000-8000-000000000000"}
    return {
        "version": "0",
        "source": "aws.connect",
        "detail-type": "Amazon Connect Contact Event",
        "time": time_iso or now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": [instance_arn],
        "detail": detail,
    }


class _Context:
    """A Lambda context for callers outside the runtime (the offline demo): ``seconds`` to run on ``clock``."""

    def __init__(self, seconds: float, clock: Clock) -> None:
        self._clock = clock
        self._ends_at = clock.monotonic() + seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._ends_at - self._clock.monotonic()) * 1000))


def run_for_contact(instance_arn: str, contact_id: str, deps: DisconnectDependencies,
                    *, seconds: float = 60.0) -> dict[str, Any]:
    """Run the function for one ended chat contact against the given (local) services."""
    return contact_disconnected(disconnected_event(instance_arn, contact_id), _Context(seconds, deps.clock), deps)


# -- the work ---------------------------------------------------------------------------------


def _run(event: Any, context: Any, started: float, clock: Clock, deps_of: Any) -> dict[str, Any]:
    """``started``: the invocation's start on ``clock``, which the deadline and the logged time run on."""
    contact_id = _contact_id_for_log(event)

    def elapsed_ms() -> int:
        return int((clock.monotonic() - started) * 1000)

    try:
        parsed = parse_disconnect_event(event, clock)  # first: a wrong event says so whatever else is wrong
        deadline = Deadline(remaining_ms(context) - SAFETY_MARGIN_MS, started=started, clock=clock)
        result = _handle(parsed, deadline, deps_of())
    except LambdaError as exc:
        exc.with_contact(contact_id)
        log(logging.ERROR, f"{NAME}.failed", contactId=contact_id, elapsedMs=elapsed_ms(),
            **{k: v for k, v in exc.as_dict().items() if k != "contactId"})
        raise
    except Exception as exc:  # noqa: BLE001 - only the type is reported: its text could hold data
        error = InternalError(f"Unexpected {type(exc).__name__} in {NAME}.", contact_id=contact_id,
                              fix="See the function's CloudWatch logs for this contact id; report it if it repeats.")
        log(logging.ERROR, f"{NAME}.failed", contactId=contact_id, elapsedMs=elapsed_ms(),
            error=error.code, exceptionType=type(exc).__name__)
        raise error from None
    level = logging.INFO if result["status"] != "PARTIAL" else logging.WARNING
    log(level, f"{NAME}.{result['status'].lower()}", elapsedMs=elapsed_ms(), **result)
    return result


def _handle(event: DisconnectEvent, deadline: Deadline, deps: DisconnectDependencies) -> dict[str, Any]:
    if event.event_type != "DISCONNECTED" or event.channel != "CHAT":
        return _ignored(event, "NOT_A_DISCONNECTED_CHAT", f"eventType {quote(event.event_type, 40)}, "
                        f"channel {quote(event.channel, 20)}: the function handles ended chats only")
    if event.reached_agent:
        return _ignored(event, "REACHED_AGENT", "the chat reached an agent: the agent's Salesforce "
                        "conversation already holds it")
    attributes = _attributes(deps, event, deadline)
    call_center = attributes.get("callCenterId", "")
    if call_center != deps.settings.call_center_id:
        return _ignored(event, "OTHER_CALL_CENTER", f"callCenterId '{quote(call_center, 80)}' is not this "
                        f"function's CALL_CENTER_ID '{deps.settings.call_center_id}'")
    channel = attributes.get("channelAddressIdentifier", "").strip()
    if not channel:
        return _ignored(event, "NO_CHANNEL_ADDRESS", "the contact has no channelAddressIdentifier "
                        "attribute: it is not a Salesforce messaging chat")
    if not UUID_RE.match(channel):
        raise InvalidInputError("The contact attribute channelAddressIdentifier is not a UUID.",
                                field="channelAddressIdentifier", contact_id=event.contact_id,
                                fix="Set it in the flow to the MessagingChannel's ChannelAddressIdentifier.")
    if attributes.get(COMPLETE_ATTRIBUTE) == "true":
        return {"status": "ALREADY_SENT", "contactId": event.contact_id, "entriesSent": 0, "batchesSent": 0}
    return _copy(event, attributes, channel.lower(), deadline, deps)


def _copy(event: DisconnectEvent, attributes: dict[str, str], channel: str, deadline: Deadline,
          deps: DisconnectDependencies) -> dict[str, Any]:
    location = transcript_location(deps.connect, event.instance_id, deadline)
    days = [event.time] + ([event.initiated] if event.initiated else [])
    # The waits between looks run on the deadline's clock (deps.clock, or the runtime's).
    transcript = find_transcript(deps.s3, location, key_prefixes(location, event.contact_id, days), deadline,
                                 deps.settings.plan)
    client_id = attributes.get("clientId", "").strip() or event.initial_contact_id
    conversion = convert(transcript.document, client_id, event.contact_id)
    if conversion.not_converted:
        # Kinds only (Type, ContentType, role): the text of a message never reaches the logs.
        log(logging.WARNING, f"{NAME}.not_converted", contactId=event.contact_id,
            count=conversion.not_converted_count, kinds=dict(conversion.not_converted))
    result: dict[str, Any] = {
        "status": "PARTIAL" if conversion.not_converted else "SUCCESS",
        "contactId": event.contact_id,
        "transcript": f"s3://{transcript.bucket}/{transcript.key}",
        "transcriptLooks": transcript.looks,
        "notConverted": conversion.not_converted_count,
    }
    if not conversion.entries:
        return {**result, "entriesSent": 0, "batchesSent": 0}
    session = _ensure_session(event, attributes, deadline, deps)
    all_batches = batches(conversion, channel, event.initial_contact_id)
    done = set(filter(None, attributes.get(SENT_ATTRIBUTE, "").split(",")))
    pending = [b for b in all_batches if b.key not in done]
    cap_s = deps.settings.history_call_timeout_s
    outcome = send_all(pending, lambda b: deps.core.api.post_conversation_history(
        b.body, b.request_id, deadline.capped(cap_s)))
    _mark_sent(deps, event, done | {b.key for b in outcome.sent}, all_batches, deadline)
    if outcome.failed:
        first = outcome.failed[0][1]
        raise type(first)(
            f"{len(outcome.failed)} of {len(all_batches)} conversationHistory requests failed "
            f"({len(outcome.sent)} sent now, {len(all_batches) - len(pending)} earlier); first failure: {first.message}",
            contact_id=event.contact_id, field=first.field, fix=first.fix, status=first.status,
        )
    return {
        **result,
        "conversationIdentifier": session.get("conversationIdentifier", ""),
        "entriesSent": sum(b.entries for b in outcome.sent),
        "batchesSent": len(outcome.sent),
        "batchesAlreadySent": len(all_batches) - len(pending),
    }


def _ensure_session(event: DisconnectEvent, attributes: dict[str, str], deadline: Deadline,
                    deps: DisconnectDependencies) -> dict[str, str]:
    """CreateMessagingSession's own code, for the contact as the flow would have called it."""
    flow_event = {
        "Name": "ContactFlowEvent",
        "Details": {
            "ContactData": {
                "ContactId": event.initial_contact_id,
                "InitialContactId": event.initial_contact_id,
                "Channel": "CHAT",
                "InstanceARN": event.instance_arn,
                "Attributes": dict(attributes),
            },
            "Parameters": {},
        },
    }
    return create_messaging_session(flow_event, _Remaining(deadline), deps.core)


class _Remaining:
    """The time left on this function's deadline, as a Lambda context for the session call."""

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return int(self._deadline.remaining_s() * 1000) + SAFETY_MARGIN_MS


def _attributes(deps: DisconnectDependencies, event: DisconnectEvent, deadline: Deadline) -> dict[str, str]:
    answer = aws_call("Connect GetContactAttributes", "ConnectInstanceArn", deadline,
                      deps.connect.get_contact_attributes, InstanceId=event.instance_id,
                      InitialContactId=event.initial_contact_id)
    raw = answer.get("Attributes") or {}
    return {str(k): v for k, v in raw.items() if isinstance(v, str)}


def _mark_sent(deps: DisconnectDependencies, event: DisconnectEvent, keys: set[str],
               all_batches: list[HistoryBatch], deadline: Deadline) -> None:
    if not keys:
        return
    complete = all(b.key in keys for b in all_batches)
    attributes = {SENT_ATTRIBUTE: ",".join(b.key for b in all_batches if b.key in keys)}
    if complete:
        attributes[COMPLETE_ATTRIBUTE] = "true"
    try:
        aws_call("Connect UpdateContactAttributes", "ConnectInstanceArn", deadline,
                 deps.connect.update_contact_attributes, InstanceId=event.instance_id,
                 InitialContactId=event.initial_contact_id, Attributes=attributes)
    except LambdaError as exc:
        # The history is in Salesforce; only the record of it is missing. A repeated event then
        # repeats the requests with the same RequestIds (see docs/lambdas.md).
        log(logging.WARNING, f"{NAME}.not_marked", contactId=event.contact_id, error=exc.code,
            message=exc.message)


def _ignored(event: DisconnectEvent, reason: str, why: str) -> dict[str, Any]:
    return {"status": "IGNORED", "contactId": event.contact_id, "reason": reason, "detail": why}


# -- wiring ---------------------------------------------------------------------------------

_current: DisconnectDependencies | None = None


def _current_dependencies() -> DisconnectDependencies:
    global _current
    if _current is None:
        _current = build(Settings.from_env(), DisconnectSettings.from_env())
    return _current


def install(deps: DisconnectDependencies | None) -> None:
    """Replace (or with None, forget) the container's dependencies."""
    global _current
    _current = deps


def build(settings: Settings, own: DisconnectSettings, *, connect: Any = None, s3: Any = None,
          secrets_client: Any = None, clock: Clock | None = None) -> DisconnectDependencies:
    """The container's dependencies; AWS clients are built here unless given (tests, demo).

    ``clock``: the time the function and its Salesforce calls run on (real time unless given).
    """
    import urllib3

    from sccac.lambdas.history import CONCURRENCY
    from sccac.lambdas.transport import Transport

    # One pooled connection per concurrent history request, kept across warm invocations.
    transport = Transport(urllib3.PoolManager(num_pools=4, maxsize=CONCURRENCY, retries=False))
    clock = clock or _CLOCK
    core = runtime.build(settings, secrets_client=secrets_client, transport=transport, clock=clock)
    return DisconnectDependencies(core, connect or _client("connect"), s3 or _client("s3"), own, clock)


def _client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    # Bounded calls; botocore retries throttling once, EventBridge's retries do the rest.
    config = Config(connect_timeout=3, read_timeout=5, retries={"total_max_attempts": 2, "mode": "standard"})
    return boto3.client(service, config=config)


def _contact_id_for_log(event: Any) -> str | None:
    detail = event.get("detail") if isinstance(event, Mapping) else None
    value = detail.get("contactId") if isinstance(detail, Mapping) else None
    return quote(value, 64) if isinstance(value, str) and value.strip() else None


def _number(env: Mapping[str, str], name: str, default: Any, low: float, high: float, kind: Any) -> Any:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ConfigurationError(f"Environment variable {name}='{quote(raw, 20)}' is not a number from {low:g} to {high:g}.",
                                 field=name, fix=f"Set {name} to a number from {low:g} to {high:g}, or unset it for {default}.")
    return value
