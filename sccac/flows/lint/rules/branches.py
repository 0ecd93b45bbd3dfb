"""Rules about branches: allowed error types, required handlers, where error paths end, cycles."""

from __future__ import annotations

from collections.abc import Iterator

from sccac.flows.lint.context import LintContext
from sccac.flows.lint.findings import rule
from sccac.flows.lint.rules.catalog import COMMON_ERRORS, ERROR_CHECKED_TYPES, EXTRA_ERRORS

Hits = Iterator[tuple[str | None, str]]

# The error types each checked block type may declare (the common ones and its own), built once.
_ALLOWED_ERRORS = {t: COMMON_ERRORS | EXTRA_ERRORS.get(t, frozenset()) for t in ERROR_CHECKED_TYPES}

NEEDS_ERROR_BRANCH = ("InvokeLambdaFunction", "UpdateContactTargetQueue", "TransferContactToQueue")


@rule(
    "SCCAC-FLOW-014",
    "error",
    "Error types are valid for the action type",
    "Use NoMatchingError (and QueueAtCapacity only on Transfer to queue); remove branches Connect never takes.",
    needs=ERROR_CHECKED_TYPES,
)
def error_types(ctx: LintContext) -> Hits:
    """Each action type raises only certain errors (NoMatchingError, and a few of its own such as
    QueueAtCapacity on Transfer to queue): a branch for any other is never taken."""
    for action in ctx.flow.actions:
        errors = action.transitions.errors
        if not errors:
            continue  # a Loop or an end block: no error branch, so no need to look its type up
        allowed = _ALLOWED_ERRORS.get(action.type)
        if allowed is None:
            continue
        for branch in errors:
            if not isinstance(branch.error_type, str) or branch.error_type not in allowed:
                yield action.identifier, f"{action.type} has no error type {branch.error_type!r} (allowed: {', '.join(sorted(allowed))})"


def _all_have_error_branch(ctx: LintContext) -> bool:
    """Every block that needs a NoMatchingError branch has one (the usual flow: those blocks looked up
    by Type, not every block scanned)."""
    by_type = ctx.by_type
    try:
        for action_type in NEEDS_ERROR_BRANCH:
            for action in by_type.get(action_type, ()):
                if action.transitions.error_target("NoMatchingError") is None:
                    return False
    except Exception:  # noqa: BLE001  (an odd block, e.g. a branch without ErrorType: the full check fails on it in flow order)
        return False
    return True


@rule(
    "SCCAC-FLOW-015",
    "error",
    "Lambda, Set working queue and Transfer to queue blocks have an error branch",
    "Add a NoMatchingError branch that retries or ends the contact (Disconnect).",
    needs=NEEDS_ERROR_BRANCH,
)
def missing_error_branch(ctx: LintContext) -> Hits:
    """These blocks fail at run time (a Lambda error, an unusable queue, a full queue): without an error
    branch the contact is left stuck in the flow."""
    if _all_have_error_branch(ctx):
        return
    for action in ctx.flow.actions:
        if action.type in NEEDS_ERROR_BRANCH and action.transitions.error_target("NoMatchingError") is None:
            yield action.identifier, f"{action.type} has no NoMatchingError branch: a failure leaves the contact stuck"


@rule(
    "SCCAC-FLOW-016",
    "warning",
    "Transfer to queue handles QueueAtCapacity",
    "Add a QueueAtCapacity branch (message and Disconnect, or another queue).",
    needs=("TransferContactToQueue",),
)
def missing_at_capacity(ctx: LintContext) -> Hits:
    """When the queue is full, Transfer to queue fails with QueueAtCapacity: a branch for it lets the flow
    tell the customer or try another queue."""
    for action in ctx.transfers:
        if action.transitions.error_target("QueueAtCapacity") is None:
            yield action.identifier, "TransferContactToQueue has no QueueAtCapacity branch"


@rule(
    "SCCAC-FLOW-017",
    "warning",
    "Error paths end in a disconnect",
    "Route the error branch (after any message) to a Disconnect block.",
)
def error_paths_end(ctx: LintContext) -> Hits:
    """An error path that stops anywhere but a disconnect (or the end of a module) leaves the contact
    without an ending the flow controls."""
    graph = ctx.graph
    if not graph.dead_ends():
        return  # no block of this flow ends a path badly, so no error path can
    for ident, action in graph.actions.items():
        for branch in action.transitions.errors or []:
            target = branch.next_action
            if not isinstance(target, str) or target not in graph.actions:
                continue
            bad = graph.error_path_bad_ends(ident, target)
            if bad:
                yield ident, f"the {branch.error_type} path can end at {', '.join(repr(b) for b in bad[:3])} instead of a Disconnect"


@rule(
    "SCCAC-FLOW-018",
    "warning",
    "Every cycle passes through a Loop block",
    "Put a Loop block with a LoopCount in the cycle so retries stop.",
)
def unbounded_cycles(ctx: LintContext) -> Hits:
    """A cycle without a Loop block (and its LoopCount) can repeat until Connect ends the contact, for
    instance a Lambda retried forever."""
    for component in ctx.graph.cycles_without(lambda a: a.type == "Loop"):
        yield component[0], f"blocks {', '.join(repr(c) for c in component[:4])} form a cycle with no Loop: it can repeat forever"
