"""Routing's operations on the Connect fake's wire: routing profiles, users and agent status.

CreateRoutingProfile, CreateUser, DescribeUser, ListAgentStatuses and PutUserStatus, answered from
a :class:`~sccac.testing.connect.routing.ContactRouter` (added with ``ConnectFake.register``, so a
real boto3 client sets up agents the way an admin's script would).
"""

from __future__ import annotations

from typing import Any

from sccac.testing.connect.exceptions import InvalidParameterException, ResourceNotFoundException
from sccac.testing.connect.responses import ConnectFake
from sccac.testing.connect.routing import AVAILABLE, OFFLINE, ContactRouter

# The two agent statuses every instance has, with stable ids (Connect makes them up per instance).
_STATUS_TYPES = {AVAILABLE: "ROUTABLE", OFFLINE: "OFFLINE"}


class RoutingOperations:
    def __init__(self, fake: ConnectFake, router: ContactRouter) -> None:
        self.router = router
        self.status_ids = {name: f"{router.instance.id[:8]}-status-{name.lower()}" for name in _STATUS_TYPES}
        for operation, handler in (
            ("CreateRoutingProfile", self._create_routing_profile),
            ("CreateUser", self._create_user),
            ("DescribeUser", self._describe_user),
            ("ListAgentStatuses", self._list_agent_statuses),
            ("PutUserStatus", self._put_user_status),
        ):
            fake.register(operation, handler)

    def _check_instance(self, p: dict[str, Any]) -> None:
        if p["InstanceId"].rsplit("/", 1)[-1] != self.router.instance.id:
            raise ResourceNotFoundException(f"Instance not found: {p['InstanceId']}")

    def _create_routing_profile(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        concurrency = {m["Channel"]: m["Concurrency"] for m in p["MediaConcurrencies"]}
        pairs = [(c["QueueReference"]["QueueId"], c["QueueReference"]["Channel"]) for c in p.get("QueueConfigs", [])]
        profile = self.router.add_routing_profile(p["Name"], pairs, concurrency, p["DefaultOutboundQueueId"], p["Description"])
        return {"RoutingProfileArn": profile.arn, "RoutingProfileId": profile.id}

    def _create_user(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        agent = self.router.create_user(p["Username"], p["RoutingProfileId"])
        return {"UserId": agent.id, "UserArn": agent.arn}

    def _describe_user(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        agent = self.router.user(p["UserId"])
        return {"User": {"Id": agent.id, "Arn": agent.arn, "Username": agent.username,
                         "RoutingProfileId": agent.routing_profile_id, "SecurityProfileIds": []}}

    def _list_agent_statuses(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        return {"AgentStatusSummaryList": [
            {"Id": sid, "Arn": self.router.instance.arn_of("agent-state", sid), "Name": name, "Type": _STATUS_TYPES[name]}
            for name, sid in self.status_ids.items()]}

    def _put_user_status(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        by_id = {sid: name for name, sid in self.status_ids.items()}
        if p["AgentStatusId"] not in by_id:
            raise InvalidParameterException(f"AgentStatusId {p['AgentStatusId']} is not an agent status of the instance")
        self.router.set_status(p["UserId"], by_id[p["AgentStatusId"]])
        return {}
