"""Apex checks: type-check with the Apex language server, then PMD's security, performance and error-prone rules."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from sccac.checks import tools
from sccac.checks.results import CheckResult, Problem, ToolFailed
from sccac.checks.source import package_directories

# CheckForIssues prints "Error:"/"Missing:" lines for problems that stop a deploy; warnings are style.
_BLOCKING_CATEGORIES = {"Error", "Missing", "Syntax"}


def apex_files(source_roots: Iterable[Path]) -> list[Path]:
    return sorted(p for root in source_roots for p in root.rglob("*") if p.suffix in (".cls", ".trigger") and p.is_file())


def typecheck(workspace: Path, project_root: Path) -> CheckResult:
    """Type-check all Apex in an SFDX workspace (a folder with sfdx-project.json) against the standard types."""
    result = CheckResult("Apex type check (apex-ls CheckForIssues, cross-class visibility)")
    result.checked = len(apex_files(package_directories(workspace)))
    jars = tools.apex_jars(project_root)
    with tempfile.TemporaryDirectory(prefix="sccac-apexls-") as cache:
        proc = tools.run_tool(
            "apex-ls CheckForIssues",
            [tools.java(), "-cp", f"{jars}/*", "io.github.apexdevtools.apexls.CheckForIssues",
             "-n", "-f", "json", "-c", cache, "-w", str(workspace)],
        )
    if proc.returncode not in (0, 4):
        raise ToolFailed(f"apex-ls CheckForIssues failed (exit {proc.returncode}): {proc.stderr.strip()[-1000:]}")
    result.problems.extend(_parse_apexls(proc.stdout))
    return result


def _parse_apexls(output: str) -> list[Problem]:
    text = output[output.find("{"):] if "{" in output else ""
    if not text:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ToolFailed(f"apex-ls CheckForIssues printed a report that is not JSON ({exc.msg}): {text[:300]}") from None
    problems = []
    for file in data.get("files", []):
        for message in file.get("messages", []):
            if message.get("category") in _BLOCKING_CATEGORIES:
                problems.append(
                    Problem(file["path"], message["message"], message.get("start", {}).get("line"), f"apex-ls:{message['category']}")
                )
    return problems


def default_ruleset() -> Path:
    return Path(str(resources.files("sccac.checks") / "pmd-apex-ruleset.xml"))


def pmd(files: list[Path], project_root: Path, ruleset: Path | None = None) -> CheckResult:
    """Run PMD through the code analyzer's wrapper; every violation of the ruleset is a problem."""
    result = CheckResult("Apex PMD (security, performance, error-prone)", checked=len(files))
    if not files:
        return result
    jars = tools.apex_jars(project_root)
    with tempfile.TemporaryDirectory(prefix="sccac-pmd-") as tmp:
        request = Path(tmp, "in.json")
        report = Path(tmp, "out.json")
        request.write_text(json.dumps({
            "ruleSetInputFile": str(ruleset or default_ruleset()),
            "runDataPerLanguage": {"apex": {"filesToScan": [str(f.resolve()) for f in files]}},
        }))
        proc = tools.run_tool(
            "PMD",
            [tools.java(), "-cp", f"{jars}/*", "com.salesforce.sfca.pmdwrapper.PmdWrapper", "run", str(request), str(report)],
        )
        if proc.returncode != 0 or not report.exists():
            raise ToolFailed(f"PMD failed (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()[-1000:]}")
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ToolFailed(f"PMD wrote a report that cannot be read ({exc})") from None
    for violation in data.get("violations", []):
        location = violation.get("codeLocation", {})
        result.problems.append(Problem(location.get("file", "?"), violation["message"], location.get("startLine"), f"pmd:{violation['rule']}"))
    for error in data.get("processingErrors", []):
        result.problems.append(Problem(error.get("file", "?"), f"PMD could not process the file: {error.get('message')}", rule="pmd:processing"))
    return result
