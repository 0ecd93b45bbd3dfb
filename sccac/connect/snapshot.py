"""Read what an instance has, in as few calls as the API allows (largest pages, Search APIs that return tags)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from sccac.connect.errors import ConnectUsageError


@dataclass(frozen=True)
class Existing:
    id: str
    arn: str
    name: str
    tags: dict[str, str] = field(default_factory=dict)
    description: str = ""
    type: str = ""  # flow type
    content: str = ""  # flow or module content
    config: dict[str, Any] = field(default_factory=dict)  # quick connect config
    queue_ids: frozenset[str] = frozenset()  # routing profile's associated queues


@dataclass
class InstanceSnapshot:
    instance_id: str
    instance_arn: str
    hours: dict[str, str] = field(default_factory=dict)  # name -> id
    lambda_functions: set[str] = field(default_factory=set)
    queues: dict[str, Existing] = field(default_factory=dict)  # by name
    flows: dict[str, Existing] = field(default_factory=dict)
    modules: dict[str, Existing] = field(default_factory=dict)
    quick_connects: dict[str, Existing] = field(default_factory=dict)
    routing_profiles: dict[str, Existing] = field(default_factory=dict)  # by name; read only when some are named
    # Read only with a staffing file: users by username, security profiles (name -> id), and the
    # instance's identity management (CONNECT_MANAGED users need a password, SAML users must not have one).
    users: dict[str, Existing] = field(default_factory=dict)
    security_profiles: dict[str, str] = field(default_factory=dict)
    identity_management: str = ""

    def queue_by_arn(self, arn: str) -> Existing | None:
        return next((q for q in self.queues.values() if q.arn == arn), None)


def page_size(client: Any, operation: str) -> int:
    """The largest MaxResults botocore's model allows for the operation."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    return int(shape.members["MaxResults"].metadata["max"])


def paginate(client: Any, operation: str, key: str, **params: Any) -> Iterator[Any]:
    method = getattr(client, _snake(operation))
    size = page_size(client, operation)
    token = None
    while True:
        page = method(**params, MaxResults=size, **({"NextToken": token} if token else {}))
        yield from page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def describe_instance(client: Any, instance_id: str) -> str:
    """The instance ARN; an unknown instance is a usage error (wrong id or region)."""
    return str(_describe(client, instance_id)["Arn"])


def _describe(client: Any, instance_id: str) -> dict[str, Any]:
    try:
        return dict(client.describe_instance(InstanceId=instance_id)["Instance"])
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            region = client.meta.region_name
            raise ConnectUsageError(
                f"--instance-id {instance_id}: no such Amazon Connect instance in {region} "
                "(check the instance id and --region; `aws connect list-instances` lists them)"
            ) from None
        raise


def read_instance(client: Any, instance_id: str, *, quick_connects: bool = True, routing_profiles: bool = False,
                  staffed_profiles: Collection[str] | None = None) -> InstanceSnapshot:
    """``staffed_profiles`` (a staffing file's routing profile names): also read users, security profiles and
    those profiles' queue configurations (one ListRoutingProfileQueues per existing profile)."""
    described = _describe(client, instance_id)
    snap = InstanceSnapshot(instance_id, str(described["Arn"]), identity_management=str(described.get("IdentityManagementType", "")))
    routing_profiles = routing_profiles or staffed_profiles is not None
    i = {"InstanceId": instance_id}
    snap.hours = {h["Name"]: h["Id"] for h in paginate(client, "ListHoursOfOperations", "HoursOfOperationSummaryList", **i)}
    snap.lambda_functions = set(paginate(client, "ListLambdaFunctions", "LambdaFunctions", **i))
    # Standard queues only: agent queues (one per user) neither count toward the queue quota nor can be mapped.
    for q in paginate(client, "SearchQueues", "Queues", SearchCriteria={"QueueTypeCondition": "STANDARD"}, **i):
        snap.queues[q["Name"]] = Existing(q["QueueId"], q["QueueArn"], q["Name"], q.get("Tags", {}), q.get("Description", ""))
    for f in paginate(client, "SearchContactFlows", "ContactFlows", **i):
        snap.flows[f["Name"]] = Existing(f["Id"], f["Arn"], f["Name"], f.get("Tags", {}), f.get("Description", ""), f.get("Type", ""), f.get("Content", ""))
    for m in paginate(client, "SearchContactFlowModules", "ContactFlowModules", **i):
        snap.modules[m["Name"]] = Existing(m["Id"], m["Arn"], m["Name"], m.get("Tags", {}), m.get("Description", ""), content=m.get("Content", ""))
    if quick_connects:
        for c in paginate(client, "SearchQuickConnects", "QuickConnects", **i):
            snap.quick_connects[c["Name"]] = Existing(
                c["QuickConnectId"], c["QuickConnectARN"], c["Name"], c.get("Tags", {}), c.get("Description", ""), config=c.get("QuickConnectConfig", {})
            )
    if routing_profiles:
        for r in paginate(client, "SearchRoutingProfiles", "RoutingProfiles", **i):
            snap.routing_profiles[r["Name"]] = Existing(
                r["RoutingProfileId"], r["RoutingProfileArn"], r["Name"], r.get("Tags", {}), r.get("Description", ""),
                queue_ids=frozenset(r.get("AssociatedQueueIds", [])),
                config={"concurrency": {m["Channel"]: m["Concurrency"] for m in r.get("MediaConcurrencies", [])},
                        "default_outbound": r.get("DefaultOutboundQueueId", "")},
            )
    if staffed_profiles is not None:
        _read_staff(client, snap, staffed_profiles)
    return snap


def _read_staff(client: Any, snap: InstanceSnapshot, profiles: Collection[str]) -> None:
    i = {"InstanceId": snap.instance_id}
    snap.security_profiles = {s["Name"]: s["Id"] for s in paginate(client, "ListSecurityProfiles", "SecurityProfileSummaryList", **i)}
    for u in paginate(client, "SearchUsers", "Users", **i):
        snap.users[u["Username"]] = Existing(
            u["Id"], u["Arn"], u["Username"], u.get("Tags", {}),
            config={"routing_profile_id": u.get("RoutingProfileId", ""), "security_profile_ids": u.get("SecurityProfileIds", [])},
        )
    for name in profiles:
        profile = snap.routing_profiles.get(name)
        if profile is None:
            continue
        queues = {(q["QueueId"], q["Channel"]): (q["Priority"], q["Delay"])
                  for q in paginate(client, "ListRoutingProfileQueues", "RoutingProfileQueueConfigSummaryList",
                                    RoutingProfileId=profile.id, **i)}
        snap.routing_profiles[name] = Existing(profile.id, profile.arn, profile.name, profile.tags, profile.description,
                                               queue_ids=profile.queue_ids, config={**profile.config, "queues": queues})


def find_by_name(client: Any, operation: str, key: str, instance_id: str, name: str) -> dict[str, Any] | None:
    """One resource by exact name (after a create whose answer was lost: did it happen?)."""
    exact = {"StringCondition": {"FieldName": "name", "Value": name, "ComparisonType": "EXACT"}}
    return next(iter(paginate(client, operation, key, InstanceId=instance_id, SearchCriteria=exact)), None)
