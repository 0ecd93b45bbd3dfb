"""SCC-AC transcription module rules (Contact Lens chat analytics)."""

from __future__ import annotations

from collections.abc import Iterator

from sccac.flows.builders import RECORDED_PARTICIPANTS, FlowKind
from sccac.flows.lint.context import LintContext
from sccac.flows.lint.findings import rule
from sccac.flows.model import UpdateContactRecordingAndAnalyticsBehavior, UpdateContactRecordingBehavior

Hits = Iterator[tuple[str | None, str]]
MODULE = [FlowKind.TRANSCRIPTION]


RecordingBlock = UpdateContactRecordingBehavior | UpdateContactRecordingAndAnalyticsBehavior


@rule(
    "SCCAC-TRANSCRIPTION-001",
    "error",
    "Set recording and analytics behavior enables chat analytics (Contact Lens)",
    "In Set recording and analytics behavior, enable Chat > Enable chat analytics "
    '(AnalyticsBehavior.Enabled "True", ChannelConfiguration.Chat.AnalyticsModes ["ContactLens"]).',
    MODULE,
)
def chat_analytics(ctx: LintContext) -> Hits:
    """SCC-AC's transcription module exists to turn on Contact Lens chat analytics, which produces the
    transcript Salesforce receives."""
    blocks = [a for a in ctx.flow.actions if isinstance(a, RecordingBlock)]
    reached = ctx.graph.from_start()
    for block in blocks:
        # A non-string Identifier (reported by the document rules) is never reached.
        if block.chat_analytics_on and isinstance(block.identifier, str) and block.identifier in reached:
            return
    target = blocks[0].identifier if blocks else None
    yield target, "no reachable recording/analytics block enables chat analytics with Contact Lens"


@rule(
    "SCCAC-TRANSCRIPTION-002",
    "error",
    "The module ends with EndFlowModuleExecution",
    "End the module with a Return (EndFlowModuleExecution) block.",
    MODULE,
)
def module_end(ctx: LintContext) -> Hits:
    """A flow module returns to the calling flow only through EndFlowModuleExecution."""
    if not ctx.actions_of_type("EndFlowModuleExecution"):
        yield None, "no EndFlowModuleExecution: the module never returns to the calling flow"


@rule(
    "SCCAC-TRANSCRIPTION-003",
    "warning",
    "The module declares its Settings",
    'Add "Settings": {"InputParameters": [], "OutputParameters": [], "Transitions": [...]} (flow module API).',
    MODULE,
)
def module_settings(ctx: LintContext) -> Hits:
    """The flow module API expects a module's Settings (inputs, outputs, transitions)."""
    if not isinstance(ctx.flow.settings, dict):
        yield None, "the module has no Settings object"


@rule(
    "SCCAC-TRANSCRIPTION-004",
    "warning",
    "The recording block records both the agent and the customer",
    'Set RecordingBehavior.RecordedParticipants to ["Agent", "Customer"]: Contact Lens chat analytics needs the whole transcript.',
    MODULE,
    needs=("UpdateContactRecordingBehavior",),
)
def both_participants_recorded(ctx: LintContext) -> Hits:
    """Contact Lens analyses what is recorded: a chat recorded for one participant gives half a transcript."""
    for action in ctx.actions_of(UpdateContactRecordingBehavior):
        if action.recording_behavior is None:
            continue  # SCCAC-FLOW-027 reports a missing RecordingBehavior
        participants = action.recording_behavior.get("RecordedParticipants")
        have = set(action.recorded_participants or [])
        missing = [p for p in RECORDED_PARTICIPANTS if p not in have]
        if missing:
            yield action.identifier, f"RecordedParticipants is {participants!r}; {' and '.join(missing)} not recorded"
