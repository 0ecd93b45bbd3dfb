"""Robot Framework keywords over the offline SCC-AC system (sccac.offline): chats, Cases, offers."""

from __future__ import annotations

import logging

from robot.api import logger
from robot.api.deco import keyword, library

from sccac.flows.simulator_trace import Trace
from sccac.offline.system import OfflineSystem


class _RobotLogHandler(logging.Handler):
    """The Lambdas' JSON log lines go to the Robot log, not the console (failures are expected here)."""

    def emit(self, record: logging.LogRecord) -> None:
        logger.info(f"lambda log ({record.levelname}): {record.getMessage()}")


@library(scope="SUITE")
class OfflineContactCenter:
    """One simulated contact center per suite: Connect flows, the real Lambdas, a local Salesforce."""

    def __init__(self) -> None:
        self._system: OfflineSystem | None = None
        self._trace: Trace | None = None

    @property
    def system(self) -> OfflineSystem:
        if self._system is None:
            raise AssertionError("call 'Start Offline Contact Center' first")
        return self._system

    @property
    def trace(self) -> Trace:
        if self._trace is None:
            raise AssertionError("no contact has run yet")
        return self._trace

    @keyword
    def start_offline_contact_center(self) -> None:
        lambda_logger = logging.getLogger("sccac.lambdas")
        lambda_logger.addHandler(_RobotLogHandler())
        lambda_logger.propagate = False
        self._system = OfflineSystem().__enter__()

    @keyword
    def stop_offline_contact_center(self) -> None:
        if self._system is not None:
            self._system.__exit__(None, None, None)
            self._system = None

    @keyword
    def salesforce_fails_the_next_session_requests(self, count: int) -> None:
        """The Interaction Service answers HTTP 503 to the next ``count`` conversation requests."""
        assert self.system.service is not None
        self.system.service.inject("/api/v1/conversation", status=503, count=int(count))

    @keyword
    def customer_starts_a_chat(self, contact_id: str, client_id: str | None = None) -> None:
        attributes = {"clientId": client_id} if client_id else {}
        self._trace = self.system.chat(contact_id, attributes)

    @keyword
    def agent_transfers_the_chat_to_agent(self, agent_user_name: str) -> None:
        """The chat's agent uses an agent quick connect: the agent transfer flow runs."""
        self._trace = self.system.transfer_to_agent(self.trace, agent_user_name)

    @keyword
    def agent_transfers_the_chat_to_queue(self, connect_queue_name: str) -> None:
        """The chat's agent uses a queue quick connect: the queue transfer flow runs."""
        self._trace = self.system.transfer_to_queue(self.trace, connect_queue_name)

    @keyword
    def contact_should_be_queued_for_agent(self, agent_user_name: str) -> None:
        outcome = self.trace.outcome
        if outcome is None or outcome.queue_kind != "agent" or outcome.queue != agent_user_name:
            raise AssertionError(f"expected a transfer to agent {agent_user_name}, got: {outcome.describe() if outcome else 'no outcome'}")

    @keyword
    def routing_should_have_been_requested_as(self, routing_type: str) -> None:
        types = [c.parameters.get("routingType") for c in self.trace.lambda_calls if c.role == "routing"]
        if not types or any(t != routing_type for t in types):
            raise AssertionError(f"routing Lambda calls had routingType {types}, expected {routing_type}")

    @keyword
    def case_is_assigned_to(self, case_id: str, owner: str) -> None:
        """``owner`` is an Omni-Queue developer name or a user Id (005...)."""
        owner_id = owner if owner.startswith("005") else self.system.config.omni_queue(owner).omni_queue_id
        self._trace = self.system.case_task(case_id, owner_id)

    @keyword
    def contact_should_be_queued_in(self, connect_queue_name: str) -> None:
        """The contact was transferred to the named Connect queue, where its agent will get the offer."""
        expected = self.system.config.queue_arn(connect_queue_name)
        outcome = self.trace.outcome
        actual = outcome.describe() if outcome else "no outcome"
        if outcome is None or outcome.queue != expected:
            raise AssertionError(f"expected a transfer to Connect queue {connect_queue_name} ({expected}), got: {actual}")

    @keyword
    def contact_should_be_disconnected(self) -> None:
        outcome = self.trace.outcome
        if outcome is None or outcome.kind.value != "disconnected":
            raise AssertionError(f"expected a disconnect, got: {outcome.describe() if outcome else 'no outcome'}")

    @keyword
    def contact_attribute_should_be(self, name: str, value: str) -> None:
        actual = self.trace.attributes.get(name)
        if actual != value:
            raise AssertionError(f"contact attribute {name} is {actual!r}, expected {value!r}")

    @keyword
    def contact_should_not_have_attribute(self, name: str) -> None:
        if name in self.trace.attributes:
            raise AssertionError(f"contact attribute {name} is set to {self.trace.attributes[name]!r}; expected it absent")

    @keyword
    def get_contact_attribute(self, name: str) -> str:
        if name not in self.trace.attributes:
            raise AssertionError(f"contact attribute {name} is not set; set: {', '.join(self.trace.attributes)}")
        return self.trace.attributes[name]

    @keyword
    def lambda_should_have_been_called(self, role: str, times: int) -> None:
        calls = [c for c in self.trace.lambda_calls if c.role == role]
        if len(calls) != int(times):
            raise AssertionError(f"{role} Lambda was called {len(calls)} time(s), expected {times}")

    @keyword
    def get_messaging_session_count(self) -> int:
        assert self.system.service is not None
        return len(self.system.service.sessions())

    @keyword
    def salesforce_should_have_routed_the_chat_as(self, routing_type: str) -> None:
        """The Interaction Service's last routing request was of this type, for this chat's messaging session."""
        assert self.system.service is not None
        routings = self.system.service.routings
        work_item = self.trace.attributes.get("workItemId")
        if not routings or routings[-1].routing_type != routing_type or routings[-1].work_item_id != work_item:
            last = routings[-1] if routings else None
            raise AssertionError(f"expected a {routing_type} routing of work item {work_item}, the last routing was {last}")
