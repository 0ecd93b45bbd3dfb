"""The pure planner: desired state + what the instance has -> ordered steps (no I/O, no clock).

Order is the service's: Connect refuses a flow whose content names a Lambda function not
associated with the instance, or a queue or module that does not exist, so Lambda functions,
queues and the module come first; the queue-transfer flow comes before the quick connects that
name it; routing profile queues come last.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from sccac.connect.agents import (
    AGENT_SECURITY_PROFILE,
    CONNECT_MANAGED,
    PASSWORD_ENV,
    SALESFORCE_USER_TAG,
    create_writes,
    profile_changes,
    user_problems,
)
from sccac.connect.desired import (
    CONTENT_TAG,
    FLOW_ORDER,
    DesiredState,
    build_flows,
    canonical,
    content_hash,
    flow_names,
    module_name,
)
from sccac.connect.errors import ConnectUsageError
from sccac.connect.mapping import QueueMapping
from sccac.lambdas.ids import CONNECT_QUEUE_ARN_RE as QUEUE_ARN_RE
from sccac.connect.quotas import Quotas
from sccac.connect.snapshot import Existing, InstanceSnapshot
from sccac.connect.staffing import AgentSpec, ProfileSpec
from sccac.flows.builders import CONNECT_TYPES, FlowKind

ROUTING_CHANNELS = ("CHAT", "TASK")
ROUTING_CONFIGS_PER_CALL = 10  # AssociateRoutingProfileQueues: QueueConfigs max 10 (botocore model)


class Kind(str, Enum):
    LAMBDA = "lambda function"
    QUEUE = "queue"
    MODULE = "flow module"
    FLOW = "flow"
    QUICK_CONNECT = "quick connect"
    ROUTING = "routing profile"
    AGENT_PROFILE = "agent routing profile"  # a staffing file's routing profile (the engine creates it)
    AGENT_USER = "agent user"


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ADOPT = "adopt"  # exists, not ours: used as it is, never changed
    REFUSE = "refuse"  # would change something the engine may not change without an option


@dataclass(frozen=True)
class PlanOptions:
    take_ownership: bool = False  # update (and tag) same-name flows, module, quick connects it does not own
    overwrite_console_edits: bool = False  # update owned flows edited since the engine deployed them
    agent_password_set: bool | None = None  # whether PASSWORD_ENV is set (None: not known; the plan says nothing)


@dataclass(frozen=True)
class Step:
    kind: Kind
    name: str
    action: Action
    reason: str = ""
    target: str = ""  # flow kind for flows and the module
    existing: Existing | None = None
    queues: tuple[str, ...] = ()  # routing profile: queue names to add
    writes: int = 0  # write calls the step is expected to make
    retag_only: bool = False  # content already right; only the content tag is behind

    @property
    def label(self) -> str:
        return f"{self.kind.value} {self.name}"


@dataclass
class Plan:
    instance_id: str
    steps: list[Step]
    quotas: Quotas
    quota_issues: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[Step]:
        return [s for s in self.steps if s.action is Action.REFUSE]

    @property
    def writes(self) -> int:
        return sum(s.writes for s in self.steps)

    def counts(self) -> Counter[str]:
        return Counter(s.action.value for s in self.steps)


def make_plan(desired: DesiredState, snap: InstanceSnapshot, quotas: Quotas, options: PlanOptions = PlanOptions()) -> Plan:
    problems: list[str] = []
    queue_steps, queue_names = _queue_steps(desired, snap, problems)
    fallback_arn = _fallback_arn(desired, snap, queue_names, problems)
    if problems:
        raise ConnectUsageError("; ".join(problems))
    steps = _lambda_steps(desired, snap) + queue_steps
    module_step = _module_step(desired, snap, fallback_arn or "", options) if desired.flows.transcription else None
    if module_step:
        steps.append(module_step)
    module_arn = _module_arn(desired, snap)
    flow_steps = _flow_steps(desired, snap, fallback_arn, module_arn, module_step, options)
    steps += flow_steps
    if desired.quick_connects:
        steps += _quick_connect_steps(desired, snap, queue_names, flow_steps, options)
    steps += [_routing_step(name, mappings, snap, queue_names) for name, mappings in desired.routing_profiles.items()]
    if desired.staffing:
        created = {s.name for s in queue_steps if s.action is Action.CREATE}
        steps += _staffing_steps(desired, snap, created, options)
    plan = Plan(desired.instance_id, steps, quotas)
    plan.quota_issues = quota_issues(plan, snap)
    return plan


# -- Lambda functions ------------------------------------------------------------------------

def _lambda_steps(desired: DesiredState, snap: InstanceSnapshot) -> list[Step]:
    return [
        Step(Kind.LAMBDA, arn, Action.UNCHANGED, "associated")
        if arn in snap.lambda_functions
        else Step(Kind.LAMBDA, arn, Action.CREATE, "associate with the instance", writes=1)
        for arn in desired.flows.lambda_arns
    ]


# -- queues ------------------------------------------------------------------------------------

def queue_description(desired: DesiredState) -> str:
    return f"SCC-AC queue managed by sccac (project {desired.project})"


def _queue_steps(desired: DesiredState, snap: InstanceSnapshot, problems: list[str]) -> tuple[list[Step], dict[str, str]]:
    """Steps per distinct Connect queue, and each mapping's Connect queue name (Omni-Queue -> name)."""
    steps: dict[str, Step] = {}
    names: dict[str, str] = {}
    creating = False
    for number, m in enumerate(desired.mappings, start=1):
        entry = f"{m.where}: ({m.omni_queue})" if m.where else f"mapping {number} ({m.omni_queue})"
        if m.is_arn:
            existing = snap.queue_by_arn(m.connect_queue)
            if existing is None:
                problems.append(_missing_arn(entry, m.connect_queue, desired.instance_id))
                continue
        else:
            existing = snap.queues.get(m.connect_queue)
            if existing is None and not m.create:
                problems.append(
                    f"{entry}: Connect queue {m.connect_queue!r} does not exist and create is "
                    "false; set create: true, create the queue, or map an existing queue"
                )
                continue
        name = existing.name if existing else m.connect_queue
        names[m.omni_queue] = name
        if name in steps:
            continue
        if existing is None:
            creating = True
            steps[name] = Step(Kind.QUEUE, name, Action.CREATE, f"for Omni-Queue {m.omni_queue}", writes=1)
        elif not desired.is_owned(existing.tags):
            steps[name] = Step(Kind.QUEUE, name, Action.ADOPT, "exists, not created by sccac: used as it is", existing=existing)
        elif existing.description != queue_description(desired):
            steps[name] = Step(Kind.QUEUE, name, Action.UPDATE, "description", existing=existing, writes=1)
        else:
            steps[name] = Step(Kind.QUEUE, name, Action.UNCHANGED, existing=existing)
    if creating and desired.hours_of_operation not in snap.hours:
        known = ", ".join(sorted(snap.hours)) or "none"
        problems.append(
            f"--hours-of-operation {desired.hours_of_operation!r} does not exist in the instance (it has: {known}); "
            "new queues need one"
        )
    return list(steps.values()), names


def _missing_arn(where: str, arn: str, instance_id: str) -> str:
    match = QUEUE_ARN_RE.match(arn)
    if match and match.group("instance") != instance_id.rsplit("/", 1)[-1]:
        return f"{where}: queue {arn} belongs to instance {match.group('instance')}, not {instance_id}; map queues of this instance"
    return f"{where}: queue {arn} does not exist in instance {instance_id}; map an existing queue or use its name with create: true"


def _fallback_arn(desired: DesiredState, snap: InstanceSnapshot, names: dict[str, str], problems: list[str]) -> str | None:
    """The fallback queue's ARN when it exists already, None when this run creates it."""
    try:
        ref = desired.fallback_queue
    except ConnectUsageError as exc:
        problems.append(str(exc))
        return None
    if ref.startswith("arn:"):
        existing = snap.queue_by_arn(ref)
        if existing is None:
            problems.append(_missing_arn("--fallback-queue", ref, desired.instance_id))
        return existing.arn if existing else None
    if ref in snap.queues:
        return snap.queues[ref].arn
    if ref not in names.values():
        problems.append(f"--fallback-queue {ref!r}: no queue of that name in the instance or the mapping; name an existing or mapped queue")
    return None


# -- the module and the flows ------------------------------------------------------------------

def _module_arn(desired: DesiredState, snap: InstanceSnapshot) -> str | None:
    existing = snap.modules.get(module_name(desired.flows))
    return existing.arn if existing else None


def _content_step(kind: Kind, name: str, target: str, existing: Existing | None, generated: str | None,
                  desired: DesiredState, options: PlanOptions) -> Step:
    """Create, keep or update one flow (or the module) by content; console edits and unowned ones are refused."""
    if existing is None:
        return Step(kind, name, Action.CREATE, "", target, writes=1)
    same = generated is not None and canonical(existing.content) == canonical(generated)
    if not desired.is_owned(existing.tags):
        if same:
            return Step(kind, name, Action.ADOPT, "exists, not created by sccac, same content", target, existing)
        if not options.take_ownership:
            return Step(kind, name, Action.REFUSE, "exists, not created by sccac, different content (--take-ownership to update it)", target, existing)
        return Step(kind, name, Action.UPDATE, "takes ownership: content and tags", target, existing, writes=2)
    edited = existing.tags.get(CONTENT_TAG) != content_hash(existing.content)
    if same:
        if edited:  # a content update whose tag update was interrupted: only the tag is behind
            return Step(kind, name, Action.UPDATE, "content tag", target, existing, writes=1, retag_only=True)
        return Step(kind, name, Action.UNCHANGED, "", target, existing)
    if edited and not options.overwrite_console_edits:
        return Step(kind, name, Action.REFUSE, "would overwrite console edits (--overwrite-console-edits to replace them)", target, existing)
    reason = "would overwrite console edits" if edited else "content"
    if generated is None:
        reason += " (names resources this run creates)"
    return Step(kind, name, Action.UPDATE, reason, target, existing, writes=2)


def _module_step(desired: DesiredState, snap: InstanceSnapshot, fallback_arn: str, options: PlanOptions) -> Step:
    name = module_name(desired.flows)
    # The module's content depends on no ARN: build it with any valid fallback.
    built = build_flows(desired.flows, fallback_arn or _any_queue_arn(snap), None)[FlowKind.TRANSCRIPTION]
    return _content_step(Kind.MODULE, name, FlowKind.TRANSCRIPTION.value, snap.modules.get(name), built.flow.to_json(), desired, options)


def _any_queue_arn(snap: InstanceSnapshot) -> str:
    return f"{snap.instance_arn}/queue/00000000-0000-4000-8000-000000000000"


def _flow_steps(desired: DesiredState, snap: InstanceSnapshot, fallback_arn: str | None, module_arn: str | None,
                module_step: Step | None, options: PlanOptions) -> list[Step]:
    names = flow_names(desired.flows)
    disconnect = snap.flows.get(names[FlowKind.DISCONNECT_REQUEUE])
    known = (fallback_arn is not None and (not desired.flows.transcription or module_arn is not None)
             and (not desired.flows.requeue or disconnect is not None))
    built = build_flows(desired.flows, fallback_arn, module_arn, disconnect.arn if disconnect else None) \
        if known and fallback_arn else None
    steps = []
    for kind in FLOW_ORDER:
        existing = snap.flows.get(names[kind])
        if existing is not None and existing.type != CONNECT_TYPES[kind]:
            steps.append(Step(Kind.FLOW, names[kind], Action.REFUSE,
                              f"exists with type {existing.type}, not {CONNECT_TYPES[kind]}; rename it or change --name-prefix",
                              kind.value, existing))
            continue
        generated = built[kind].flow.to_json() if built else None
        steps.append(_content_step(Kind.FLOW, names[kind], kind.value, existing, generated, desired, options))
    return steps


# -- quick connects and the routing profile ---------------------------------------------------

def quick_connect_config(queue_id: str, flow_id: str) -> dict[str, object]:
    return {"QuickConnectType": "QUEUE", "QueueConfig": {"QueueId": queue_id, "ContactFlowId": flow_id}}


def _quick_connect_steps(desired: DesiredState, snap: InstanceSnapshot, names: dict[str, str], flow_steps: list[Step],
                         options: PlanOptions) -> list[Step]:
    transfer = next(s for s in flow_steps if s.target == FlowKind.QUEUE_TRANSFER.value)
    flow_id = transfer.existing.id if transfer.existing and transfer.action is not Action.REFUSE else None
    steps = []
    wanted_for = dict.fromkeys(names[m.omni_queue] for m in desired.mappings if m.quick_connect and m.omni_queue in names)
    for name in wanted_for:
        existing = snap.quick_connects.get(name)
        queue = snap.queues.get(name)
        wanted = quick_connect_config(queue.id, flow_id) if queue and flow_id else None
        same = wanted is not None and existing is not None and existing.config == wanted
        if existing is None:
            steps.append(Step(Kind.QUICK_CONNECT, name, Action.CREATE, "queue transfer", writes=1))
        elif not desired.is_owned(existing.tags):
            if same:
                steps.append(Step(Kind.QUICK_CONNECT, name, Action.ADOPT, "exists, not created by sccac, same target", existing=existing))
            elif options.take_ownership:
                steps.append(Step(Kind.QUICK_CONNECT, name, Action.UPDATE, "takes ownership: target and tags", existing=existing, writes=2))
            else:
                steps.append(Step(Kind.QUICK_CONNECT, name, Action.REFUSE,
                                  "exists, not created by sccac, different target (--take-ownership to update it)", existing=existing))
        elif same:
            steps.append(Step(Kind.QUICK_CONNECT, name, Action.UNCHANGED, existing=existing))
        else:
            steps.append(Step(Kind.QUICK_CONNECT, name, Action.UPDATE, "target queue or flow", existing=existing, writes=1))
    return steps


def _routing_step(name: str, mappings: list[QueueMapping], snap: InstanceSnapshot, names: dict[str, str]) -> Step:
    profile = snap.routing_profiles.get(name)
    if profile is None:
        known = ", ".join(sorted(snap.routing_profiles)) or "none"
        raise ConnectUsageError(f"routing profile {name!r} does not exist in the instance (it has: {known}); "
                                "name an existing routing profile")
    queues = dict.fromkeys(names[m.omni_queue] for m in mappings)
    missing = tuple(q for q in queues if q not in snap.queues or snap.queues[q].id not in profile.queue_ids)
    if not missing:
        return Step(Kind.ROUTING, name, Action.UNCHANGED, "has every mapped queue", existing=profile)
    calls = math.ceil(len(missing) * len(ROUTING_CHANNELS) / ROUTING_CONFIGS_PER_CALL)
    return Step(Kind.ROUTING, name, Action.UPDATE, f"add {len(missing)} queue(s) for chat and task", existing=profile,
                queues=missing, writes=calls)


# -- agents: routing profiles and users of the staffing file ----------------------------------

def _staffing_steps(desired: DesiredState, snap: InstanceSnapshot, created_queues: set[str], options: PlanOptions) -> list[Step]:
    assert desired.staffing is not None
    staffing = desired.staffing
    problems = []
    for spec in staffing.profiles:
        for q in spec.queues:
            if q.queue not in snap.queues and q.queue not in created_queues:
                problems.append(f"{spec.where}: queues: Connect queue {q.queue!r} is not in the instance and the mapping "
                                "does not create it; map it (create: true) or name an existing queue")
    if AGENT_SECURITY_PROFILE not in snap.security_profiles:
        known = ", ".join(sorted(snap.security_profiles)) or "none"
        problems.append(f"{staffing.path}: agents: the instance has no security profile {AGENT_SECURITY_PROFILE!r} "
                        f"(it has: {known}); restore it, agent users get it")
    problems += user_problems(staffing.agents, snap.identity_management)
    if problems:
        raise ConnectUsageError("; ".join(problems))
    # Queues created this run have no id yet: a stand-in no existing configuration has (they are to add).
    queue_ids = {name: q.id for name, q in snap.queues.items()} | {name: f"new:{name}" for name in created_queues}
    steps = [_agent_profile_step(spec, snap.routing_profiles.get(spec.name), queue_ids, desired, options)
             for spec in staffing.profiles]
    for agent in staffing.agents:
        profile = snap.routing_profiles.get(agent.routing_profile)
        steps.append(_agent_user_step(agent, profile.id if profile else None, snap.users.get(agent.username),
                                      snap.identity_management, desired, options))
    return steps


def _agent_profile_step(spec: ProfileSpec, existing: Existing | None, queue_ids: dict[str, str], desired: DesiredState,
                        options: PlanOptions) -> Step:
    if existing is None:
        channels = ", ".join(f"{c.lower()} {n}" for c, n in spec.concurrency)
        return Step(Kind.AGENT_PROFILE, spec.name, Action.CREATE, f"{len(spec.queues)} queue(s); {channels}",
                    writes=create_writes(spec))
    changes = profile_changes(spec, existing, queue_ids)
    if not desired.is_owned(existing.tags):
        if changes.empty:
            return Step(Kind.AGENT_PROFILE, spec.name, Action.ADOPT, "exists, not created by sccac, same queues and concurrency",
                        existing=existing)
        if not options.take_ownership:
            return Step(Kind.AGENT_PROFILE, spec.name, Action.REFUSE,
                        f"exists, not created by sccac, differs ({changes.reason}) (--take-ownership to update it)", existing=existing)
        return Step(Kind.AGENT_PROFILE, spec.name, Action.UPDATE, f"takes ownership: {changes.reason} and tags",
                    existing=existing, writes=changes.writes + 1)
    if changes.empty:
        return Step(Kind.AGENT_PROFILE, spec.name, Action.UNCHANGED, existing=existing)
    return Step(Kind.AGENT_PROFILE, spec.name, Action.UPDATE, changes.reason, existing=existing, writes=changes.writes)


def _agent_user_step(agent: AgentSpec, profile_id: str | None, existing: Existing | None, identity: str,
                     desired: DesiredState, options: PlanOptions) -> Step:
    username, profile = agent.username, agent.routing_profile
    if existing is None:
        reason = f"routing profile {profile}"
        if identity == CONNECT_MANAGED:
            reason += f"; password from {PASSWORD_ENV}" + (" (not set: apply stops)" if options.agent_password_set is False else "")
        return Step(Kind.AGENT_USER, username, Action.CREATE, reason, writes=1)
    same = profile_id is not None and existing.config.get("routing_profile_id") == profile_id
    if not desired.is_owned(existing.tags):
        if same:
            return Step(Kind.AGENT_USER, username, Action.ADOPT, "exists, not created by sccac, same routing profile", existing=existing)
        if not options.take_ownership:
            return Step(Kind.AGENT_USER, username, Action.REFUSE,
                        f"exists, not created by sccac, other routing profile (--take-ownership to move it to {profile})",
                        existing=existing)
        return Step(Kind.AGENT_USER, username, Action.UPDATE, f"takes ownership: routing profile {profile} and tags",
                    existing=existing, writes=2)
    # The Salesforce user the staffing file names now, kept in a tag the Salesforce side reads.
    retag = existing.tags.get(SALESFORCE_USER_TAG) != agent.salesforce_user
    changes = ([] if same else [f"routing profile {profile}"]) + ([f"Salesforce user {agent.salesforce_user}"] if retag else [])
    if not changes:
        return Step(Kind.AGENT_USER, username, Action.UNCHANGED, existing=existing)
    return Step(Kind.AGENT_USER, username, Action.UPDATE, "; ".join(changes), existing=existing, writes=len(changes))


# -- quotas ------------------------------------------------------------------------------------

def quota_issues(plan: Plan, snap: InstanceSnapshot) -> list[str]:
    creates = Counter(s.kind for s in plan.steps if s.action is Action.CREATE)
    checks = [
        ("queues", len(snap.queues), creates[Kind.QUEUE], plan.quotas.queues, "Queues per instance"),
        ("flows", len(snap.flows), creates[Kind.FLOW], plan.quotas.contact_flows, "Flows per instance"),
        ("flow modules", len(snap.modules), creates[Kind.MODULE], plan.quotas.flow_modules, "Modules per instance"),
        ("quick connects", len(snap.quick_connects), creates[Kind.QUICK_CONNECT], plan.quotas.quick_connects, "Quick connects per instance"),
        ("Lambda functions", len(snap.lambda_functions), creates[Kind.LAMBDA], plan.quotas.lambda_functions, "Lambda functions per instance"),
        ("routing profiles", len(snap.routing_profiles), creates[Kind.AGENT_PROFILE], plan.quotas.routing_profiles,
         "Routing profiles per instance"),
        ("users", len(snap.users), creates[Kind.AGENT_USER], plan.quotas.users, "Users per instance"),
    ]
    return [
        f"{label}: {have} in the instance + {new} to create = {have + new} > quota {limit} ({plan.quotas.source}); "
        f"request an increase of Amazon Connect '{quota_name}' in Service Quotas or map (or staff) fewer"
        for label, have, new, limit, quota_name in checks
        if new and have + new > limit
    ]
