"""The wiring's view of the queue mapping file (read and checked by :mod:`sccac.mappings`): active entries only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sccac.connect.errors import ConnectUsageError
from sccac.mappings.model import MappingEntry, MappingFileError
from sccac.mappings.reader import read_mapping_file
from sccac.mappings.validate import require_valid



@dataclass(frozen=True)
class QueueMapping:
    omni_queue: str  # Omni-Queue (Group) developer name
    connect_queue: str  # Connect queue name, or the ARN of an existing queue
    create: bool = True  # create the Connect queue when no queue has that name
    quick_connect: bool = True  # a queue quick connect (queue transfer) for this queue
    routing_profile: str | None = None  # add the queue (chat and task) to this routing profile

    @property
    def is_arn(self) -> bool:
        return self.connect_queue.startswith("arn:")

    @classmethod
    def from_entry(cls, entry: MappingEntry) -> QueueMapping:
        return cls(entry.omni_queue, entry.connect_queue, entry.create, entry.quick_connect, entry.routing_profile)


def load_mappings(path: Path) -> tuple[QueueMapping, ...]:
    """The active entries of the mapping file; every problem of the file at once (with line and fix) otherwise."""
    try:
        mapping = read_mapping_file(path)
        require_valid(mapping)
    except MappingFileError as exc:
        raise ConnectUsageError(str(exc)) from None
    return tuple(QueueMapping.from_entry(e) for e in mapping.entries if e.active)
