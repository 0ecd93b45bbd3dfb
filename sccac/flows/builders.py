"""Builders for the six SCC-AC contact flows, as flow-language documents (Version 2019-10-30).

Each builder returns a :class:`~sccac.flows.model.Flow` that contains the required elements
of the SCC-AC source document, expressed the way Connect's flow language and the console
exports express them (numbers as strings, ``$.External.*`` for Lambda results, the Loop
retry idiom). Output is deterministic: identifiers are readable fixed names, and the same
settings always give the same bytes from :meth:`Flow.to_json`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any

from sccac.errors import SccacUsageError
from sccac.flows.layout import canvas_metadata
from sccac.flows.text import printable
from sccac.flows.model import (
    FLOW_LANGUAGE_VERSION,
    MAX_SYNC_LAMBDA_TIMEOUT_SECONDS,
    Flow,
)
from sccac.lambdas.ids import CONNECT_FLOW_MODULE_ARN_RE as MODULE_ARN_RE
from sccac.lambdas.ids import connect_arn_re
from sccac.lambdas.ids import CONNECT_QUEUE_ARN_RE as QUEUE_ARN_RE
from sccac.lambdas.event import (
    MAX_ROUTING_ATTRIBUTE_NAME,
    PARAM_ATTRIBUTE_PREFIX,
    PARAM_FLOW,
    PARAM_FLOW_FALLBACK,
    PARAM_QUEUE,
    ROUTING_ATTRIBUTE_NAME_RE,
)
from sccac.lambdas.ids import SALESFORCE_ID_RE, UUID_RE

LAMBDA_ARN_RE = re.compile(
    r"^arn:aws[-a-z]*:lambda:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$"
)

MAX_LOOP_COUNT = 100
CONTACT_FLOW_ARN_RE = connect_arn_re("contact-flow")
# SCC-AC's docs ("Using Disconnect Flow Re-queue with SCCAC"): a customer who replies within 15
# minutes after the agent left is queued again.
REQUEUE_WAIT_SECONDS = 900
MAX_WAIT_SECONDS = 7 * 24 * 3600  # the Wait block's longest time limit (7 days)
SCCAC_SOURCE = "SCCAC"

# Attribute and parameter names fixed by SCC-AC (source document and the Lambdas' contract).
ATTR_CHANNEL_ADDRESS = "channelAddressIdentifier"
ATTR_CLIENT_ID = "clientId"
ATTR_CONVERSATION = "conversationIdentifier"
ATTR_WORK_ITEM = "workItemId"
ATTR_SOURCE = "source"
ATTR_CALL_CENTER = "callCenterId"
ATTR_QUEUE_ID = "queueId"
PARAM_ROUTING_TYPE = "routingType"
EXTERNAL_QUEUE = "$.External.externalQueueId"
AGENT_USER_NAME = "$.Agent.UserName"
# Block parameter of the session Lambda in the disconnect flow (ours; SCC-AC's function ignores it):
# the session that ended, so this contact's retries share one request while each re-queue is new.
PARAM_PREVIOUS_WORK_ITEM = "previousWorkItemId"
# Event hook of "Set disconnect flow": the flow that runs when the agent leaves a chat.
DISCONNECT_HOOK = "CustomerRemaining"
# What the session Lambda returns and every SCC-AC flow must store (lint checks these) ...
SESSION_RESULTS = (ATTR_CONVERSATION, ATTR_WORK_ITEM, ATTR_SOURCE)
# ... and what our flows store: callCenterId too, by which contact records and the
# contact-disconnected function pick out this call center's contacts.
STORED_SESSION_RESULTS = (*SESSION_RESULTS, ATTR_CALL_CENTER)


# The documented example channel address identifier (`sccac flows build --example`): well formed
# so the example flows build, and flagged by the placeholder lint rule (SCCAC-FLOW-026) so an
# example flow never passes for a real one.
EXAMPLE_CHANNEL_ADDRESS_IDENTIFIER = "9b7e4c2a-6d1f-4e8b-a3c5-2f0d8e6b4a17"


class FlowSettingsError(SccacUsageError, ValueError):
    """A :class:`FlowSettings` field has a value Connect or SCC-AC would reject (the first one; ``problems`` holds
    every ``(field, message)`` found, so a caller can report them all at once)."""

    def __init__(self, field_name: str, message: str, problems: tuple[tuple[str, str], ...] = ()) -> None:
        self.field = field_name
        self.problems = problems or ((field_name, message),)
        super().__init__(f"FlowSettings.{field_name}: {message}")


@dataclass(frozen=True)
class FlowSettings:
    session_lambda_arn: str  # CreateMessagingSession function ARN
    routing_lambda_arn: str  # Routing function ARN
    channel_address_identifier: str  # MessagingChannel.ChannelAddressIdentifier (UUID)
    fallback_queue_arn: str  # used when routing returns no externalQueueId / a task has no queueId
    retry_count: int = 3  # Lambda attempts inside the retry loops
    lambda_timeout_seconds: int = 8  # Connect's maximum for synchronous invocation
    name_prefix: str = "SCCAC"  # flow names: f"{name_prefix} Inbound Chat", ...
    # Optional: value (static or a JSONPath such as "$.Attributes.email") set as clientId
    # before the session Lambda. None leaves clientId to StartChatContact's attributes.
    client_id: str | None = None
    # Optional Routing overrides for the inbound flow, SCC-AC's block parameters: an Omni-Queue
    # (Group) Id (salesforceQueueId), or an Omni-Flow Id with its fallback Omni-Queue
    # (salesforceFlowId + salesforceFlowFallbackQueueId) and routing attributes for the flow
    # (salesforceFlowRoutingAttributes.<name>). None routes by the messaging channel's setup.
    salesforce_queue_id: str | None = None
    salesforce_flow_id: str | None = None
    salesforce_flow_fallback_queue_id: str | None = None
    routing_attributes: tuple[tuple[str, str], ...] = ()
    # Optional transcription module (flow module ARN) the inbound flow invokes first.
    transcription_module_arn: str | None = None
    # Optional: the disconnect flow with re-queue (contact flow ARN) the inbound flow sets as its
    # disconnect flow ("Set disconnect flow", event hook CustomerRemaining).
    disconnect_flow_arn: str | None = None
    # The disconnect flow: how long it waits for the customer's reply, and what it says first.
    requeue_wait_seconds: int = REQUEUE_WAIT_SECONDS
    requeue_message: str = "The agent has left the chat. Reply within 15 minutes to continue with another agent."
    # What a chat customer reads before the contact is disconnected on a final error.
    failure_message: str = "Sorry, we cannot connect you to an agent right now. Please try again later."
    analytics_language: str = "en-US"

    def __post_init__(self) -> None:
        validate_settings(self)


def validate_settings(s: FlowSettings) -> None:
    """Raise :class:`FlowSettingsError` naming the first field with an unusable value (``problems``: all of them)."""
    problems = settings_problems({f.name: getattr(s, f.name) for f in fields(s)})
    if problems:
        raise FlowSettingsError(*problems[0], problems=tuple(problems))


def settings_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every ``(field, what is wrong)`` of a complete set of :class:`FlowSettings` values, in field order."""
    problems = [(name, message) for name, check in _FIELD_CHECKS for message in [check(values[name])] if message]
    return problems + _routing_problems(values)


def _whole_number(low: int, high: int, unit: str = "") -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return None
        return f"{value!r} must be a whole number{unit} from {low} to {high}"

    return check


def _matching(pattern: re.Pattern[str], what: str, *, optional: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if (optional and value is None) or (isinstance(value, str) and pattern.match(value)):
            return None
        return f"{value!r} is not {what}"

    return check


def _utf8(value: str) -> bool:
    # A command-line argument that is not valid UTF-8 arrives with lone surrogates, which no flow file can hold.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(what: str, *, optional: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if optional and value is None:
            return None
        if isinstance(value, str) and value.strip():
            return None if _utf8(value) else f"'{printable(value)}' is not valid UTF-8 text"
        return f"must be {what}"

    return check


def _name_prefix(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        return "must be a non-blank string of at most 80 characters"
    if printable(value) != value:
        return f"'{printable(value)}' has control characters; a flow name is one line of text"
    return None


def _omni_queue_id(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and SALESFORCE_ID_RE.match(value) and value.startswith("00G")):
        return None
    return f"{value!r} is not an Omni-Queue (Group) Id starting 00G"


_LAMBDA_ARN = "a Lambda function ARN (arn:aws:lambda:<region>:<12-digit account>:function:<name>)"
_FIELD_CHECKS: tuple[tuple[str, Callable[[Any], str | None]], ...] = (
    ("session_lambda_arn", _matching(LAMBDA_ARN_RE, _LAMBDA_ARN)),
    ("routing_lambda_arn", _matching(LAMBDA_ARN_RE, _LAMBDA_ARN)),
    ("channel_address_identifier", _matching(UUID_RE, "a UUID; use the ChannelAddressIdentifier of the Salesforce MessagingChannel")),
    ("fallback_queue_arn", _matching(
        QUEUE_ARN_RE, "a Connect queue ARN (arn:aws:connect:<region>:<account>:instance/<uuid>/queue/<uuid>)")),
    ("retry_count", _whole_number(1, MAX_LOOP_COUNT)),
    # Connect's limit for a synchronous Lambda invocation.
    ("lambda_timeout_seconds", _whole_number(1, MAX_SYNC_LAMBDA_TIMEOUT_SECONDS, " of seconds")),
    ("name_prefix", _name_prefix),
    ("transcription_module_arn", _matching(
        MODULE_ARN_RE, "a Connect flow module ARN (arn:aws:connect:<region>:<account>:instance/<uuid>/flow-module/<uuid>)",
        optional=True)),
    ("disconnect_flow_arn", _matching(
        CONTACT_FLOW_ARN_RE, "a Connect contact flow ARN (arn:aws:connect:<region>:<account>:instance/<uuid>/contact-flow/<uuid>)",
        optional=True)),
    ("requeue_wait_seconds", _whole_number(1, MAX_WAIT_SECONDS, " of seconds")),
    ("requeue_message", _text("non-blank text")),
    ("client_id", _text("a non-blank value or JSONPath, or None", optional=True)),
    ("failure_message", _text("non-blank text")),
    ("analytics_language", _text("a language code such as en-US")),
    # The same rules as the Routing Lambda's (sccac/lambdas/event.py), at build time.
    ("salesforce_flow_id", _matching(SALESFORCE_ID_RE, "a 15/18-character Salesforce Id", optional=True)),
    ("salesforce_queue_id", _omni_queue_id),
    ("salesforce_flow_fallback_queue_id", _omni_queue_id),
)


def _routing_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The routing overrides' rules between fields (the Routing Lambda's, sccac/lambdas/event.py)."""
    queue, flow, fallback = (values[n] for n in ("salesforce_queue_id", "salesforce_flow_id", "salesforce_flow_fallback_queue_id"))
    problems = []
    if queue is not None and (flow is not None or fallback is not None):
        problems.append(("salesforce_queue_id", "route either to a queue or with a flow, not both"))
    if flow is not None and fallback is None:
        # The Route API needs a fallback queue with a flow (Interaction API error 10024).
        problems.append(("salesforce_flow_fallback_queue_id", "salesforce_flow_id needs a fallback Omni-Queue"))
    if fallback is not None and flow is None:
        problems.append(("salesforce_flow_id", "a fallback queue needs salesforce_flow_id"))
    problems += [("routing_attributes", message) for message in _attribute_problems(values["routing_attributes"])]
    if values["routing_attributes"] and flow is None:
        problems.append(("routing_attributes", "routing attributes are sent with salesforce_flow_id only"))
    return problems


def _attribute_problems(attributes: Any) -> list[str]:
    problems = []
    for name, value in attributes:
        if not isinstance(name, str) or len(name) > MAX_ROUTING_ATTRIBUTE_NAME or not ROUTING_ATTRIBUTE_NAME_RE.match(name):
            problems.append(f"{printable(str(name))!r} is not a flow variable name (a letter, then letters, digits and single underscores)")
        if not isinstance(value, str) or not value.strip() or not _utf8(value):
            problems.append(f"{printable(str(name))}: the value must be non-blank UTF-8 text or a JSONPath")
    return problems


def routing_parameters(s: FlowSettings, routing_type: str) -> dict[str, str]:
    """The Routing block's parameters, with SCC-AC's names."""
    out = {PARAM_ROUTING_TYPE: routing_type}
    if s.salesforce_queue_id:
        out[PARAM_QUEUE] = s.salesforce_queue_id
    if s.salesforce_flow_id and s.salesforce_flow_fallback_queue_id:
        out[PARAM_FLOW] = s.salesforce_flow_id
        out[PARAM_FLOW_FALLBACK] = s.salesforce_flow_fallback_queue_id
        out.update({PARAM_ATTRIBUTE_PREFIX + name: value for name, value in s.routing_attributes})
    return out


class FlowKind(str, Enum):
    INBOUND_CHAT = "inbound_chat"
    AGENT_TRANSFER = "agent_transfer"
    QUEUE_TRANSFER = "queue_transfer"
    TRANSCRIPTION = "transcription"
    TASK_ROUTING = "task_routing"
    DISCONNECT_REQUEUE = "disconnect_requeue"


@dataclass(frozen=True)
class BuiltFlow:
    kind: FlowKind
    name: str
    connect_type: str  # "CONTACT_FLOW" | "AGENT_TRANSFER" | "QUEUE_TRANSFER" | "MODULE"
    description: str
    flow: Flow


# Block identifiers: readable, fixed, within Connect's identifier rules (no : ( ) = $ etc.).
ID_SET_CHANNEL = "Set channelAddressIdentifier"
ID_INVOKE_TRANSCRIPTION = "Invoke transcription module"
ID_SESSION_LOOP = "Retry create messaging session"
ID_SESSION_LAMBDA = "Execute create messaging session"
ID_STORE_SESSION = "Store messaging session attributes"
ID_ROUTING_LOOP = "Retry routing function"
ID_ROUTING_LAMBDA = "Execute routing function"
ID_QUEUE_FROM_ROUTING = "Set working queue from routing"
ID_QUEUE_BY_AGENT = "Set working queue by agent"
ID_CHECK_QUEUE_ID = "Check queueId attribute"
ID_QUEUE_FROM_ATTRIBUTE = "Set working queue from queueId"
ID_FALLBACK_QUEUE = "Set fallback working queue"
ID_TRANSFER = "Transfer to queue"
ID_FAILURE_MESSAGE = "Send failure message"
ID_DISCONNECT = "Disconnect"
ID_RECORDING = "Enable chat analytics"
ID_SET_DISCONNECT_FLOW = "Set disconnect flow"
ID_AGENT_LEFT_MESSAGE = "Tell the customer the agent left"
ID_WAIT_FOR_CUSTOMER = "Wait for the customer's return"
ID_END_MODULE = "Return from module"


def _action(identifier: str, action_type: str, parameters: dict[str, Any], transitions: dict[str, Any]) -> dict[str, Any]:
    # Console key order, so generated files diff cleanly against console exports.
    return {"Parameters": parameters, "Identifier": identifier, "Type": action_type, "Transitions": transitions}


def _next(target: str, *errors: tuple[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"NextAction": target}
    if errors:
        out["Errors"] = [{"NextAction": t, "ErrorType": e} for e, t in errors]
    return out


def _on_error(target: str) -> tuple[str, str]:
    return ("NoMatchingError", target)


def _retry_loop(identifier: str, count: int, body: str, exhausted: str) -> dict[str, Any]:
    """The retry idiom of the exports: ContinueLooping runs the body, DoneLooping gives up."""
    return _action(
        identifier,
        "Loop",
        {"LoopCount": str(count)},
        {
            # The console repeats the DoneLooping target as NextAction.
            "NextAction": exhausted,
            "Conditions": [
                {"NextAction": body, "Condition": {"Operator": "Equals", "Operands": ["ContinueLooping"]}},
                {"NextAction": exhausted, "Condition": {"Operator": "Equals", "Operands": ["DoneLooping"]}},
            ],
        },
    )


def _lambda(
    identifier: str, arn: str, timeout: int, attributes: dict[str, str], success: str, retry: str
) -> dict[str, Any]:
    return _action(
        identifier,
        "InvokeLambdaFunction",
        {
            "LambdaFunctionARN": arn,
            "InvocationTimeLimitSeconds": str(timeout),
            "LambdaInvocationAttributes": attributes,
            "ResponseValidation": {"ResponseType": "STRING_MAP"},
        },
        # A failed invocation goes back to its loop, which retries or gives up.
        _next(success, _on_error(retry)),
    )


def _set_queue(identifier: str, key: str, value: str, success: str, error: str) -> dict[str, Any]:
    return _action(identifier, "UpdateContactTargetQueue", {key: value}, _next(success, _on_error(error)))


def _transfer(after: str) -> dict[str, Any]:
    # A successful transfer ends the flow; the Success edge (like the exports) and both
    # errors go to the give-up path.
    return _action(ID_TRANSFER, "TransferContactToQueue", {}, _next(after, ("QueueAtCapacity", after), _on_error(after)))


def _failure_message(text: str) -> dict[str, Any]:
    return _action(ID_FAILURE_MESSAGE, "MessageParticipant", {"Text": text}, _next(ID_DISCONNECT, _on_error(ID_DISCONNECT)))


def _disconnect() -> dict[str, Any]:
    return _action(ID_DISCONNECT, "DisconnectParticipant", {}, {})


def _flow(actions: list[dict[str, Any]], *, name: str, description: str, console_type: str, settings: dict[str, Any] | None = None) -> Flow:
    start = actions[0]["Identifier"]
    parsed = Flow.from_dict({"Version": FLOW_LANGUAGE_VERSION, "StartAction": start, "Actions": actions})
    document: dict[str, Any] = {
        "Version": FLOW_LANGUAGE_VERSION,
        "StartAction": start,
        "Metadata": canvas_metadata(parsed.actions, start, name=name, description=description, console_type=console_type),
        "Actions": actions,
    }
    if settings is not None:
        document["Settings"] = settings
    return Flow.from_dict(document)


def _name(s: FlowSettings, kind: FlowKind) -> str:
    return f"{s.name_prefix} {_TITLES[kind]}"


def _session_then_queue(s: FlowSettings, session_parameters: dict[str, str]) -> list[dict[str, Any]]:
    """What a chat flow does once the chat should reach an agent: CreateMessagingSession and Routing, each in its
    retry loop, the session's results stored as attributes, the queue Routing returned (else the fallback queue),
    the transfer, and the failure message before disconnecting."""
    return [
        _retry_loop(ID_SESSION_LOOP, s.retry_count, ID_SESSION_LAMBDA, ID_FAILURE_MESSAGE),
        _lambda(ID_SESSION_LAMBDA, s.session_lambda_arn, s.lambda_timeout_seconds, session_parameters,
                ID_STORE_SESSION, ID_SESSION_LOOP),
        _action(
            ID_STORE_SESSION,
            "UpdateContactAttributes",
            {"Attributes": {k: f"$.External.{k}" for k in STORED_SESSION_RESULTS}, "TargetContact": "Current"},
            _next(ID_ROUTING_LOOP, _on_error(ID_FAILURE_MESSAGE)),
        ),
        _retry_loop(ID_ROUTING_LOOP, s.retry_count, ID_ROUTING_LAMBDA, ID_FAILURE_MESSAGE),
        _lambda(ID_ROUTING_LAMBDA, s.routing_lambda_arn, s.lambda_timeout_seconds, routing_parameters(s, "Initial"),
                ID_QUEUE_FROM_ROUTING, ID_ROUTING_LOOP),
        # No externalQueueId (channel not routed to a mapped queue) takes the Error branch.
        _set_queue(ID_QUEUE_FROM_ROUTING, "QueueId", EXTERNAL_QUEUE, ID_TRANSFER, ID_FALLBACK_QUEUE),
        _set_queue(ID_FALLBACK_QUEUE, "QueueId", s.fallback_queue_arn, ID_TRANSFER, ID_FAILURE_MESSAGE),
        _transfer(ID_FAILURE_MESSAGE),
        _failure_message(s.failure_message),
        _disconnect(),
    ]


def build_inbound_chat(s: FlowSettings) -> Flow:
    """Inbound chat: session Lambda, routing Lambda (Initial), dynamic queue with fallback, transfer."""
    attributes = {ATTR_CHANNEL_ADDRESS: s.channel_address_identifier}
    if s.client_id is not None:
        attributes[ATTR_CLIENT_ID] = s.client_id
    after_hook = ID_INVOKE_TRANSCRIPTION if s.transcription_module_arn else ID_SESSION_LOOP
    first_after_set = ID_SET_DISCONNECT_FLOW if s.disconnect_flow_arn else after_hook
    actions = [
        _action(
            ID_SET_CHANNEL,
            "UpdateContactAttributes",
            {"Attributes": attributes, "TargetContact": "Current"},
            _next(first_after_set, _on_error(ID_FAILURE_MESSAGE)),
        )
    ]
    if s.disconnect_flow_arn:
        # Re-queue is a convenience: without it the chat still reaches an agent.
        actions.append(
            _action(
                ID_SET_DISCONNECT_FLOW,
                "UpdateContactEventHooks",
                {"EventHooks": {DISCONNECT_HOOK: s.disconnect_flow_arn}},
                _next(after_hook, _on_error(after_hook)),
            )
        )
    if s.transcription_module_arn:
        # Analytics is nice to have: a module failure must not cost the customer the chat.
        actions.append(
            _action(
                ID_INVOKE_TRANSCRIPTION,
                "InvokeFlowModule",
                {"FlowModuleId": s.transcription_module_arn},
                _next(ID_SESSION_LOOP, _on_error(ID_SESSION_LOOP)),
            )
        )
    actions += _session_then_queue(s, {ATTR_CHANNEL_ADDRESS: f"$.Attributes.{ATTR_CHANNEL_ADDRESS}"})
    return _flow(actions, name=_name(s, FlowKind.INBOUND_CHAT), description=_DESCRIPTIONS[FlowKind.INBOUND_CHAT], console_type="contactFlow")


def build_disconnect_requeue(s: FlowSettings) -> Flow:
    """Disconnect flow with re-queue: Connect's sample disconnect pattern with SCC-AC's blocks.

    The agent left: tell the customer, wait for a reply (``Wait``, CustomerReturned) and
    disconnect when none comes in time. A reply re-queues the chat as the inbound flow queues
    it, but the earlier messaging session has ended, so CreateMessagingSession runs first (with
    the ended session as ``previousWorkItemId``, so each re-queue is a new request while its
    retries are one), then routing and the working queue with its fallback.
    """
    actions = [
        _action(ID_AGENT_LEFT_MESSAGE, "MessageParticipant", {"Text": s.requeue_message},
                _next(ID_WAIT_FOR_CUSTOMER, _on_error(ID_WAIT_FOR_CUSTOMER))),
        _action(
            ID_WAIT_FOR_CUSTOMER,
            "Wait",
            {"TimeLimitSeconds": str(s.requeue_wait_seconds), "Events": ["CustomerReturned"]},
            {
                # The console repeats the timeout's target as NextAction.
                "NextAction": ID_DISCONNECT,
                "Conditions": [
                    {"NextAction": ID_SESSION_LOOP, "Condition": {"Operator": "Equals", "Operands": ["CustomerReturned"]}}
                ],
                "Errors": [
                    {"NextAction": ID_DISCONNECT, "ErrorType": "WaitCompleted"},
                    {"NextAction": ID_DISCONNECT, "ErrorType": "NoMatchingError"},
                ],
            },
        ),
    ]
    actions += _session_then_queue(s, {
        ATTR_CHANNEL_ADDRESS: f"$.Attributes.{ATTR_CHANNEL_ADDRESS}",
        PARAM_PREVIOUS_WORK_ITEM: f"$.Attributes.{ATTR_WORK_ITEM}",
    })
    kind = FlowKind.DISCONNECT_REQUEUE
    return _flow(actions, name=_name(s, kind), description=_DESCRIPTIONS[kind], console_type="contactFlow")


def build_agent_transfer(s: FlowSettings) -> Flow:
    """Agent quick-connect flow: routing Lambda (Transfer, max timeout), queue by agent, transfer."""
    actions = [
        _retry_loop(ID_ROUTING_LOOP, s.retry_count, ID_ROUTING_LAMBDA, ID_FAILURE_MESSAGE),
        # The source asks for the maximum timeout here: a transfer must reach Salesforce.
        _lambda(
            ID_ROUTING_LAMBDA,
            s.routing_lambda_arn,
            MAX_SYNC_LAMBDA_TIMEOUT_SECONDS,
            {PARAM_ROUTING_TYPE: "Transfer"},
            ID_QUEUE_BY_AGENT,
            ID_ROUTING_LOOP,
        ),
        _set_queue(ID_QUEUE_BY_AGENT, "AgentId", AGENT_USER_NAME, ID_TRANSFER, ID_FAILURE_MESSAGE),
        _transfer(ID_FAILURE_MESSAGE),
        _failure_message(s.failure_message),
        _disconnect(),
    ]
    return _flow(actions, name=_name(s, FlowKind.AGENT_TRANSFER), description=_DESCRIPTIONS[FlowKind.AGENT_TRANSFER], console_type="agentTransfer")


def build_queue_transfer(s: FlowSettings) -> Flow:
    """Queue quick-connect flow: routing Lambda (Transfer), then transfer to the preset working queue."""
    actions = [
        _retry_loop(ID_ROUTING_LOOP, s.retry_count, ID_ROUTING_LAMBDA, ID_FAILURE_MESSAGE),
        _lambda(
            ID_ROUTING_LAMBDA,
            s.routing_lambda_arn,
            s.lambda_timeout_seconds,
            {PARAM_ROUTING_TYPE: "Transfer"},
            ID_TRANSFER,
            ID_ROUTING_LOOP,
        ),
        _transfer(ID_FAILURE_MESSAGE),
        _failure_message(s.failure_message),
        _disconnect(),
    ]
    return _flow(actions, name=_name(s, FlowKind.QUEUE_TRANSFER), description=_DESCRIPTIONS[FlowKind.QUEUE_TRANSFER], console_type="queueTransfer")


RECORDED_PARTICIPANTS = ("Agent", "Customer")

# Real modules declare both of the module's outcomes, Success and Error.
MODULE_SETTINGS: dict[str, Any] = {
    "InputParameters": [],
    "OutputParameters": [],
    "Transitions": [
        {"DisplayName": "Success", "ReferenceName": "Success", "Description": ""},
        {"DisplayName": "Error", "ReferenceName": "Error", "Description": ""},
    ],
}
RECORDING_ACTION = "UpdateContactRecordingAndAnalyticsBehavior"


def build_transcription_module(s: FlowSettings) -> Flow:
    """Flow module: Set recording, analytics and processing behavior with chat analytics (Contact Lens) on.

    ``UpdateContactRecordingAndAnalyticsBehavior`` is the block AWS documents for new flows (the
    older ``UpdateContactRecordingBehavior`` is kept for existing ones). Its chat form holds only
    ``ChatBehavior``: a chat's transcript is always kept, so there is no participant to record.
    Both of its required error branches return from the module: analytics must never cost the
    customer the chat.
    """
    parameters = {
        "ChatBehavior": {
            "ChatAnalyticsBehavior": {
                "Enabled": "True",
                "AnalyticsLanguage": s.analytics_language,
                "AnalyticsModes": ["ContactLens"],
                "ConversationalAnalyticsRedactionConfiguration": {"Enabled": "False"},
            }
        }
    }
    actions = [
        _action(
            ID_RECORDING,
            RECORDING_ACTION,
            parameters,
            _next(ID_END_MODULE, _on_error(ID_END_MODULE), ("ChannelMismatch", ID_END_MODULE)),
        ),
        _action(ID_END_MODULE, "EndFlowModuleExecution", {}, {}),
    ]
    return _flow(
        actions,
        name=_name(s, FlowKind.TRANSCRIPTION),
        description=_DESCRIPTIONS[FlowKind.TRANSCRIPTION],
        console_type="contactFlowModule",
        settings=MODULE_SETTINGS,
    )


def build_task_routing(s: FlowSettings) -> Flow:
    """Task flow for Case unified routing: queue from the queueId attribute, else the fallback."""
    actions = [
        _action(
            ID_CHECK_QUEUE_ID,
            "Compare",
            {"ComparisonValue": f"$.Attributes.{ATTR_QUEUE_ID}"},
            {
                # NoMatchingCondition (attribute absent or not an ARN) uses the fallback queue;
                # the console repeats that target as NextAction.
                "NextAction": ID_FALLBACK_QUEUE,
                "Conditions": [
                    {"NextAction": ID_QUEUE_FROM_ATTRIBUTE, "Condition": {"Operator": "TextStartsWith", "Operands": ["arn:"]}}
                ],
                "Errors": [{"NextAction": ID_FALLBACK_QUEUE, "ErrorType": "NoMatchingCondition"}],
            },
        ),
        _set_queue(ID_QUEUE_FROM_ATTRIBUTE, "QueueId", f"$.Attributes.{ATTR_QUEUE_ID}", ID_TRANSFER, ID_FALLBACK_QUEUE),
        _set_queue(ID_FALLBACK_QUEUE, "QueueId", s.fallback_queue_arn, ID_TRANSFER, ID_DISCONNECT),
        # Tasks have no participant to message: give-up paths disconnect directly.
        _transfer(ID_DISCONNECT),
        _disconnect(),
    ]
    return _flow(actions, name=_name(s, FlowKind.TASK_ROUTING), description=_DESCRIPTIONS[FlowKind.TASK_ROUTING], console_type="contactFlow")


_TITLES = {
    FlowKind.INBOUND_CHAT: "Inbound Chat",
    FlowKind.AGENT_TRANSFER: "Agent Transfer",
    FlowKind.QUEUE_TRANSFER: "Queue Transfer",
    FlowKind.TRANSCRIPTION: "Transcription Module",
    FlowKind.TASK_ROUTING: "Task Routing",
    FlowKind.DISCONNECT_REQUEUE: "Disconnect Re-queue",
}

_DESCRIPTIONS = {
    FlowKind.INBOUND_CHAT: "SCC-AC inbound chat: creates the Salesforce messaging session, routes it in Omni-Channel "
    "and queues the contact on the mapped Connect queue.",
    FlowKind.AGENT_TRANSFER: "SCC-AC agent quick connect: tells Salesforce about the transfer, then transfers to the agent.",
    FlowKind.QUEUE_TRANSFER: "SCC-AC queue quick connect: tells Salesforce about the transfer, then transfers to the queue.",
    FlowKind.TRANSCRIPTION: "SCC-AC transcription module: enables Contact Lens chat analytics for the contact.",
    FlowKind.TASK_ROUTING: "SCC-AC Case unified routing: queues the task on the queue in its queueId attribute, "
    "or on the fallback queue.",
    FlowKind.DISCONNECT_REQUEUE: "SCC-AC disconnect flow with re-queue: when the agent leaves, a customer who replies "
    "in time gets a new messaging session and is routed and queued again.",
}

CONNECT_TYPES = {
    FlowKind.INBOUND_CHAT: "CONTACT_FLOW",
    FlowKind.AGENT_TRANSFER: "AGENT_TRANSFER",
    FlowKind.QUEUE_TRANSFER: "QUEUE_TRANSFER",
    FlowKind.TRANSCRIPTION: "MODULE",
    FlowKind.TASK_ROUTING: "CONTACT_FLOW",
    FlowKind.DISCONNECT_REQUEUE: "CONTACT_FLOW",
}

BUILDERS: dict[FlowKind, Callable[[FlowSettings], Flow]] = {
    FlowKind.INBOUND_CHAT: build_inbound_chat,
    FlowKind.AGENT_TRANSFER: build_agent_transfer,
    FlowKind.QUEUE_TRANSFER: build_queue_transfer,
    FlowKind.TRANSCRIPTION: build_transcription_module,
    FlowKind.TASK_ROUTING: build_task_routing,
    FlowKind.DISCONNECT_REQUEUE: build_disconnect_requeue,
}


def build_all(s: FlowSettings) -> list[BuiltFlow]:
    """The six flows in a fixed order (the module and the disconnect flow first: the inbound flow may name them)."""
    order = [FlowKind.TRANSCRIPTION, FlowKind.DISCONNECT_REQUEUE, FlowKind.INBOUND_CHAT, FlowKind.AGENT_TRANSFER,
             FlowKind.QUEUE_TRANSFER, FlowKind.TASK_ROUTING]
    return [
        BuiltFlow(kind=k, name=_name(s, k), connect_type=CONNECT_TYPES[k], description=_DESCRIPTIONS[k], flow=BUILDERS[k](s))
        for k in order
    ]

