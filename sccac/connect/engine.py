"""One wiring run: read the instance, plan, and (for apply) execute; with the call count and the output document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sccac.clock import Clock
from sccac.connect.applier import Applier, ApplyResult, Progress, Refs
from sccac.connect.desired import DesiredState
from sccac.connect.errors import StepFailed
from sccac.connect.pacing import CallMeter, CallStats
from sccac.connect.planner import Plan, PlanOptions, make_plan
from sccac.connect.quotas import Quotas
from sccac.connect.snapshot import InstanceSnapshot, read_instance
from sccac.flows.builders import FlowKind


@dataclass
class PlanRun:
    snapshot: InstanceSnapshot
    plan: Plan
    stats: CallStats


@dataclass
class ApplyRun:
    plan: Plan
    result: ApplyResult
    stats: CallStats
    seconds: float  # on the run's clock (virtual in tests and the bench)
    output: dict[str, Any]


class Engine:
    """Holds the client (already paced and counted by ``meter``) and the run's clock."""

    def __init__(self, client: Any, meter: CallMeter, clock: Clock) -> None:
        self.client, self.meter, self.clock = client, meter, clock

    def read(self, desired: DesiredState) -> InstanceSnapshot:
        try:
            return read_instance(self.client, desired.instance_id, quick_connects=desired.quick_connects,
                                 routing_profiles=bool(desired.routing_profiles), staffed_profiles=desired.staffed_profiles)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise StepFailed(f"read ({exc.operation_name})", f"instance {desired.instance_id}", error.get("Code", "?"),
                             str(error.get("Message", exc))) from None
        except BotoCoreError as exc:
            raise StepFailed("read", f"instance {desired.instance_id}", type(exc).__name__, str(exc)) from None

    def plan(self, desired: DesiredState, quotas: Quotas, options: PlanOptions = PlanOptions()) -> PlanRun:
        self.meter.reset()
        snap = self.read(desired)
        plan = make_plan(desired, snap, quotas, options)
        return PlanRun(snap, plan, self.meter.reset())

    def apply(self, desired: DesiredState, quotas: Quotas, options: PlanOptions = PlanOptions(),
              progress: Progress | None = None) -> ApplyRun:
        start = self.clock.monotonic()
        self.meter.reset()
        snap = self.read(desired)
        plan = make_plan(desired, snap, quotas, options)
        applier = Applier(self.client, desired, snap, progress)
        result = applier.apply(plan)  # on failure the meter still holds this run's counts
        stats = self.meter.reset()
        return ApplyRun(plan, result, stats, self.clock.monotonic() - start, output_document(desired, result.refs, self.client))


def output_document(desired: DesiredState, refs: Refs, client: Any) -> dict[str, Any]:
    """What the Salesforce side reads: queue ARN per mapping, flow ids, the instance."""
    queues = []
    for m in desired.mappings:
        name = m.connect_queue
        if m.is_arn:
            name = next((n for n, (_, arn) in refs.queues.items() if arn == m.connect_queue), name)
        queue_id, queue_arn = refs.queues.get(name, ("", ""))
        entry = {"omni_queue": m.omni_queue, "connect_queue": name, "queue_id": queue_id, "queue_arn": queue_arn}
        if name in refs.quick_connects:
            entry["quick_connect_arn"] = refs.quick_connects[name][1]
        queues.append(entry)
    flows = {kind: {"id": ids[0], "arn": ids[1]} for kind, ids in sorted(refs.flows.items())}
    staff: dict[str, Any] = {}
    if desired.staffing:
        # The Salesforce side maps each Connect user to its Salesforce user (user_arn, see docs/connect.md, Agents).
        staff["routing_profiles"] = [
            {"name": p.name, "id": refs.routing_profiles.get(p.name, ("", ""))[0], "arn": refs.routing_profiles.get(p.name, ("", ""))[1]}
            for p in desired.staffing.profiles]
        staff["agents"] = [
            {"name": a.name, "connect_user": a.username, "user_id": refs.users.get(a.username, ("", ""))[0],
             "user_arn": refs.users.get(a.username, ("", ""))[1], "routing_profile": a.routing_profile,
             "salesforce_user": a.salesforce_user}
            for a in desired.staffing.agents]
    return {
        "instance_id": desired.instance_id,
        "instance_arn": refs.instance_arn,
        "region": client.meta.region_name,
        "queues": queues,
        "flows": flows,
        "task_routing_flow_id": flows.get(FlowKind.TASK_ROUTING.value, {}).get("id"),
        "inbound_chat_flow_id": flows.get(FlowKind.INBOUND_CHAT.value, {}).get("id"),
        **staff,
    }
