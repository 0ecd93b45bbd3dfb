"""Lint Amazon Connect flows against the flow language and the SCC-AC required elements."""

from sccac.flows.lint.engine import INTERNAL_RULE_ID, LintResult, lint_flow
from sccac.flows.lint.findings import RULES, Finding, Rule
from sccac.flows.lint.kinds import GENERIC, KIND_CHOICES, detect_kind, parse_kind

__all__ = ["GENERIC", "INTERNAL_RULE_ID", "KIND_CHOICES", "RULES", "Finding", "LintResult", "Rule", "detect_kind", "lint_flow", "parse_kind"]
