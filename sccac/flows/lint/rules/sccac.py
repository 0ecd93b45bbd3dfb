"""SCC-AC checks several flow kinds share: routing Lambdas, retry loops, final-error disconnects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sccac.flows.lint.context import LintContext, lambda_attributes
from sccac.flows.lint.graph import follow_next
from sccac.flows.model import Action

Hits = Iterator[tuple[str | None, str]]
DISCONNECT_ONLY = frozenset({"DisconnectParticipant"})


def routing_with_type(ctx: LintContext, routing_type: str) -> list[Action]:
    return [a for a in ctx.routing_lambdas if lambda_attributes(a).get("routingType") == routing_type]


def wrong_routing_types(ctx: LintContext, routing_type: str) -> Hits:
    """The findings of a flow whose Routing Lambdas have no ``routing_type`` (callers ask
    ``routing_with_type`` first: the usual flow then needs no generator here)."""
    others = ctx.routing_lambdas
    if others:
        for action in others:
            got = lambda_attributes(action).get("routingType")
            yield action.identifier, f"the Routing Lambda has routingType {got!r}; this flow needs {routing_type!r}"
    else:
        yield None, f"no Routing Lambda with routingType={routing_type} (Invoke AWS Lambda block, parameter routingType)"


def retry_loop_of(ctx: LintContext, action: Action) -> Action | None:
    """The Loop that retries ``action``: its error branch leads to a Loop whose body leads back."""
    graph = ctx.graph
    error = action.transitions.error_target("NoMatchingError")
    # The usual retry: the error branch goes straight to a Loop whose body is the block itself
    # (the first block of each chain below), told without walking the two chains.
    loop = graph.actions.get(error) if isinstance(error, str) else None
    if loop is not None and loop.type == "Loop":
        body = loop.transitions.condition_target("ContinueLooping")
        if isinstance(body, str) and body in graph.actions and body == action.identifier:
            return loop
    for ident in follow_next(graph, error):
        candidate = graph.actions[ident]
        if candidate.type == "Loop":
            body = candidate.transitions.condition_target("ContinueLooping")
            return candidate if action.identifier in follow_next(graph, body) else None
    return None


def final_error_bad_ends(ctx: LintContext, action: Action) -> list[str] | None:
    """Where the Lambda's error path can end other than a Disconnect (None when it has no error branch)."""
    target = action.transitions.error_target("NoMatchingError")
    if not isinstance(target, str) or target not in ctx.graph.actions:
        return None
    return ctx.graph.error_path_bad_ends(action.identifier, target, DISCONNECT_ONLY)


def can_end_badly(ctx: LintContext) -> bool:
    """Some path of the flow can stop other than at a Disconnect (``dead_ends(DISCONNECT_ONLY)``)."""
    return bool(ctx.graph.dead_ends(DISCONNECT_ONLY))


def final_errors_not_disconnected(ctx: LintContext, lambdas: Sequence[Action]) -> Hits:
    """The Lambdas whose error path can end other than at a Disconnect (callers ask ``can_end_badly``
    first: in the usual flow every path ends in a disconnect, and no generator is needed here)."""
    for action in lambdas:
        bad = final_error_bad_ends(ctx, action)
        if bad:
            yield action.identifier, (
                f"after its last failed attempt the contact can end at {', '.join(repr(b) for b in bad[:3])} "
                "instead of being disconnected"
            )


NO_TRANSFER = "no reachable Transfer to queue block"


def transfer_reached(ctx: LintContext) -> bool:
    """Some Transfer to queue block is reachable from the start."""
    reached = ctx.graph.from_start()
    for transfer in ctx.transfers:
        if isinstance(transfer.identifier, str) and transfer.identifier in reached:
            return True
    return False
