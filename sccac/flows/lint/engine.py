"""Run the registered rules over a flow: kind detection, rule selection, crash isolation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sccac.flows.lint.rules  # noqa: F401  (registers the rules)
from sccac.flows.builders import FlowKind
from sccac.flows.lint.context import MAX_LINTED_ACTIONS, MAX_LINTED_BRANCHES, SIZE_RULE_IDS, LintContext
from sccac.flows.lint.findings import RULES, Finding, Rule
from sccac.flows.lint.ignore import DECLARED_IGNORES, from_metadata, matches, normalise
from sccac.flows.lint.kinds import detect_kind
from sccac.flows.model import MAX_ACTIONS, Flow

INTERNAL_RULE_ID = "SCCAC-LINT-000"
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class LintResult:
    kind: FlowKind | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def rule_ids(self) -> set[str]:
        return {f.rule_id for f in self.findings}


def applies(rule: Rule, kind: FlowKind | None) -> bool:
    return rule.kinds is None or (kind is not None and kind.value in rule.kinds)


#: The rules for a kind (key ``(kind, registry size, None)``) and for a kind and the flow's block
#: types (``(kind, registry size, types)``), each worked out once; bounded, as block types vary.
_RULES_FOR: dict[tuple[FlowKind | None, int, frozenset[str] | None], list[Rule]] = {}
_RULES_FOR_MAX = 512


def _remember(key: tuple[FlowKind | None, int, frozenset[str] | None], selected: list[Rule]) -> list[Rule]:
    if len(_RULES_FOR) >= _RULES_FOR_MAX:
        _RULES_FOR.clear()
    _RULES_FOR[key] = selected
    return selected


def rules_for(kind: FlowKind | None) -> list[Rule]:
    """The rules that apply to ``kind``, worked out once per kind (keyed on the registry's size)."""
    key = (kind, len(RULES), None)
    selected = _RULES_FOR.get(key)
    return selected if selected is not None else _remember(key, [r for r in RULES.values() if applies(r, kind)])


def rules_with_blocks(kind: FlowKind | None, block_types: frozenset[str] | None) -> list[Rule]:
    """The rules for ``kind`` that can find something in a flow of these block types (a rule
    with ``needs`` looks only at blocks of those types: without one it has nothing to check)."""
    if block_types is None:
        return rules_for(kind)
    key = (kind, len(RULES), block_types)
    selected = _RULES_FOR.get(key)
    if selected is None:
        selected = _remember(key, [r for r in rules_for(kind) if r.needs is None or not r.needs.isdisjoint(block_types)])
    return selected


def _size_refusal(ctx: LintContext) -> Finding | None:
    """The finding for a flow too large for the path rules (only the size rules then run), else None."""
    flow, branches = ctx.flow, ctx.branches
    if len(flow.actions) <= MAX_LINTED_ACTIONS and branches <= MAX_LINTED_BRANCHES:
        return None
    return Finding(
        INTERNAL_RULE_ID,
        "error",
        None,
        f"the flow has {len(flow.actions)} blocks and {branches} branches, more than lint checks "
        f"({MAX_LINTED_ACTIONS} blocks, {MAX_LINTED_BRANCHES} branches); only the size rules were run",
        f"Split the flow: Connect accepts at most {MAX_ACTIONS} blocks in one flow.",
    )


def _run(rules: list[Rule], ctx: LintContext, findings: list[Finding]) -> None:
    """Add each rule's findings; a rule that raises is reported as a linter bug, never hides the others."""
    for rule in rules:
        try:
            for block, message in rule.check(ctx):
                # Only a usable Identifier names a block; odd ones are described in the message.
                findings.append(Finding(rule.rule_id, rule.severity, block if isinstance(block, str) and block else None, message, rule.fix_hint))
        except Exception as exc:  # noqa: BLE001  (one broken rule must not hide the others)
            findings.append(
                Finding(
                    INTERNAL_RULE_ID,
                    "error",
                    None,
                    f"rule {rule.rule_id} failed on this input ({type(exc).__name__}: {exc}); this is a linter bug",
                    "Report it with the flow file attached.",
                )
            )


def lint_flow(
    flow: Flow,
    kind: FlowKind | None = None,
    *,
    generic: bool = False,
    content_chars: int | None = None,
    text_chars: int | None = None,
    ignore_rules: Iterable[str] = (),
) -> LintResult:
    """Lint ``flow`` as ``kind`` (detected when None; structural rules only when ``generic``).

    ``ignore_rules``: rule-id prefixes not to run (``SCCAC-DESIGNER``, ``SCCAC-FLOW-017``), added
    to those the flow's Metadata declares (``sccac.ignoreRules``). ``text_chars``: the length of the
    JSON text ``flow`` was read from and not changed since (the content size is then bounded
    without serialising the flow; the finding is the same). Never raises for odd input.
    """
    detected = None if generic else kind if kind is not None else detect_kind(flow)
    declared = from_metadata(flow)
    skipped = normalise(ignore_rules) + declared.flow
    ctx = LintContext(flow=flow, kind=detected, content_chars=content_chars, text_chars=text_chars)
    ctx._cache[DECLARED_IGNORES] = declared
    refusal = _size_refusal(ctx)
    findings = [refusal] if refusal else []
    selected = rules_with_blocks(detected, ctx.block_types)
    if refusal:
        selected = [r for r in selected if r.rule_id in SIZE_RULE_IDS]
    if skipped:
        selected = [r for r in selected if not matches(r.rule_id, skipped)]
    _run(selected, ctx, findings)
    if declared.blocks:
        # A block's own ignores drop its findings (SCCAC-LINT-000 names no block, so it stays).
        findings = [f for f in findings if f.block not in declared.blocks or not matches(f.rule_id, declared.blocks[f.block])]
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.rule_id, f.block or ""))
    return LintResult(kind=detected, findings=findings)
