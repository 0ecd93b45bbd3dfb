"""Run the offline checks over a project and summarise them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from sccac.checks import apex, schema, source
from sccac.checks.apex_visibility import check_visibility
from sccac.checks.project_files import check_project_files
from sccac.checks.results import CheckResult, Problem, ProjectFileError, ToolMissing
from sccac.checks.standard_channels import check_standard_channels
from sccac.errors import SccacError, SccacUsageError
from sccac.vocabulary import split_values

SAM_TEMPLATE = Path("aws/template.yaml")


def find_project_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / source.PROJECT_FILE).exists():
            return folder
    raise ProjectFileError(start / source.PROJECT_FILE, "not found here or in any parent folder; run from the project root or pass --project")


def _metadata_roots(root: Path) -> list[Path]:
    return [*source.package_directories(root), root / "unpackaged"]


def _schema(root: Path) -> CheckResult:
    api_version = source.read_project_file(root).get("sourceApiVersion")
    return schema.check_schema(_metadata_roots(root), root, api_version if isinstance(api_version, str) else None)


def _channels(root: Path) -> CheckResult:
    return check_standard_channels(_metadata_roots(root))


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
        from cfnlint.api import (
            lint_file,  # imported here: cfn-lint loads its rule set at import time
        )
    except ImportError:
        raise ToolMissing("cfn-lint is not installed: pip install 'cfn-lint>=1.20,<2' (make setup installs it)") from None

    result.checked = 1
    for match in lint_file(template):
        result.problems.append(Problem(str(template), match.message, match.linenumber, f"cfn-lint:{match.rule.id}"))
    return result


CHECKS: dict[str, Callable[[Path], CheckResult]] = {
    "project": check_project_files,
    "schema": _schema,
    "channels": _channels,
    "apex": _typecheck,
    "pmd": _pmd,
    "convert": _convert,
    "cfn": _cfn_lint,
}


Progress = Callable[[str], AbstractContextManager[object]]


class UnknownCheckError(SccacUsageError):
    """A check selection names a check that does not exist."""


def select_checks(names: Iterable[str]) -> list[str]:
    """The checks to run from a selection as the CLI (``--checks``, repeated or comma-separated) and the task
    (``checks``, comma-separated) give it; none selected means all."""
    selected = list(dict.fromkeys(split_values(names)))
    unknown = [name for name in selected if name not in CHECKS]
    if unknown:
        raise UnknownCheckError(f"unknown check(s) {', '.join(unknown)}; choose from {', '.join(CHECKS)}")
    return selected or list(CHECKS)


def run_checks(root: Path, only: Sequence[str] | None = None, progress: Progress | None = None) -> list[CheckResult]:
    """Run each check; one that cannot run (tool missing or hung, project file wrong, file unreadable) fails with the reason."""
    results = []
    for name in only or list(CHECKS):
        with progress(name) if progress else nullcontext():
            results.append(_run_one(name, root))
    return results


def _run_one(name: str, root: Path) -> CheckResult:
    try:
        return CHECKS[name](root)
    except ProjectFileError as exc:
        return CheckResult(name, [Problem(str(exc.path), exc.detail, exc.line, rule="project")])
    except SccacError as exc:  # a tool missing or failed; a bug in a check is not caught here: it is a bug
        return CheckResult(name, [Problem(str(root), str(exc), rule="tool")])
    except OSError as exc:
        where = exc.filename or root
        return CheckResult(name, [Problem(str(where), f"cannot read: {exc.strerror or exc}", rule="io")])


def summarise(results: Sequence[CheckResult], root: Path) -> str:
    lines = []
    for result in results:
        if result.skipped:
            lines.append(f"SKIP  {result.name}: {result.skipped}")
        elif result.ok:
            notes = f", {len(result.notes)} note(s)" if result.notes else ""
            lines.append(f"PASS  {result.name}: {result.checked} checked, no problems{notes}")
            lines.extend(f"      {problem.render(root)}" for problem in result.notes)
        else:
            lines.append(f"FAIL  {result.name}: {len(result.errors)} problem(s)")
            lines.extend(f"      {problem.render(root)}" for problem in result.problems)
    failed = sum(1 for r in results if not r.ok and not r.skipped)
    lines.append(f"{len(results) - failed} of {len(results)} checks passed" + (f", {failed} failed" if failed else ""))
    return "\n".join(lines)
