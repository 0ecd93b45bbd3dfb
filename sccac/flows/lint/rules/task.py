"""SCC-AC task-routing flow rules (Case unified routing: queueId attribute or fallback queue)."""

from __future__ import annotations

from collections.abc import Iterator

from sccac.flows.builders import ATTR_QUEUE_ID, FlowKind
from sccac.flows.lint.context import SET_QUEUE, LintContext
from sccac.flows.lint.findings import rule
from sccac.flows.lint.rules.sccac import NO_TRANSFER, transfer_reached
from sccac.flows.model import Action, Compare

Hits = Iterator[tuple[str | None, str]]
TASK = [FlowKind.TASK_ROUTING]
QUEUE_ID_PATH = f"$.Attributes.{ATTR_QUEUE_ID}"


def _checks(ctx: LintContext) -> list[Action]:
    """The checks of queueId, worked out once for the three rules that ask (callers must not change it)."""
    return ctx.shared("task_checks", lambda c: [a for a in c.actions_of(Compare) if a.comparison_value == QUEUE_ID_PATH])


def _dynamic_queues(ctx: LintContext) -> list[Action]:
    """The Set working queue blocks from queueId, worked out once for the two rules that ask."""
    return ctx.shared("task_dynamic_queues", lambda c: [a for a in c.set_queue_actions if a.queue_id == QUEUE_ID_PATH])


@rule(
    "SCCAC-TASK-001",
    "error",
    "Check contact attributes tests queueId",
    f"Add a Check contact attributes block on {QUEUE_ID_PATH} with a condition for a queue ARN.",
    TASK,
)
def checks_queue_id(ctx: LintContext) -> Hits:
    """Case unified routing passes the queue in the task's queueId attribute; the flow must test it to
    route by it."""
    checks = _checks(ctx)
    if not checks:
        yield None, f"no Check contact attributes (Compare) on {QUEUE_ID_PATH}"
    for action in checks:
        if not action.transitions.conditions:
            yield action.identifier, "the queueId check has no condition"


@rule(
    "SCCAC-TASK-002",
    "error",
    "When queueId is set, the working queue is set dynamically from it",
    f"On the check's condition branch, Set working queue with QueueId {QUEUE_ID_PATH}.",
    TASK,
)
def queue_from_attribute(ctx: LintContext) -> Hits:
    """A task with queueId must be queued on that queue: the working queue is set from
    $.Attributes.queueId."""
    dynamic = {a.identifier for a in _dynamic_queues(ctx) if isinstance(a.identifier, str)}
    checks = _checks(ctx)
    for action in checks:
        # A NextAction of the wrong type (a list, a number) leads nowhere; other rules report it.
        targets = {c.next_action for c in action.transitions.conditions or [] if isinstance(c.next_action, str)}
        if not targets & dynamic:
            yield action.identifier, f"no condition branch leads to Set working queue {QUEUE_ID_PATH}"
    if not checks and not dynamic:
        yield None, f"no Set working queue with QueueId {QUEUE_ID_PATH}"


@rule(
    "SCCAC-TASK-003",
    "error",
    "When queueId is not set, a fixed fallback queue is used",
    "Connect the check's No match (NoMatchingCondition) branch to Set working queue with a fixed queue ARN.",
    TASK,
    needs=("Compare",),
)
def fallback_on_no_match(ctx: LintContext) -> Hits:
    """A task without queueId still needs a queue: the check's No match branch sets a fixed one."""
    for action in _checks(ctx):
        fallback = ctx.error_target(action, "NoMatchingCondition")
        if fallback is None or fallback.type != "UpdateContactTargetQueue" or not ctx.is_static_queue(fallback):
            yield action.identifier, "the No match branch does not set a fixed fallback queue"


@rule(
    "SCCAC-TASK-004",
    "error",
    "A failed dynamic queue falls back to the fixed queue",
    "Connect the dynamic Set working queue's Error branch to the fallback Set working queue.",
    TASK,
    needs=SET_QUEUE,
)
def fallback_on_error(ctx: LintContext) -> Hits:
    """A queueId that is not a usable queue makes the dynamic Set working queue fail: its error branch sets
    the fixed queue."""
    for action in _dynamic_queues(ctx):
        fallback = ctx.error_target(action)
        if fallback is None or fallback.type != "UpdateContactTargetQueue" or not ctx.is_static_queue(fallback):
            yield action.identifier, "the Error branch (queueId not a usable queue) does not set the fallback queue"


@rule("SCCAC-TASK-005", "error", "The task is transferred to the queue", "Add a Transfer to queue block after Set working queue.", TASK)
def task_transfer(ctx: LintContext) -> Hits:
    """The task reaches an agent only once it is transferred to the queue."""
    if not transfer_reached(ctx):
        yield None, NO_TRANSFER
