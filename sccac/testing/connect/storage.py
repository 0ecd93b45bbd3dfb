"""Data storage APIs of the Connect fake: ListInstanceStorageConfigs and AssociateInstanceStorageConfig.

Where an instance stores chat transcripts, call recordings, ...: one list of storage configs per
instance and resource type, in the shape ListInstanceStorageConfigs returns (``AssociationId``,
``StorageType``, ``S3Config`` ...). Attach with ``StorageConfigs(fake)``; a test or the offline
demo sets a bucket with :meth:`StorageConfigs.associate` or through the API.
"""

from __future__ import annotations

from typing import Any

from sccac.testing.connect.exceptions import ResourceConflictException
from sccac.testing.connect.responses import ConnectFake

# Resource types Connect allows only one storage config for.
_SINGLE = frozenset({"CHAT_TRANSCRIPTS", "CALL_RECORDINGS", "SCHEDULED_REPORTS"})


class StorageConfigs:
    def __init__(self, fake: ConnectFake) -> None:
        self.fake = fake
        self.configs: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (instance id, resource type) ->
        fake.register("ListInstanceStorageConfigs", self._list)
        fake.register("AssociateInstanceStorageConfig", self._associate)

    def associate(self, instance_id: str, resource_type: str, config: dict[str, Any]) -> str:
        """Store ``config`` (``StorageType`` plus e.g. ``S3Config``) for ``resource_type``; returns its AssociationId."""
        instance = self.fake.backend.instance(instance_id)
        configs = self.configs.setdefault((instance.id, resource_type), [])
        if resource_type in _SINGLE and configs:
            raise ResourceConflictException(f"The instance already has a storage config for {resource_type}")
        association = self.fake.backend.new_id()
        configs.append({"AssociationId": association, **config})
        return association

    def _list(self, p: dict[str, Any]) -> dict[str, Any]:
        instance = self.fake.backend.instance(p["InstanceId"])
        configs = self.configs.get((instance.id, p["ResourceType"]), [])
        page, extra = self.fake._page("ListInstanceStorageConfigs", p, list(configs))
        return {"StorageConfigs": page, **extra}

    def _associate(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"AssociationId": self.associate(p["InstanceId"], p["ResourceType"], p["StorageConfig"])}
