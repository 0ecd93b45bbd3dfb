"""Apply a plan with boto3, step by step; a failed step stops the run naming the step, resource and AWS error code.

Flows are built here, once the queues and the module they name exist: their content carries
the real ARNs (no placeholders), and every create carries the ownership tags.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from sccac.connect.desired import CONTENT_TAG, DesiredState, build_flows, content_hash, module_name
from sccac.connect.errors import PlanRefused, QuotaExceeded, StepFailed
from sccac.connect.planner import (
    ROUTING_CHANNELS,
    ROUTING_CONFIGS_PER_CALL,
    Action,
    Kind,
    Plan,
    Step,
    queue_description,
    quick_connect_config,
)
from sccac.connect.snapshot import InstanceSnapshot, find_by_name
from sccac.flows.builders import BuiltFlow, FlowKind

OUTCOME = {Action.CREATE: "created", Action.UPDATE: "updated", Action.UNCHANGED: "unchanged", Action.ADOPT: "adopted"}


class Progress(Protocol):
    def step(self, step: Step, outcome: str) -> None: ...


class NoProgress:
    def step(self, step: Step, outcome: str) -> None:
        return None


@dataclass
class Refs:
    """Ids and ARNs known so far: from the instance, then from each create."""

    instance_arn: str
    hours: dict[str, str]
    queues: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (id, arn)
    flows: dict[str, tuple[str, str]] = field(default_factory=dict)  # flow kind -> (id, arn)
    quick_connects: dict[str, tuple[str, str]] = field(default_factory=dict)  # queue name -> (id, arn)

    @classmethod
    def from_snapshot(cls, desired: DesiredState, snap: InstanceSnapshot, plan: Plan) -> Refs:
        refs = cls(snap.instance_arn, dict(snap.hours))
        refs.queues = {q.name: (q.id, q.arn) for q in snap.queues.values()}
        refs.quick_connects = {q.name: (q.id, q.arn) for q in snap.quick_connects.values()}
        for step in plan.steps:
            if step.kind in (Kind.FLOW, Kind.MODULE) and step.existing is not None:
                refs.flows[step.target] = (step.existing.id, step.existing.arn)
        return refs


@dataclass
class ApplyResult:
    outcomes: Counter[str]
    refs: Refs


def check_plan(plan: Plan) -> None:
    """Refuse before any write: refused steps need an option, quota issues need a quota increase."""
    if plan.refused:
        raise PlanRefused("; ".join(f"{s.label}: {s.reason}" for s in plan.refused))
    if plan.quota_issues:
        raise QuotaExceeded("nothing was written: " + "; ".join(plan.quota_issues))


class Applier:
    def __init__(self, client: Any, desired: DesiredState, snap: InstanceSnapshot, progress: Progress | None = None) -> None:
        self.client, self.desired, self.snap = client, desired, snap
        self.progress = progress or NoProgress()
        self._built: dict[FlowKind, BuiltFlow] | None = None
        self._built_with: str | None = None  # the disconnect flow ARN the cached flows name
        self.refs = Refs(snap.instance_arn, dict(snap.hours))

    def apply(self, plan: Plan) -> ApplyResult:
        check_plan(plan)
        self.refs = Refs.from_snapshot(self.desired, self.snap, plan)
        handlers: dict[Kind, Callable[[Step], None]] = {
            Kind.LAMBDA: self._lambda,
            Kind.QUEUE: self._queue,
            Kind.MODULE: self._module,
            Kind.FLOW: self._flow,
            Kind.QUICK_CONNECT: self._quick_connect,
            Kind.ROUTING: self._routing,
        }
        outcomes: Counter[str] = Counter()
        for step in plan.steps:
            if step.action in (Action.CREATE, Action.UPDATE):
                try:
                    handlers[step.kind](step)
                except ClientError as exc:
                    error = exc.response.get("Error", {})
                    raise StepFailed(f"{step.action.value} {step.kind.value}", step.name, error.get("Code", "?"),
                                     _message(exc)) from None
                except BotoCoreError as exc:
                    raise StepFailed(f"{step.action.value} {step.kind.value}", step.name, type(exc).__name__, str(exc)) from None
            outcomes[OUTCOME[step.action]] += 1
            self.progress.step(step, OUTCOME[step.action])
        return ApplyResult(outcomes, self.refs)

    # -- one handler per resource kind -------------------------------------------------------

    @property
    def _iid(self) -> dict[str, str]:
        return {"InstanceId": self.desired.instance_id}

    def _lambda(self, step: Step) -> None:
        try:
            self.client.associate_lambda_function(**self._iid, FunctionArn=step.name)
        except ClientError as exc:
            # Associated by an earlier attempt whose answer was lost: the state is what we want.
            if exc.response["Error"]["Code"] != "ResourceConflictException":
                raise

    def _queue(self, step: Step) -> None:
        if step.action is Action.UPDATE and step.existing is not None:
            self.client.update_queue_name(**self._iid, QueueId=step.existing.id, Name=step.name,
                                          Description=queue_description(self.desired))
            return
        created = self._create(
            lambda: self.client.create_queue(
                **self._iid, Name=step.name, Description=queue_description(self.desired),
                HoursOfOperationId=self.refs.hours[self.desired.hours_of_operation], Tags=self.desired.owner_tags,
            ),
            "SearchQueues", "Queues", step.name,
        )
        self.refs.queues[step.name] = (created.get("QueueId", ""), created.get("QueueArn", ""))

    def _fallback_arn(self) -> str:
        fallback = self.desired.fallback_queue
        return fallback if fallback.startswith("arn:") else self.refs.queues[fallback][1]

    def _built_flows(self) -> dict[FlowKind, BuiltFlow]:
        """Built after the queues and the module exist, with their real ARNs; again once the
        disconnect flow (deployed first) has its ARN, which the inbound flow names."""
        disconnect = self.refs.flows.get(FlowKind.DISCONNECT_REQUEUE.value)
        disconnect_arn = disconnect[1] if disconnect else None
        if self._built is None or self._built_with != disconnect_arn:
            module = self.refs.flows.get(FlowKind.TRANSCRIPTION.value)
            self._built = build_flows(self.desired.flows, self._fallback_arn(), module[1] if module else None, disconnect_arn)
            self._built_with = disconnect_arn
        return self._built

    def _module_content(self) -> BuiltFlow:
        # The module names no ARN; it is built before the flows because they name it.
        return build_flows(self.desired.flows, self._fallback_arn(), None)[FlowKind.TRANSCRIPTION]

    def _tags_for(self, content: str) -> dict[str, str]:
        return {**self.desired.owner_tags, CONTENT_TAG: content_hash(content)}

    def _module(self, step: Step) -> None:
        built = self._module_content()
        content = built.flow.to_json()
        if step.existing is not None:
            if not step.retag_only:
                self.client.update_contact_flow_module_content(**self._iid, ContactFlowModuleId=step.existing.id, Content=content)
            self.client.tag_resource(resourceArn=step.existing.arn, tags=self._tags_for(content))
            return
        created = self._create(
            lambda: self.client.create_contact_flow_module(
                **self._iid, Name=module_name(self.desired.flows), Description=built.description,
                Content=content, Tags=self._tags_for(content),
            ),
            "SearchContactFlowModules", "ContactFlowModules", step.name,
        )
        self.refs.flows[FlowKind.TRANSCRIPTION.value] = (created.get("Id", ""), created.get("Arn", ""))

    def _flow(self, step: Step) -> None:
        built = self._built_flows()[FlowKind(step.target)]
        content = built.flow.to_json()
        if step.existing is not None:
            if not step.retag_only:
                self.client.update_contact_flow_content(**self._iid, ContactFlowId=step.existing.id, Content=content)
            self.client.tag_resource(resourceArn=step.existing.arn, tags=self._tags_for(content))
            return
        created = self._create(
            lambda: self.client.create_contact_flow(
                **self._iid, Name=built.name, Type=built.connect_type, Description=built.description,
                Content=content, Status="PUBLISHED", Tags=self._tags_for(content),
            ),
            "SearchContactFlows", "ContactFlows", step.name,
        )
        self.refs.flows[step.target] = (created.get("ContactFlowId", created.get("Id", "")),
                                        created.get("ContactFlowArn", created.get("Arn", "")))

    def _quick_connect(self, step: Step) -> None:
        queue_id = self.refs.queues[step.name][0]
        config = quick_connect_config(queue_id, self.refs.flows[FlowKind.QUEUE_TRANSFER.value][0])
        if step.existing is not None:
            self.client.update_quick_connect_config(**self._iid, QuickConnectId=step.existing.id, QuickConnectConfig=config)
            if not self.desired.is_owned(step.existing.tags):
                self.client.tag_resource(resourceArn=step.existing.arn, tags=self.desired.owner_tags)
            return
        created = self._create(
            lambda: self.client.create_quick_connect(
                **self._iid, Name=step.name, Description=f"SCC-AC queue transfer to {step.name}",
                QuickConnectConfig=config, Tags=self.desired.owner_tags,
            ),
            "SearchQuickConnects", "QuickConnects", step.name,
        )
        self.refs.quick_connects[step.name] = (created.get("QuickConnectId", ""), created.get("QuickConnectARN", ""))

    def _routing(self, step: Step) -> None:
        assert step.existing is not None
        configs = [
            {"QueueReference": {"QueueId": self.refs.queues[name][0], "Channel": channel}, "Priority": 1, "Delay": 0}
            for name in step.queues
            for channel in ROUTING_CHANNELS
        ]
        for start in range(0, len(configs), ROUTING_CONFIGS_PER_CALL):
            self.client.associate_routing_profile_queues(
                **self._iid, RoutingProfileId=step.existing.id, QueueConfigs=configs[start:start + ROUTING_CONFIGS_PER_CALL]
            )

    def _create(self, call: Callable[[], dict[str, Any]], search: str, key: str, name: str) -> dict[str, Any]:
        """Create; if Connect says the name exists and it is ours (an earlier attempt's answer was lost), use it."""
        try:
            return call()
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "DuplicateResourceException":
                raise
            found = find_by_name(self.client, search, key, self.desired.instance_id, name)
            if found is None or not self.desired.is_owned(found.get("Tags")):
                raise
            return _ids(found)


def _ids(found: dict[str, Any]) -> dict[str, Any]:
    """Search results spell ids and ARNs differently from create answers; give both spellings."""
    out = dict(found)
    out.setdefault("ContactFlowId", found.get("Id"))
    out.setdefault("ContactFlowArn", found.get("Arn"))
    return out


def _message(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    problems = exc.response.get("problems") or exc.response.get("Problems")
    if problems:
        return "; ".join(p.get("message", "") for p in problems)
    return str(error.get("Message", exc))
