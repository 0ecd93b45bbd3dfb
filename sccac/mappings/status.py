"""The state of every Omni-Queue's mapping, as deployed in the org and seen from the Connect instance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from sccac.mappings.sides import ConnectInstance, OmniQueue, instance_of
from sccac.salesforce.render import QueueMapping


class MappingState(str, Enum):
    """Worst first: a row shows the first state that applies."""

    UNKNOWN_QUEUE = "unknown queue"
    MISSING_ROUTING_CONFIGURATION = "missing routing configuration"
    DUPLICATE = "duplicate"
    INVALID_ARN = "invalid arn"
    STALE = "stale"
    NOT_EXTERNAL_ROUTING = "not external routing"
    UNMAPPED = "unmapped"
    NOT_MIRRORED = "not mirrored"
    OK = "ok"


_ADVICE = {
    MappingState.UNKNOWN_QUEUE: "a mapping names a queue the org does not have: remove it from the mapping file",
    MappingState.MISSING_ROUTING_CONFIGURATION: "give the queue a routing configuration with External Routing",
    MappingState.DUPLICATE: "keep one mapping record for this queue",
    MappingState.INVALID_ARN: "the mapped ARN is not a queue ARN of this Connect instance: remap the queue",
    MappingState.STALE: "the Connect queue is gone: re-run the wiring or remap the queue",
    MappingState.NOT_EXTERNAL_ROUTING: "its routing configuration does not use External Routing, so Omni-Channel, "
                                       "not Connect, picks the agent: set the routing model to External Routing",
    MappingState.UNMAPPED: "add the queue to the mapping file (its work goes to the fallback queue until then)",
    MappingState.NOT_MIRRORED: "re-run deploy_queue_mappings to write the contact center's routing map",
    MappingState.OK: "",
}


@dataclass(frozen=True)
class RoutingMapEntry:
    """A CallCenterRoutingMap row: which external (Connect) queue the contact center routes a Salesforce queue to."""

    reference_record_id: str
    external_id: str
    quick_connect: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class StatusRow:
    omni_queue: str
    connect_queue: str
    state: MappingState

    @property
    def advice(self) -> str:
        return _ADVICE[self.state]


def mapping_status(
    omni_queues: Sequence[OmniQueue],
    deployed: Sequence[QueueMapping],
    instance: ConnectInstance | None = None,
    routing_map: Sequence[RoutingMapEntry] | None = None,
) -> list[StatusRow]:
    """One row per externally routed Omni-Queue and per mapped queue, sorted by queue.

    ``instance`` None: the Connect side was not read, so no row can be stale. ``routing_map`` None: the
    org has no Amazon Connect contact center, so there is nothing to mirror.
    """
    queues = {q.developer_name: q for q in omni_queues}
    records: dict[str, list[QueueMapping]] = defaultdict(list)
    for record in deployed:
        if record.active:
            records[record.omni_queue].append(record)
    mirrored = {(r.reference_record_id, r.external_id) for r in routing_map or ()}
    names = sorted({q.developer_name for q in omni_queues if q.routes_externally} | set(records))
    rows = []
    for name in names:
        mapped = records.get(name, [])
        target = ", ".join(sorted({r.connect_queue_name or r.connect_queue_arn for r in mapped}))
        rows.append(StatusRow(name, target, _state(queues.get(name), mapped, instance, routing_map, mirrored)))
    return rows


def _state(
    queue: OmniQueue | None,
    mapped: list[QueueMapping],
    instance: ConnectInstance | None,
    routing_map: Sequence[RoutingMapEntry] | None,
    mirrored: set[tuple[str, str]],
) -> MappingState:
    if queue is None:
        return MappingState.UNKNOWN_QUEUE
    if queue.routing_config is None:
        return MappingState.MISSING_ROUTING_CONFIGURATION
    if len(mapped) > 1:
        return MappingState.DUPLICATE
    if not mapped:
        return MappingState.UNMAPPED
    arn = mapped[0].connect_queue_arn
    owner = instance_of(arn)
    if owner is None or (instance is not None and owner != instance.arn):
        return MappingState.INVALID_ARN
    if instance is not None and not instance.has_queue_arn(arn):
        return MappingState.STALE
    if not queue.routes_externally:
        return MappingState.NOT_EXTERNAL_ROUTING
    if routing_map is not None and (queue.id, arn) not in mirrored:
        return MappingState.NOT_MIRRORED
    return MappingState.OK
