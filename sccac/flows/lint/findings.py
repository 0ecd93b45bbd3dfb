"""Lint findings, rule metadata and the rule registry shared by every rule module."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from sccac.flows.lint.context import LintContext

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

#: The project's repository, as pyproject.toml's [project.urls] names it (a test keeps them equal).
REPOSITORY_URL = "https://github.com/sccac/sccac"
#: The rules table: every rule has an anchor there named after its id in lower case.
RULES_DOC_URL = f"{REPOSITORY_URL}/blob/main/docs/flows.md"


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    block: str | None  # Identifier of the action concerned, None for the whole flow
    message: str
    fix_hint: str


# A rule yields (block identifier or None, message) pairs; the registry adds id, severity, fix.
RuleCheck = Callable[["LintContext"], Iterable[tuple[str | None, str]]]


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: Severity
    title: str  # one line, what the rule requires
    fix_hint: str
    check: RuleCheck
    kinds: frozenset[str] | None = None  # FlowKind values it applies to; None = every flow
    description: str = field(default="")  # why the rule exists (the check function's docstring)
    # Block types the rule looks at: it finds nothing in a flow without one of them, so lint does
    # not run it there. None: the rule looks at the whole flow (or reports a missing block).
    needs: frozenset[str] | None = None

    @property
    def help_uri(self) -> str:
        """The rule's row in the documented rules table (SARIF ``helpUri``)."""
        return f"{RULES_DOC_URL}#{self.rule_id.lower()}"


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    severity: Severity,
    title: str,
    fix_hint: str,
    kinds: Iterable[str] | None = None,
    needs: Iterable[str] | None = None,
) -> Callable[[RuleCheck], RuleCheck]:
    """Register a rule function under a stable id (decorator); its docstring is the rule's description."""

    def register(check: RuleCheck) -> RuleCheck:
        if rule_id in RULES:
            raise ValueError(f"duplicate lint rule id {rule_id}")
        description = " ".join((check.__doc__ or "").split())
        if not description:
            # The docs table and SARIF show it: a rule must say why it exists.
            raise ValueError(f"lint rule {rule_id} ({check.__name__}) has no docstring: say why the rule exists")
        RULES[rule_id] = Rule(
            rule_id=rule_id,
            severity=severity,
            title=title,
            fix_hint=fix_hint,
            check=check,
            kinds=None if kinds is None else frozenset(str(getattr(k, "value", k)) for k in kinds),
            description=description,
            needs=None if needs is None else frozenset(needs),
        )
        return check

    return register
