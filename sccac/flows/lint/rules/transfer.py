"""SCC-AC agent-transfer and queue-transfer flow rules (quick-connect flows)."""

from __future__ import annotations

from collections.abc import Iterator

from sccac.flows.builders import AGENT_USER_NAME, FlowKind
from sccac.flows.lint.context import LAMBDA, LintContext
from sccac.flows.lint.findings import rule
from sccac.flows.lint.rules.sccac import (
    NO_TRANSFER,
    can_end_badly,
    final_errors_not_disconnected,
    routing_with_type,
    transfer_reached,
    wrong_routing_types,
)
from sccac.flows.model import MAX_SYNC_LAMBDA_TIMEOUT_SECONDS

Hits = Iterator[tuple[str | None, str]]
AGENT = [FlowKind.AGENT_TRANSFER]
QUEUE = [FlowKind.QUEUE_TRANSFER]


@rule(
    "SCCAC-AGENT-001",
    "error",
    "The Routing Lambda is invoked with routingType=Transfer",
    "Add an Invoke AWS Lambda block for the Routing function with the parameter routingType = Transfer.",
    AGENT,
)
def agent_routing(ctx: LintContext) -> Hits:
    """The agent-transfer flow tells Salesforce about the transfer through the Routing Lambda with
    routingType Transfer."""
    if not routing_with_type(ctx, "Transfer"):
        yield from wrong_routing_types(ctx, "Transfer")


@rule(
    "SCCAC-AGENT-002",
    "error",
    "The transfer Lambda's timeout is the maximum (8 s)",
    f'Set InvocationTimeLimitSeconds to "{MAX_SYNC_LAMBDA_TIMEOUT_SECONDS}".',
    AGENT,
    needs=LAMBDA,
)
def agent_timeout(ctx: LintContext) -> Hits:
    """SCC-AC's agent-transfer flow gives the Routing Lambda the maximum 8 seconds, as the transfer waits
    on Salesforce."""
    for action in routing_with_type(ctx, "Transfer"):
        value = action.given("InvocationTimeLimitSeconds")
        if value != str(MAX_SYNC_LAMBDA_TIMEOUT_SECONDS):
            yield action.identifier, f"InvocationTimeLimitSeconds is {value!r}; the source asks for the maximum, {MAX_SYNC_LAMBDA_TIMEOUT_SECONDS}"


@rule(
    "SCCAC-AGENT-003",
    "error",
    "The working queue is set by agent from $.Agent.UserName",
    "Set working queue: By agent, Set dynamically, namespace Agent, key User name ($.Agent.UserName).",
    AGENT,
)
def agent_queue(ctx: LintContext) -> Hits:
    """A transfer to an agent queues the contact on that agent's queue, set from $.Agent.UserName."""
    if not any(a.agent_id == AGENT_USER_NAME for a in ctx.set_queue_actions):
        yield None, f"no Set working queue with AgentId {AGENT_USER_NAME}"


@rule("SCCAC-AGENT-004", "error", "The contact is transferred to the agent's queue", "Add a Transfer to queue block after Set working queue.", AGENT)
def agent_transfer(ctx: LintContext) -> Hits:
    """The contact reaches the agent only once it is transferred to the agent's queue."""
    if not transfer_reached(ctx):
        yield None, NO_TRANSFER


@rule(
    "SCCAC-AGENT-005",
    "error",
    "A final Lambda error disconnects the contact",
    "Route the Lambda's Error branch (or its retry loop's DoneLooping) to a Disconnect block.",
    AGENT,
    needs=LAMBDA,
)
def agent_final_error(ctx: LintContext) -> Hits:
    """When the Routing Lambda finally fails the contact must end cleanly, not hang in the flow."""
    if can_end_badly(ctx):  # else every path of this flow ends in a disconnect
        yield from final_errors_not_disconnected(ctx, ctx.routing_lambdas)


@rule(
    "SCCAC-QUEUE-001",
    "error",
    "The Routing Lambda is invoked with routingType=Transfer",
    "Add an Invoke AWS Lambda block for the Routing function with the parameter routingType = Transfer.",
    QUEUE,
)
def queue_routing(ctx: LintContext) -> Hits:
    """The queue-transfer flow tells Salesforce about the transfer through the Routing Lambda with
    routingType Transfer."""
    if not routing_with_type(ctx, "Transfer"):
        yield from wrong_routing_types(ctx, "Transfer")


@rule("SCCAC-QUEUE-002", "error", "The contact is transferred to the queue", "Add a Transfer to queue block after the Lambda.", QUEUE)
def queue_transfer(ctx: LintContext) -> Hits:
    """The contact reaches the new queue only once it is transferred to it."""
    if not transfer_reached(ctx):
        yield None, NO_TRANSFER


@rule(
    "SCCAC-QUEUE-003",
    "error",
    "A final Lambda error disconnects the contact",
    "Route the Lambda's Error branch (or its retry loop's DoneLooping) to a Disconnect block.",
    QUEUE,
    needs=LAMBDA,
)
def queue_final_error(ctx: LintContext) -> Hits:
    """When the Routing Lambda finally fails the contact must end cleanly, not hang in the flow."""
    if can_end_badly(ctx):  # else every path of this flow ends in a disconnect
        yield from final_errors_not_disconnected(ctx, ctx.routing_lambdas)
