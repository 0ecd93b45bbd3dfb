"""The wiring's view of the queue mapping file (read and checked by :mod:`sccac.mappings`): active entries only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sccac.connect.errors import ConnectUsageError
from sccac.connect.session import aws_session, connect_client, resolve_instance
from sccac.connect.snapshot import InstanceSnapshot, read_instance
from sccac.mappings.model import MappingEntry, MappingFileError
from sccac.mappings.sides import ConnectInstance, ConnectQueue
from sccac.mappings.reader import read_mapping_file
from sccac.mappings.validate import require_valid



@dataclass(frozen=True)
class QueueMapping:
    omni_queue: str  # Omni-Queue (Group) developer name
    connect_queue: str  # Connect queue name, or the ARN of an existing queue
    create: bool = True  # create the Connect queue when no queue has that name
    quick_connect: bool = True  # a queue quick connect (queue transfer) for this queue
    routing_profile: str | None = None  # add the queue (chat and task) to this routing profile
    where: str = field(default="", compare=False)  # "<file>:<line>" of the entry, for messages

    @property
    def is_arn(self) -> bool:
        return self.connect_queue.startswith("arn:")

    @classmethod
    def from_entry(cls, entry: MappingEntry, path: Path | None = None) -> QueueMapping:
        where = f"{path}:{entry.line}" if path is not None and entry.line else ""
        return cls(entry.omni_queue, entry.connect_queue, entry.create, entry.quick_connect, entry.routing_profile, where)


def load_mappings(path: Path) -> tuple[QueueMapping, ...]:
    """The active entries of the mapping file; every problem of the file at once (with line and fix) otherwise."""
    try:
        mapping = read_mapping_file(path)
        require_valid(mapping)
    except MappingFileError as exc:
        raise ConnectUsageError(str(exc)) from None
    return tuple(QueueMapping.from_entry(e, path) for e in mapping.entries if e.active)


def instance_view(snapshot: InstanceSnapshot) -> ConnectInstance:
    """What the mapping checks need of an instance read: its queues (name, ARN) and routing profile names."""
    return ConnectInstance(
        snapshot.instance_arn,
        tuple(ConnectQueue(name, q.arn) for name, q in sorted(snapshot.queues.items())),
        tuple(sorted(snapshot.routing_profiles)),
    )


def read_instance_view(instance: str, region: str | None, profile: str | None) -> ConnectInstance:
    """Read the instance's queues and routing profiles with the caller's AWS credentials (a handful of calls)."""
    client = connect_client(aws_session(region, profile))
    return instance_view(read_instance(client, resolve_instance(client, instance), quick_connects=False, routing_profiles=True))
