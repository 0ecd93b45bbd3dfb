"""Apply a plan with boto3, step by step; a failed step stops the run naming the step, resource and AWS error code.

Flows are built here, once the queues and the module they name exist: their content carries
the real ARNs (no placeholders), and every create carries the ownership tags.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from sccac.connect.agents import (
    AGENT_SECURITY_PROFILE,
    CONFIGS_PER_CALL,
    CONNECT_MANAGED,
    SALESFORCE_USER_TAG,
    agent_password,
    identity_info,
    media_concurrencies,
    no_request_logging,
    profile_changes,
    profile_description,
    queue_config,
    wanted_queues,
)
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
from sccac.connect.snapshot import InstanceSnapshot, find_by_name, paginate
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
    routing_profiles: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (id, arn)
    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # username -> (id, arn)

    @classmethod
    def from_snapshot(cls, desired: DesiredState, snap: InstanceSnapshot, plan: Plan) -> Refs:
        refs = cls(snap.instance_arn, dict(snap.hours))
        refs.queues = {q.name: (q.id, q.arn) for q in snap.queues.values()}
        refs.quick_connects = {q.name: (q.id, q.arn) for q in snap.quick_connects.values()}
        refs.routing_profiles = {r.name: (r.id, r.arn) for r in snap.routing_profiles.values()}
        refs.users = {u.name: (u.id, u.arn) for u in snap.users.values()}
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
    def __init__(self, client: Any, desired: DesiredState, snap: InstanceSnapshot, progress: Progress | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.client, self.desired, self.snap = client, desired, snap
        self.environ = os.environ if environ is None else environ  # where the agents' password comes from
        self._password: str | None = None
        self.progress = progress or NoProgress()
        self._built: dict[FlowKind, BuiltFlow] | None = None
        self._built_with: str | None = None  # the disconnect flow ARN the cached flows name
        self.refs = Refs(snap.instance_arn, dict(snap.hours))

    def apply(self, plan: Plan) -> ApplyResult:
        check_plan(plan)
        if self.snap.identity_management == CONNECT_MANAGED and any(
                s.kind is Kind.AGENT_USER and s.action is Action.CREATE for s in plan.steps):
            self._password = agent_password(self.environ)  # before any write: a missing password stops nothing half-way
        self.refs = Refs.from_snapshot(self.desired, self.snap, plan)
        handlers: dict[Kind, Callable[[Step], None]] = {
            Kind.LAMBDA: self._lambda,
            Kind.QUEUE: self._queue,
            Kind.MODULE: self._module,
            Kind.FLOW: self._flow,
            Kind.QUICK_CONNECT: self._quick_connect,
            Kind.ROUTING: self._routing,
            Kind.AGENT_PROFILE: self._agent_profile,
            Kind.AGENT_USER: self._agent_user,
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

    def _agent_profile(self, step: Step) -> None:
        assert self.desired.staffing is not None
        spec = self.desired.staffing.profile(step.name)
        queue_ids = {name: ids[0] for name, ids in self.refs.queues.items()}
        iid, batch = self._iid, CONFIGS_PER_CALL
        if step.existing is None:
            configs = [queue_config(k, v) for k, v in wanted_queues(spec, queue_ids).items()]
            created = self._create(
                lambda: self.client.create_routing_profile(
                    **iid, Name=spec.name, Description=profile_description(self.desired.project),
                    DefaultOutboundQueueId=queue_ids[spec.queues[0].queue], MediaConcurrencies=media_concurrencies(spec),
                    QueueConfigs=configs[:batch], Tags=self.desired.owner_tags,
                ),
                "SearchRoutingProfiles", "RoutingProfiles", spec.name,
            )
            profile_id = created.get("RoutingProfileId", "")
            self.refs.routing_profiles[spec.name] = (profile_id, created.get("RoutingProfileArn", ""))
            for start in range(batch, len(configs), batch):
                self.client.associate_routing_profile_queues(**iid, RoutingProfileId=profile_id, QueueConfigs=configs[start:start + batch])
            return
        changes, pid = profile_changes(spec, step.existing, queue_ids), step.existing.id
        for part, call in ((changes.add, self.client.associate_routing_profile_queues),
                           (changes.update, self.client.update_routing_profile_queues)):
            configs = [queue_config(k, v) for k, v in part.items()]
            for start in range(0, len(configs), batch):
                call(**iid, RoutingProfileId=pid, QueueConfigs=configs[start:start + batch])
        for start in range(0, len(changes.remove), batch):
            references = [{"QueueId": q, "Channel": c} for q, c in changes.remove[start:start + batch]]
            self.client.disassociate_routing_profile_queues(**iid, RoutingProfileId=pid, QueueReferences=references)
        if changes.concurrency:
            self.client.update_routing_profile_concurrency(
                **iid, RoutingProfileId=pid, MediaConcurrencies=media_concurrencies(spec, step.existing.config.get("concurrency")))
        if changes.default_outbound:
            self.client.update_routing_profile_default_outbound_queue(
                **iid, RoutingProfileId=pid, DefaultOutboundQueueId=queue_ids[spec.queues[0].queue])
        if not self.desired.is_owned(step.existing.tags):
            self.client.tag_resource(resourceArn=step.existing.arn, tags=self.desired.owner_tags)

    def _agent_user(self, step: Step) -> None:
        assert self.desired.staffing is not None
        agent = next(a for a in self.desired.staffing.agents if a.username == step.name)
        profile_id = self.refs.routing_profiles[agent.routing_profile][0]
        tags = {**self.desired.owner_tags, SALESFORCE_USER_TAG: agent.salesforce_user}
        if step.existing is not None:
            if step.existing.config.get("routing_profile_id") != profile_id:
                self.client.update_user_routing_profile(**self._iid, UserId=step.existing.id, RoutingProfileId=profile_id)
            if not self.desired.is_owned(step.existing.tags) or \
                    step.existing.tags.get(SALESFORCE_USER_TAG) != agent.salesforce_user:
                self.client.tag_resource(resourceArn=step.existing.arn, tags=tags)
            return
        secret = {"Password": self._password} if self._password is not None else {}
        try:
            with no_request_logging():
                created = self.client.create_user(
                    **self._iid, Username=agent.username, IdentityInfo=identity_info(agent),
                    PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0},
                    SecurityProfileIds=[self.snap.security_profiles[AGENT_SECURITY_PROFILE]], RoutingProfileId=profile_id,
                    Tags=tags, **secret,
                )
        except ClientError as exc:
            found = self._find_user(agent.username) if exc.response["Error"]["Code"] == "DuplicateResourceException" else None
            if found is None or not self.desired.is_owned(found.get("Tags")):
                raise
            created = {"UserId": found["Id"], "UserArn": found["Arn"]}  # an earlier attempt's answer was lost
        self.refs.users[agent.username] = (created.get("UserId", ""), created.get("UserArn", ""))

    def _find_user(self, username: str) -> dict[str, Any] | None:
        exact = {"StringCondition": {"FieldName": "Username", "Value": username, "ComparisonType": "EXACT"}}
        return next(iter(paginate(self.client, "SearchUsers", "Users", InstanceId=self.desired.instance_id, SearchCriteria=exact)), None)

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
