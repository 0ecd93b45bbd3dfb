"""Omni-Channel offers end to end, in an admin's words, against the offline system or a real org.

The ``${BACKEND}`` variable picks where the keywords act: ``offline`` (default: the whole system in
this process, no credentials) or ``org`` (the connected Salesforce org through simple-salesforce,
the Amazon Connect instance through boto3, the agents' Omni-Channel widget through CumulusCI's
browser keywords). The test files are the same for both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, TypeVar, cast

from robot.api import logger
from robot.api.deco import keyword, library

from backend import Backend, OfferRecord
from offline_backend import OfflineBackend
from org_backend import OrgBackend

T = TypeVar("T")


class _BotChats(Protocol):
    """What a backend needs for bot-only chats (the org backend only skips: see ``bot_only_chat``)."""

    def bot_only_chat(self, customer: str, messages: int) -> str: ...
    def redeliver_chat_end(self, contact_id: str) -> None: ...
    def transcript_in_org(self, contact_id: str) -> tuple[str, int, list[str]]: ...
BACKENDS = ("offline", "org")


@library(scope="SUITE", doc_format="ROBOT")
class ContactCenter:
    """Keywords that read like an admin's checklist for Omni-Channel offers with SCC-AC.

    Pick the backend with the ``BACKEND`` variable (``offline`` or ``org``):

    | robot --variable BACKEND:offline robot/SCCAC/tests/offers
    | cci task run robot --org dev      (cumulusci.yml passes BACKEND:org)

    The org backend needs an org from ``cci`` set up as the offline fixtures describe
    (``cci flow run robot_org_setup``: the Omni-Queues, the queue mapping, the agents as users whose
    ``Alias`` is the agent's name), AWS credentials in the environment, and the Connect instance and
    inbound chat flow, read from wire_connect's ``out/connect/wiring.json`` or given as
    ``CONNECT_INSTANCE_ID`` and ``CONNECT_CHAT_FLOW_ID`` (Robot variables or ``SCCAC_<name>``
    environment variables; ``AGENTS``, ``maria=<username>;li=<username>``, overrides the agents);
    without them its suites are skipped with one line saying what is missing. The offline backend
    reads its fixtures from ``OFFLINE_MAPPING`` and ``OFFLINE_STAFFING`` (default:
    ``robot/SCCAC/resources/offline/``).

    Example:
    | Agent Goes Available              | maria            |
    | Start Chat As Customer            | jane@example.com |
    | Agent Should Be Offered The Chat  | maria            |
    | Agent Accepts The Offer           | maria            |
    """

    def __init__(self, backend: str = "offline", mapping: str = "", staffing: str = "", poll_interval: float = 2.0) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"BACKEND is {backend!r}: use one of {', '.join(BACKENDS)}")
        self.backend_name = backend
        self._mapping = mapping or None
        self._staffing = staffing or None
        self._poll_interval = float(poll_interval)
        self._backend: Backend | None = None
        self._chat: str | None = None  # the current chat's Connect contact id
        self._case: str | None = None
        self._bot_chat: str | None = None  # the last bot-only chat's Connect contact id

    # -- plumbing ---------------------------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise AssertionError("the contact center is not started: put 'Start Contact Center' in the Suite Setup")
        return self._backend

    @property
    def chat(self) -> str:
        if self._chat is None:
            raise AssertionError("no chat yet: use 'Start Chat As Customer' first")
        return self._chat

    @property
    def case(self) -> str:
        if self._case is None:
            raise AssertionError("no Case yet: use 'Assign Case To Queue' first")
        return self._case

    def _eventually(self, check: Callable[[], T]) -> T:
        """Run ``check`` until it passes; offline once, against an org until the backend's timeout."""
        deadline = time.monotonic() + self.backend.poll_timeout
        while True:
            try:
                return check()
            except AssertionError:
                if time.monotonic() >= deadline:
                    raise
            time.sleep(self._poll_interval)

    def _chat_work_item(self) -> str:
        def found() -> str:
            work_item = self.backend.work_item_of(self.chat)
            if not work_item:
                raise AssertionError(f"chat {self.chat} has no Salesforce messaging session (no workItemId attribute)")
            return work_item
        return self._eventually(found)

    def _offers_text(self, offers: list[OfferRecord]) -> str:
        text = ", ".join(f"{o.agent or 'user ' + o.user_id}: {o.status}" for o in offers) or "no AgentWork"
        notes = self.backend.notes()
        return text + ("".join(f"\n  {n}" for n in notes) if notes else "")

    def _offered(self, agent: str, work_item: str, what: str) -> None:
        def check() -> None:
            offers = self.backend.offers(work_item)
            if not offers or offers[-1].agent != agent or offers[-1].status != "Assigned":
                raise AssertionError(f"expected {what} {work_item} offered to {agent} (AgentWork Assigned), "
                                     f"AgentWork so far: {self._offers_text(offers)}")
        self._eventually(check)
        self.backend.check_offer_in_console(agent, work_item)
        logger.info(f"{what} {work_item} is offered to {agent}")

    # -- the contact center -------------------------------------------------------------------------

    @keyword
    def start_contact_center(self) -> None:
        """Starts the backend; use it as the Suite Setup.

        Offline: the simulated Connect instance (flows, real Lambda code, agents) and the local
        Salesforce. Org: connects to the org and to Connect, or skips the suite with one line
        naming what is missing (no org, no AWS credentials, a missing variable).

        Example:
        | Suite Setup | Start Contact Center |
        """
        backend: Backend = (OfflineBackend(self._mapping, self._staffing) if self.backend_name == "offline"
                            else OrgBackend.from_robot())
        backend.start()
        self._backend = backend

    @keyword
    def stop_contact_center(self) -> None:
        """Stops the backend; against an org it deletes the Cases and ends the chats the suite created.

        Example:
        | Suite Teardown | Stop Contact Center |
        """
        if self._backend is not None:
            self._backend.stop()
            self._backend = None

    @keyword
    def agents_finish_their_work(self) -> None:
        """Every agent closes their contacts and goes offline; customers still waiting leave. A Test Teardown.

        Example:
        | Test Teardown | Agents Finish Their Work |
        """
        self._chat = None
        self._case = None
        if self._backend is not None:
            self._backend.finish_work()

    # -- agents -------------------------------------------------------------------------------------

    @keyword
    def agent_goes_available(self, agent: str) -> None:
        """The agent sets their status to Available (offline: the CCP status; org: Online in the Omni widget).

        Example:
        | Agent Goes Available | maria |
        """
        self.backend.set_agent_status(agent, "Available")

    @keyword
    def agent_goes_offline(self, agent: str) -> None:
        """The agent sets their status to Offline: no new offers reach them.

        Example:
        | Agent Goes Offline | maria |
        """
        self.backend.set_agent_status(agent, "Offline")

    @keyword
    def agent_should_be(self, agent: str, status: str) -> None:
        """The system records the agent as ``Available`` or ``Offline`` (offline: their Connect status;
        org: a current UserServicePresence, which only the agent's Omni-Channel widget creates).

        Example:
        | Agent Goes Available | maria |
        | Agent Should Be      | maria | Available |
        """
        if status not in ("Available", "Offline"):
            raise ValueError(f"status {status!r}: use Available or Offline")

        def check() -> None:
            actual = self.backend.agent_status(agent)
            if actual != status:
                raise AssertionError(f"{agent} is {actual}, expected {status}")
        self._eventually(check)

    @keyword
    def agent_accepts_the_offer(self, agent: str) -> None:
        """The agent accepts the chat (or Case) offered to them; its AgentWork becomes Opened.

        Example:
        | Agent Accepts The Offer | maria |
        """
        self.backend.accept(agent, self._current_work_item())
        self.offer_to_agent_should_have_status(agent, "Opened")

    @keyword
    def agent_declines_the_offer(self, agent: str) -> None:
        """The agent declines the offer; its AgentWork becomes Declined and the work goes to the next agent.

        Example:
        | Agent Declines The Offer | maria |
        """
        self.backend.decline(agent, self._current_work_item())

    @keyword
    def agent_misses_the_offer(self, agent: str) -> None:
        """Nobody answers the offer in time; its AgentWork becomes DeclinedOnPushTimeout.

        Example:
        | Agent Misses The Offer | maria |
        """
        self.backend.miss(agent, self._current_work_item())

    def _current_work_item(self) -> str:
        return self._chat_work_item() if self._chat is not None else self.case

    # -- chats --------------------------------------------------------------------------------------

    @keyword
    def start_chat_as_customer(self, customer: str) -> str:
        """A customer starts a chat (offline: the inbound flow; org: StartChatContact and a first message).

        Returns the Connect contact Id.

        Example:
        | ${contact}= | Start Chat As Customer | jane@example.com |
        """
        self._chat = self.backend.start_chat(customer)
        self._case = None
        return self._chat

    @keyword
    def connect_retries_the_chat(self) -> None:
        """Connect runs the chat's inbound flow again for the same contact (a Lambda retry).

        Example:
        | Connect Retries The Chat |
        """
        self.backend.retry_chat(self.chat)

    @keyword
    def salesforce_stops_answering(self) -> None:
        """Salesforce's Interaction Service answers errors to every try of the next chat.

        Example:
        | Salesforce Stops Answering |
        | Start Chat As Customer     | ann@example.com |
        | Chat Should Be Disconnected |
        """
        self.backend.salesforce_down()

    @keyword
    def salesforce_fails_the_next_tries(self, tries: int) -> None:
        """The Interaction Service answers HTTP 503 to the next ``tries`` messaging session requests.

        Example:
        | Salesforce Fails The Next Tries | 2 |
        """
        self.backend.salesforce_fails(int(tries))

    @keyword
    def transfer_the_chat_to_agent(self, agent: str) -> None:
        """The chat's agent transfers it to another agent (agent quick connect).

        Example:
        | Transfer The Chat To Agent | li |
        """
        self._chat = self.backend.transfer_to_agent(self.chat, agent)

    @keyword
    def transfer_the_chat_to_queue(self, queue: str) -> None:
        """The chat's agent transfers it to a Connect queue (queue quick connect).

        Example:
        | Transfer The Chat To Queue | Billing |
        """
        self._chat = self.backend.transfer_to_queue(self.chat, queue)

    @keyword
    def chat_should_be_queued_in(self, queue: str) -> None:
        """The chat waits in (or was routed through) the named Connect queue.

        Example:
        | Chat Should Be Queued In | Support |
        """
        def check() -> None:
            actual = self.backend.queue_of(self.chat)
            if actual != queue:
                raise AssertionError(f"chat {self.chat} is in queue {actual or 'none'}, expected {queue}")
        self._eventually(check)

    @keyword
    def chat_should_be_queued_for_agent(self, agent: str) -> None:
        """The chat waits in the agent's own queue (an agent transfer).

        Example:
        | Chat Should Be Queued For Agent | li |
        """
        actual = self.backend.queue_of(self.chat)
        if actual != f"agent {agent}":
            raise AssertionError(f"chat {self.chat} is in queue {actual or 'none'}, expected the agent queue of {agent}")

    @keyword
    def chat_contact_should_carry(self, name: str, value: str) -> None:
        """The chat's Connect contact has the attribute with this value (set by the flow and its Lambdas).

        Example:
        | Chat Contact Should Carry | source | SCCAC |
        """
        def check() -> None:
            attributes = self.backend.contact_attributes(self.chat)
            if attributes.get(name) != value:
                raise AssertionError(f"chat contact attribute {name} is {attributes.get(name)!r}, expected {value!r}")
        self._eventually(check)

    @keyword
    def lambda_should_have_been_called(self, role: str, times: int) -> None:
        """The chat's flow invoked the Lambda of this role (session, routing) so many times, retries included.

        Offline only: against a real instance the test is skipped.

        Example:
        | Lambda Should Have Been Called | session | 3 |
        """
        calls = [c for c in self.backend.lambda_calls(self.chat) if c[0] == role]
        if len(calls) != int(times):
            raise AssertionError(f"{role} Lambda was called {len(calls)} time(s), expected {times}")

    @keyword
    def routing_should_have_been_requested_as(self, routing_type: str) -> None:
        """Every Routing Lambda call of the chat's flow asked for this routingType (Initial, Transfer).

        Offline only: against a real instance the test is skipped.

        Example:
        | Routing Should Have Been Requested As | Transfer |
        """
        types = [c[1].get("routingType") for c in self.backend.lambda_calls(self.chat) if c[0] == "routing"]
        if not types or any(t != routing_type for t in types):
            raise AssertionError(f"routing Lambda calls had routingType {types}, expected {routing_type}")

    # -- bot-only chats: ContactDisconnected copies the transcript ---------------------------------

    @property
    def _bot_chats(self) -> _BotChats:
        return cast(_BotChats, self.backend)

    @property
    def bot_chat(self) -> str:
        if self._bot_chat is None:
            raise AssertionError("no bot-only chat yet: use 'Bot Only Chat Ends' first")
        return self._bot_chat

    @keyword
    def bot_only_chat_ends(self, customer: str, messages: int) -> str:
        """A chat the bot answers to the end (``messages`` customer and bot messages, no agent) ends.

        Connect writes the transcript to the chat transcript bucket and sends the disconnected event;
        the ContactDisconnected function copies the transcript into the customer's Salesforce
        conversation. Offline only: the org backend skips with one line. Returns the Connect contact Id.

        Example:
        | Bot Only Chat Ends                           | eve@example.com | 6 |
        | Transcript Should Have Arrived In Salesforce | 6               |
        """
        self._bot_chat = self._bot_chats.bot_only_chat(customer, int(messages))
        return self._bot_chat

    @keyword
    def chat_end_is_delivered_again(self) -> None:
        """EventBridge delivers the bot-only chat's disconnected event a second time (at-least-once).

        Example:
        | Bot Only Chat Ends                           | eve@example.com | 6 |
        | Chat End Is Delivered Again                  |
        | Transcript Should Have Arrived In Salesforce | 6               | status=ALREADY_SENT |
        """
        self._bot_chats.redeliver_chat_end(self.bot_chat)

    @keyword
    def transcript_should_have_arrived_in_salesforce(self, messages: int, status: str = "SUCCESS") -> None:
        """The org's conversation holds the bot-only chat's ``messages`` entries, each once; the function answered ``status``.

        ``status`` is SUCCESS when this delivery sent the transcript, ALREADY_SENT when an earlier one had.

        Example:
        | Transcript Should Have Arrived In Salesforce | 6 |
        """
        actual, sent, texts = self._bot_chats.transcript_in_org(self.bot_chat)
        expected = int(messages)
        problems = []
        if actual != status:
            problems.append(f"the function answered {actual}, expected {status}")
        if len(texts) != expected:
            problems.append(f"the org holds {len(texts)} history entries, expected {expected}")
        if len(set(texts)) != len(texts):
            problems.append("some history entries arrived more than once")
        if status == "ALREADY_SENT" and sent:
            problems.append(f"a repeated delivery sent {sent} entries again")
        if problems:
            raise AssertionError(f"bot-only chat {self.bot_chat}: " + "; ".join(problems))
        logger.info(f"bot-only chat {self.bot_chat}: {expected} history entries in the org ({actual})")

    @keyword
    def chat_should_wait_for_an_agent(self) -> None:
        """The chat's messaging session has a PendingServiceRouting with external routing: Connect picks the agent.

        Example:
        | Chat Should Wait For An Agent |
        """
        work_item = self._chat_work_item()

        def check() -> None:
            psr = self.backend.pending_routing(work_item)
            if psr is None or psr.routing_model != "ExternalRouting":
                raise AssertionError(f"expected a PendingServiceRouting (ExternalRouting) for {work_item}, found {psr}")
        self._eventually(check)

    @keyword
    def agent_should_be_offered_the_chat(self, agent: str) -> None:
        """The chat's messaging session is offered to the agent: their latest AgentWork for it is Assigned.

        Example:
        | Agent Should Be Offered The Chat | maria |
        """
        self._offered(agent, self._chat_work_item(), "chat")

    @keyword
    def nobody_should_be_offered_the_chat(self) -> None:
        """No AgentWork is open for the chat (none at all, or the chat never got a messaging session).

        Example:
        | Nobody Should Be Offered The Chat |
        """
        work_item = self.backend.work_item_of(self.chat)
        if not work_item:
            return
        offers = [o for o in self.backend.offers(work_item) if o.status in ("Assigned", "Opened")]
        if offers:
            raise AssertionError(f"expected no open offer of {work_item}, found: {self._offers_text(offers)}")

    @keyword
    def offer_to_agent_should_have_status(self, agent: str, status: str) -> None:
        """The agent's latest AgentWork for the current chat or Case has this Status.

        Statuses: Assigned (offered), Opened (accepted), Declined, DeclinedOnPushTimeout (missed),
        Transferred, Closed.

        Example:
        | Offer To Agent Should Have Status | maria | Declined |
        """
        work_item = self._current_work_item()

        def check() -> None:
            offers = self.backend.offers(work_item)
            mine = [o for o in offers if o.agent == agent]
            if not mine or mine[-1].status != status:
                raise AssertionError(f"expected {agent}'s AgentWork for {work_item} to be {status}; "
                                     f"AgentWork so far: {self._offers_text(offers)}")
        self._eventually(check)

    @keyword
    def agent_should_have_been_offered_the_chat_once(self, agent: str) -> None:
        """Exactly one AgentWork exists for the chat, for this agent (a retried chat adds none).

        Example:
        | Agent Should Have Been Offered The Chat Once | maria |
        """
        work_item = self._chat_work_item()
        offers = self.backend.offers(work_item)
        if len(offers) != 1 or offers[0].agent != agent:
            raise AssertionError(f"expected one AgentWork for {work_item}, to {agent}; found: {self._offers_text(offers)}")

    @keyword
    def customer_should_have_one_messaging_session(self) -> None:
        """The chat's customer has exactly one MessagingSession on the channel.

        Example:
        | Customer Should Have One Messaging Session |
        """
        work_item = self._chat_work_item()
        count = self.backend.sessions_like(work_item)
        if count != 1:
            raise AssertionError(f"the customer of chat {self.chat} has {count} messaging sessions, expected 1")

    @keyword
    def chat_should_be_disconnected(self) -> None:
        """Connect ended the chat (the flow's error branch), without a queue.

        Example:
        | Chat Should Be Disconnected |
        """
        def check() -> None:
            if not self.backend.is_disconnected(self.chat):
                raise AssertionError(f"chat {self.chat} is not disconnected (queue: {self.backend.queue_of(self.chat) or 'none'})")
        self._eventually(check)

    # -- Cases ----------------------------------------------------------------------------------------

    @keyword
    def assign_case_to_queue(self, queue: str) -> str:
        """A new Case is owned by the Omni-Queue (developer name); returns the Case Id.

        Example:
        | ${case}= | Assign Case To Queue | SCCAC_Billing |
        """
        self._case = self.backend.assign_case(queue)
        self._chat = None
        return self._case

    @keyword
    def assign_case_to_user(self, agent: str) -> str:
        """A new Case is owned by the agent's Salesforce user (no Omni-Queue: the fallback queue); returns its Id.

        Example:
        | ${case}= | Assign Case To User | sam |
        """
        self._case = self.backend.assign_case_to_user(agent)
        self._chat = None
        return self._case

    def _task_attributes(self) -> dict[str, str]:
        def check() -> dict[str, str]:
            contact = self.backend.task_contact_of(self.case)
            if not contact:
                raise AssertionError(f"Case {self.case} has no Connect task contact")
            return self.backend.task_attributes(contact)
        return self._eventually(check)

    @keyword
    def task_contact_should_carry(self, name: str, value: str) -> None:
        """The Case's Connect task contact has the attribute with this value.

        Example:
        | Task Contact Should Carry | externalRouting | true |
        """
        attributes = self._task_attributes()
        if attributes.get(name) != value:
            raise AssertionError(f"task contact attribute {name} is {attributes.get(name)!r}, expected {value!r}")

    @keyword
    def task_contact_should_not_carry(self, name: str) -> None:
        """The Case's Connect task contact lacks the attribute (e.g. queueId for an unmapped queue).

        Example:
        | Task Contact Should Not Carry | queueId |
        """
        attributes = self._task_attributes()
        if name in attributes:
            raise AssertionError(f"task contact attribute {name} is set to {attributes[name]!r}; expected it absent")

    @keyword
    def case_should_be_queued_in(self, queue: str) -> None:
        """The Case's task contact waits in (or was routed through) the named Connect queue.

        Example:
        | Case Should Be Queued In | BasicQueue |
        """
        def check() -> None:
            contact = self.backend.task_contact_of(self.case)
            actual = self.backend.queue_of(contact) if contact else None
            if actual != queue:
                raise AssertionError(f"Case {self.case}'s task contact is in queue {actual or 'none'}, expected {queue}")
        self._eventually(check)

    @keyword
    def agent_should_be_offered_the_case(self, agent: str) -> None:
        """The Case is offered to the agent: their latest AgentWork for it is Assigned.

        Example:
        | Agent Should Be Offered The Case | sam |
        """
        self._offered(agent, self.case, "Case")

