"""Structural rules for the whole document: version, start, identifiers, size, graph shape."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from sccac.flows.lint.context import LintContext, console_type
from sccac.flows.lint.findings import rule
from sccac.flows.lint.graph import all_targets
from sccac.flows.lint.rules.catalog import (
    FORBIDDEN_IDENTIFIER_CHARS,
    FORBIDDEN_IDENTIFIER_NAMES,
    HANDS_CONTACT_ON,
    KNOWN_TYPES,
)
from sccac.flows.model import (
    FLOW_LANGUAGE_VERSION,
    MAX_ACTIONS,
    MAX_CONTENT_CHARS,
    MAX_IDENTIFIER_CHARS,
)
from sccac.flows.shape import json_type

Hits = Iterator[tuple[str | None, str]]


def _block(ident: object) -> str | None:
    return ident if isinstance(ident, str) and ident else None


@rule("SCCAC-FLOW-001", "error", "Version is 2019-10-30", f'Set "Version": "{FLOW_LANGUAGE_VERSION}" (the only version Connect accepts).')
def version(ctx: LintContext) -> Hits:
    if ctx.flow.version != FLOW_LANGUAGE_VERSION:
        yield None, f"Version is {ctx.flow.version!r}, not {FLOW_LANGUAGE_VERSION!r}"


@rule("SCCAC-FLOW-002", "error", "StartAction names an action", "Set StartAction to the Identifier of the first block.")
def start_action(ctx: LintContext) -> Hits:
    start = ctx.flow.start_action
    if start is None or start == "":
        yield None, "StartAction is missing"
    elif not isinstance(start, str) or start not in ctx.graph.actions:
        yield None, f"StartAction {start!r} is not the Identifier of any action"


@rule("SCCAC-FLOW-003", "error", "Identifiers are unique", "Give each block its own Identifier and update the transitions that point to it.")
def duplicate_identifiers(ctx: LintContext) -> Hits:
    counts = Counter(a.identifier for a in ctx.flow.actions if isinstance(a.identifier, str))
    for ident, count in sorted(counts.items()):
        if count > 1:
            yield ident, f"Identifier {ident!r} is used by {count} actions"


@rule(
    "SCCAC-FLOW-004",
    "error",
    "Identifiers are legal",
    "Use a non-empty string of at most 50 characters without % : ( \\ / ) = $ , ; [ ] { } (a UUID is safest).",
)
def illegal_identifiers(ctx: LintContext) -> Hits:
    for index, action in enumerate(ctx.flow.actions):
        ident = action.identifier
        if not isinstance(ident, str) or not ident:
            yield None, f"Actions[{index}] has no Identifier (or it is not a string)"
            continue
        bad = sorted(set(ident) & FORBIDDEN_IDENTIFIER_CHARS)
        if len(ident) > MAX_IDENTIFIER_CHARS:
            yield ident, f"Identifier is {len(ident)} characters long (at most {MAX_IDENTIFIER_CHARS})"
        if bad:
            yield ident, f"Identifier contains forbidden character(s) {' '.join(bad)}"
        if ident in FORBIDDEN_IDENTIFIER_NAMES:
            yield ident, f"Identifier {ident!r} is a reserved name"


@rule("SCCAC-FLOW-005", "error", f"At most {MAX_ACTIONS} actions", "Split the flow: move a part into a flow module or a separate flow.")
def too_many_actions(ctx: LintContext) -> Hits:
    if len(ctx.flow.actions) > MAX_ACTIONS:
        yield None, f"the flow has {len(ctx.flow.actions)} actions; Connect accepts at most {MAX_ACTIONS}"


@rule("SCCAC-FLOW-006", "error", f"Content at most {MAX_CONTENT_CHARS} characters", "Split the flow or shorten long texts and metadata.")
def content_size(ctx: LintContext) -> Hits:
    if ctx.content_chars > MAX_CONTENT_CHARS:
        yield None, f"the flow content is {ctx.content_chars} characters; Connect accepts at most {MAX_CONTENT_CHARS}"
    elif ctx.content_chars < 1:
        yield None, "the flow content is empty"


@rule("SCCAC-FLOW-007", "error", "Transitions point to existing actions", "Point the branch at an existing block, or add the missing block.")
def dangling(ctx: LintContext) -> Hits:
    for action in ctx.flow.actions:
        for target in all_targets(action):
            if not isinstance(target, str) or target not in ctx.graph.actions:
                yield _block(action.identifier), f"a transition points to {target!r}, which is not an action in this flow"


@rule("SCCAC-FLOW-008", "warning", "Every action is reachable from StartAction", "Connect the block to the flow or delete it.")
def unreachable(ctx: LintContext) -> Hits:
    if not isinstance(ctx.flow.start_action, str) or ctx.flow.start_action not in ctx.graph.actions:
        return  # SCCAC-FLOW-002 already says why nothing is reachable
    reached = ctx.graph.from_start()
    for ident in ctx.graph.actions:
        if ident not in reached:
            yield ident, "no path from StartAction reaches this block"


@rule(
    "SCCAC-FLOW-009",
    "error",
    "Non-terminal actions have a NextAction",
    "Connect the block's Success branch to the next block (a Disconnect if the flow should end).",
)
def missing_next(ctx: LintContext) -> Hits:
    for action in ctx.flow.actions:
        if action.is_terminal or action.type in HANDS_CONTACT_ON or action.type not in KNOWN_TYPES:
            continue
        if action.transitions.next_action is None:
            yield _block(action.identifier), f"{action.type} has no NextAction: the contact has nowhere to go after it"


@rule("SCCAC-FLOW-010", "error", "Terminal actions have no transitions", 'Give the block "Transitions": {}.')
def terminal_with_transitions(ctx: LintContext) -> Hits:
    for action in ctx.flow.actions:
        if action.is_terminal and (all_targets(action) or action.transitions.errors or action.transitions.conditions):
            yield _block(action.identifier), f"{action.type} ends the flow but has transitions"


@rule(
    "SCCAC-FLOW-011",
    "info",
    "Action types are known",
    "Check the type name; if it is a newer Connect block, the linter only checks its structure.",
)
def unknown_types(ctx: LintContext) -> Hits:
    for action in ctx.flow.actions:
        if isinstance(action.type, str) and action.type and action.type not in KNOWN_TYPES:
            yield _block(action.identifier), f"action type {action.type!r} is not known to the linter; only generic rules apply"


@rule(
    "SCCAC-FLOW-012",
    "warning",
    "EndFlowExecution is not used in a contact flow",
    "End an inbound contact flow with Disconnect or a transfer; EndFlowExecution is meant for whisper, hold and queue flows.",
)
def end_flow_in_contact_flow(ctx: LintContext) -> Hits:
    if ctx.flow.is_module or console_type(ctx.flow) not in (None, "contactFlow"):
        return
    for action in ctx.flow.actions:
        if action.type == "EndFlowExecution":
            yield _block(action.identifier), "EndFlowExecution in a contact flow (documented for whisper, hold and customer-queue flows)"


@rule(
    "SCCAC-FLOW-013",
    "error",
    "Actions are well formed",
    "Give every action a string Type, a Parameters object and a Transitions object with Errors/Conditions lists.",
)
def malformed(ctx: LintContext) -> Hits:
    for index, action in enumerate(ctx.flow.actions):
        where = _block(action.identifier)
        if not action.type:
            yield where, f"Actions[{index}] has no Type (or it is not a string)"
        for key in ("Parameters", "Transitions", "Identifier"):
            if key in action.extra:
                yield where, f"{key} is {type(action.extra[key]).__name__}, not an object"
        if not action.transitions_present and not action.is_terminal and "Transitions" not in action.extra:
            yield where, "Transitions is missing"
        for key in ("Errors", "Conditions"):
            if key in action.transitions.extra:
                yield where, f"Transitions.{key} is not a list of objects"


@rule(
    "SCCAC-FLOW-028",
    "error",
    "Parameters and Metadata have the JSON types Connect uses",
    "Give each parameter the type of the flow language: e.g. LambdaInvocationAttributes and Attributes are "
    "objects, ComparisonValue and LoopCount are strings (numbers are strings too); Metadata is an object.",
)
def parameter_types(ctx: LintContext) -> Hits:
    if ctx.flow.metadata is not None and not isinstance(ctx.flow.metadata, dict):
        yield None, f"Metadata is {json_type(ctx.flow.metadata)}, not an object"
    for index, action in enumerate(ctx.flow.actions):
        for problem in action.parameter_problems():
            yield _block(action.identifier), f"Actions[{index}].{problem.describe()}"
