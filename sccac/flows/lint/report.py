"""Lint output: human lines, JSON, and SARIF 2.1.0 with file/line locations for code scanning."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from sccac import __version__
from sccac.flows.lint.engine import INTERNAL_RULE_ID, LintResult
from sccac.flows.lint.findings import RULES, RULES_DOC_URL
from sccac.flows.text import printable_lines

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
TOOL_NAME = "sccac-flows-lint"


@dataclass
class FileReport:
    """One linted file: its path, its text (for line numbers) and the result, or why it failed."""

    path: str
    text: str | None
    result: LintResult | None
    failure: str | None = None  # unreadable / unparseable: the FlowFormatError message


def block_line(text: str | None, block: str | None) -> int:
    """1-based line of the block's Identifier in the file (1 when unknown)."""
    if not text or not block:
        return 1
    escaped = json.dumps(block, ensure_ascii=False)[1:-1]
    patterns = [
        r'"Identifier"\s*:\s*"' + re.escape(escaped) + '"',
        # Inside a DescribeContactFlow Content string the quotes are escaped.
        r'\\"Identifier\\"\s*:\s*\\"' + re.escape(escaped.replace("\\", "\\\\").replace('"', '\\"')) + r'\\"',
    ]
    for pattern in patterns:
        match = re.search(pattern, text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    index = text.find(escaped)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def exit_code(reports: list[FileReport]) -> int:
    if any(r.failure for r in reports):
        return 2
    return 1 if any(r.result and r.result.errors for r in reports) else 0


def render_human(reports: list[FileReport]) -> str:
    lines: list[str] = []
    totals = {"error": 0, "warning": 0, "info": 0}
    for report in reports:
        if report.failure:
            lines.append(f"{report.path}: error cannot lint: {report.failure}")
            continue
        assert report.result is not None
        for f in report.result.findings:
            totals[f.severity] += 1
            where = f" [{f.block}]" if f.block else ""
            lines.append(f"{report.path}: {f.severity} {f.rule_id}{where} {f.message} (fix: {f.fix_hint})")
    failed = sum(1 for r in reports if r.failure)
    summary = (
        f"{len(reports)} file(s) linted: {totals['error']} error(s), {totals['warning']} warning(s), "
        f"{totals['info']} info"
    )
    if failed:
        summary += f", {failed} file(s) could not be read or parsed"
    lines.append(summary)
    # Identifiers and values come from the flow: escape controls so none can rewrite the terminal or fake a line.
    return printable_lines(lines) + "\n"


def render_json(reports: list[FileReport]) -> str:
    files: list[dict[str, Any]] = []
    for report in reports:
        entry: dict[str, Any] = {"file": report.path}
        if report.failure:
            entry["error"] = report.failure
        else:
            assert report.result is not None
            entry["kind"] = report.result.kind.value if report.result.kind else None
            entry["findings"] = [
                {
                    "rule_id": f.rule_id,
                    "severity": f.severity,
                    "block": f.block,
                    "line": block_line(report.text, f.block),
                    "message": f.message,
                    "fix_hint": f.fix_hint,
                }
                for f in report.result.findings
            ]
        files.append(entry)
    return json.dumps({"files": files, "exit_code": exit_code(reports)}, indent=2) + "\n"


def _sarif_rules() -> list[dict[str, Any]]:
    rules = []
    for rule in RULES.values():
        rules.append(
            {
                "id": rule.rule_id,
                "name": rule.check.__name__,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.description},
                "help": {"text": rule.fix_hint},
                "helpUri": rule.help_uri,
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                "properties": {"kinds": sorted(rule.kinds) if rule.kinds else ["any"]},
            }
        )
    rules.append(
        {
            "id": INTERNAL_RULE_ID,
            "name": "linter_failure",
            "shortDescription": {"text": "The file could not be linted"},
            "fullDescription": {"text": "Not a rule: a file that could not be read or parsed, or a rule that failed (a linter bug)."},
            "help": {"text": "Check that the file is flow-language JSON; report linter bugs."},
            "helpUri": f"{RULES_DOC_URL}#{INTERNAL_RULE_ID.lower()}",
            "defaultConfiguration": {"level": "error"},
        }
    )
    return rules


SRCROOT = "%SRCROOT%"


def artifact_location(path: str, cwd: Path | None = None) -> dict[str, Any]:
    """SARIF artifactLocation for ``path``: a percent-encoded POSIX URI relative to the working
    directory (``uriBaseId`` %SRCROOT%), or an absolute ``file://`` URI for a file outside it."""
    base = Path(os.path.abspath(cwd or Path.cwd()))
    absolute = Path(os.path.abspath(base / path))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return {"uri": absolute.as_uri()}
    # surrogateescape: a file name that is not UTF-8 keeps its original bytes (percent-encoded).
    uri = quote(PurePosixPath(*relative.parts).as_posix(), safe="/", errors="surrogateescape")
    return {"uri": uri, "uriBaseId": SRCROOT}


def _location(path: str, line: int) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": artifact_location(path), "region": {"startLine": line}}}


def render_sarif(reports: list[FileReport]) -> str:
    results: list[dict[str, Any]] = []
    for report in reports:
        if report.failure:
            results.append(
                {
                    "ruleId": INTERNAL_RULE_ID,
                    "level": "error",
                    "message": {"text": report.failure},
                    "locations": [_location(report.path, 1)],
                }
            )
            continue
        assert report.result is not None
        for f in report.result.findings:
            text = f"{f.message} (fix: {f.fix_hint})"
            result: dict[str, Any] = {
                "ruleId": f.rule_id,
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f"[{f.block}] {text}" if f.block else text},
                "locations": [_location(report.path, block_line(report.text, f.block))],
            }
            if f.block:
                result["properties"] = {"block": f.block}
            results.append(result)
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "version": __version__, "rules": _sarif_rules()}},
                # Relative URIs resolve against the directory the lint ran in (the checkout in CI).
                "originalUriBaseIds": {SRCROOT: {"uri": Path(os.path.abspath(Path.cwd())).as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2) + "\n"


RENDERERS = {"human": render_human, "json": render_json, "sarif": render_sarif}
