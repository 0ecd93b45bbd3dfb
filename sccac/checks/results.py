"""Result types shared by the offline checks: one problem per finding, one result per check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One finding, located in a file (and line when the tool tells it)."""

    file: str
    message: str
    line: int | None = None
    rule: str | None = None

    def render(self, root: Path | None = None) -> str:
        path = self.file
        if root is not None:
            try:
                path = str(Path(self.file).resolve().relative_to(root.resolve()))
            except ValueError:
                pass
        where = f"{path}:{self.line}" if self.line else path
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}:{rule} {self.message}"


@dataclass
class CheckResult:
    """What one check found; ``skipped`` carries the reason when it could not run."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return self.skipped is None and not self.problems


class ToolMissing(RuntimeError):
    """An external tool a check needs is not installed; the message says how to install it."""
