"""Run the offline checks over a project and summarise them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sccac.checks import apex, schema, source
from sccac.checks.apex_visibility import check_visibility
from sccac.checks.results import CheckResult, Problem, ToolMissing

SAM_TEMPLATE = Path("aws/template.yaml")


def find_project_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "sfdx-project.json").exists():
            return folder
    raise FileNotFoundError(f"no sfdx-project.json in {start} or any parent folder; run from the project root")


def _schema(root: Path) -> CheckResult:
    return schema.check_schema([*source.package_directories(root), root / "unpackaged"])


def _typecheck(root: Path) -> CheckResult:
    result = apex.typecheck(root, root)
    # apex-ls does not check member visibility; a private member used across classes only fails in the org.
    result.problems.extend(check_visibility(apex.apex_files(source.package_directories(root))).problems)
    return result


def _pmd(root: Path) -> CheckResult:
    return apex.pmd(apex.apex_files(source.package_directories(root)), root)


def _convert(root: Path) -> CheckResult:
    return source.convert_source(root)


def _cfn_lint(root: Path) -> CheckResult:
    result = CheckResult("SAM template (cfn-lint)")
    template = root / SAM_TEMPLATE
    if not template.exists():
        result.skipped = f"no {SAM_TEMPLATE}"
        return result
    try:
        from cfnlint.api import lint_file  # imported here: cfn-lint loads its rule set at import time
    except ImportError:
        raise ToolMissing("cfn-lint is not installed: pip install 'cfn-lint>=1.20,<2' (make setup installs it)") from None

    result.checked = 1
    for match in lint_file(template):
        result.problems.append(Problem(str(template), match.message, match.linenumber, f"cfn-lint:{match.rule.id}"))
    return result


CHECKS: dict[str, Callable[[Path], CheckResult]] = {
    "schema": _schema,
    "apex": _typecheck,
    "pmd": _pmd,
    "convert": _convert,
    "cfn": _cfn_lint,
}


def run_checks(root: Path, only: Sequence[str] | None = None, progress: Callable[[str], None] | None = None) -> list[CheckResult]:
    results = []
    for name in only or list(CHECKS):
        if progress:
            progress(name)
        try:
            results.append(CHECKS[name](root))
        except (ToolMissing, RuntimeError, ValueError) as exc:
            failed = CheckResult(name)
            failed.problems.append(Problem(str(root), str(exc), rule="tool"))
            results.append(failed)
    return results


def summarise(results: Sequence[CheckResult], root: Path) -> str:
    lines = []
    for result in results:
        if result.skipped:
            lines.append(f"SKIP  {result.name}: {result.skipped}")
        elif result.ok:
            lines.append(f"PASS  {result.name}: {result.checked} checked, no problems")
        else:
            lines.append(f"FAIL  {result.name}: {len(result.problems)} problem(s)")
            lines.extend(f"      {problem.render(root)}" for problem in result.problems)
    failed = sum(1 for r in results if not r.ok and not r.skipped)
    lines.append(f"{len(results) - failed} of {len(results)} checks passed" + (f", {failed} failed" if failed else ""))
    return "\n".join(lines)
