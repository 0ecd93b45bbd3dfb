"""Result types shared by the offline checks: one problem per finding, one result per check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sccac.errors import SccacFailure, SccacUsageError


@dataclass(frozen=True)
class Problem:
    """One finding, located in a file (and line when the tool tells it)."""

    file: str
    message: str
    line: int | None = None
    rule: str | None = None
    # "error" fails the check; "note" is printed but does not (e.g. metadata valid only in a later release).
    severity: str = "error"

    def render(self, root: Path | None = None) -> str:
        path = self.file
        if root is not None:
            try:
                path = str(Path(self.file).resolve().relative_to(root.resolve()))
            except ValueError:
                pass
        where = f"{path}:{self.line}" if self.line else path
        rule = f" [{self.rule}]" if self.rule else ""
        note = " note:" if self.severity == "note" else ""
        return f"{where}:{rule}{note} {self.message}"


@dataclass
class CheckResult:
    """What one check found; ``skipped`` carries the reason when it could not run."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    skipped: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "note"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    @property
    def ok(self) -> bool:
        return self.skipped is None and not self.errors


class ToolMissing(SccacFailure, RuntimeError):
    """An external tool a check needs is not installed; the message says how to install it."""


class ToolFailed(SccacFailure, RuntimeError):
    """An external tool could not be started, hung past its time limit, or failed without a report."""


class ProjectFileError(SccacUsageError, ValueError):
    """sfdx-project.json is missing, unreadable or does not say what the checks need; names the file and the key."""

    def __init__(self, path: Path, detail: str, line: int | None = None) -> None:
        self.path, self.detail, self.line = path, detail, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {detail}")
