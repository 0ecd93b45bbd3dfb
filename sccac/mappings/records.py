"""The mapping records to deploy: each active file entry with the Connect queue ARN the wiring resolved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sccac.mappings.model import MappingEntry, MappingFile
from sccac.salesforce.render import QueueMapping


@dataclass
class ResolvedMappings:
    """Records ready to deploy, quick connect ARN by Omni-Queue, and the entries no ARN is known for yet."""

    records: list[QueueMapping] = field(default_factory=list)
    quick_connects: dict[str, str] = field(default_factory=dict)
    unresolved: list[MappingEntry] = field(default_factory=list)


def resolve_mappings(mapping: MappingFile, wiring: Mapping[str, Any] | None) -> ResolvedMappings:
    """Entries by ARN need nothing more; entries by name take the ARN from the wiring's output document
    (``queues[].omni_queue / queue_arn / connect_queue / quick_connect_arn``). Inactive entries are kept
    as inactive records, so deactivating a mapping reaches the org."""
    wired = {q["omni_queue"]: q for q in (wiring or {}).get("queues", []) if q.get("queue_arn")}
    resolved = ResolvedMappings()
    for entry in mapping.entries:
        known = wired.get(entry.omni_queue)
        if entry.is_arn:
            name = known["connect_queue"] if known and known.get("queue_arn") == entry.connect_queue else ""
            resolved.records.append(QueueMapping(entry.omni_queue, entry.connect_queue, name or _queue_id(entry.connect_queue), entry.active))
        elif known:
            resolved.records.append(QueueMapping(entry.omni_queue, known["queue_arn"], entry.connect_queue, entry.active))
        else:
            resolved.unresolved.append(entry)
            continue
        if known and known.get("quick_connect_arn"):
            resolved.quick_connects[entry.omni_queue] = known["quick_connect_arn"]
    return resolved


def _queue_id(arn: str) -> str:
    # Connect_Queue_Name__c is required on the record; without the wiring's answer the queue id stands in.
    return arn.rsplit("/", 1)[-1]
