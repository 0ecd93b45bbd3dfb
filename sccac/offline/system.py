"""The whole SCC-AC system in one process, with no credentials: flows, Lambdas, Interaction Service.

The generated contact flows run block by block in the simulator; their Lambda blocks call the
real handler code (``sccac.lambdas``), which signs a real JWT and talks HTTP to the local
Interaction Service; that service routes the work item to the Omni-Queue of the messaging
channel and answers with the Connect queue the queue is mapped to.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sccac.flows.builders import BuiltFlow, FlowKind, FlowSettings, build_all
from sccac.flows.model import Flow
from sccac.flows.simulator import Contact, SimulationOptions, simulate
from sccac.flows.simulator_lambda import HandlerInvoker, RoleMap
from sccac.flows.simulator_trace import Trace
from sccac.lambdas import create_messaging_session, routing, runtime
from sccac.lambdas.config import Settings
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

    @property
    def instance_id(self) -> str:
        return _stable_uuid(f"instance:{self.account}:{self.region}")

    @property
    def instance_arn(self) -> str:
        return f"arn:aws:connect:{self.region}:{self.account}:instance/{self.instance_id}"

    def queue_arn(self, connect_queue_name: str) -> str:
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


@dataclass
class OfflineSystem:
    """Start with ``with OfflineSystem() as system:``; then run contacts through it."""

    config: OfflineConfig = field(default_factory=OfflineConfig)
    service: LocalInteractionService | None = None
    flows: dict[FlowKind, BuiltFlow] = field(default_factory=dict)

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
        self.flows = {built.kind: built for built in build_all(self.flow_settings)}
        return self

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
        return simulate(self.flow(FlowKind.INBOUND_CHAT), contact, self._invoker(), self._options())

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

    def transfer_to_agent(self, chat: Trace, agent_user_name: str) -> Trace:
        """The agent transfers the chat to another agent (agent quick connect -> agent transfer flow)."""
        contact = self._transferred(chat, "agent", agent_user_name, agent_user_name=agent_user_name)
        return simulate(self.flow(FlowKind.AGENT_TRANSFER), contact, self._invoker(), self._options())

    def transfer_to_queue(self, chat: Trace, connect_queue_name: str) -> Trace:
        """The agent transfers the chat to a queue (queue quick connect): Connect sets the working queue first."""
        contact = self._transferred(chat, "queue", connect_queue_name, queue_arn=self.config.queue_arn(connect_queue_name))
        return simulate(self.flow(FlowKind.QUEUE_TRANSFER), contact, self._invoker(), self._options())

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
        return simulate(self.flow(FlowKind.TASK_ROUTING), contact, self._invoker(), self._options())
