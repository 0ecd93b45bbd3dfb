"""What a simulated contact did: the steps, the Lambda calls, the outcome; as text or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sccac.flows.text import printable_lines


class OutcomeKind(str, Enum):
    TRANSFERRED_TO_QUEUE = "transferred_to_queue"
    DISCONNECTED = "disconnected"
    ENDED = "ended"
    TRANSFERRED_TO_FLOW = "transferred_to_flow"
    STUCK = "stuck"


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    queue: str | None = None  # queue id/ARN, or the agent for an agent queue
    queue_kind: str | None = None  # "queue" or "agent"
    flow_id: str | None = None
    reason: str | None = None
    block_id: str | None = None

    def describe(self) -> str:
        if self.kind is OutcomeKind.TRANSFERRED_TO_QUEUE:
            where = f"agent queue of {self.queue}" if self.queue_kind == "agent" else f"queue {self.queue}"
            return f"transferred to {where}"
        if self.kind is OutcomeKind.TRANSFERRED_TO_FLOW:
            return f"transferred to flow {self.flow_id}"
        if self.kind is OutcomeKind.STUCK:
            return f"stuck: {self.reason}"
        text: str = self.kind.value
        return text + (f" ({self.reason})" if self.reason else "")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value, "description": self.describe()}
        for key in ("queue", "queue_kind", "flow_id", "reason", "block_id"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True)
class LambdaCall:
    """One invocation: which function, which try, what came back."""

    block_id: str
    function_arn: str
    role: str | None
    attempt: int
    parameters: dict[str, Any]
    status: str  # "ok", "error", "timeout", "invalid_response"
    result: Any = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "block": self.block_id,
            "function_arn": self.function_arn,
            "role": self.role,
            "attempt": self.attempt,
            "parameters": self.parameters,
            "status": self.status,
        }
        if self.result is not None:
            out["result"] = self.result
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass
class Step:
    """One block visit: the branch taken, why, and what it changed."""

    number: int
    identifier: str
    type: str
    branch: str | None
    reason: str
    next_action: str | None
    flow: str = "main"  # "main" or the module/flow id it ran in
    attribute_changes: dict[str, str | None] = field(default_factory=dict)
    external: dict[str, Any] | None = None  # set when this step replaced External
    working_queue: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "step": self.number,
            "flow": self.flow,
            "identifier": self.identifier,
            "type": self.type,
            "branch": self.branch,
            "reason": self.reason,
            "next": self.next_action,
        }
        if self.attribute_changes:
            out["attribute_changes"] = self.attribute_changes
        if self.external is not None:
            out["external"] = self.external
        if self.working_queue is not None:
            out["working_queue"] = self.working_queue
        if self.notes:
            out["notes"] = self.notes
        return out


@dataclass
class Trace:
    contact_id: str
    channel: str
    steps: list[Step] = field(default_factory=list)
    lambda_calls: list[LambdaCall] = field(default_factory=list)
    outcome: Outcome | None = None
    final: dict[str, Any] = field(default_factory=dict)  # ContactState.snapshot() at the end
    recording: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    @property
    def visited(self) -> list[str]:
        return [s.identifier for s in self.steps]

    @property
    def attributes(self) -> dict[str, str]:
        return dict(self.final.get("attributes", {}))

    @property
    def external(self) -> dict[str, Any]:
        return dict(self.final.get("external", {}))

    @property
    def working_queue(self) -> dict[str, Any] | None:
        return self.final.get("working_queue")

    def calls_to(self, key: str) -> list[LambdaCall]:
        """Lambda calls to a function ARN or a role (``session``/``routing``)."""
        return [c for c in self.lambda_calls if key in (c.function_arn, c.role)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "channel": self.channel,
            "outcome": self.outcome.to_dict() if self.outcome else None,
            "steps": [s.to_dict() for s in self.steps],
            "lambda_calls": [c.to_dict() for c in self.lambda_calls],
            "final": self.final,
            "recording": self.recording,
            "messages": self.messages,
        }

    def render(self) -> str:
        """A short numbered trace a person can read in a terminal."""
        lines = [f"contact {self.contact_id} ({self.channel})"]
        width = len(str(len(self.steps))) if self.steps else 1
        for step in self.steps:
            where = "" if step.flow == "main" else f"[{step.flow}] "
            branch = f" -> {step.branch}" if step.branch else ""
            lines.append(f"{step.number:>{width}}. {where}{step.identifier} ({step.type}){branch}: {step.reason}")
            pad = " " * (width + 2)
            for key, value in step.attribute_changes.items():
                lines.append(f"{pad}  set $.Attributes.{key} = {value!r}")
            for note in step.notes:
                lines.append(f"{pad}  note: {note}")
        if self.lambda_calls:
            by_function: dict[str, list[str]] = {}
            for call in self.lambda_calls:
                label = call.role or call.function_arn
                by_function.setdefault(label, []).append(call.status)
            summary = "; ".join(f"{k}: {len(v)} call(s) [{', '.join(v)}]" for k, v in by_function.items())
            lines.append(f"Lambda calls: {summary}")
        lines.append(f"outcome: {self.outcome.describe() if self.outcome else 'none'}")
        # Identifiers, messages and values come from the flow and scenario: controls are shown escaped.
        return printable_lines(lines)
