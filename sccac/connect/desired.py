"""The desired state of an instance: mapped queues, flow inputs, ownership tags, and the flows built from real ARNs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sccac.connect.errors import ConnectUsageError
from sccac.connect.mapping import QueueMapping
from sccac.connect.staffing import ConnectStaffing
from sccac.flows.builders import BuiltFlow, FlowKind, FlowSettings, FlowSettingsError, build_all

MANAGED_TAG = "sccac:managed"
PROJECT_TAG = "sccac:project"
# Canonical SHA-256 of the content the engine last deployed: a flow whose deployed content no
# longer has this hash was edited elsewhere (the console), see drift.
CONTENT_TAG = "sccac:content-sha256"

# The five flows and the module the engine deploys, in dependency order (the module and the
# disconnect flow first: the inbound flow names them; the queue-transfer flow before the quick
# connects that name it).
FLOW_ORDER = (FlowKind.DISCONNECT_REQUEUE, FlowKind.INBOUND_CHAT, FlowKind.AGENT_TRANSFER, FlowKind.QUEUE_TRANSFER,
              FlowKind.TASK_ROUTING)

# Only used to check the user's flow inputs before the real fallback queue ARN exists; never
# part of content sent to Connect (flows are built by :func:`build_flows` with real ARNs).
_VALIDATION_QUEUE_ARN = (
    "arn:aws:connect:us-east-1:000000000000:instance/00000000-0000-4000-8000-000000000000/"
    "queue/00000000-0000-4000-8000-000000000000"
)
_OPTION = {
    "session_lambda_arn": "--session-lambda-arn",
    "routing_lambda_arn": "--routing-lambda-arn",
    "channel_address_identifier": "--channel-address-identifier",
    "retry_count": "--retry-count",
    "name_prefix": "--name-prefix",
}


@dataclass(frozen=True)
class FlowInputs:
    """What the flows need besides the ARNs the engine finds or creates."""

    session_lambda_arn: str
    routing_lambda_arn: str
    channel_address_identifier: str
    fallback_queue: str | None = None  # Connect queue name or ARN; default: the first mapping's queue
    retry_count: int = 3
    name_prefix: str = "SCCAC"
    transcription: bool = True  # deploy the module and invoke it from the inbound flow
    requeue: bool = True  # the inbound flow sets the disconnect flow with re-queue as its disconnect flow

    def __post_init__(self) -> None:
        try:
            self.settings(_VALIDATION_QUEUE_ARN, None)
        except FlowSettingsError as exc:  # every bad flow option at once, by its flag
            raise ConnectUsageError("; ".join(f"{_OPTION.get(name, name)}: {message}" for name, message in exc.problems)) from None

    def settings(self, fallback_queue_arn: str, module_arn: str | None, disconnect_arn: str | None = None) -> FlowSettings:
        return FlowSettings(
            session_lambda_arn=self.session_lambda_arn,
            routing_lambda_arn=self.routing_lambda_arn,
            channel_address_identifier=self.channel_address_identifier,
            fallback_queue_arn=fallback_queue_arn,
            retry_count=self.retry_count,
            name_prefix=self.name_prefix,
            transcription_module_arn=module_arn,
            disconnect_flow_arn=disconnect_arn,
        )

    @property
    def lambda_arns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.session_lambda_arn, self.routing_lambda_arn)))


@dataclass(frozen=True)
class DesiredState:
    instance_id: str
    mappings: tuple[QueueMapping, ...]
    flows: FlowInputs
    project: str = "sccac"
    quick_connects: bool = True  # one QUEUE quick connect per mapped queue (queue transfer flow)
    routing_profile: str | None = None  # add every mapped queue (chat and task) to this routing profile
    hours_of_operation: str = "Basic Hours"  # for queues the engine creates
    staffing: ConnectStaffing | None = None  # agents' routing profiles and users to create (--staffing)
    owner_tags: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        if not self.project.strip():
            raise ConnectUsageError(f"--project-tag (task option project_tag) must be a non-blank name: it is the "
                                    f"{PROJECT_TAG} tag on what the engine creates")
        object.__setattr__(self, "owner_tags", {MANAGED_TAG: "true", PROJECT_TAG: self.project})
        if self.staffing:
            both = sorted({p.name for p in self.staffing.profiles} & set(self.routing_profiles))
            if both:
                raise ConnectUsageError(
                    f"routing profile(s) {', '.join(both)}: named by the staffing file {self.staffing.path} and by "
                    "--routing-profile or a mapping entry; list their queues in the staffing file only")

    @property
    def staffed_profiles(self) -> list[str] | None:
        """The staffing file's routing profile names, None without a staffing file."""
        return [p.name for p in self.staffing.profiles] if self.staffing else None

    @property
    def fallback_queue(self) -> str:
        if self.flows.fallback_queue:
            return self.flows.fallback_queue
        if not self.mappings:
            raise ConnectUsageError("no fallback queue: pass --fallback-queue (a Connect queue name or ARN) or map a queue")
        return self.mappings[0].connect_queue

    @property
    def connect_queue_names(self) -> list[str]:
        """Mapped queues given by name, once each, in mapping order."""
        return list(dict.fromkeys(m.connect_queue for m in self.mappings if not m.is_arn))

    @property
    def routing_profiles(self) -> dict[str, list[QueueMapping]]:
        """Routing profile name -> the mappings whose queue goes into it (the option's, then each entry's)."""
        profiles: dict[str, list[QueueMapping]] = {}
        for m in self.mappings:
            for name in dict.fromkeys(p for p in (self.routing_profile, m.routing_profile) if p):
                profiles.setdefault(name, []).append(m)
        return profiles

    def is_owned(self, tags: dict[str, str] | None) -> bool:
        tags = tags or {}
        return tags.get(MANAGED_TAG) == "true" and tags.get(PROJECT_TAG) == self.project


def module_name(inputs: FlowInputs) -> str:
    return next(b.name for b in build_all(inputs.settings(_VALIDATION_QUEUE_ARN, None)) if b.kind is FlowKind.TRANSCRIPTION)


def flow_names(inputs: FlowInputs) -> dict[FlowKind, str]:
    return {b.kind: b.name for b in build_all(inputs.settings(_VALIDATION_QUEUE_ARN, None))}


def build_flows(
    inputs: FlowInputs, fallback_queue_arn: str, module_arn: str | None, disconnect_arn: str | None = None
) -> dict[FlowKind, BuiltFlow]:
    """The six flows with their final content: real fallback queue, module and disconnect flow ARNs, no placeholders."""
    settings = inputs.settings(fallback_queue_arn, module_arn if inputs.transcription else None,
                               disconnect_arn if inputs.requeue else None)
    return {b.kind: b for b in build_all(settings)}


def canonical(content: str) -> str:
    """Content as compared and hashed: key order and whitespace do not count as a change."""
    try:
        return json.dumps(json.loads(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        return content


def content_hash(content: str) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def pretty(content: str) -> str:
    """Readable, stable form for files and diffs."""
    try:
        return json.dumps(json.loads(content), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    except ValueError:
        return content if content.endswith("\n") else content + "\n"
