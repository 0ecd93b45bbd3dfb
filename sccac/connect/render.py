"""How plans, progress and summaries look: one line per resource (rich), a summary table, plan JSON."""

from __future__ import annotations

import logging
from typing import Any

from rich.console import Console
from rich.table import Table

from sccac.connect.engine import ApplyRun
from sccac.connect.pacing import CallStats
from sccac.connect.planner import Action, Plan, Step

_MARK = {Action.CREATE: "+", Action.UPDATE: "~", Action.UNCHANGED: "=", Action.ADOPT: "&", Action.REFUSE: "!"}


def plan_document(plan: Plan, stats: CallStats) -> dict[str, Any]:
    return {
        "instance_id": plan.instance_id,
        "steps": [
            {"kind": s.kind.value, "name": s.name, "action": s.action.value, "reason": s.reason, "writes": s.writes}
            for s in plan.steps
        ],
        "counts": dict(sorted(plan.counts().items())),
        "writes": plan.writes,
        "refused": [f"{s.label}: {s.reason}" for s in plan.refused],
        "quota_issues": plan.quota_issues,
        "quotas": plan.quotas.source,
        "read_calls": stats.reads,
    }


def plan_lines(plan: Plan, stats: CallStats) -> list[str]:
    lines = [f"{_MARK[s.action]} {s.action.value:<9} {s.label}" + (f"  ({s.reason})" if s.reason else "") for s in plan.steps]
    counts = ", ".join(f"{n} {a}" for a, n in sorted(plan.counts().items()))
    lines.append(f"plan: {counts}; {plan.writes} write call(s) to apply; read with {stats.reads} call(s); "
                 f"quotas from {plan.quotas.source}")
    lines += [f"quota: {issue}" for issue in plan.quota_issues]
    lines += [f"refused: {s.label}: {s.reason}" for s in plan.refused]
    return lines


class RichProgress:
    """One line per resource as the applier reaches it."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def step(self, step: Step, outcome: str) -> None:
        self.console.print(f"{_MARK[step.action]} {outcome:<9} {step.label}", highlight=False, markup=False)


class LoggingProgress:
    """For CumulusCI tasks: the same lines through a logger."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger

    def step(self, step: Step, outcome: str) -> None:
        self.logger.info("%s %s", outcome, step.label)


def summary_table(run: ApplyRun) -> Table:
    table = Table(title="Connect wiring")
    for column in ("created", "updated", "unchanged", "adopted", "API calls", "reads", "writes", "throttled"):
        table.add_column(column, justify="right")
    o, s = run.result.outcomes, run.stats
    table.add_row(*(str(v) for v in (o["created"], o["updated"], o["unchanged"], o["adopted"], s.calls, s.reads, s.writes, s.throttled)))
    return table


def summary_line(run: ApplyRun) -> str:
    """The summary table's figures as one log line (CumulusCI tasks log lines, not tables)."""
    o, s = run.result.outcomes, run.stats
    return (f"Connect wiring: {o['created']} created, {o['updated']} updated, {o['unchanged']} unchanged, "
            f"{o['adopted']} adopted; {s.calls} API calls ({s.reads} reads, {s.writes} writes, {s.throttled} throttled)")
