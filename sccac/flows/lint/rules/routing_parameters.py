"""Routing block parameters against SCC-AC's routing contract (the names its function reads).

They apply to every Routing Lambda block in any flow, ours or an admin's SCC-AC flow: the
Lambda refuses the same mistakes at run time (sccac/lambdas/event.py), but only when a contact
reaches the block; lint finds them before the flow is published.
"""

from __future__ import annotations

from collections.abc import Iterator

from sccac.flows.lint.context import LAMBDA, LintContext, lambda_attributes
from sccac.flows.lint.findings import rule
from sccac.flows.text import printable
from sccac.lambdas.event import (
    MAX_ROUTING_ATTRIBUTE_NAME,
    PARAM_ATTRIBUTE_PREFIX,
    PARAM_FLOW,
    PARAM_FLOW_FALLBACK,
    PARAM_QUEUE,
    RENAMED_PARAMETERS,
    ROUTING_ATTRIBUTE_NAME_RE,
    ROUTING_PARAMETERS,
)
from sccac.flows.model import Action

Hits = Iterator[tuple[str | None, str]]


def _given(action: Action) -> dict[str, object]:
    # A parameter counts when it has a value: Connect sends an empty one as "", which the Lambda ignores.
    return {k: v for k, v in lambda_attributes(action).items() if isinstance(k, str) and v not in (None, "")}


def _routing_given(ctx: LintContext) -> list[tuple[Action, dict[str, object]]]:
    """Each Routing block with its given parameters, worked out once for the six rules."""
    return ctx.shared("routing_given", lambda c: [(action, _given(action)) for action in c.routing_lambdas])


_OLD_NAMES = sorted(RENAMED_PARAMETERS)


def _new_name(old: str, given: dict[str, object]) -> str:
    # With a flow, the old omniQueueId was the flow's fallback queue.
    if old == "omniQueueId" and ("omniFlowId" in given or PARAM_FLOW in given):
        return PARAM_FLOW_FALLBACK
    return RENAMED_PARAMETERS[old]


@rule(
    "SCCAC-ROUTING-001",
    "error",
    "Routing blocks use SCC-AC's parameter names, not omniQueueId / omniFlowId",
    "Rename omniQueueId to salesforceQueueId (or, next to a flow, to salesforceFlowFallbackQueueId) and "
    "omniFlowId to salesforceFlowId.",
    needs=LAMBDA,
)
def renamed_parameters(ctx: LintContext) -> Hits:
    """The Routing function reads SCC-AC's parameter names and refuses omniQueueId and omniFlowId, so a
    block that still uses them fails at run time."""
    for action, given in _routing_given(ctx):
        if RENAMED_PARAMETERS.keys().isdisjoint(given):
            continue  # the usual block
        for old in _OLD_NAMES:
            if old in given:
                yield action.identifier, (
                    f"parameter {old} is a name the Routing function no longer reads: rename it "
                    f"{_new_name(old, given)} (the function refuses the old name)"
                )


@rule(
    "SCCAC-ROUTING-002",
    "error",
    "Routing blocks pass only the salesforce* parameters the Routing function reads",
    "Use salesforceQueueId, salesforceFlowId, salesforceFlowFallbackQueueId or "
    "salesforceFlowRoutingAttributes.<name>; check the spelling (names are case-sensitive).",
    needs=LAMBDA,
)
def unknown_salesforce_parameter(ctx: LintContext) -> Hits:
    """The Routing function ignores salesforce* parameters it does not read, so a misspelt name silently
    routes without it."""
    for action, given in _routing_given(ctx):
        for name in sorted(given):
            if (name.lower().startswith("salesforce") and name not in ROUTING_PARAMETERS
                    and not name.startswith(PARAM_ATTRIBUTE_PREFIX)):
                close = [p for p in (*ROUTING_PARAMETERS, PARAM_ATTRIBUTE_PREFIX) if p.lower() == name.lower()
                         or (p.endswith(".") and name.lower().startswith(p.lower()))]
                hint = f"; did you mean {close[0]}?" if close else ""
                yield action.identifier, (
                    f"parameter {printable(name)!r} is not one the Routing function reads, so it is ignored{hint}"
                )


@rule(
    "SCCAC-ROUTING-003",
    "error",
    "salesforceFlowId and salesforceFlowFallbackQueueId are given together",
    "Give the Omni-Flow's fallback Omni-Queue (salesforceFlowFallbackQueueId) with salesforceFlowId, or "
    "remove both and use salesforceQueueId.",
    needs=LAMBDA,
)
def flow_without_fallback(ctx: LintContext) -> Hits:
    """Salesforce routes with an Omni-Flow only when a fallback queue is given too; the Routing function
    refuses one without the other."""
    for action, given in _routing_given(ctx):
        if PARAM_FLOW in given and PARAM_FLOW_FALLBACK not in given:
            yield action.identifier, f"{PARAM_FLOW} without {PARAM_FLOW_FALLBACK}: Salesforce refuses a flow route without a fallback queue (error 10024)"
        if PARAM_FLOW_FALLBACK in given and PARAM_FLOW not in given:
            yield action.identifier, f"{PARAM_FLOW_FALLBACK} without {PARAM_FLOW}: a fallback queue needs a flow"


@rule(
    "SCCAC-ROUTING-004",
    "error",
    "salesforceQueueId is not combined with a flow",
    "Keep either salesforceQueueId (route to the queue) or salesforceFlowId with "
    "salesforceFlowFallbackQueueId (route with the flow).",
    needs=LAMBDA,
)
def queue_with_flow(ctx: LintContext) -> Hits:
    """A queue and a flow are two ways of routing; the Routing function refuses both at once."""
    for action, given in _routing_given(ctx):
        if PARAM_QUEUE in given and (PARAM_FLOW in given or PARAM_FLOW_FALLBACK in given):
            yield action.identifier, f"{PARAM_QUEUE} together with {PARAM_FLOW}/{PARAM_FLOW_FALLBACK}: the Routing function refuses the contact"


@rule(
    "SCCAC-ROUTING-005",
    "error",
    "Routing attribute names are names Salesforce accepts for flow variables",
    "Name the parameter salesforceFlowRoutingAttributes.<name> with <name> the Omni-Flow's input variable: "
    f"a letter, then letters, digits and single underscores, at most {MAX_ROUTING_ATTRIBUTE_NAME} characters.",
    needs=LAMBDA,
)
def routing_attribute_names(ctx: LintContext) -> Hits:
    """Routing attributes are sent as Omni-Flow input variables, whose names Salesforce restricts; others
    are refused."""
    for action, given in _routing_given(ctx):
        for key in sorted(given):
            if not key.startswith(PARAM_ATTRIBUTE_PREFIX):
                continue
            name = key[len(PARAM_ATTRIBUTE_PREFIX):]
            if len(name) > MAX_ROUTING_ATTRIBUTE_NAME or not ROUTING_ATTRIBUTE_NAME_RE.match(name):
                yield action.identifier, f"routing attribute {printable(name)!r} is not a flow variable name Salesforce accepts"


@rule(
    "SCCAC-ROUTING-006",
    "warning",
    "Routing attributes are given with salesforceFlowId",
    "Add salesforceFlowId and salesforceFlowFallbackQueueId, or remove the salesforceFlowRoutingAttributes.* "
    "parameters: they are sent only with a flow.",
    needs=LAMBDA,
)
def attributes_without_flow(ctx: LintContext) -> Hits:
    """Routing attributes are sent only with an Omni-Flow; without salesforceFlowId they are dropped."""
    for action, given in _routing_given(ctx):
        if PARAM_FLOW in given:
            continue
        for key in given:  # a loop, not any() over a generator: lint asks this of every Routing block
            if key.startswith(PARAM_ATTRIBUTE_PREFIX):
                yield action.identifier, "routing attributes without salesforceFlowId are not sent to Salesforce"
                break
