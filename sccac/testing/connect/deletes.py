"""Delete operations of the Connect fake (DeleteQueue, DeleteContactFlow, DeleteContactFlowModule, DeleteQuickConnect).

As in Connect, a resource another one still names cannot be deleted (ResourceInUseException): a queue a quick
connect or a routing profile uses, a flow a quick connect transfers through. Attach with ``Deletes(fake)``.
"""

from __future__ import annotations

from typing import Any

from sccac.testing.connect.exceptions import ResourceInUseException, ResourceNotFoundException
from sccac.testing.connect.responses import ConnectFake


class Deletes:
    def __init__(self, fake: ConnectFake) -> None:
        self.fake = fake
        fake.register("DeleteQueue", self._queue)
        fake.register("DeleteContactFlow", self._flow)
        fake.register("DeleteContactFlowModule", self._module)
        fake.register("DeleteQuickConnect", self._quick_connect)

    def _queue(self, p: dict[str, Any]) -> dict[str, Any]:
        inst = self.fake.backend.instance(p["InstanceId"])
        queue_id = _known(inst.queues, p["QueueId"], "Queue")
        if any((qc.config.get("QueueConfig") or {}).get("QueueId") == queue_id for qc in inst.quick_connects.values()):
            raise ResourceInUseException(f"Queue {queue_id} is used by a quick connect")
        if any(queue == queue_id for profile in inst.routing_profiles.values() for queue, _ in profile.queue_configs):
            raise ResourceInUseException(f"Queue {queue_id} is used by a routing profile")
        del inst.queues[queue_id]
        return {}

    def _flow(self, p: dict[str, Any]) -> dict[str, Any]:
        inst = self.fake.backend.instance(p["InstanceId"])
        flow_id = _known(inst.flows, p["ContactFlowId"], "Contact flow")
        if any((qc.config.get("QueueConfig") or {}).get("ContactFlowId") == flow_id for qc in inst.quick_connects.values()):
            raise ResourceInUseException(f"Contact flow {flow_id} is used by a quick connect")
        del inst.flows[flow_id]
        return {}

    def _module(self, p: dict[str, Any]) -> dict[str, Any]:
        inst = self.fake.backend.instance(p["InstanceId"])
        del inst.modules[_known(inst.modules, p["ContactFlowModuleId"], "Flow module")]
        return {}

    def _quick_connect(self, p: dict[str, Any]) -> dict[str, Any]:
        inst = self.fake.backend.instance(p["InstanceId"])
        del inst.quick_connects[_known(inst.quick_connects, p["QuickConnectId"], "Quick connect")]
        return {}


def _known(resources: dict[str, Any], ref: str, what: str) -> str:
    key = ref.rsplit("/", 1)[-1]
    if key not in resources:
        raise ResourceNotFoundException(f"{what} not found: {ref}")
    return key
