"""Warnings for flows that run but open wrongly in Connect's flow designer (see sccac/flows/designer.py).

They check only blocks the flow gives designer metadata for (``Metadata.ActionMetadata``): a flow
written by hand without any is laid out by the designer and has nothing to contradict.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sccac.flows.designer import dynamic_queue_key, is_friendly
from sccac.flows.lint.context import LintContext
from sccac.flows.lint.findings import rule
from sccac.flows.model import Action

Hits = Iterator[tuple[str | None, str]]
OPENS_WRONGLY = "opens wrongly in the designer"


def _action_metadata(ctx: LintContext) -> dict[str, Any]:
    metadata = ctx.flow.metadata if isinstance(ctx.flow.metadata, dict) else {}
    raw = metadata.get("ActionMetadata")
    return raw if isinstance(raw, dict) else {}


def _entries(ctx: LintContext, actions: list[Action]) -> Iterator[tuple[Action, dict[str, Any]]]:
    """Those of ``actions`` with designer metadata, each with its entry."""
    described = _action_metadata(ctx)
    if described:
        for action in actions:
            if isinstance(action.identifier, str) and isinstance(entry := described.get(action.identifier), dict):
                yield action, entry


def _all_marked_friendly(described: dict[str, Any]) -> bool:
    """Every entry is an object marked ``"isFriendlyName": true`` (the usual flow: then no block is
    looked up)."""
    for entry in described.values():
        if entry.__class__ is not dict or entry.get("isFriendlyName") is not True:
            return False
    return True


@rule(
    "SCCAC-DESIGNER-001",
    "warning",
    "A dynamic Set working queue carries the designer's useDynamic marker",
    'In Metadata.ActionMetadata of the block, add "useDynamic": true and "parameters": {"QueueId": {"useDynamic": true}} '
    "(AgentId for a queue by agent), or set the queue dynamically again in the designer and export.",
    needs=("UpdateContactTargetQueue",),
)
def dynamic_queue_marker(ctx: LintContext) -> Hits:
    """Connect's flow designer shows a Set working queue without the useDynamic marker as a queue chosen by
    hand, named after the JSONPath; saving it from the designer then breaks the routing."""
    for action, entry in _entries(ctx, ctx.actions_of_type("UpdateContactTargetQueue")):
        key = dynamic_queue_key(action)
        if key is None:
            continue
        parameters = entry.get("parameters")
        marked = isinstance(parameters, dict) and isinstance(parameters.get(key), dict) and parameters[key].get("useDynamic") is True
        if entry.get("useDynamic") is not True or not marked:
            yield action.identifier, (
                f"{key} is set dynamically ({action.given(key)}) but the block has no useDynamic marker: "
                f"it {OPENS_WRONGLY}, as a queue chosen by hand named '{action.given(key)}'"
            )


@rule(
    "SCCAC-DESIGNER-002",
    "warning",
    "A Check contact attributes block carries conditionMetadata for each condition",
    "In Metadata.ActionMetadata of the block, add conditionMetadata with one entry per condition "
    '({"id", "operator": {"name", "value", "shortDisplay"}, "value"}), or edit the conditions in the designer and export.',
    needs=("Compare",),
)
def compare_condition_metadata(ctx: LintContext) -> Hits:
    """The flow designer lists a Check contact attributes block's conditions from conditionMetadata;
    without an entry per condition the block opens with its conditions missing."""
    for action, entry in _entries(ctx, ctx.actions_of_type("Compare")):
        conditions = action.transitions.conditions or []
        listed = entry.get("conditionMetadata")
        count = len(listed) if isinstance(listed, list) else 0
        if count != len(conditions):
            yield action.identifier, (
                f"{len(conditions)} condition(s) but {count} in conditionMetadata: the block {OPENS_WRONGLY} "
                "(the designer lists its conditions from conditionMetadata)"
            )


@rule(
    "SCCAC-DESIGNER-003",
    "warning",
    "A block with a readable Identifier is marked isFriendlyName",
    'In Metadata.ActionMetadata of the block, add "isFriendlyName": true, or use a UUID as the Identifier.',
)
def friendly_names(ctx: LintContext) -> Hits:
    """The flow designer marks a readable (non-UUID) Identifier with isFriendlyName; without it the block
    opens wrongly."""
    if _all_marked_friendly(_action_metadata(ctx)):
        return  # an entry marked isFriendlyName is right whatever its Identifier
    for action, entry in _entries(ctx, ctx.flow.actions):
        if entry.get("isFriendlyName") is not True and is_friendly(action.identifier):
            yield action.identifier, f"the Identifier is a name, not a UUID, and is not marked isFriendlyName: the block {OPENS_WRONGLY}"


@rule(
    "SCCAC-DESIGNER-004",
    "warning",
    "A flow module declares both a Success and an Error transition",
    'Add {"DisplayName": "Error", "ReferenceName": "Error", "Description": ""} to the module\'s Settings.Transitions.',
)
def module_transitions(ctx: LintContext) -> Hits:
    """Flow modules declare the transitions the calling flow can follow; a module without Success and Error
    opens wrongly and cannot be connected on error."""
    if not isinstance(ctx.flow.settings, dict):
        return  # not a module, or SCCAC-TRANSCRIPTION-003 reports the missing Settings
    raw = ctx.flow.settings.get("Transitions")
    names = {t.get("ReferenceName") for t in raw if isinstance(t, dict) and isinstance(t.get("ReferenceName"), str)} \
        if isinstance(raw, list) else set()
    missing = [name for name in ("Success", "Error") if name not in names]
    if missing:
        yield None, f"the module's Settings.Transitions lack {' and '.join(missing)}: the module {OPENS_WRONGLY} and in the calling flow"


@rule(
    "SCCAC-DESIGNER-005",
    "warning",
    "Recording and analytics use UpdateContactRecordingAndAnalyticsBehavior",
    "Replace the block with Set recording, analytics and processing behavior "
    "(UpdateContactRecordingAndAnalyticsBehavior; for a chat: ChatBehavior.ChatAnalyticsBehavior with "
    'AnalyticsModes ["ContactLens"], and NoMatchingError and ChannelMismatch branches).',
    needs=("UpdateContactRecordingBehavior",),
)
def legacy_recording_block(ctx: LintContext) -> Hits:
    """AWS keeps UpdateContactRecordingBehavior only for existing flows; new flows use
    UpdateContactRecordingAndAnalyticsBehavior."""
    for action in ctx.actions_of_type("UpdateContactRecordingBehavior"):
        yield action.identifier, (
            "UpdateContactRecordingBehavior is the block AWS keeps only for existing flows; new flows use "
            "UpdateContactRecordingAndAnalyticsBehavior"
        )
