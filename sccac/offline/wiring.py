"""The offline Connect instance wired the way `cci flow run dev_org` wires a real one.

The mapping's queues, the flows and the quick connects are created by the wiring engine through a real
boto3 client answered by the Connect fake; the contacts then run through the flows as the fake holds them
(read back with DescribeContactFlow), so the demo shows the wiring's result working, not only the builders'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sccac.connect.desired import FLOW_ORDER, DesiredState, FlowInputs
from sccac.connect.engine import Engine
from sccac.connect.mapping import QueueMapping
from sccac.connect.pacing import CallMeter, TokenBucket
from sccac.connect.quotas import Quotas
from sccac.connect.render import plan_lines, summary_line
from sccac.flows.builders import BuiltFlow, FlowKind
from sccac.flows.model import parse_flow
from sccac.testing.connect.models import ConnectBackend
from sccac.testing.connect.responses import ConnectFake, virtual_retry_sleep


@dataclass(frozen=True)
class OfflineWiring:
    plan: list[str]  # the plan as `sccac connect plan` prints it
    summary: str  # what apply did, with its API call count
    output: dict[str, object]  # the document the Salesforce side reads (queue ARNs, flow ids)
    flows: dict[FlowKind, BuiltFlow]  # as deployed, read back from the instance
    queue_arns: dict[str, str]  # every queue of the instance by name


def wire_offline(backend: ConnectBackend, instance_id: str, mappings: Sequence[QueueMapping], inputs: FlowInputs) -> OfflineWiring:
    """Plan and apply the wiring on the fake instance (paced at Connect's 2 requests/s on its virtual clock)."""
    clock = backend.clock
    meter = CallMeter(clock, TokenBucket(clock, 2.0, 5))
    client = meter.attach(ConnectFake(backend).client(max_attempts=10))
    engine = Engine(client, meter, clock)
    desired = DesiredState(instance_id, tuple(mappings), inputs)
    with virtual_retry_sleep(clock):
        planned = engine.plan(desired, Quotas())
        applied = engine.apply(desired, Quotas())
        flows = {}
        for kind in FLOW_ORDER:
            flow_id = applied.output["flows"][kind.value]["id"]
            described = client.describe_contact_flow(InstanceId=instance_id, ContactFlowId=flow_id)["ContactFlow"]
            flows[kind] = BuiltFlow(kind, described["Name"], described["Type"], described.get("Description", ""),
                                    parse_flow(described["Content"]))
    instance = backend.instance(instance_id)
    return OfflineWiring(
        plan_lines(planned.plan, planned.stats), summary_line(applied), applied.output, flows,
        {q.name: q.arn for q in instance.queues.values()},
    )
