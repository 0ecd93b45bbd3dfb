"""The offline backend: the whole system in this process (sccac.offline), no org, no AWS account."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from robot.api import logger

from backend import OfferRecord, PendingRouting
from sccac.flows.simulator_trace import OutcomeKind, Trace
from sccac.mappings.reader import read_mapping_file
from sccac.offline.bot_chats import BotChatResult
from sccac.offline.staffing import read_staffing
from sccac.offline.system import OfflineConfig, OfflineSystem
from sccac.testing import omni

HERE = Path(__file__).resolve().parent
DEFAULT_MAPPING = HERE / "offline" / "queue_mappings.yml"
DEFAULT_STAFFING = HERE / "offline" / "staffing.yml"
_NS = uuid.UUID("0ffe5c0c-8c1e-4b5e-9a0f-5ccac0ff0ffe")


class _RobotLogHandler(logging.Handler):
    """The Lambdas' JSON log lines go to the Robot log, not the console (failures are expected in some tests)."""

    def emit(self, record: logging.LogRecord) -> None:
        logger.info(f"lambda log ({record.levelname}): {record.getMessage()}")


class OfflineBackend:
    name = "offline"
    poll_timeout = 0.0

    def __init__(self, mapping: str | Path | None = None, staffing: str | Path | None = None) -> None:
        self.mapping_path = Path(mapping or DEFAULT_MAPPING)
        self.staffing_path = Path(staffing or DEFAULT_STAFFING)
        self._system: OfflineSystem | None = None
        self._traces: dict[str, Trace] = {}  # by contact id
        self._case_tasks: dict[str, Trace] = {}  # by Case id
        self._bot_chats: dict[str, tuple[str, int, BotChatResult]] = {}  # contact id -> customer, messages, last run
        self._counter = 0

    @property
    def system(self) -> OfflineSystem:
        if self._system is None:
            raise AssertionError("the offline contact center is not started: call 'Start Contact Center' first")
        return self._system

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        config = OfflineConfig().with_mapping(read_mapping_file(self.mapping_path))
        lambda_logger = logging.getLogger("sccac.lambdas")
        if not any(isinstance(h, _RobotLogHandler) for h in lambda_logger.handlers):
            lambda_logger.addHandler(_RobotLogHandler())
        lambda_logger.propagate = False
        self._system = OfflineSystem(config=config, staffing=read_staffing(self.staffing_path)).__enter__()

    def stop(self) -> None:
        if self._system is not None:
            self._system.__exit__(None, None, None)
            self._system = None

    def finish_work(self) -> None:
        """Every agent ends their contacts and goes offline; waiting customers leave."""
        router = self.system.routing
        for agent in router.agents.values():
            for contact_id in list(agent.contacts):
                router.end(contact_id)
        for queued in list(router.waiting):
            router.abandon(queued.contact_id)
        for spec in self.system.staffing.agents:
            self.system.set_agent_status(spec.name, "Offline")
        assert self.system.service is not None
        self.system.service.faults.clear()

    def _next_id(self, kind: str) -> str:
        self._counter += 1
        return str(uuid.uuid5(_NS, f"{kind}:{self._counter}"))

    # -- agents ---------------------------------------------------------------------------------

    def set_agent_status(self, agent: str, status: str) -> None:
        self.system.set_agent_status(agent, status)

    def agent_status(self, agent: str) -> str:
        """The agent's Connect status; a missed offer (``Missed``) counts as not Available."""
        status = self.system.routing.user(self.system.staffing.agent(agent).connect_user).status
        return "Available" if status == "Available" else "Offline"

    def _offered_contact(self, agent: str, work_item_id: str) -> str:
        user_id = self.system.salesforce_user_id(agent)
        for work in reversed(self.system.org.work_for(work_item_id, user_id)):
            if work.status == omni.ASSIGNED:
                return work.external_contact_id
        raise AssertionError(f"{agent} has no open offer of {work_item_id}: {self._describe(work_item_id)}")

    def accept(self, agent: str, work_item_id: str) -> None:
        self.system.accept(self._offered_contact(agent, work_item_id))

    def decline(self, agent: str, work_item_id: str) -> None:
        self.system.decline(self._offered_contact(agent, work_item_id))

    def miss(self, agent: str, work_item_id: str) -> None:
        self._offered_contact(agent, work_item_id)
        self.system.wait(self.system.routing.offer_timeout_s)

    # -- chats ----------------------------------------------------------------------------------

    def start_chat(self, customer: str) -> str:
        contact_id = self._next_id("chat")
        self._traces[contact_id] = self.system.chat(contact_id, {"clientId": customer})
        return contact_id

    def retry_chat(self, contact_id: str) -> None:
        trace = self._traces[contact_id]
        self.system.chat(contact_id, {k: v for k, v in trace.attributes.items() if k == "clientId"})

    def transfer_to_agent(self, contact_id: str, agent: str) -> str:
        trace = self.system.transfer_to_agent(self._traces[contact_id], self.system.staffing.agent(agent).connect_user)
        self._traces[trace.contact_id] = trace
        return trace.contact_id

    def transfer_to_queue(self, contact_id: str, queue: str) -> str:
        trace = self.system.transfer_to_queue(self._traces[contact_id], queue)
        self._traces[trace.contact_id] = trace
        return trace.contact_id

    def salesforce_down(self) -> None:
        self.salesforce_fails(self.system.config.retry_count)

    def salesforce_fails(self, tries: int) -> None:
        service = self.system.service
        assert service is not None
        # The session Lambda creates the session with POST /api/v1/interactions (as SCC-AC's own does).
        service.inject("/api/v1/interactions", status=503, count=tries)

    # -- bot-only chats (ContactDisconnected) -----------------------------------------------------

    def bot_only_chat(self, customer: str, messages: int) -> str:
        """A chat the bot answers to the end ends; ContactDisconnected copies its transcript to the org."""
        contact_id = self._next_id("bot-chat")
        self._bot_chats[contact_id] = (customer, messages, self.system.bot_only_chat(contact_id, messages, client_id=customer))
        return contact_id

    def redeliver_chat_end(self, contact_id: str) -> None:
        """EventBridge delivers the chat's disconnected event again (at-least-once delivery)."""
        customer, messages, _ = self._bot_chat(contact_id)
        self._bot_chats[contact_id] = (customer, messages, self.system.bot_only_chat(contact_id, messages, client_id=customer))

    def transcript_in_org(self, contact_id: str) -> tuple[str, int, list[str]]:
        """The function's last status, the entries it sent then, and the texts the org's conversation holds."""
        _, _, ended = self._bot_chat(contact_id)
        return ended.status, int(ended.result.get("entriesSent", 0)), ended.texts

    def _bot_chat(self, contact_id: str) -> tuple[str, int, BotChatResult]:
        if contact_id not in self._bot_chats:
            raise AssertionError(f"no bot-only chat {contact_id} ended here: use 'Bot Only Chat Ends' first")
        return self._bot_chats[contact_id]

    # -- facts ----------------------------------------------------------------------------------

    def work_item_of(self, contact_id: str) -> str | None:
        return self._traces[contact_id].attributes.get("workItemId")

    def contact_attributes(self, contact_id: str) -> dict[str, str]:
        return dict(self._trace_of(contact_id).attributes)

    def lambda_calls(self, contact_id: str) -> list[tuple[str | None, dict[str, object]]]:
        return [(call.role, dict(call.parameters)) for call in self._trace_of(contact_id).lambda_calls]

    def queue_of(self, contact_id: str) -> str | None:
        outcome = self._trace_of(contact_id).outcome
        if outcome is None or outcome.kind is not OutcomeKind.TRANSFERRED_TO_QUEUE or outcome.queue is None:
            return None
        if outcome.queue_kind == "agent":
            return f"agent {self.system.staffing.agent(outcome.queue).name}"
        return self.system.routing.queue(outcome.queue).name

    def is_disconnected(self, contact_id: str) -> bool:
        outcome = self._trace_of(contact_id).outcome
        return outcome is not None and outcome.kind is OutcomeKind.DISCONNECTED

    def sessions_like(self, work_item_id: str) -> int:
        assert self.system.service is not None
        sessions = self.system.service.sessions()
        conversation = next((s.conversation_identifier for s in sessions if s.id == work_item_id), None)
        return sum(1 for s in sessions if s.conversation_identifier == conversation) if conversation else 0

    def offers(self, work_item_id: str) -> list[OfferRecord]:
        names = {self.system.salesforce_user_id(a.name): a.name for a in self.system.staffing.agents}
        return [OfferRecord(names.get(w.user_id), w.user_id, w.status, w.work_item_id) for w in self.system.org.work_for(work_item_id)]

    def check_offer_in_console(self, agent: str, work_item_id: str) -> None:
        """Offline there is no console: the agent's offer is their AgentWork, which the keyword has checked."""

    def pending_routing(self, work_item_id: str) -> PendingRouting | None:
        psr = self.system.org.psrs.get(work_item_id)
        return PendingRouting(psr.id, psr.work_item_id, psr.routing_model) if psr else None

    def notes(self) -> list[str]:
        """Offers Connect made that the org could not show to anyone (an agent with no routing map entry)."""
        return list(self.system.offer_errors)

    def _describe(self, work_item_id: str) -> str:
        offers = self.offers(work_item_id)
        return ", ".join(f"{o.agent or o.user_id}: {o.status}" for o in offers) or "no AgentWork"

    def _trace_of(self, contact_id: str) -> Trace:
        if contact_id in self._traces:
            return self._traces[contact_id]
        for case_id, trace in self._case_tasks.items():
            if trace.contact_id == contact_id:
                return trace
        raise AssertionError(f"no contact {contact_id} ran in the offline system")

    # -- Cases ----------------------------------------------------------------------------------

    def assign_case(self, queue: str) -> str:
        return self._case_owned_by(self.system.config.omni_queue(queue).omni_queue_id)

    def assign_case_to_user(self, agent: str) -> str:
        return self._case_owned_by(self.system.salesforce_user_id(agent))

    def _case_owned_by(self, owner_id: str) -> str:
        self._counter += 1
        case_id = f"5000000000{self._counter:05d}AAA"
        self._case_tasks[case_id] = self.system.case_task(case_id, owner_id)
        return case_id

    def task_contact_of(self, case_id: str) -> str | None:
        trace = self._case_tasks.get(case_id)
        return trace.contact_id if trace else None

    def task_attributes(self, task_contact_id: str) -> dict[str, str]:
        return dict(self._trace_of(task_contact_id).attributes)
