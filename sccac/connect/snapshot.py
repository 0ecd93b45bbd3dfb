"""Read what an instance has, in as few calls as the API allows (largest pages, Search APIs that return tags)."""

from __future__ import annotations

from collections.abc import Iterator
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
    try:
        return str(client.describe_instance(InstanceId=instance_id)["Instance"]["Arn"])
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            region = client.meta.region_name
            raise ConnectUsageError(
                f"--instance-id {instance_id}: no such Amazon Connect instance in {region} "
                "(check the instance id and --region; `aws connect list-instances` lists them)"
            ) from None
        raise


def read_instance(client: Any, instance_id: str, *, quick_connects: bool = True, routing_profiles: bool = False) -> InstanceSnapshot:
    snap = InstanceSnapshot(instance_id, describe_instance(client, instance_id))
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
                r["RoutingProfileId"], r["RoutingProfileArn"], r["Name"], r.get("Tags", {}), queue_ids=frozenset(r.get("AssociatedQueueIds", []))
            )
    return snap


def find_by_name(client: Any, operation: str, key: str, instance_id: str, name: str) -> dict[str, Any] | None:
    """One resource by exact name (after a create whose answer was lost: did it happen?)."""
    exact = {"StringCondition": {"FieldName": "name", "Value": name, "ComparisonType": "EXACT"}}
    return next(iter(paginate(client, operation, key, InstanceId=instance_id, SearchCriteria=exact)), None)
