"""SCC-AC inbound chat flow rules (source: "Sample Inbound Flow" required elements)."""

from __future__ import annotations

from collections.abc import Iterator

from sccac.flows.builders import EXTERNAL_QUEUE, SESSION_RESULTS, FlowKind
from sccac.flows.lint.context import LAMBDA, SET_QUEUE, LintContext, contact_attributes, lambda_attributes
from sccac.flows.lint.findings import rule
from sccac.flows.lint.rules.sccac import (
    NO_TRANSFER,
    can_end_badly,
    final_errors_not_disconnected,
    retry_loop_of,
    routing_with_type,
    transfer_reached,
    wrong_routing_types,
)
from sccac.flows.model import Action, is_dynamic

Hits = Iterator[tuple[str | None, str]]
INBOUND = [FlowKind.INBOUND_CHAT]
# The disconnect flow with re-queue creates a session, routes and queues "as in the inbound flow":
# the same rules apply to it (only INBOUND-001 does not: the inbound flow set the channel earlier).
SESSION_FLOWS = [FlowKind.INBOUND_CHAT, FlowKind.DISCONNECT_REQUEUE]


def _channel_setters(ctx: LintContext) -> set[str]:
    # The graph follows the first action of a duplicate Identifier: only that one can set the channel.
    return {
        a.identifier
        for a in ctx.actions_of_type("UpdateContactAttributes")
        if "channelAddressIdentifier" in contact_attributes(a)
        and isinstance(a.identifier, str) and ctx.graph.actions.get(a.identifier) is a
    }


def _after_success(ctx: LintContext, action: Action) -> set[str]:
    """What the block's success branch reaches (shared by two rules; callers must not change it)."""
    cache: dict[int, set[str]] = ctx._cache.setdefault("after_success", {})
    after = cache.get(id(action))
    if after is None:
        following = action.transitions.next_action
        after = cache[id(action)] = ctx.graph.reachable([following] if isinstance(following, str) else [])
    return after


def _results_stored(block: Action) -> set[str]:
    """The attributes a Set contact attributes block sets from the Lambda's output of the same name."""
    stored: set[str] = set()
    if block.type == "UpdateContactAttributes":
        for key, value in contact_attributes(block).items():
            if value == f"$.External.{key}":
                stored.add(key)
    return stored


@rule(
    "SCCAC-INBOUND-001",
    "error",
    "channelAddressIdentifier is set before the session Lambda",
    "Add a Set contact attributes block that sets channelAddressIdentifier before Execute create messaging session.",
    INBOUND,
    needs=LAMBDA,
)
def channel_before_session(ctx: LintContext) -> Hits:
    """CreateMessagingSession reads channelAddressIdentifier from the contact's attributes: on a path that
    never set it, no session can be created."""
    setters = _channel_setters(ctx) if ctx.session_lambdas else set()
    for action in ctx.session_lambdas:
        passed = lambda_attributes(action).get("channelAddressIdentifier")
        if isinstance(passed, str) and passed and not is_dynamic(passed):
            continue  # passed as a static block parameter: the Lambda reads that first
        if ctx.graph.may_reach_without(action.identifier, setters):
            yield action.identifier, "some path reaches the session Lambda without setting channelAddressIdentifier"


@rule(
    "SCCAC-INBOUND-002",
    "error",
    "The CreateMessagingSession Lambda is invoked",
    "Add an Invoke AWS Lambda block for the CreateMessagingSession function (input channelAddressIdentifier).",
    SESSION_FLOWS,
)
def session_present(ctx: LintContext) -> Hits:
    """Without CreateMessagingSession there is no Salesforce messaging session, so Omni-Channel has nothing
    to route."""
    if not ctx.session_lambdas:
        yield None, "no Invoke AWS Lambda block for CreateMessagingSession"


@rule(
    "SCCAC-INBOUND-003",
    "error",
    "The session Lambda's results are stored as contact attributes",
    "After the session Lambda, set conversationIdentifier, workItemId and source to $.External.<same name>.",
    SESSION_FLOWS,
    needs=LAMBDA,
)
def session_results_stored(ctx: LintContext) -> Hits:
    """The Routing Lambda and SCC-AC's agent console read conversationIdentifier, workItemId and source
    from the contact's attributes, not from the Lambda's output."""
    actions = ctx.graph.actions
    for action in ctx.session_lambdas:
        # The usual flow stores them all in the block right after the Lambda (the first block its
        # success branch reaches): then no walk over the rest is needed.
        following = action.transitions.next_action
        stored = _results_stored(actions[following]) if isinstance(following, str) and following in actions else set()
        missing = [k for k in SESSION_RESULTS if k not in stored]
        if missing:
            stored = set().union(*(_results_stored(actions[ident]) for ident in _after_success(ctx, action)))
            missing = [k for k in SESSION_RESULTS if k not in stored]
        if missing:
            yield action.identifier, f"the Lambda's {', '.join(missing)} never reach contact attributes (set them from $.External.*)"


@rule(
    "SCCAC-INBOUND-004",
    "error",
    "The Routing Lambda is invoked with routingType=Initial",
    "Add an Invoke AWS Lambda block for the Routing function with the parameter routingType = Initial.",
    SESSION_FLOWS,
)
def routing_initial(ctx: LintContext) -> Hits:
    """The first routing of a chat asks Salesforce Omni-Channel for a queue with routingType Initial."""
    if not routing_with_type(ctx, "Initial"):
        yield from wrong_routing_types(ctx, "Initial")


@rule(
    "SCCAC-INBOUND-005",
    "error",
    "Routing runs after the messaging session exists",
    "Place the Routing Lambda on the session Lambda's success path (it needs conversationIdentifier).",
    SESSION_FLOWS,
    needs=LAMBDA,
)
def routing_after_session(ctx: LintContext) -> Hits:
    """Routing needs the messaging session (its conversationIdentifier): it must run only after the session
    Lambda succeeded."""
    routings = ctx.routing_lambdas
    # The usual flow: every Routing Lambda (each named by a string) is on the success path, found by
    # a walk that stops as soon as it has met them all.
    wanted = {r.identifier for r in routings} if all(isinstance(r.identifier, str) for r in routings) else None
    for session in ctx.session_lambdas:
        if wanted is not None and ctx.graph.reaches_all(session.transitions.next_action, wanted):
            continue
        after = _after_success(ctx, session)
        for routing in routings:
            if not isinstance(routing.identifier, str) or routing.identifier not in after:
                yield routing.identifier, "the Routing Lambda is not on the session Lambda's success path"


def _dynamic_external_queues(ctx: LintContext) -> list:
    """The Set working queue blocks from externalQueueId, worked out once for the two rules that ask."""
    return ctx.shared("external_queues", lambda c: [a for a in c.set_queue_actions if a.queue_id == EXTERNAL_QUEUE])


@rule(
    "SCCAC-INBOUND-006",
    "error",
    "The working queue is set from $.External.externalQueueId",
    "Add Set working queue, By queue, Set dynamically: namespace External, key externalQueueId.",
    SESSION_FLOWS,
)
def queue_from_routing(ctx: LintContext) -> Hits:
    """The Routing Lambda returns the mapped Connect queue as externalQueueId; the working queue must be
    set from it."""
    if not _dynamic_external_queues(ctx):
        yield None, f"no Set working queue with QueueId {EXTERNAL_QUEUE}"


@rule(
    "SCCAC-INBOUND-007",
    "error",
    "The dynamic working queue falls back to a fixed queue on error",
    "Connect the dynamic Set working queue's Error branch to a Set working queue with a fixed queue ARN.",
    SESSION_FLOWS,
    needs=SET_QUEUE,
)
def fallback_queue(ctx: LintContext) -> Hits:
    """When routing returns no usable externalQueueId the dynamic Set working queue fails: a fixed fallback
    queue keeps the chat from being dropped."""
    for action in _dynamic_external_queues(ctx):
        fallback = ctx.error_target(action)
        if fallback is None or fallback.type != "UpdateContactTargetQueue" or not ctx.is_static_queue(fallback):
            yield action.identifier, "the Error branch (no externalQueueId returned) does not set a fixed fallback queue"


@rule("SCCAC-INBOUND-008", "error", "The contact is transferred to the queue", "Add a Transfer to queue block after Set working queue.", SESSION_FLOWS)
def inbound_transfer(ctx: LintContext) -> Hits:
    """The chat reaches an agent only once it is transferred to the queue."""
    if not transfer_reached(ctx):
        yield None, NO_TRANSFER


@rule(
    "SCCAC-INBOUND-009",
    "error",
    "Every Lambda block is inside a retry loop",
    "Put a Loop before the Lambda: ContinueLooping -> Lambda, Lambda Error -> back to the Loop, DoneLooping -> Disconnect.",
    SESSION_FLOWS,
    needs=LAMBDA,
)
def lambdas_in_retry_loops(ctx: LintContext) -> Hits:
    """Salesforce calls fail now and then (timeouts, throttling); SCC-AC's sample flow retries each Lambda
    in a Loop."""
    for action in ctx.session_lambdas + ctx.routing_lambdas:
        if retry_loop_of(ctx, action) is None:
            yield action.identifier, "the Lambda is not retried: its Error branch does not go to a Loop whose body leads back to it"


@rule(
    "SCCAC-INBOUND-010",
    "error",
    "A final Lambda error disconnects the contact",
    "Route the retry loop's DoneLooping (after an optional message) to a Disconnect block.",
    SESSION_FLOWS,
    needs=LAMBDA,
)
def inbound_final_error(ctx: LintContext) -> Hits:
    """When the retries are spent the contact must end cleanly (a message and a disconnect), not hang in
    the flow."""
    if can_end_badly(ctx):  # else every path of this flow ends in a disconnect
        yield from final_errors_not_disconnected(ctx, ctx.session_lambdas + ctx.routing_lambdas)


@rule(
    "SCCAC-INBOUND-011",
    "warning",
    "The session Lambda's response is validated as STRING_MAP",
    "Set ResponseValidation.ResponseType to STRING_MAP (the function returns a flat string map).",
    SESSION_FLOWS,
    needs=LAMBDA,
)
def session_string_map(ctx: LintContext) -> Hits:
    """CreateMessagingSession returns a flat string map; STRING_MAP validation makes its values usable as
    $.External attributes."""
    for action in ctx.session_lambdas:
        response = action.response_type
        if response != "STRING_MAP":
            yield action.identifier, f"ResponseType is {response!r}, not STRING_MAP"
