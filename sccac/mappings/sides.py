"""What the mapping is checked against: the org's Omni-Queues and the Connect instance's queues."""

from __future__ import annotations

from dataclasses import dataclass, field

from sccac.lambdas.ids import CONNECT_QUEUE_ARN_RE as QUEUE_ARN_RE

#: QueueRoutingConfig.RoutingModel as SOQL returns it (the Metadata API spells it EXTERNAL_ROUTING).
EXTERNAL_ROUTING = "ExternalRouting"


@dataclass(frozen=True)
class OmniQueue:
    """A Salesforce queue (Group of type Queue) and its Omni-Channel routing configuration, if any."""

    id: str
    developer_name: str
    name: str = ""
    routing_config: str | None = None
    routing_model: str | None = None

    @property
    def routes_externally(self) -> bool:
        return self.routing_model == EXTERNAL_ROUTING


@dataclass(frozen=True)
class ConnectQueue:
    name: str
    arn: str


@dataclass(frozen=True)
class ConnectInstance:
    """The Connect instance's queues and routing profiles by name, as read from the instance."""

    arn: str
    queues: tuple[ConnectQueue, ...] = ()
    routing_profiles: tuple[str, ...] = ()
    _by_name: dict[str, ConnectQueue] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({q.name: q for q in self.queues})

    @property
    def region(self) -> str:
        return self.arn.split(":")[3]

    def queue_named(self, name: str) -> ConnectQueue | None:
        return self._by_name.get(name)

    def has_queue_arn(self, arn: str) -> bool:
        return any(q.arn == arn for q in self.queues)


def instance_of(queue_arn: str) -> str | None:
    """``arn:...:instance/<id>`` of a queue ARN, or None when it is not a queue ARN."""
    return queue_arn.split("/queue/")[0] if QUEUE_ARN_RE.match(queue_arn) else None
