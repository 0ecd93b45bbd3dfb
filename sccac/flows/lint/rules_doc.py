"""The rules table of docs/flows.md, written from the rule registry (id, severity, kinds, title,
description, fix), so the docs, SARIF and the code say the same.

Run ``python -m sccac.flows.lint.rules_doc docs/flows.md`` after changing a rule; a test fails
while the table in the docs differs from this one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sccac.flows.lint.rules  # noqa: F401  (registers the rules)
from sccac.flows.lint.findings import RULES, Rule

BEGIN = "<!-- rules table: written by `python -m sccac.flows.lint.rules_doc docs/flows.md`; do not edit by hand -->"
END = "<!-- end of rules table -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _order(rule: Rule) -> tuple[int, str]:
    # The flow-language rules first, then the SCC-AC and designer families by name.
    return (0 if rule.rule_id.startswith("SCCAC-FLOW-") else 1, rule.rule_id)


def rules_table() -> str:
    """The markdown table, one row per registered rule, each row anchored by its lower-case id."""
    lines = [
        "| rule | severity | kinds | requires | why | fix |",
        "|---|---|---|---|---|---|",
    ]
    for rule in sorted(RULES.values(), key=_order):
        kinds = ", ".join(sorted(rule.kinds)) if rule.kinds else "any"
        lines.append(
            f'| <a id="{rule.rule_id.lower()}"></a>`{rule.rule_id}` | {rule.severity} | {kinds} | '
            f"{_cell(rule.title)} | {_cell(rule.description)} | {_cell(rule.fix_hint)} |"
        )
    return "\n".join(lines) + "\n"


def replace_table(document: str) -> str:
    """``document`` with the text between the markers replaced by the current table."""
    start = document.index(BEGIN) + len(BEGIN)
    end = document.index(END, start)
    return document[:start] + "\n" + rules_table() + document[end:]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m sccac.flows.lint.rules_doc docs/flows.md", file=sys.stderr)
        return 2
    path = Path(argv[0])
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{path}: no rules-table markers ({BEGIN} ... {END})", file=sys.stderr)
        return 2
    updated = replace_table(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"updated the rules table of {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
