"""Check that the SFDX source is deployable in shape: `sf project convert` succeeds, code files have their -meta.xml."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sccac.checks import tools
from sccac.checks.results import CheckResult, Problem, ProjectFileError

_PATH_IN_MESSAGE = re.compile(r"(/[^\s:'\"]+)")
CODE_SUFFIXES = (".cls", ".trigger", ".page", ".component")


PROJECT_FILE = "sfdx-project.json"


def read_project_file(project_root: Path) -> dict[str, Any]:
    """sfdx-project.json as a JSON object, or ProjectFileError naming the file and what is wrong."""
    config = project_root / PROJECT_FILE
    try:
        text = config.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectFileError(config, "not found; run from the project root or pass --project") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectFileError(config, f"cannot read the SFDX project file ({_reason(exc)})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectFileError(config, f"not valid JSON ({exc.msg}, column {exc.colno})", exc.lineno) from None
    if not isinstance(data, dict):
        raise ProjectFileError(config, f"the SFDX project file must be a JSON object, not {type(data).__name__}")
    return data


def package_directories(project_root: Path) -> list[Path]:
    """The package directories sfdx-project.json declares (force-app by convention); each must exist."""
    config = project_root / PROJECT_FILE
    entries = read_project_file(project_root).get("packageDirectories")
    if not isinstance(entries, list) or not entries:
        raise ProjectFileError(config, 'key packageDirectories must be a non-empty list of {"path": ...} entries')
    folders = []
    for index, entry in enumerate(entries):
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not path.strip():
            raise ProjectFileError(config, f"key packageDirectories[{index}].path is missing or not a folder name")
        folder = project_root / path
        if not folder.is_dir():
            raise ProjectFileError(
                config, f"key packageDirectories[{index}].path names {path!r}, which is not a folder in {project_root}; "
                f"create it or fix the path",
            )
        folders.append(folder)
    return folders


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def missing_meta_files(source_roots: Iterable[Path]) -> list[Problem]:
    """`sf` converts a class without its -meta.xml silently, and the deploy then drops it."""
    problems = []
    for root in source_roots:
        for code in sorted(p for p in root.rglob("*") if p.suffix in CODE_SUFFIXES and p.is_file()):
            if not code.with_name(code.name + "-meta.xml").exists():
                problems.append(
                    Problem(str(code), f"no {code.name}-meta.xml beside it: add one with apiVersion and status", rule="source")
                )
    return problems


def _sf_error(output: str) -> str:
    try:
        data = json.loads(output[output.index("{") :])
    except ValueError:
        return output.strip()[-2000:] or "sf failed without output"
    return str(data.get("message") or data).replace("\\n", " ")


def _run_sf(project_root: Path, args: list[str], cwd: Path) -> tuple[bool, str]:
    proc = tools.run_tool(
        f"sf {' '.join(args[:3])}", [str(tools.sf_cli(project_root)), *args, "--json"], cwd=cwd, env=tools.quiet_sf_env(project_root)
    )
    return proc.returncode == 0, proc.stdout or proc.stderr


def _problem_from_sf(root: Path, output: str, what: str) -> Problem:
    message = _sf_error(output)
    # sf names the offending file somewhere in its message; fall back to the folder.
    named = [m for m in _PATH_IN_MESSAGE.findall(message) if Path(m).is_file()]
    return Problem(named[0] if named else str(root), f"{what} failed: {message}", rule="sf")


def convert_source(project_root: Path) -> CheckResult:
    """`sf project convert source` on each package directory, plus `convert mdapi` on each unpackaged bundle."""
    result = CheckResult("deployable shape (sf project convert)")
    roots = package_directories(project_root)
    result.problems.extend(missing_meta_files(roots))
    with tempfile.TemporaryDirectory(prefix="sccac-convert-") as tmp:
        for index, root in enumerate(roots):
            result.checked += 1
            ok, output = _run_sf(project_root, ["project", "convert", "source", "-r", str(root), "-d", f"{tmp}/src{index}"], project_root)
            if not ok:
                result.problems.append(_problem_from_sf(root, output, "sf project convert source"))
        for index, bundle in enumerate(unpackaged_bundles(project_root)):
            result.checked += 1
            ok, output = _run_sf(project_root, ["project", "convert", "mdapi", "-r", str(bundle), "-d", f"{tmp}/md{index}"], project_root)
            if not ok:
                result.problems.append(_problem_from_sf(bundle, output, "sf project convert mdapi"))
    return result


def unpackaged_bundles(project_root: Path) -> list[Path]:
    """CumulusCI metadata bundles: unpackaged/{pre,post,config}/<name>/ folders with a package.xml."""
    return sorted(p.parent for p in (project_root / "unpackaged").glob("*/*/package.xml"))
