"""`sccac connect prune`: what the engine created that the mapping and flow settings no longer name, and its removal.

A separate, explicit step: `plan` and `apply` never delete. Only resources carrying this project's ownership
tags are candidates; each is listed first, and deleted only when the caller confirms. Order is the reverse of
creation, because Connect refuses to delete what another resource still names: quick connects (they name a
queue and the queue-transfer flow), then flows, the module, and last the queues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from sccac.connect.desired import DesiredState, flow_names, module_name
from sccac.connect.errors import StepFailed
from sccac.connect.snapshot import Existing, InstanceSnapshot

_DELETE = {  # kind -> (operation, id parameter)
    "quick connect": ("delete_quick_connect", "QuickConnectId"),
    "flow": ("delete_contact_flow", "ContactFlowId"),
    "module": ("delete_contact_flow_module", "ContactFlowModuleId"),
    "queue": ("delete_queue", "QueueId"),
}


@dataclass(frozen=True)
class PruneItem:
    kind: str  # a key of _DELETE, in deletion order
    name: str
    id: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


def prune_plan(desired: DesiredState, snap: InstanceSnapshot) -> list[PruneItem]:
    """Owned resources the desired state does not name, in the order they can be deleted."""
    def queue_name(connect_queue: str) -> str:
        found = snap.queue_by_arn(connect_queue) if connect_queue.startswith("arn:") else None
        return found.name if found else connect_queue

    queues = {queue_name(m.connect_queue) for m in desired.mappings} | {queue_name(desired.fallback_queue)}
    quick = {queue_name(m.connect_queue) for m in desired.mappings if m.quick_connect} if desired.quick_connects else set()
    flows = set(flow_names(desired.flows).values())
    modules = {module_name(desired.flows)} if desired.flows.transcription else set()

    def unnamed(kind: str, resources: dict[str, Existing], keep: set[str]) -> list[PruneItem]:
        return [PruneItem(kind, name, r.id) for name, r in sorted(resources.items())
                if name not in keep and desired.is_owned(r.tags)]

    return [*unnamed("quick connect", snap.quick_connects, quick), *unnamed("flow", snap.flows, flows),
            *unnamed("module", snap.modules, modules), *unnamed("queue", snap.queues, queues)]


def apply_prune(client: Any, instance_id: str, items: list[PruneItem]) -> list[PruneItem]:
    """Delete ``items`` in order; a refusal stops the run naming the resource (what is deleted stays deleted)."""
    done = []
    for item in items:
        operation, key = _DELETE[item.kind]
        try:
            getattr(client, operation)(InstanceId=instance_id, **{key: item.id})
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise StepFailed(f"delete {item.kind}", item.name, error.get("Code", "?"), str(error.get("Message", exc))) from None
        done.append(item)
    return done
