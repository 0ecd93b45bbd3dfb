"""The fake's state and rules: instances and their resources, names, ARNs, quotas, rate limits, faults.

Nothing here knows HTTP: ``responses.py`` turns botocore requests into calls on
:class:`ConnectBackend` and its answers (or :mod:`exceptions`) into wire responses.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sccac.clock import Clock, VirtualClock
from sccac.testing.connect.exceptions import (
    DuplicateResourceException,
    InvalidContactFlowException,
    InvalidContactFlowModuleException,
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ThrottlingException,
    BY_CODE,
)

# Operations that are not management APIs: their rate limits are separate and much higher.
CONTACT_OPERATIONS = frozenset({"StartChatContact", "StartTaskContact"})
_TOLERANCE = 1e-6  # float slack so a caller pacing at exactly the same rate is never throttled


@dataclass
class Quotas:
    """Per-instance quotas (Amazon Connect's defaults)."""

    queues: int = 50
    contact_flows: int = 100
    flow_modules: int = 100
    quick_connects: int = 100
    lambda_functions: int = 50
    routing_profiles: int = 100
    users: int = 500


@dataclass
class Faults:
    """Injected faults. Call numbers count every request the fake receives (retries too), from 1."""

    throttle_percent: float = 0.0  # answer this share of management calls with ThrottlingException
    fail_calls: set[int] = field(default_factory=set)  # answer these calls with ``fail_code``
    fail_from: int | None = None  # an outage: every call from this number on fails with ``fail_code``
    fail_code: str = "InternalServiceException"
    timeout_calls: set[int] = field(default_factory=set)  # apply these calls, then time out the answer
    seed: int = 7


class TokenBucket:
    """Connect's per-account, per-region request budget: ``rate`` a second, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int, clock: Clock) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._tokens = float(burst)
        self._last = clock.monotonic()

    def try_take(self) -> bool:
        now = self._clock.monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens + _TOLERANCE < 1.0:
            return False
        self._tokens = max(0.0, self._tokens - 1.0)
        return True


@dataclass
class Resource:
    id: str
    arn: str
    name: str
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class HoursOfOperation(Resource):
    time_zone: str = "UTC"


@dataclass
class Queue(Resource):
    hours_of_operation_id: str = ""
    max_contacts: int | None = None
    status: str = "ENABLED"


@dataclass
class RoutingProfile(Resource):
    default_outbound_queue_id: str = ""
    # (queue id, channel) -> (priority, delay)
    queue_configs: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    is_default: bool = False


@dataclass
class ContactFlow(Resource):
    type: str = "CONTACT_FLOW"
    content: str = ""
    status: str = "PUBLISHED"
    state: str = "ACTIVE"


@dataclass
class FlowModule(Resource):
    content: str = ""
    settings: str | None = None
    status: str = "PUBLISHED"
    state: str = "ACTIVE"


@dataclass
class QuickConnect(Resource):
    config: dict[str, Any] = field(default_factory=dict)


@dataclass
class Contact:
    id: str
    channel: str  # "CHAT" | "TASK"
    flow_id: str
    attributes: dict[str, str]
    name: str = ""


@dataclass
class Instance:
    id: str
    arn: str
    alias: str
    created: float
    quotas: Quotas
    hours: dict[str, HoursOfOperation] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)
    routing_profiles: dict[str, RoutingProfile] = field(default_factory=dict)
    flows: dict[str, ContactFlow] = field(default_factory=dict)
    modules: dict[str, FlowModule] = field(default_factory=dict)
    quick_connects: dict[str, QuickConnect] = field(default_factory=dict)
    lambda_functions: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    identity_management: str = "CONNECT_MANAGED"  # or SAML: decides whether CreateUser needs or refuses a password

    def arn_of(self, kind: str, resource_id: str) -> str:
        return f"{self.arn}/{kind}/{resource_id}"

    def tagged(self) -> Iterator[Resource]:
        for table in (self.hours, self.queues, self.routing_profiles, self.flows, self.modules, self.quick_connects):
            yield from table.values()


def content_sha256(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class ConnectBackend:
    """All instances of one account and region, with the account's request budget and injected faults."""

    def __init__(
        self,
        *,
        account_id: str = "123456789012",
        region: str = "us-east-1",
        clock: Clock | None = None,
        rate: float = 2.0,
        burst: int = 5,
        faults: Faults | None = None,
        seed: int = 0,
        reformat_content: bool = False,
    ) -> None:
        self.account_id, self.region = account_id, region
        # True: store flow content re-serialised (other key order and whitespace), as a service that keeps
        # the document rather than the text would return it.
        self.reformat_content = reformat_content
        self.clock: Clock = clock or VirtualClock()
        self.limiter = TokenBucket(rate, burst, self.clock)
        self.faults = faults or Faults()
        self._ids = random.Random(seed)
        self._fault_rng = random.Random(self.faults.seed)
        self.instances: dict[str, Instance] = {}
        self.calls: list[str] = []  # operation name of every request received, retries included
        self.throttled = 0

    # -- admission: faults and rate limits, before any state changes -------------------------

    def admit(self, operation: str) -> bool:
        """Count the call; raise the injected or rate-limit error; return True when it must time out after applying."""
        self.calls.append(operation)
        number = len(self.calls)
        f = self.faults
        if number in f.fail_calls or (f.fail_from is not None and number >= f.fail_from):
            raise BY_CODE[f.fail_code](f"injected failure of call {number} ({operation})")
        if operation not in CONTACT_OPERATIONS:
            if f.throttle_percent and self._fault_rng.random() * 100 < f.throttle_percent:
                self.throttled += 1
                raise ThrottlingException("Rate exceeded (injected)")
            if not self.limiter.try_take():
                self.throttled += 1
                raise ThrottlingException("Rate exceeded")
        return number in f.timeout_calls

    # -- ids and instances ----------------------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def create_instance(self, alias: str = "sccac-test", quotas: Quotas | None = None, instance_id: str | None = None) -> Instance:
        """An instance as Connect creates it: Basic Hours, BasicQueue and Basic Routing Profile (optionally with a given id)."""
        iid = instance_id or self.new_id()
        if iid in self.instances:
            raise DuplicateResourceException(f"Instance {iid} already exists")
        inst = Instance(iid, f"arn:aws:connect:{self.region}:{self.account_id}:instance/{iid}", alias, self.clock.time(), quotas or Quotas())
        hours = HoursOfOperation(self.new_id(), "", "Basic Hours", "Basic Hours")
        hours.arn = inst.arn_of("operating-hours", hours.id)
        inst.hours[hours.id] = hours
        self.instances[iid] = inst
        basic = self.create_queue(iid, "BasicQueue", hours.id, description="A queue created by default")
        profile = RoutingProfile(self.new_id(), "", "Basic Routing Profile", "Default routing profile",
                                 default_outbound_queue_id=basic.id, is_default=True)
        profile.arn = inst.arn_of("routing-profile", profile.id)
        for channel in ("VOICE", "CHAT", "TASK"):
            profile.queue_configs[(basic.id, channel)] = (1, 0)
        inst.routing_profiles[profile.id] = profile
        return inst

    def instance(self, instance_id: str) -> Instance:
        # Connect accepts the instance id or its ARN.
        key = instance_id.rsplit("/", 1)[-1]
        if key not in self.instances:
            raise ResourceNotFoundException(f"Instance not found: {instance_id}")
        return self.instances[key]

    # -- queues, hours, routing profiles ---------------------------------------------------------

    def create_queue(self, instance_id: str, name: str, hours_id: str, *, description: str = "",
                     tags: dict[str, str] | None = None, max_contacts: int | None = None) -> Queue:
        inst = self.instance(instance_id)
        if any(q.name == name for q in inst.queues.values()):
            raise DuplicateResourceException(f"Queue with name {name} already exists")
        if hours_id not in inst.hours:
            raise ResourceNotFoundException(f"Hours of operation not found: {hours_id}")
        if len(inst.queues) >= inst.quotas.queues:
            raise LimitExceededException(f"The limit of {inst.quotas.queues} queues per instance has been reached")
        _check_tags(tags)
        q = Queue(self.new_id(), "", name, description, dict(tags or {}), hours_of_operation_id=hours_id, max_contacts=max_contacts)
        q.arn = inst.arn_of("queue", q.id)
        inst.queues[q.id] = q
        return q

    def queue(self, inst: Instance, ref: str) -> Queue:
        key = ref.rsplit("/", 1)[-1]
        if key not in inst.queues:
            raise ResourceNotFoundException(f"Queue not found: {ref}")
        return inst.queues[key]

    def update_queue_name(self, instance_id: str, queue_id: str, name: str | None, description: str | None) -> None:
        inst = self.instance(instance_id)
        q = self.queue(inst, queue_id)
        if name is not None and name != q.name and any(o.name == name for o in inst.queues.values()):
            raise DuplicateResourceException(f"Queue with name {name} already exists")
        q.name = name if name is not None else q.name
        q.description = description if description is not None else q.description

    def associate_routing_profile_queues(self, instance_id: str, profile_id: str, configs: list[dict[str, Any]]) -> None:
        inst = self.instance(instance_id)
        key = profile_id.rsplit("/", 1)[-1]
        if key not in inst.routing_profiles:
            raise ResourceNotFoundException(f"Routing profile not found: {profile_id}")
        profile = inst.routing_profiles[key]
        for c in configs:
            ref = c["QueueReference"]
            self.queue(inst, ref["QueueId"])
            profile.queue_configs[(ref["QueueId"], ref["Channel"])] = (c["Priority"], c["Delay"])

    # -- Lambda functions ------------------------------------------------------------------------

    def associate_lambda_function(self, instance_id: str, function_arn: str) -> None:
        inst = self.instance(instance_id)
        if not function_arn.startswith("arn:") or ":lambda:" not in function_arn:
            raise InvalidParameterException(f"Invalid function ARN: {function_arn}")
        if function_arn in inst.lambda_functions:
            raise ResourceConflictException(f"Function {function_arn} is already associated with the instance")
        if len(inst.lambda_functions) >= inst.quotas.lambda_functions:
            raise ServiceQuotaExceededException(
                f"The limit of {inst.quotas.lambda_functions} Lambda functions per instance has been reached"
            )
        inst.lambda_functions.append(function_arn)

    # -- flows and modules -----------------------------------------------------------------------

    def create_contact_flow(self, instance_id: str, name: str, flow_type: str, content: str, *, description: str = "",
                            status: str = "PUBLISHED", tags: dict[str, str] | None = None) -> ContactFlow:
        inst = self.instance(instance_id)
        if any(f.name == name for f in inst.flows.values()):
            raise DuplicateResourceException(f"Contact flow with name {name} already exists")
        if len(inst.flows) >= inst.quotas.contact_flows:
            raise LimitExceededException(f"The limit of {inst.quotas.contact_flows} contact flows per instance has been reached")
        problems = flow_content_problems(inst, content)
        if problems:
            raise InvalidContactFlowException(problems)
        _check_tags(tags)
        flow = ContactFlow(self.new_id(), "", name, description, dict(tags or {}), type=flow_type, content=self._stored(content), status=status)
        flow.arn = inst.arn_of("contact-flow", flow.id)
        inst.flows[flow.id] = flow
        return flow

    def flow(self, inst: Instance, ref: str) -> ContactFlow:
        key = ref.rsplit("/", 1)[-1]
        if key not in inst.flows:
            raise ResourceNotFoundException(f"Contact flow not found: {ref}")
        return inst.flows[key]

    def update_contact_flow_content(self, instance_id: str, flow_id: str, content: str) -> None:
        inst = self.instance(instance_id)
        flow = self.flow(inst, flow_id)
        problems = flow_content_problems(inst, content)
        if problems:
            raise InvalidContactFlowException(problems)
        flow.content = self._stored(content)

    def create_flow_module(self, instance_id: str, name: str, content: str, *, description: str = "",
                           settings: str | None = None, tags: dict[str, str] | None = None) -> FlowModule:
        inst = self.instance(instance_id)
        if any(m.name == name for m in inst.modules.values()):
            raise DuplicateResourceException(f"Flow module with name {name} already exists")
        if len(inst.modules) >= inst.quotas.flow_modules:
            raise LimitExceededException(f"The limit of {inst.quotas.flow_modules} flow modules per instance has been reached")
        problems = flow_content_problems(inst, content)
        if problems:
            raise InvalidContactFlowModuleException(problems)
        _check_tags(tags)
        module = FlowModule(self.new_id(), "", name, description, dict(tags or {}), content=self._stored(content), settings=settings)
        module.arn = inst.arn_of("flow-module", module.id)
        inst.modules[module.id] = module
        return module

    def update_flow_module_content(self, instance_id: str, module_id: str, content: str | None, settings: str | None) -> None:
        inst = self.instance(instance_id)
        key = module_id.rsplit("/", 1)[-1]
        if key not in inst.modules:
            raise ResourceNotFoundException(f"Flow module not found: {module_id}")
        if content is not None:
            problems = flow_content_problems(inst, content)
            if problems:
                raise InvalidContactFlowModuleException(problems)
            inst.modules[key].content = self._stored(content)
        if settings is not None:
            inst.modules[key].settings = settings

    # -- quick connects --------------------------------------------------------------------------

    def create_quick_connect(self, instance_id: str, name: str, config: dict[str, Any], *, description: str = "",
                             tags: dict[str, str] | None = None) -> QuickConnect:
        inst = self.instance(instance_id)
        if any(q.name == name for q in inst.quick_connects.values()):
            raise DuplicateResourceException(f"Quick connect with name {name} already exists")
        if len(inst.quick_connects) >= inst.quotas.quick_connects:
            raise LimitExceededException(f"The limit of {inst.quotas.quick_connects} quick connects per instance has been reached")
        self._check_quick_connect(inst, config)
        _check_tags(tags)
        qc = QuickConnect(self.new_id(), "", name, description, dict(tags or {}), config=config)
        qc.arn = inst.arn_of("transfer-destination", qc.id)
        inst.quick_connects[qc.id] = qc
        return qc

    def update_quick_connect_config(self, instance_id: str, quick_connect_id: str, config: dict[str, Any]) -> None:
        inst = self.instance(instance_id)
        if quick_connect_id not in inst.quick_connects:
            raise ResourceNotFoundException(f"Quick connect not found: {quick_connect_id}")
        self._check_quick_connect(inst, config)
        inst.quick_connects[quick_connect_id].config = config

    def _check_quick_connect(self, inst: Instance, config: dict[str, Any]) -> None:
        if config.get("QuickConnectType") == "QUEUE":
            queue_config = config.get("QueueConfig") or {}
            self.queue(inst, queue_config.get("QueueId", ""))
            flow = self.flow(inst, queue_config.get("ContactFlowId", ""))
            if flow.type != "QUEUE_TRANSFER":
                raise InvalidParameterException(f"Contact flow {flow.id} is of type {flow.type}, not QUEUE_TRANSFER")

    # -- tags --------------------------------------------------------------------------------------

    def tag_resource(self, arn: str, tags: dict[str, str]) -> None:
        _check_tags(tags)
        self._by_arn(arn).tags.update(tags)

    def untag_resource(self, arn: str, keys: list[str]) -> None:
        resource = self._by_arn(arn)
        for key in keys:
            resource.tags.pop(key, None)

    def _by_arn(self, arn: str) -> Resource:
        for inst in self.instances.values():
            for resource in inst.tagged():
                if resource.arn == arn:
                    return resource
        raise ResourceNotFoundException(f"Resource not found: {arn}")

    def _stored(self, content: str) -> str:
        if not self.reformat_content:
            return content
        return json.dumps(json.loads(content), indent=1, sort_keys=True, ensure_ascii=True)

    # -- contacts ---------------------------------------------------------------------------------

    def start_contact(self, instance_id: str, channel: str, flow_id: str, attributes: dict[str, str], name: str = "") -> Contact:
        inst = self.instance(instance_id)
        flow = self.flow(inst, flow_id)
        if flow.type != "CONTACT_FLOW":
            raise InvalidRequestException(f"Contact flow {flow.id} is of type {flow.type}; a {channel} contact needs CONTACT_FLOW")
        contact = Contact(self.new_id(), channel, flow.id, dict(attributes), name)
        inst.contacts.append(contact)
        return contact

    # -- what an admin does in the console (for drift tests) -------------------------------------

    def console_edit_flow(self, instance_id: str, name: str, content: str) -> None:
        """Save new content the way the console does: no API budget, no tags changed."""
        inst = self.instance(instance_id)
        flow = next(f for f in inst.flows.values() if f.name == name)
        flow.content = content


def _check_tags(tags: dict[str, str] | None) -> None:
    for key in tags or {}:
        if key.lower().startswith("aws:"):
            raise InvalidParameterException(f"Tag keys starting with aws: are reserved: {key}")


def _walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    else:
        yield key, value


def flow_content_problems(inst: Instance, content: str) -> list[str]:
    """What Connect reports for content naming resources the instance lacks (or content that is not a flow)."""
    try:
        document = json.loads(content)
    except ValueError:
        return ["Content is not valid JSON"]
    if not isinstance(document, dict) or not isinstance(document.get("Actions"), list) or "StartAction" not in document:
        return ["Content is not a flow-language document (Version, StartAction, Actions)"]
    known = _known_references(inst)
    problems = []
    for action in document["Actions"]:
        parameters = action.get("Parameters", {}) if isinstance(action, dict) else {}
        ident = action.get("Identifier", "?") if isinstance(action, dict) else "?"
        for key, value in _walk(parameters):
            problem = _missing_reference(known, key, value)
            if problem:
                problems.append(f"Action {ident}: {problem}")
    return problems


# Parameter keys that name an instance resource: what Connect calls it and how it says it is missing.
_REFERENCES = {
    "LambdaFunctionARN": ("Lambda function", "is not associated with the instance"),
    "QueueId": ("queue", "does not exist in the instance"),
    "FlowModuleId": ("flow module", "does not exist in the instance"),
    "ContactFlowId": ("contact flow", "does not exist in the instance"),
}


def _known_references(inst: Instance) -> dict[str, set[str]]:
    """Per reference key, the values the instance resolves (modules and flows by id or ARN)."""
    return {
        "LambdaFunctionARN": set(inst.lambda_functions),
        "QueueId": {q.arn for q in inst.queues.values()},
        "FlowModuleId": {m.arn for m in inst.modules.values()} | set(inst.modules),
        "ContactFlowId": {f.arn for f in inst.flows.values()} | set(inst.flows),
    }


def _missing_reference(known: dict[str, set[str]], key: str, value: Any) -> str | None:
    """The problem of one parameter, or None when it names nothing or something the instance has."""
    if key not in _REFERENCES or not isinstance(value, str) or value.startswith("$."):
        return None  # not a reference, or a JSONPath resolved at run time
    if key == "QueueId" and not value.startswith("arn:"):
        return None  # a queue named by id is not checked (only ARNs are)
    if value in known[key]:
        return None
    noun, missing = _REFERENCES[key]
    return f"{noun} {value} {missing}"


__all__ = ["ConnectBackend", "Faults", "Quotas", "Instance", "content_sha256", "flow_content_problems"]
