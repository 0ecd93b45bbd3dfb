"""Rules of the disconnect flow with re-queue (SCC-AC's "Using Disconnect Flow Re-queue with SCCAC").

Connect's sample disconnect flow tells the customer the agent left, waits for the customer's
return and transfers to a queue; SCC-AC adds its blocks before the transfer, because the earlier
messaging session has ended. The session, routing and queue rules of the inbound flow apply too
(``inbound.py``, kinds ``SESSION_FLOWS``); these check the wait and the order around it.
"""

from __future__ import annotations

from collections.abc import Iterator

from sccac.flows.builders import FlowKind
from sccac.flows.lint.context import LintContext
from sccac.flows.lint.findings import rule
from sccac.flows.lint.rules.sccac import DISCONNECT_ONLY
from sccac.flows.model import Action

Hits = Iterator[tuple[str | None, str]]
REQUEUE = [FlowKind.DISCONNECT_REQUEUE]
RETURNED = "CustomerReturned"


def _waits(ctx: LintContext) -> list[Action]:
    return [a for a in ctx.actions_of_type("Wait") if isinstance(a.identifier, str)]


def _returned_target(action: Action) -> str | None:
    # The designer writes the event as a condition; some exports list it among the errors.
    target = action.transitions.condition_target(RETURNED) or action.transitions.error_target(RETURNED)
    return target if isinstance(target, str) else None


@rule(
    "SCCAC-REQUEUE-001",
    "error",
    "A Wait block waits for the customer's return",
    'Add a Wait block with "Events": ["CustomerReturned"], a CustomerReturned condition and a time limit '
    '(SCC-AC: "TimeLimitSeconds": "900").',
    REQUEUE,
)
def waits_for_customer(ctx: LintContext) -> Hits:
    """The re-queue flow only works if it notices the customer's reply: a Wait block with a
    CustomerReturned branch."""
    reached = ctx.graph.from_start()
    waiting = [a for a in _waits(ctx) if a.identifier in reached and _returned_target(a)]
    if not waiting:
        target = _waits(ctx)[0].identifier if _waits(ctx) else None
        yield target, "no reachable Wait block continues on CustomerReturned: the customer's reply is never noticed"


@rule(
    "SCCAC-REQUEUE-002",
    "error",
    "The customer's return leads to CreateMessagingSession before routing",
    "Connect the Wait block's CustomerReturned branch to the CreateMessagingSession retry loop (the earlier "
    "session has ended), and routing after it.",
    REQUEUE,
    needs=("Wait",),
)
def session_after_return(ctx: LintContext) -> Hits:
    """The earlier messaging session ended when the agent left: the customer's return needs a new session
    before routing."""
    sessions = {a.identifier for a in ctx.session_lambdas if isinstance(a.identifier, str)}
    for wait in _waits(ctx):
        target = _returned_target(wait)
        if target is None:
            continue  # SCCAC-REQUEUE-001
        after = ctx.graph.reachable([target], stop=sessions.__contains__)
        routing_first = [a.identifier for a in ctx.routing_lambdas if a.identifier in after and a.identifier not in sessions]
        if not sessions & after:
            yield wait.identifier, "the customer's return never reaches CreateMessagingSession"
        elif routing_first:
            yield wait.identifier, f"the customer's return reaches routing ({routing_first[0]!r}) before a new session exists"


@rule(
    "SCCAC-REQUEUE-003",
    "warning",
    "When the customer does not return in time, the contact is disconnected",
    "Route the Wait block's WaitCompleted (time limit) and NoMatchingError branches to a Disconnect block.",
    REQUEUE,
    needs=("Wait",),
)
def timeout_disconnects(ctx: LintContext) -> Hits:
    """A customer who does not come back within the time limit should be disconnected, not left waiting in
    the flow."""
    for wait in _waits(ctx):
        for error_type in ("WaitCompleted", "NoMatchingError"):
            target = wait.transitions.error_target(error_type)
            if not isinstance(target, str) or target not in ctx.graph.actions:
                yield wait.identifier, f"the Wait block has no {error_type} branch"
                continue
            bad = ctx.graph.error_path_bad_ends(wait.identifier, target, DISCONNECT_ONLY)
            if bad:
                yield wait.identifier, f"after {error_type} the contact can end at {bad[0]!r} instead of being disconnected"
