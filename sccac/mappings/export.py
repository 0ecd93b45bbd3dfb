"""Write the mapping file back from what the org holds, so a deployed file round-trips unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import yaml

from sccac.mappings.model import MappingEntry, MappingFile
from sccac.salesforce.render import QueueMapping

HEADER = (
    "# Omni-Queue to Amazon Connect queue mappings (sccac).\n"
    "# Each entry: omni_queue (the queue's API name), connect_queue (Connect queue name or ARN),\n"
    "# optional create (create the Connect queue when missing), quick_connect, routing_profile, active.\n"
    "# Check it with `sccac mappings validate`; see docs/mappings.md.\n"
)


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as people write YAML (and as the docs' examples are)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def entries_from_records(records: Sequence[QueueMapping], current: MappingFile | None = None) -> list[MappingEntry]:
    """Mapping records as file entries, sorted by Omni-Queue.

    The org holds the queue's ARN and name, not the wiring options (create, quick_connect, routing_profile):
    those are kept from ``current`` (the file being rewritten) for entries that still map the same queue, so
    exporting what a file deployed gives that file back. The queue is named as ``current`` names it, else by
    name when the record has one (names survive a re-created queue, ARNs do not), else by ARN.
    """
    entries = []
    for r in sorted(records, key=lambda r: r.omni_queue):
        before = current.entry(r.omni_queue) if current else None
        if before is not None and before.connect_queue in (r.connect_queue_name, r.connect_queue_arn):
            entries.append(replace(before, active=r.active, line=0))
        else:
            entries.append(MappingEntry(r.omni_queue, r.connect_queue_name or r.connect_queue_arn, active=r.active))
    return entries


def dump_mapping_file(entries: Sequence[MappingEntry]) -> str:
    """The file text for ``entries``; options at their default are left out."""
    items = []
    for e in entries:
        item: dict[str, object] = {"omni_queue": e.omni_queue, "connect_queue": e.connect_queue}
        if e.create:
            item["create"] = True
        if not e.quick_connect:
            item["quick_connect"] = False
        if e.routing_profile:
            item["routing_profile"] = e.routing_profile
        if not e.active:
            item["active"] = False
        items.append(item)
    body = yaml.dump({"version": 1, "mappings": items}, Dumper=_IndentedDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=1000)
    return HEADER + body
