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


def require_routing_type(ctx: LintContext, routing_type: str) -> Hits:
    if routing_with_type(ctx, routing_type):
        return
    others = [a for a in ctx.routing_lambdas]
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


def require_final_error_disconnects(ctx: LintContext, lambdas: Sequence[Action]) -> Hits:
    if not ctx.graph.dead_ends(DISCONNECT_ONLY):
        return  # every path of this flow ends in a disconnect
    for action in lambdas:
        bad = final_error_bad_ends(ctx, action)
        if bad:
            yield action.identifier, (
                f"after its last failed attempt the contact can end at {', '.join(repr(b) for b in bad[:3])} "
                "instead of being disconnected"
            )


def require_transfer(ctx: LintContext) -> Hits:
    reached = ctx.graph.from_start()
    if not any(isinstance(t.identifier, str) and t.identifier in reached for t in ctx.transfers):
        yield None, "no reachable Transfer to queue block"
