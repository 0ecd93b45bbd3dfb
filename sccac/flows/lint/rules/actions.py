"""Per-action parameter rules: Loop, CheckHoursOfOperation, Lambda, Set working queue, transfers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sccac.flows.lint.context import LAMBDA, SET_QUEUE, LintContext, console_type, contact_attributes, lambda_attributes
from sccac.flows.model import (
    ConditionBranch,
    MAX_ASYNC_LAMBDA_TIMEOUT_SECONDS,
    MAX_SYNC_LAMBDA_TIMEOUT_SECONDS,
    Loop,
    UpdateContactRecordingBehavior,
    is_dynamic,
)
from sccac.flows.lint.findings import rule
from sccac.flows.builders import EXAMPLE_CHANNEL_ADDRESS_IDENTIFIER, FlowKind
from sccac.lambdas.ids import UUID_RE

Hits = Iterator[tuple[str | None, str]]

_INT = re.compile(r"^\d+$")
_SINGLE_JSONPATH = re.compile(r"^\$\.[A-Za-z0-9_.\-\[\]'\"]+$")
# The usual LoopCount and Lambda time limit: values that are right without a closer look.
_LOOP_COUNTS = frozenset(str(n) for n in range(101))
_SYNC_TIMEOUTS = frozenset(str(n) for n in range(1, MAX_SYNC_LAMBDA_TIMEOUT_SECONDS + 1))  # within both limits
_PLACEHOLDER = re.compile(r"replace|changeme|todo|placeholder|your[-_ ]|example|xxxx|<|>|\{\{|%%", re.IGNORECASE)


def _exactly_equals(conditions: list[ConditionBranch] | None, expected: list[str]) -> bool:
    """The conditions are ``Equals <e>`` once for each of the sorted ``expected`` strings, in any order (the usual block)."""
    if conditions is None or len(conditions) != len(expected):
        return False
    given = []
    for condition in conditions:
        operands = condition.operands
        if condition.operator != "Equals" or len(operands) != 1 or type(operands[0]) is not str:
            return False
        given.append(operands[0])
    return sorted(given) == expected


def _exact_conditions(ctx: LintContext, action_type: str, expected: list[str]) -> Hits:
    in_order = sorted(expected)
    for action in ctx.actions_of_type(action_type):
        if _exactly_equals(action.transitions.conditions, in_order):
            continue
        conditions = action.transitions.conditions or []
        found = [(str(c.operator), [str(o) for o in c.operands]) for c in conditions]
        if sorted(found) != sorted(("Equals", [e]) for e in expected):
            shown = ", ".join(f"{op} {' '.join(ops)}" for op, ops in found) or "none"
            yield action.identifier, f"{action_type} conditions are [{shown}]; expected exactly Equals {' and Equals '.join(expected)}"


@rule(
    "SCCAC-FLOW-019",
    "error",
    "Loop has exactly the ContinueLooping and DoneLooping conditions",
    "Give the Loop two conditions: Equals ContinueLooping (the body) and Equals DoneLooping (the exit).",
    needs=("Loop",),
)
def loop_conditions(ctx: LintContext) -> Hits:
    """Connect leaves a Loop by its ContinueLooping and DoneLooping conditions only: a missing one strands
    the contact, any other is never taken."""
    return _exact_conditions(ctx, "Loop", ["ContinueLooping", "DoneLooping"])  # its generator: no yield-from layer


@rule("SCCAC-FLOW-020", "error", "LoopCount is 0..100", 'Set LoopCount to a whole number from "0" to "100" (a string) or one JSONPath.', needs=("Loop",))
def loop_count(ctx: LintContext) -> Hits:
    """Connect refuses a flow whose LoopCount is not a whole number from 0 to 100 written as a string (or
    one JSONPath)."""
    for action in ctx.actions_of(Loop):
        count = action.given("LoopCount")
        if type(count) is str and count in _LOOP_COUNTS:
            continue  # the usual block
        if is_dynamic(count):
            continue
        if not isinstance(count, str) or not _INT.match(count) or int(count) > 100:
            yield action.identifier, f"LoopCount is {count!r}; Connect needs a string number from 0 to 100"


@rule(
    "SCCAC-FLOW-021",
    "error",
    "CheckHoursOfOperation has exactly the True and False conditions",
    "Give the block two conditions: Equals True and Equals False.",
    needs=("CheckHoursOfOperation",),
)
def hours_conditions(ctx: LintContext) -> Hits:
    """Check hours of operation answers True or False: without both conditions one answer has nowhere to
    go, and other conditions are never taken."""
    return _exact_conditions(ctx, "CheckHoursOfOperation", ["True", "False"])


@rule(
    "SCCAC-FLOW-022",
    "error",
    "Lambda timeout is 1..8 s (synchronous) or at most 60 s (asynchronous)",
    f'Set InvocationTimeLimitSeconds to a string from "1" to "{MAX_SYNC_LAMBDA_TIMEOUT_SECONDS}".',
    needs=LAMBDA,
)
def lambda_timeout(ctx: LintContext) -> Hits:
    """Connect waits at most 8 seconds for a synchronous Lambda (60 for an asynchronous one): the time
    limit must be a string number in that range."""
    for action in ctx.lambdas:
        value = action.given("InvocationTimeLimitSeconds")
        if type(value) is str and value in _SYNC_TIMEOUTS:
            continue  # the usual block (a limit a synchronous Lambda may have suits an asynchronous one too)
        asynchronous = action.is_asynchronous
        limit = MAX_ASYNC_LAMBDA_TIMEOUT_SECONDS if asynchronous else MAX_SYNC_LAMBDA_TIMEOUT_SECONDS
        if value is None:
            yield action.identifier, "InvocationTimeLimitSeconds is missing"
        elif not isinstance(value, str) or not _INT.match(value) or not 1 <= int(value) <= limit:
            yield action.identifier, f"InvocationTimeLimitSeconds is {value!r}; it must be a string from 1 to {limit}"


@rule(
    "SCCAC-FLOW-023",
    "error",
    "Lambda ResponseType and InvocationType use known values",
    "Use ResponseValidation.ResponseType STRING_MAP or JSON, InvocationType SYNCHRONOUS or ASYNCHRONOUS.",
    needs=LAMBDA,
)
def lambda_enums(ctx: LintContext) -> Hits:
    """Connect validates a Lambda's response only as STRING_MAP or JSON and invokes it only SYNCHRONOUS or
    ASYNCHRONOUS; other values are refused."""
    for action in ctx.lambdas:
        if action.response_validation is not None:  # another type: SCCAC-FLOW-028
            response = action.response_validation.get("ResponseType")
            if response not in ("STRING_MAP", "JSON"):
                yield action.identifier, f"ResponseValidation.ResponseType is {response!r}, not STRING_MAP or JSON"
        invocation = action.given("InvocationType")
        if invocation is not None and invocation not in ("SYNCHRONOUS", "ASYNCHRONOUS"):
            yield action.identifier, f"InvocationType is {invocation!r}, not SYNCHRONOUS or ASYNCHRONOUS"


@rule(
    "SCCAC-FLOW-024",
    "error",
    "Set working queue has exactly one of QueueId or AgentId",
    "Keep one of QueueId (queue ARN/id) or AgentId (agent ARN/id or one JSONPath such as $.Agent.UserName).",
    needs=SET_QUEUE,
)
def set_queue_target(ctx: LintContext) -> Hits:
    """Set working queue targets either a queue or an agent; both, neither, or text mixed with a JSONPath
    leave Connect without a usable target."""
    for action in ctx.set_queue_actions:
        parameters = action.parameters
        if ("QueueId" in parameters) != ("AgentId" in parameters):
            present = ["QueueId" if "QueueId" in parameters else "AgentId"]  # the usual block: one of them
        else:
            present = action.keys_given
        if len(present) != 1:
            yield action.identifier, f"Set working queue has {' and '.join(present) or 'neither QueueId nor AgentId'}; it needs exactly one"
            continue
        value = action.given(present[0])
        if not isinstance(value, str) or not value.strip():
            yield action.identifier, f"{present[0]} is {value!r}; it must be a queue/agent id, ARN or one JSONPath"
        elif "$." in value and not _SINGLE_JSONPATH.match(value):
            yield action.identifier, f"{present[0]} {value!r} mixes text and JSONPath; use exactly one JSONPath"


def _queue_setters(ctx: LintContext) -> set[str]:
    # The graph follows the first action of a duplicate Identifier: only that one can set the queue.
    return {a.identifier for a in ctx.set_queue_actions if isinstance(a.identifier, str) and ctx.graph.actions.get(a.identifier) is a}


def _entered_only_after_setting(ctx: LintContext, target: str, setters: set[str]) -> bool:
    """Every branch into ``target`` is the success branch of one of ``setters`` (its only branch there),
    and the flow does not start at ``target``: then no path reaches it without setting the queue (the
    usual transfer, told from the branches into it instead of a walk from StartAction)."""
    actions = ctx.graph.actions
    for ident in actions:
        following = ctx.graph.successors(ident)
        if target in following and (
            ident not in setters or following.count(target) != 1 or actions[ident].transitions.next_action != target
        ):
            return False
    return target != ctx.flow.start_action


@rule(
    "SCCAC-FLOW-025",
    "error",
    "Transfer to queue is preceded by Set working queue on every path",
    "Put a Set working queue block before the transfer on every path (or use the flow as a transfer flow).",
    needs=("TransferContactToQueue",),
)
def transfer_without_queue(ctx: LintContext) -> Hits:
    """Transfer to queue uses the working queue: on a path that never set it the transfer fails and the
    contact takes the error branch."""
    # Transfer flows start with the working queue already set by the transfer itself.
    if ctx.kind in (FlowKind.QUEUE_TRANSFER, FlowKind.AGENT_TRANSFER) or ctx.is_module:
        return
    if console_type(ctx.flow) not in (None, "contactFlow") or ctx.flow.connect_type not in (None, "CONTACT_FLOW"):
        return
    setters = _queue_setters(ctx) if ctx.transfers else set()
    for action in ctx.transfers:
        target = action.identifier
        if isinstance(target, str) and not _entered_only_after_setting(ctx, target, setters) and ctx.graph.may_reach_without(target, setters):
            yield target, "some path reaches this transfer without a successful Set working queue"


def _placeholder_problem(value: object) -> str | None:
    if not isinstance(value, str) or is_dynamic(value):
        return None
    text = value.strip()
    if not text:
        return "is empty"
    if text.lower() == EXAMPLE_CHANNEL_ADDRESS_IDENTIFIER:
        return f"{text!r} is the documented example value (sccac flows build --example), not a real channel"
    if UUID_RE.match(text):
        # Hex digits and hyphens hold none of the placeholder words or signs, so a UUID is no
        # placeholder (the usual value: told without the slower placeholder search).
        return "is the all-zero UUID" if set(text.replace("-", "")) <= {"0"} else None
    if _PLACEHOLDER.search(text):
        return f"{text!r} looks like a placeholder"
    return f"{text!r} is not a UUID"


def _channels_all_real(ctx: LintContext) -> bool:
    """No channelAddressIdentifier has a problem (the usual flow: the two block types looked up by Type,
    not every block scanned)."""
    try:
        for action in ctx.actions_of_type("UpdateContactAttributes"):
            value = contact_attributes(action).get("channelAddressIdentifier")
            if value is not None and _placeholder_problem(value):
                return False
        for action in ctx.actions_of_type("InvokeLambdaFunction"):
            value = lambda_attributes(action).get("channelAddressIdentifier")
            if value is not None and _placeholder_problem(value):
                return False
    except Exception:  # noqa: BLE001  (an odd block, e.g. Parameters not an object: the full check fails on it in flow order)
        return False
    return True


@rule(
    "SCCAC-FLOW-026",
    "error",
    "channelAddressIdentifier is a real UUID, not a placeholder",
    "Pass the real ChannelAddressIdentifier of the Salesforce MessagingChannel "
    "(sccac flows build --channel-address-identifier; read it with SOQL: SELECT ChannelAddressIdentifier FROM MessagingChannel).",
    needs=("UpdateContactAttributes", "InvokeLambdaFunction"),
)
def placeholder_channel(ctx: LintContext) -> Hits:
    """CreateMessagingSession sends channelAddressIdentifier to Salesforce, which finds no MessagingChannel
    for a placeholder or example value, so no session is created."""
    if _channels_all_real(ctx):
        return
    for action in ctx.flow.actions:
        if action.type == "UpdateContactAttributes":
            value = contact_attributes(action).get("channelAddressIdentifier")
        elif action.type == "InvokeLambdaFunction":
            value = lambda_attributes(action).get("channelAddressIdentifier")
        else:
            continue
        problem = _placeholder_problem(value) if value is not None else None
        if problem:
            yield action.identifier, f"channelAddressIdentifier {problem}"


@rule(
    "SCCAC-FLOW-027",
    "error",
    "Set recording and analytics behavior with AnalyticsBehavior also has RecordingBehavior",
    'Add "RecordingBehavior": {"RecordedParticipants": ["Agent", "Customer"]} next to AnalyticsBehavior '
    "(analytics are tied to recording; Connect rejects the block without it).",
    needs=("UpdateContactRecordingBehavior",),
)
def analytics_without_recording(ctx: LintContext) -> Hits:
    """Connect ties analytics to recording and refuses a recording block that sets AnalyticsBehavior
    without RecordingBehavior."""
    for action in ctx.actions_of(UpdateContactRecordingBehavior):
        if not action.has("AnalyticsBehavior"):
            continue
        recording = action.given("RecordingBehavior")
        if not isinstance(recording, dict):
            got = "missing" if recording is None else f"a {type(recording).__name__}, not an object"
            yield action.identifier, f"AnalyticsBehavior is set but RecordingBehavior is {got} (Connect: missing required property)"
