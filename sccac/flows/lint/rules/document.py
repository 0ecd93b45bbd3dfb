"""Structural rules for the whole document: version, start, identifiers, size, graph shape."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from sccac.flows.lint.context import LintContext, console_type
from sccac.flows.lint.findings import rule
from sccac.flows.lint.graph import all_targets
from sccac.flows.lint.ignore import DECLARED_IGNORES, FlowIgnores, from_metadata
from sccac.flows.lint.size import over_limit
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
    TERMINAL_TYPES,
    Action,
    Transitions,
)
from sccac.flows.shape import json_type

Hits = Iterator[tuple[str | None, str]]
# Known types that must have a NextAction: neither terminal nor handing the contact on.
_NEEDS_NEXT = KNOWN_TYPES - TERMINAL_TYPES - HANDS_CONTACT_ON
_FORBIDDEN_CHAR = re.compile("[" + re.escape("".join(sorted(FORBIDDEN_IDENTIFIER_CHARS))) + "]")
# The forbidden characters as bytes (all ASCII, so no byte of another character's UTF-8 form is
# one of them): bytes.translate deletes them in one C pass, several times faster than the regex.
_FORBIDDEN_BYTES = "".join(sorted(FORBIDDEN_IDENTIFIER_CHARS)).encode("ascii")


def _block(ident: object) -> str | None:
    return ident if isinstance(ident, str) and ident else None


@rule("SCCAC-FLOW-001", "error", "Version is 2019-10-30", f'Set "Version": "{FLOW_LANGUAGE_VERSION}" (the only version Connect accepts).')
def version(ctx: LintContext) -> Hits:
    """Version 2019-10-30 is the only flow-language version Connect accepts."""
    if ctx.flow.version != FLOW_LANGUAGE_VERSION:
        yield None, f"Version is {ctx.flow.version!r}, not {FLOW_LANGUAGE_VERSION!r}"


@rule("SCCAC-FLOW-002", "error", "StartAction names an action", "Set StartAction to the Identifier of the first block.")
def start_action(ctx: LintContext) -> Hits:
    """Connect starts a flow at the action StartAction names and refuses a flow without one."""
    start = ctx.flow.start_action
    if start is None or start == "":
        yield None, "StartAction is missing"
    elif not isinstance(start, str) or start not in ctx.graph.actions:
        yield None, f"StartAction {start!r} is not the Identifier of any action"


@rule("SCCAC-FLOW-003", "error", "Identifiers are unique", "Give each block its own Identifier and update the transitions that point to it.")
def duplicate_identifiers(ctx: LintContext) -> Hits:
    """Transitions name their target by Identifier: a repeated Identifier makes the target ambiguous, and
    Connect needs each to be unique."""
    if len(ctx.graph.actions) == len(ctx.flow.actions):
        return  # every action has its own string Identifier (the graph keeps one action an Identifier)
    identifiers = [a.identifier for a in ctx.flow.actions if isinstance(a.identifier, str)]
    if len(ctx.graph.actions) == len(identifiers):
        return  # the graph keeps one action an Identifier: as many as there are, none repeats
    counts = Counter(identifiers)
    for ident, count in sorted(counts.items()):
        if count > 1:
            yield ident, f"Identifier {ident!r} is used by {count} actions"


def _all_identifiers_legal(ctx: LintContext) -> bool:
    """Every Identifier is legal, told from the graph's keys in a few C calls (the usual case)."""
    identifiers = ctx.graph.actions.keys()  # the distinct string Identifiers, first action of each
    if len(identifiers) != len(ctx.flow.actions) or "" in identifiers:
        return False  # a repeated, missing or non-string Identifier: the full check says which
    for ident in identifiers:  # a loop: faster than max(map(len, ...)) for a flow's few Identifiers
        if len(ident) > MAX_IDENTIFIER_CHARS:
            return False
    # "\n" is no forbidden character, so it joins the Identifiers without adding one.
    joined = "\n".join(identifiers).encode("utf-8", "surrogatepass")
    return len(joined.translate(None, _FORBIDDEN_BYTES)) == len(joined) and identifiers.isdisjoint(FORBIDDEN_IDENTIFIER_NAMES)


@rule(
    "SCCAC-FLOW-004",
    "error",
    "Identifiers are legal",
    "Use a non-empty string of at most 50 characters without % : ( \\ / ) = $ , ; [ ] { } (a UUID is safest).",
)
def illegal_identifiers(ctx: LintContext) -> Hits:
    """Connect refuses Identifiers that are empty, longer than 50 characters, reserved or carry characters
    such as % : ( ) $ [ ] { }."""
    if _all_identifiers_legal(ctx):
        return
    for index, action in enumerate(ctx.flow.actions):
        ident = action.identifier
        if not isinstance(ident, str) or not ident:
            yield None, f"Actions[{index}] has no Identifier (or it is not a string)"
            continue
        if len(ident) > MAX_IDENTIFIER_CHARS:
            yield ident, f"Identifier is {len(ident)} characters long (at most {MAX_IDENTIFIER_CHARS})"
        if _FORBIDDEN_CHAR.search(ident):  # one C scan; the set of characters only for the message
            yield ident, f"Identifier contains forbidden character(s) {' '.join(sorted(set(ident) & FORBIDDEN_IDENTIFIER_CHARS))}"
        if ident in FORBIDDEN_IDENTIFIER_NAMES:
            yield ident, f"Identifier {ident!r} is a reserved name"


@rule("SCCAC-FLOW-005", "error", f"At most {MAX_ACTIONS} actions", "Split the flow: move a part into a flow module or a separate flow.")
def too_many_actions(ctx: LintContext) -> Hits:
    """Connect refuses a flow of more than 250 actions."""
    if len(ctx.flow.actions) > MAX_ACTIONS:
        yield None, f"the flow has {len(ctx.flow.actions)} actions; Connect accepts at most {MAX_ACTIONS}"


@rule("SCCAC-FLOW-006", "error", f"Content at most {MAX_CONTENT_CHARS} characters", "Split the flow or shorten long texts and metadata.")
def content_size(ctx: LintContext) -> Hits:
    """Connect refuses flow content longer than 256,000 characters (as compact JSON)."""
    # Given by the caller (a file's Content), or measured: exactly, but only when it may be too long.
    size = ctx.content_chars if ctx.content_chars is not None else over_limit(ctx.flow, MAX_CONTENT_CHARS, ctx.text_chars, ctx.branches)
    if size is not None and size > MAX_CONTENT_CHARS:
        yield None, f"the flow content is {size} characters; Connect accepts at most {MAX_CONTENT_CHARS}"
    elif size is not None and size < 1:
        yield None, "the flow content is empty"


def _all_known(transitions: Transitions, known: dict[str, Action]) -> bool:
    """Every target of the block is an action (the usual case, checked without building a list)."""
    target = transitions.next_action
    # A str subclass or another type is left to the full check.
    if target is not None and (target.__class__ is not str or target not in known):
        return False
    for branch in transitions.errors or ():
        target = branch.next_action
        if target is not None and (target.__class__ is not str or target not in known):
            return False
    for condition in transitions.conditions or ():
        target = condition.next_action
        if target is not None and (target.__class__ is not str or target not in known):
            return False
    return True


@rule("SCCAC-FLOW-007", "error", "Transitions point to existing actions", "Point the branch at an existing block, or add the missing block.")
def dangling(ctx: LintContext) -> Hits:
    """A branch that points to a missing action makes Connect refuse the flow."""
    if ctx.graph.edge_count() == ctx.branches:
        return  # every branch leads to an action (an edge is a branch to an existing action)
    known = ctx.graph.actions
    for action in ctx.flow.actions:
        if not _all_known(action.transitions, known):
            for target in all_targets(action):
                if not isinstance(target, str) or target not in known:
                    yield _block(action.identifier), f"a transition points to {target!r}, which is not an action in this flow"


@rule("SCCAC-FLOW-008", "warning", "Every action is reachable from StartAction", "Connect the block to the flow or delete it.")
def unreachable(ctx: LintContext) -> Hits:
    """A block no path from StartAction reaches never runs: usually a branch was lost in an edit."""
    if not isinstance(ctx.flow.start_action, str) or ctx.flow.start_action not in ctx.graph.actions:
        return  # SCCAC-FLOW-002 already says why nothing is reachable
    reached = ctx.graph.from_start()
    if len(reached) == len(ctx.graph.actions):
        return  # every action is reached (what is reached is an action)
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
    """After a non-terminal block without a NextAction the contact has nowhere to go."""
    for action in ctx.flow.actions:
        if action.transitions.next_action is None and action.type in _NEEDS_NEXT:
            yield _block(action.identifier), f"{action.type} has no NextAction: the contact has nowhere to go after it"


def _terminals_without_transitions(ctx: LintContext) -> bool:
    """Every terminal block has no NextAction, Errors or Conditions (the usual flow: its few terminal
    blocks looked up by Type, not every block scanned)."""
    by_type = ctx.by_type
    for action_type in TERMINAL_TYPES:
        for action in by_type.get(action_type, ()):
            transitions = action.transitions
            if transitions.next_action is not None or transitions.errors or transitions.conditions:
                return False
    return True


@rule("SCCAC-FLOW-010", "error", "Terminal actions have no transitions", 'Give the block "Transitions": {}.')
def terminal_with_transitions(ctx: LintContext) -> Hits:
    """Disconnect and the end blocks end the flow: Connect expects them with empty Transitions."""
    if _terminals_without_transitions(ctx):
        return
    for action in ctx.flow.actions:
        if action.type in TERMINAL_TYPES and (all_targets(action) or action.transitions.errors or action.transitions.conditions):
            yield _block(action.identifier), f"{action.type} ends the flow but has transitions"


@rule(
    "SCCAC-FLOW-011",
    "info",
    "Action types are known",
    "Check the type name; if it is a newer Connect block, the linter only checks its structure.",
)
def unknown_types(ctx: LintContext) -> Hits:
    """An action type the linter does not know gets only the structural rules; it may be a newer Connect
    block or a typo."""
    types = ctx.block_types
    if types is not None and types <= KNOWN_TYPES:
        return  # the usual flow: only known blocks
    for action in ctx.flow.actions:
        if isinstance(action.type, str) and action.type and action.type not in KNOWN_TYPES:
            yield _block(action.identifier), f"action type {action.type!r} is not known to the linter; only generic rules apply"


@rule(
    "SCCAC-FLOW-012",
    "warning",
    "EndFlowExecution is not used in a contact flow",
    "End an inbound contact flow with Disconnect or a transfer; EndFlowExecution is meant for whisper, hold and queue flows.",
    needs=("EndFlowExecution",),
)
def end_flow_in_contact_flow(ctx: LintContext) -> Hits:
    """EndFlowExecution is documented for whisper, hold and customer-queue flows; in an inbound contact
    flow it leaves the contact without a disconnect or transfer."""
    if ctx.is_module or console_type(ctx.flow) not in (None, "contactFlow"):
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
    """Connect reads every action as a string Type, a Parameters object and a Transitions object with
    Errors and Conditions lists; other shapes are refused."""
    for index, action in enumerate(ctx.flow.actions):
        if action.type and action.transitions_present and not action.extra and not action.transitions.extra:
            continue  # the usual block: nothing below can apply
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


def _parameters_of_declared_types(actions: list[Action]) -> bool:
    """Every declared parameter a block gives has exactly its Python type (the usual flow: then no
    block's parameter_problems is asked)."""
    for action in actions:
        declared = action.PARAMETER_TYPES  # an untyped block declares none
        if not declared:
            continue
        parameters = action.parameters
        if type(parameters) is not dict:
            return False  # a block made in code: the full check says what its Parameters are
        for key in parameters:  # a block gives fewer parameters than its type declares; keys: fewer steps than items()
            wanted = declared.get(key)
            if wanted is not None and type(parameters[key]) is not wanted:
                return False  # maybe another JSON type: parameter_problems says
    return True


@rule(
    "SCCAC-FLOW-028",
    "error",
    "Parameters and Metadata have the JSON types Connect uses",
    "Give each parameter the type of the flow language: e.g. LambdaInvocationAttributes and Attributes are "
    "objects, ComparisonValue and LoopCount are strings (numbers are strings too); Metadata is an object.",
)
def parameter_types(ctx: LintContext) -> Hits:
    """The flow language has fixed JSON types (numbers are strings, attribute maps objects); Connect
    refuses other types."""
    if ctx.flow.metadata is not None and not isinstance(ctx.flow.metadata, dict):
        yield None, f"Metadata is {json_type(ctx.flow.metadata)}, not an object"
    if _parameters_of_declared_types(ctx.flow.actions):
        return
    for index, action in enumerate(ctx.flow.actions):
        declared = action.PARAMETER_TYPES
        if not declared:
            continue
        for key, value in action.parameters.items():
            wanted = declared.get(key)
            if wanted is not None and type(value) is not wanted:
                break  # maybe another JSON type: parameter_problems says
        else:
            continue
        for problem in action.parameter_problems():
            yield _block(action.identifier), f"Actions[{index}].{problem.describe()}"


@rule(
    "SCCAC-FLOW-029",
    "warning",
    "Lint settings in Metadata are lists of rule-id prefixes that match a rule",
    'Write "sccac": {"ignoreRules": ["SCCAC-DESIGNER", ...]} in Metadata (the whole flow) or in a block\'s '
    "Metadata.ActionMetadata entry (that block), each entry the start of a rule id from the rules table.",
)
def lint_settings(ctx: LintContext) -> Hits:
    """A lint setting the linter cannot read, or a prefix that matches no rule, silently ignores nothing:
    the findings the author meant to silence keep coming, or a typo hides that nothing is ignored."""
    declared = ctx._cache.get(DECLARED_IGNORES)
    yield from (declared if isinstance(declared, FlowIgnores) else from_metadata(ctx.flow)).problems
