"""The concepts of the mapping file: one entry per Omni-Queue, and a problem found in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sccac.errors import SccacUsageError

#: The default place of the admin's mapping file in a project.
DEFAULT_MAPPING_FILE = Path("unpackaged/config/queue_mappings.yml")


@dataclass(frozen=True)
class MappingEntry:
    """One Omni-Queue and the Amazon Connect queue that routes its work.

    ``connect_queue`` is a queue name or a queue ARN; ``create`` asks the wiring to create a queue of
    that name when the instance has none; ``quick_connect`` asks for a queue quick connect (what
    agents pick to transfer to the queue); ``routing_profile`` names a routing profile the queue is
    added to. ``line`` is where the entry starts in the file (1-based), for error messages.
    """

    omni_queue: str
    connect_queue: str
    create: bool = False
    quick_connect: bool = True
    routing_profile: str | None = None
    active: bool = True
    line: int = 0

    @property
    def is_arn(self) -> bool:
        return self.connect_queue.startswith("arn:")


@dataclass(frozen=True)
class MappingFile:
    """The entries of one mapping file, in file order."""

    path: Path
    entries: tuple[MappingEntry, ...] = ()

    def entry(self, omni_queue: str) -> MappingEntry | None:
        return next((e for e in self.entries if e.omni_queue == omni_queue), None)


@dataclass(frozen=True)
class Problem:
    """Something wrong with an entry (or the file): where, what, and what to do."""

    path: Path
    line: int
    entry: str | None
    message: str
    fix: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        subject = f" ({self.entry})" if self.entry else ""
        return f"{where}:{subject} {self.severity}: {self.message}. {self.fix}"


class MappingFileError(SccacUsageError, ValueError):
    """The mapping file cannot be used; every problem found is listed, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
