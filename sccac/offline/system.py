"""The whole SCC-AC system in one process, with no credentials: flows, Lambdas, Interaction Service.

The generated contact flows run block by block in the simulator; their Lambda blocks call the
real handler code (``sccac.lambdas``), which signs a real JWT and talks HTTP to the local
Interaction Service; that service routes the work item to the Omni-Queue of the messaging
channel and answers with the Connect queue the queue is mapped to.

From there the contact waits in the Connect fake's queue until its router
(``sccac.testing.connect.routing``) offers it to an agent; the offline org
(``sccac.testing.omni``) shows that offer as AgentWork to the agent's Salesforce user, and
accepting, declining or missing it behaves as Omni-Channel does.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from sccac.flows.builders import BuiltFlow, FlowKind, FlowSettings, build_all
from sccac.flows.model import Flow
from sccac.flows.simulator import Contact, SimulationOptions, simulate
from sccac.flows.simulator_lambda import HandlerInvoker, RoleMap
from sccac.flows.simulator_trace import OutcomeKind, Trace
from sccac.lambdas import create_messaging_session, routing, runtime
from sccac.lambdas.config import Settings
from sccac.connect.desired import FlowInputs
from sccac.connect.mapping import QueueMapping as ConnectMapping
from sccac.mappings.model import MappingFile
from sccac.offline.wiring import OfflineWiring, wire_offline
from sccac.offline.staffing import DEFAULT_STAFFING, Staffing
from sccac.clock import VirtualClock
from sccac.testing import omni
from sccac.testing.connect.exceptions import InvalidRequestException
from sccac.testing.connect.models import ConnectBackend
from sccac.testing.connect.routing import ContactRouter, Offer, adopt_queue
from sccac.testing.connect.routing import Agent as ConnectAgent
from sccac.testing.interaction_service import ChannelSetup, LocalInteractionService, ServiceConfig
from sccac.testing.keys import generate_key_pair

# One namespace for every id the offline system makes up, so each run shows the same ids.
_NS = uuid.UUID("5f0c8f0e-9d1b-4c7e-8a55-5ccac0ff11e0")
SECRET_NAME = "sccac/offline/salesforce"
CHANNEL_DEFINITION = "SCCAC_Chat_Channel_Definition"


def _stable_uuid(name: str) -> str:
    return str(uuid.uuid5(_NS, name))


@dataclass(frozen=True)
class QueueMapping:
    """An Omni-Queue and the Connect queue it is mapped to (None: not mapped)."""

    developer_name: str
    omni_queue_id: str
    connect_queue_name: str | None


@dataclass(frozen=True)
class OfflineConfig:
    region: str = "us-east-1"
    account: str = "123456789012"
    org_id: str = "00D000000000001"
    queues: tuple[QueueMapping, ...] = (
        QueueMapping("SCCAC_Support", "00G000000000001EAA", "Support"),
        QueueMapping("SCCAC_Billing", "00G000000000002EAA", "Billing"),
        QueueMapping("SCCAC_Back_Office", "00G000000000003EAA", None),
    )
    channel_queue: str = "SCCAC_Support"  # the Omni-Queue the messaging channel routes to
    fallback_queue_name: str = "BasicQueue"
    retry_count: int = 3
    #: Queue ARNs by name as the wired instance has them; until then, made-up stable ones.
    queue_arns: tuple[tuple[str, str], ...] = ()

    @property
    def instance_id(self) -> str:
        return _stable_uuid(f"instance:{self.account}:{self.region}")

    @property
    def instance_arn(self) -> str:
        return f"arn:aws:connect:{self.region}:{self.account}:instance/{self.instance_id}"

    def queue_arn(self, connect_queue_name: str) -> str:
        wired = dict(self.queue_arns)
        if connect_queue_name in wired:
            return wired[connect_queue_name]
        return f"{self.instance_arn}/queue/{_stable_uuid(f'queue:{connect_queue_name}')}"

    def lambda_arn(self, function: str) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account}:function:{function}"

    @property
    def channel_address_identifier(self) -> str:
        return _stable_uuid(f"messaging-channel:{self.org_id}")

    def mapped_queue_arn(self, omni_queue_id: str) -> str | None:
        for queue in self.queues:
            if queue.omni_queue_id == omni_queue_id and queue.connect_queue_name:
                return self.queue_arn(queue.connect_queue_name)
        return None

    def with_mapping(self, mapping: MappingFile) -> OfflineConfig:
        """The same org with the Connect queues of an admin's mapping file (unlisted Omni-Queues: unmapped)."""
        known = {q.developer_name for q in self.queues}
        for entry in mapping.entries:
            if entry.omni_queue not in known:
                raise ValueError(f"{mapping.path}:{entry.line}: Omni-Queue {entry.omni_queue} is not in the offline org "
                                 f"(Omni-Queues: {', '.join(sorted(known))}); map one of those")
            if entry.is_arn:
                raise ValueError(f"{mapping.path}:{entry.line}: {entry.omni_queue}: the offline system needs a Connect "
                                 "queue name, not an ARN")
        queues = []
        for queue in self.queues:
            mapped = mapping.entry(queue.developer_name)
            name = mapped.connect_queue if mapped is not None and mapped.active else None
            queues.append(QueueMapping(queue.developer_name, queue.omni_queue_id, name))
        return replace(self, queues=tuple(queues))

    @property
    def connect_queue_names(self) -> list[str]:
        names = [q.connect_queue_name for q in self.queues if q.connect_queue_name]
        return sorted(set(names) | {self.fallback_queue_name})

    def omni_queue(self, developer_name: str) -> QueueMapping:
        for queue in self.queues:
            if queue.developer_name == developer_name:
                return queue
        raise KeyError(f"no Omni-Queue {developer_name!r}; known: {', '.join(q.developer_name for q in self.queues)}")


class _InMemorySecrets:
    """Secrets Manager's GetSecretValue for the one secret the Lambdas read."""

    def __init__(self, name: str, value: dict[str, str]) -> None:
        self._name = name
        self._value = json.dumps(value)

    def get_secret_value(self, *, SecretId: str) -> dict[str, Any]:  # noqa: N803 - boto3 naming
        if SecretId != self._name:
            raise KeyError(f"no secret {SecretId}")
        return {"Name": self._name, "SecretString": self._value}


@dataclass(frozen=True)
class WorkRef:
    """What a Connect contact carries for Salesforce: its work item and Omni-Channel service channel."""

    work_item_id: str
    service_channel: str  # "sfdc_livemessage" for a MessagingSession, "Case" for a Case


MESSAGING_CHANNEL = "sfdc_livemessage"
CASE_CHANNEL = "Case"
_CLOSING_STATUS = {"accepted": omni.OPENED, "rejected": omni.DECLINED, "missed": omni.DECLINED_ON_PUSH_TIMEOUT}


@dataclass
class OfflineSystem:
    """Start with ``with OfflineSystem() as system:``; then run contacts through it."""

    config: OfflineConfig = field(default_factory=OfflineConfig)
    staffing: Staffing = DEFAULT_STAFFING
    service: LocalInteractionService | None = None
    flows: dict[FlowKind, BuiltFlow] = field(default_factory=dict)
    connect: ConnectBackend = field(default_factory=lambda: ConnectBackend(clock=VirtualClock()))
    router: ContactRouter | None = None
    org: omni.OmniChannel = field(default_factory=omni.OmniChannel)
    work: dict[str, WorkRef] = field(default_factory=dict)  # Connect contact id -> Salesforce work item
    wiring: OfflineWiring | None = None
    offer_errors: list[str] = field(default_factory=list)  # offers the org could not show to anyone
    _transferred_away: set[str] = field(default_factory=set)
    _bot_chats: Any = None  # sccac.offline.bot_chats.BotChats, made on the first bot-only chat

    @property
    def flow_settings(self) -> FlowSettings:
        c = self.config
        return FlowSettings(
            session_lambda_arn=c.lambda_arn("sccac-CreateMessagingSession"),
            routing_lambda_arn=c.lambda_arn("sccac-Routing"),
            channel_address_identifier=c.channel_address_identifier,
            fallback_queue_arn=c.queue_arn(c.fallback_queue_name),
            retry_count=c.retry_count,
        )

    def __enter__(self) -> OfflineSystem:
        self._wire()
        c = self.config
        keys = generate_key_pair()
        private_pem, public_pem = keys.private_pem, keys.public_pem
        service_config = ServiceConfig(
            public_key_pem=public_pem,
            org_id=c.org_id,
            authorization_context=CHANNEL_DEFINITION,
            channels={c.channel_address_identifier: ChannelSetup(queue_id=c.omni_queue(c.channel_queue).omni_queue_id)},
            queues={q.omni_queue_id: c.mapped_queue_arn(q.omni_queue_id) for q in c.queues},
        )
        self.service = LocalInteractionService(service_config).start()
        secret = {
            "consumerKey": service_config.consumer_key,
            "username": service_config.username,
            "orgId": c.org_id,
            "loginUrl": self.service.base_url,
            "privateKey": private_pem,
        }
        settings = Settings(
            scrt_base_url=self.service.base_url,
            secret_name=SECRET_NAME,
            authorization_context=CHANNEL_DEFINITION,
        )
        runtime.install(runtime.build(settings, secrets_client=_InMemorySecrets(SECRET_NAME, secret)))
        self._staff()
        return self

    def _wire(self) -> None:
        """Wire the instance from the mapping as dev_org would (queues, flows, quick connects), then take the
        queue ARNs and the flows as deployed from it."""
        c = self.config
        self.connect.create_instance("sccac-offline", instance_id=c.instance_id)
        mappings = [ConnectMapping(q.developer_name, q.connect_queue_name, create=True) for q in c.queues if q.connect_queue_name]
        inputs = FlowInputs(
            c.lambda_arn("sccac-CreateMessagingSession"), c.lambda_arn("sccac-Routing"), c.channel_address_identifier,
            fallback_queue=c.fallback_queue_name, retry_count=c.retry_count,
            # The simulator runs no module invocation; the module is drawn and linted, not deployed, offline.
            transcription=False,
        )
        self.wiring = wire_offline(self.connect, c.instance_id, mappings, inputs)
        self.config = replace(c, queue_arns=tuple(sorted(self.wiring.queue_arns.items())))
        module = {b.kind: b for b in build_all(self.flow_settings) if b.kind not in self.wiring.flows}
        self.flows = {**self.wiring.flows, **module}

    def _staff(self) -> None:
        """The Connect instance's routing profiles and users, and their Salesforce users."""
        c = self.config
        # Every queue an agent serves exists too (the wiring made the mapped ones and Connect the BasicQueue).
        served = {q for profile in self.staffing.routing_profiles for q in profile.queues}
        for name in sorted(served - set(self.wiring.queue_arns if self.wiring else ())):
            adopt_queue(self.connect, c.instance_id, name, c.queue_arn(name).rsplit("/", 1)[-1])
        router = ContactRouter(self.connect, c.instance_id)
        for profile in self.staffing.routing_profiles:
            router.create_routing_profile(profile.name, list(profile.queues), profile.concurrency)
        for agent in self.staffing.agents:
            user = router.create_user(agent.connect_user, agent.routing_profile)
            self.org.add_user(agent.salesforce_user)
            # CallCenterRoutingMap: ExternalId is the Connect user ARN (see docs/offers.md).
            self.org.map_agent(user.arn, agent.salesforce_user)
        router.listeners.append(self._on_offer)
        self.router = router

    def _on_offer(self, offer: Offer, agent: ConnectAgent) -> None:
        """Connect offered, or stopped offering, a contact: Omni-Channel's AgentWork follows."""
        ref = self.work.get(offer.contact_id)
        if ref is None:
            return
        try:
            if offer.state == "offered":
                self.org.offer(ref.work_item_id, agent.arn, offer.contact_id, ref.service_channel)
            elif offer.state == "ended":
                # The contact ended: accepted work is Closed (or Transferred), an unanswered offer Canceled.
                if self.org.current(offer.contact_id).status == omni.ASSIGNED:
                    ended = omni.CANCELED
                else:
                    ended = omni.TRANSFERRED if offer.contact_id in self._transferred_away else omni.CLOSED
                self.org.set_status(offer.contact_id, ended)
            else:
                self.org.set_status(offer.contact_id, _CLOSING_STATUS[offer.state])
        except omni.OmniError as exc:
            self.offer_errors.append(str(exc))

    @property
    def routing(self) -> ContactRouter:
        if self.router is None:
            raise RuntimeError("start the offline system first: with OfflineSystem() as system")
        return self.router

    def _queue(self, trace: Trace, channel: str, ref: WorkRef | None, queue_id: str | None, psr_id: str | None = None) -> list[Offer]:
        """A contact that ended in a Connect queue waits there for an agent (once per contact)."""
        outcome = trace.outcome
        if ref is None or outcome is None or outcome.kind is not OutcomeKind.TRANSFERRED_TO_QUEUE or outcome.queue is None:
            return []
        if self.routing.is_known(trace.contact_id):
            return []  # Connect retried the flow: the contact already has its place
        self.work[trace.contact_id] = ref
        self.org.open_routing(ref.work_item_id, queue_id, ref.service_channel, psr_id)
        if outcome.queue_kind == "agent":
            return self.routing.enqueue(trace.contact_id, channel, agent=outcome.queue)
        return self.routing.enqueue(trace.contact_id, channel, queue=outcome.queue)

    def _queue_chat(self, trace: Trace) -> None:
        work_item = trace.attributes.get("workItemId")
        if not work_item or self.service is None:
            return
        routed = [r for r in self.service.routings if r.work_item_id == work_item]
        last = routed[-1] if routed else None
        self._queue(trace, "CHAT", WorkRef(work_item, MESSAGING_CHANNEL),
                    last.queue_id if last else None, last.psr_id if last else None)

    # -- agents -----------------------------------------------------------------------------------

    def set_agent_status(self, agent: str, status: str) -> list[Offer]:
        """The agent's status in the CCP (``Available`` or ``Offline``); returns the offers it caused."""
        return self.routing.set_status(self.staffing.agent(agent).connect_user, status)

    def accept(self, contact_id: str) -> Offer:
        return self.routing.accept(contact_id)

    def decline(self, contact_id: str) -> list[Offer]:
        return self.routing.reject(contact_id)

    def close(self, contact_id: str) -> list[Offer]:
        """The agent ends the contact (after-contact work done): their slot frees up."""
        return self.routing.end(contact_id)

    def wait(self, seconds: float) -> list[Offer]:
        """Virtual time passes: offers nobody answered within the timeout are missed."""
        return self.routing.wait(seconds)

    def salesforce_user_id(self, agent: str) -> str:
        user = self.org.user(self.staffing.agent(agent).salesforce_user)
        assert user is not None
        return user.id

    def bot_only_chat(self, contact_id: str, messages: int, client_id: str | None = None) -> Any:
        """A chat only a bot answered ends: ContactDisconnected copies its transcript to the org (a BotChatResult)."""
        from sccac.offline.bot_chats import BotChats

        if self._bot_chats is None:
            self._bot_chats = BotChats(self)
        return self._bot_chats.end(contact_id, messages, client_id=client_id)

    def __exit__(self, *exc: object) -> None:
        runtime.install(None)
        if self.service is not None:
            self.service.stop()
            self.service = None

    def flow(self, kind: FlowKind) -> Flow:
        return self.flows[kind].flow

    @property
    def salesforce_round_trips(self) -> int:
        return runtime.current().salesforce_round_trips

    def _invoker(self) -> HandlerInvoker:
        s = self.flow_settings
        return HandlerInvoker(
            {s.session_lambda_arn: create_messaging_session.handler, s.routing_lambda_arn: routing.handler}
        )

    def _options(self) -> SimulationOptions:
        s = self.flow_settings
        return SimulationOptions(
            roles=RoleMap(session_arns=frozenset({s.session_lambda_arn}), routing_arns=frozenset({s.routing_lambda_arn}))
        )

    def chat(self, contact_id: str | None = None, attributes: dict[str, str] | None = None) -> Trace:
        """A customer starts a chat: the inbound flow runs with the real Lambdas."""
        contact = Contact(
            contact_id=contact_id or str(uuid.uuid4()),
            channel="CHAT",
            attributes=dict(attributes or {}),
            instance_arn=self.config.instance_arn,
        )
        trace = simulate(self.flow(FlowKind.INBOUND_CHAT), contact, self._invoker(), self._options())
        self._queue_chat(trace)
        return trace

    def _transferred(
        self, chat: Trace, kind: str, target: str, agent_user_name: str | None = None, queue_arn: str | None = None
    ) -> Contact:
        """A transfer is a new contact in Connect, linked to the chat it came from."""
        return Contact(
            contact_id=_stable_uuid(f"transfer:{chat.contact_id}:{kind}:{target}"),
            initial_contact_id=chat.contact_id,
            previous_contact_id=chat.contact_id,
            channel="CHAT",
            attributes=dict(chat.attributes),
            instance_arn=self.config.instance_arn,
            agent_user_name=agent_user_name,
            queue_arn=queue_arn,
            queue_name=target if queue_arn else None,
        )

    def _leave(self, chat: Trace) -> None:
        """The transferring agent's part of the chat ends: their AgentWork becomes Transferred."""
        if self.router is not None and chat.contact_id in self.work:
            self._transferred_away.add(chat.contact_id)
            try:
                self.router.end(chat.contact_id)
            except InvalidRequestException:
                pass  # never offered to anyone (no agent was free): nothing to end

    def transfer_to_agent(self, chat: Trace, agent_user_name: str) -> Trace:
        """The agent transfers the chat to another agent (agent quick connect -> agent transfer flow)."""
        contact = self._transferred(chat, "agent", agent_user_name, agent_user_name=agent_user_name)
        self._leave(chat)
        trace = simulate(self.flow(FlowKind.AGENT_TRANSFER), contact, self._invoker(), self._options())
        self._queue_chat(trace)
        return trace

    def transfer_to_queue(self, chat: Trace, connect_queue_name: str) -> Trace:
        """The agent transfers the chat to a queue (queue quick connect): Connect sets the working queue first."""
        contact = self._transferred(chat, "queue", connect_queue_name, queue_arn=self.config.queue_arn(connect_queue_name))
        self._leave(chat)
        trace = simulate(self.flow(FlowKind.QUEUE_TRANSFER), contact, self._invoker(), self._options())
        self._queue_chat(trace)
        return trace

    def case_task_attributes(self, case_id: str, owner_id: str, service_channel_id: str = "0N9000000000001CAA") -> dict[str, str]:
        """The task contact attributes the Case trigger sends to StartTaskContact.

        A Python stand-in for the Apex ``ConnectTaskRequestBuilder`` (the Apex itself is checked
        by its Apex tests in an org): queueId only when the owner queue is mapped.
        """
        attributes = {
            "workItemId": case_id,
            "serviceChannelId": service_channel_id,
            "externalRouting": "true",
            "groupId": owner_id,
        }
        queue_arn = self.config.mapped_queue_arn(owner_id)
        if queue_arn:
            attributes["queueId"] = queue_arn
        return attributes

    @staticmethod
    def case_client_token(case_id: str, assignment_number: int = 1) -> str:
        """The StartTaskContact ClientToken of a Case assignment (stand-in for ``ConnectTaskRequestBuilder.clientToken``).

        The same for every retry of one assignment whoever owns the Case now: an agent accepting the
        routed work changes the owner, not the assignment, and must not make Connect create a second task.
        """
        return f"sfdc-case-{case_id}-{assignment_number}"

    def case_task(self, case_id: str, owner_id: str, assignment_number: int = 1) -> Trace:
        """A Case is assigned: its task contact runs through the task-routing flow.

        The contact Id follows from the ClientToken, as Connect's idempotency does: the same
        assignment gives the same task contact.
        """
        contact = Contact(
            contact_id=_stable_uuid(f"task:{self.case_client_token(case_id, assignment_number)}"),
            channel="TASK",
            attributes=self.case_task_attributes(case_id, owner_id),
            instance_arn=self.config.instance_arn,
            name=f"Case {case_id}",
        )
        trace = simulate(self.flow(FlowKind.TASK_ROUTING), contact, self._invoker(), self._options())
        # Omni-Channel holds the Case's PSR (ExternalRouting) on the queue it was assigned to.
        self._queue(trace, "TASK", WorkRef(case_id, CASE_CHANNEL), owner_id if owner_id.startswith("00G") else None)
        return trace
