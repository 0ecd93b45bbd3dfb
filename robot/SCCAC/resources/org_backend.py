"""The org backend: a real Salesforce org (simple-salesforce) and a real Amazon Connect instance (boto3).

- Chats: Connect ``StartChatContact`` with the inbound flow, then the Participant Service
  (``CreateParticipantConnection``, ``SendMessage``, ``DisconnectParticipant``) as the customer.
- Cases: a Case inserted with an Omni-Queue as owner; the package's trigger starts the task contact.
- Facts: SOQL on MessagingSession, PendingServiceRouting, AgentWork, Case; Connect
  ``GetContactAttributes``, ``DescribeContact`` and ``DescribeQueue``.
- Agents: presence changes only in the agent's browser (UserServicePresence cannot be written by
  API), so an :class:`OmniBrowser` drives the Omni-Channel widget (OmniWidget.resource, CumulusCI's
  browser keywords) to go Online, see the offer, accept, decline and close the work.
- Who and where: the agents are the offline staffing fixture's (robot/SCCAC/resources/offline/staffing.yml),
  each the org user whose ``Alias`` is the agent's name (``create_robot_agents`` makes them; CumulusCI's
  ``useralias`` signs them in); the Connect instance and inbound chat flow are the ones ``wire_connect``
  wrote to out/connect/wiring.json, unless variables name others.

What a test cannot make a real org or Connect do (a Connect flow retry, an agent's CCP transfer, an
Interaction Service outage) skips that test with one line saying so.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from robot.api import logger

from backend import OfferRecord, PendingRouting, skip

HERE = Path(__file__).resolve().parent
DEFAULT_STAFFING = HERE / "offline" / "staffing.yml"
DEFAULT_WIRING = Path("out/connect/wiring.json")

CHAT_GREETING = "Hello from the sccac Robot suite"
SUBJECT = "sccac robot: Omni-Channel offer"


def soql_literal(value: str) -> str:
    """A SOQL string literal (quotes and backslashes escaped)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class OmniBrowser(Protocol):
    """The agent's side in the browser: Omni-Channel widget presence and offers."""

    def set_status(self, agent: str, status: str) -> None: ...
    def should_show_offer(self, agent: str) -> None: ...
    def accept(self, agent: str) -> None: ...
    def decline(self, agent: str) -> None: ...
    def close_work(self, agent: str) -> None: ...
    def close(self) -> None: ...


class RobotOmniBrowser:
    """Runs the OmniWidget.resource keywords (CumulusCI's Salesforce browser library) in the running suite."""

    def __init__(self) -> None:
        from robot.libraries.BuiltIn import BuiltIn

        self._builtin = BuiltIn()
        self._opened: set[str] = set()

    def _open(self, agent: str) -> None:
        if agent not in self._opened:
            self._builtin.run_keyword("Open Omni Widget As Agent", agent)
            self._opened.add(agent)

    def set_status(self, agent: str, status: str) -> None:
        self._open(agent)
        self._builtin.run_keyword("Set Omni Status", agent, status)

    def should_show_offer(self, agent: str) -> None:
        self._open(agent)
        self._builtin.run_keyword("Omni Offer Should Be Shown", agent)

    def accept(self, agent: str) -> None:
        self._open(agent)
        self._builtin.run_keyword("Accept Omni Offer", agent)

    def decline(self, agent: str) -> None:
        self._open(agent)
        self._builtin.run_keyword("Decline Omni Offer", agent)

    def close_work(self, agent: str) -> None:
        self._open(agent)
        self._builtin.run_keyword("Close Omni Work", agent)

    def close(self) -> None:
        if self._opened:
            self._builtin.run_keyword("Close All Browsers")
            self._opened.clear()


@dataclass(frozen=True)
class OrgSettings:
    instance_id: str
    chat_flow_id: str
    agents: dict[str, str | None]  # agent name -> Salesforce username, None: the user whose Alias is the name
    poll_timeout: float = 90.0

    @staticmethod
    def missing(values: dict[str, Any]) -> list[str]:
        return [name for name in ("CONNECT_INSTANCE_ID", "CONNECT_CHAT_FLOW_ID") if not values.get(name)]


def staffed_agents(path: Path) -> dict[str, str | None]:
    """The staffing fixture's agent names, each to be found in the org by its user Alias."""
    from sccac.offline.staffing import read_staffing

    return {agent.name: None for agent in read_staffing(path).agents}


def wiring_values(path: Path) -> dict[str, str]:
    """CONNECT_INSTANCE_ID and CONNECT_CHAT_FLOW_ID from wire_connect's output document, when it is there."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise AssertionError(f"{path}: cannot read wire_connect's output ({exc}); run wire_connect again or set "
                             "CONNECT_INSTANCE_ID and CONNECT_CHAT_FLOW_ID") from None
    found = {"CONNECT_INSTANCE_ID": document.get("instance_id"), "CONNECT_CHAT_FLOW_ID": document.get("inbound_chat_flow_id")}
    return {name: str(value) for name, value in found.items() if value}


@dataclass
class _Chat:
    contact_id: str
    connection_token: str | None


@dataclass
class OrgBackend:
    sf: Any  # simple_salesforce.Salesforce
    connect: Any  # boto3 Connect client
    participant: Any  # boto3 ConnectParticipant client
    settings: OrgSettings
    browser: OmniBrowser
    name: str = "org"
    created_cases: list[str] = field(default_factory=list)
    chats: list[_Chat] = field(default_factory=list)
    sessions: dict[str, str] = field(default_factory=dict)  # the suite's chats: contact id -> MessagingSession id
    _user_ids: dict[str, str] = field(default_factory=dict)
    _active_agents: set[str] = field(default_factory=set)

    @property
    def poll_timeout(self) -> float:
        return self.settings.poll_timeout

    # -- set-up from the Robot run -----------------------------------------------------------------

    @classmethod
    def from_robot(cls) -> OrgBackend:
        """Connect to the org CumulusCI runs against and to Connect, or skip with one line saying what is missing."""
        from robot.libraries.BuiltIn import BuiltIn

        builtin = BuiltIn()

        def value(name: str) -> Any:
            found = builtin.get_variable_value("${" + name + "}")
            return found if found not in (None, "") else os.environ.get(f"SCCAC_{name}")

        values = {name: value(name) for name in ("CONNECT_INSTANCE_ID", "CONNECT_CHAT_FLOW_ID", "AGENTS", "ORG")}
        wired = wiring_values(Path(value("WIRING") or DEFAULT_WIRING))
        values.update({name: wired[name] for name in wired if not values.get(name)})
        if not values["ORG"]:
            skip("No Salesforce org: run the org backend through CumulusCI (cci task run robot --org dev)")
        credentials = _aws_credentials()
        if not credentials:
            skip("No AWS credentials (AWS_ACCESS_KEY_ID or AWS_PROFILE): the org backend needs the Connect instance")
        missing = OrgSettings.missing(values)
        if missing:
            skip(f"No {', '.join(missing)}: run wire_connect (it writes {DEFAULT_WIRING}) or set them as Robot "
                 "variables or SCCAC_<name> environment variables (see docs/offers.md)")
        agents = values["AGENTS"] or staffed_agents(Path(value("OFFLINE_STAFFING") or DEFAULT_STAFFING))
        if isinstance(agents, str):
            agents = parse_agents(agents)
        try:
            builtin.import_library("cumulusci.robotframework.CumulusCI", str(values["ORG"]))
            cumulusci_library: Any = builtin.get_library_instance("cumulusci.robotframework.CumulusCI")
            sf = cumulusci_library.sf
        except Exception as exc:  # noqa: BLE001 - any failure to reach the org means: no org to test
            skip(f"Cannot connect to org {values['ORG']}: {type(exc).__name__}")
        builtin.import_resource(os.path.join(os.path.dirname(__file__), "OmniWidget.resource"))
        import boto3

        session = boto3.session.Session()
        settings = OrgSettings(str(values["CONNECT_INSTANCE_ID"]), str(values["CONNECT_CHAT_FLOW_ID"]), dict(agents))
        return cls(sf, session.client("connect"), session.client("connectparticipant"), settings, RobotOmniBrowser())

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> None:
        self.sf.query("SELECT Id FROM Organization")  # fails early with the org's own error
        self.connect.describe_instance(InstanceId=self.settings.instance_id)

    def finish_work(self) -> None:
        """The agents close the work they accepted (in their console) and go Offline; the suite's chats end."""
        self._close_opened_work()
        for agent in sorted(self._active_agents):
            self.browser.set_status(agent, "Offline")
        self._active_agents.clear()
        self._end_chats()

    def stop(self) -> None:
        """Tears down what the suite made: ends its chats and the Cases' task contacts, deletes its Cases and
        MessagingSessions. Records and contacts of other runs are left alone; what cannot be removed is logged."""
        try:
            self.finish_work()
        finally:
            self._find_sessions()
            leftovers = self._stop_task_contacts() + self._delete_records()
            self.browser.close()
            if leftovers:
                logger.warn("Teardown left behind: " + "; ".join(leftovers))

    def _find_sessions(self) -> None:
        """The MessagingSession of each of the suite's chats, also those no keyword asked about."""
        for chat in self.chats:
            if chat.contact_id not in self.sessions:
                try:
                    self.work_item_of(chat.contact_id)
                except Exception as exc:  # noqa: BLE001 - a chat Connect no longer knows has nothing to clean up
                    logger.info(f"chat {chat.contact_id}: no messaging session found ({type(exc).__name__})")

    def _close_opened_work(self) -> None:
        self._find_sessions()
        work_items = [*self.sessions.values(), *self.created_cases]
        if not work_items or not self._active_agents:
            return
        for offer in (o for item in work_items for o in self.offers(item)):
            if offer.status == "Opened" and offer.agent is not None and offer.agent in self._active_agents:
                self.browser.close_work(offer.agent)

    def _stop_task_contacts(self) -> list[str]:
        leftovers = []
        for case_id in self.created_cases:
            try:
                contact = self.task_contact_of(case_id)
                if contact and not self.is_disconnected(contact):
                    self.connect.stop_contact(InstanceId=self.settings.instance_id, ContactId=contact)
            except Exception as exc:  # noqa: BLE001 - teardown goes on; what is left is reported
                leftovers.append(f"task contact of Case {case_id} ({type(exc).__name__}: {exc})")
        return leftovers

    def _delete_records(self) -> list[str]:
        leftovers = []
        records = [("Case", case_id) for case_id in self.created_cases]
        records += [("MessagingSession", session) for session in self.sessions.values()]
        for sobject, record_id in records:
            try:
                getattr(self.sf, sobject).delete(record_id)
            except Exception as exc:  # noqa: BLE001 - teardown goes on; what is left is reported
                leftovers.append(f"{sobject} {record_id} ({type(exc).__name__}: {exc})")
        self.created_cases.clear()
        self.sessions.clear()
        return leftovers

    def _end_chats(self) -> None:
        for chat in self.chats:
            if chat.connection_token:
                try:
                    self.participant.disconnect_participant(ConnectionToken=chat.connection_token)
                except self.participant.exceptions.AccessDeniedException:
                    pass  # already ended
            chat.connection_token = None

    # -- agents -----------------------------------------------------------------------------------

    def _agent(self, agent: str) -> str:
        if agent not in self.settings.agents:
            raise AssertionError(f"no agent {agent!r} among the suite's agents ({', '.join(self.settings.agents) or 'none'}; "
                                 "from the staffing fixture, or AGENTS)")
        return agent

    def set_agent_status(self, agent: str, status: str) -> None:
        self.browser.set_status(self._agent(agent), status)
        if status == "Available":
            self._active_agents.add(agent)

    def agent_status(self, agent: str) -> str:
        """Available while the agent has a current UserServicePresence (the widget's Online status), else Offline."""
        rows = self.sf.query("SELECT Id, ServicePresenceStatusId FROM UserServicePresence "
                             f"WHERE UserId = {soql_literal(self._user_id(self._agent(agent)))} AND IsCurrentState = true")["records"]
        return "Available" if rows else "Offline"

    def check_offer_in_console(self, agent: str, work_item_id: str) -> None:
        """The agent's Omni-Channel widget shows the offer (its AgentWork is already Assigned)."""
        self.browser.should_show_offer(self._agent(agent))

    def accept(self, agent: str, work_item_id: str) -> None:
        self.browser.accept(self._agent(agent))

    def decline(self, agent: str, work_item_id: str) -> None:
        self.browser.decline(self._agent(agent))

    def miss(self, agent: str, work_item_id: str) -> None:
        self._agent(agent)  # the agent does nothing; Omni-Channel's push timeout ends the offer

    # -- chats ------------------------------------------------------------------------------------

    def start_chat(self, customer: str) -> str:
        started = self.connect.start_chat_contact(
            InstanceId=self.settings.instance_id,
            ContactFlowId=self.settings.chat_flow_id,
            Attributes={"clientId": customer},
            ParticipantDetails={"DisplayName": customer},
            ClientToken=str(uuid.uuid4()),
        )
        connection = self.participant.create_participant_connection(
            Type=["CONNECTION_CREDENTIALS"], ParticipantToken=started["ParticipantToken"], ConnectParticipant=True)
        token = connection["ConnectionCredentials"]["ConnectionToken"]
        self.participant.send_message(ContentType="text/plain", Content=CHAT_GREETING, ConnectionToken=token)
        self.chats.append(_Chat(started["ContactId"], token))
        return str(started["ContactId"])

    def retry_chat(self, contact_id: str) -> None:
        skip("Connect retries a flow's Lambda call inside the flow; a test cannot make a real instance do it")

    def transfer_to_agent(self, contact_id: str, agent: str) -> str:
        skip("A chat transfer is made by the agent in the Contact Control Panel; not automated against a real instance")

    def transfer_to_queue(self, contact_id: str, queue: str) -> str:
        skip("A chat transfer is made by the agent in the Contact Control Panel; not automated against a real instance")

    def salesforce_down(self) -> None:
        skip("A real Interaction Service cannot be made to fail from a test")

    def salesforce_fails(self, tries: int) -> None:
        skip("A real Interaction Service cannot be made to fail from a test")

    def bot_only_chat(self, customer: str, messages: int) -> str:
        skip("A bot-only chat needs a Lex bot and the ContactDisconnected function deployed; checked offline only")

    def lambda_calls(self, contact_id: str) -> list[tuple[str | None, dict[str, object]]]:
        skip("A flow's Lambda invocations are not visible to a test against a real instance (see CloudWatch Logs)")

    def contact_attributes(self, contact_id: str) -> dict[str, str]:
        return self._attributes(contact_id)

    # -- facts ------------------------------------------------------------------------------------

    def _attributes(self, contact_id: str) -> dict[str, str]:
        answer = self.connect.get_contact_attributes(InstanceId=self.settings.instance_id, InitialContactId=contact_id)
        return dict(answer.get("Attributes") or {})

    def _contact(self, contact_id: str) -> dict[str, Any]:
        return dict(self.connect.describe_contact(InstanceId=self.settings.instance_id, ContactId=contact_id)["Contact"])

    def work_item_of(self, contact_id: str) -> str | None:
        work_item = self._attributes(contact_id).get("workItemId")
        if work_item and any(chat.contact_id == contact_id for chat in self.chats):
            self.sessions[contact_id] = work_item  # the suite's own session: deleted in teardown
        return work_item

    def queue_of(self, contact_id: str) -> str | None:
        queue_id = (self._contact(contact_id).get("QueueInfo") or {}).get("Id")
        if not queue_id:
            return None
        return str(self.connect.describe_queue(InstanceId=self.settings.instance_id, QueueId=queue_id)["Queue"]["Name"])

    def is_disconnected(self, contact_id: str) -> bool:
        return "DisconnectTimestamp" in self._contact(contact_id)

    def sessions_like(self, work_item_id: str) -> int:
        rows = self.sf.query(f"SELECT Id, MessagingEndUserId, Status FROM MessagingSession WHERE Id = {soql_literal(work_item_id)}")["records"]
        if not rows:
            return 0
        end_user = rows[0]["MessagingEndUserId"]
        return int(self.sf.query(
            f"SELECT Id FROM MessagingSession WHERE MessagingEndUserId = {soql_literal(end_user)}")["totalSize"])

    def _user_id(self, agent: str) -> str:
        if agent not in self._user_ids:
            username = self.settings.agents[agent]
            if username:
                rows = self.sf.query(f"SELECT Id, Username FROM User WHERE Username = {soql_literal(username)}")["records"]
                if not rows:
                    raise AssertionError(f"agent {agent}: no Salesforce user {username}")
            else:
                rows = self.sf.query(
                    f"SELECT Id, Username FROM User WHERE Alias = {soql_literal(agent)} AND IsActive = true")["records"]
                if len(rows) != 1:
                    raise AssertionError(f"agent {agent}: {len(rows)} active users with Alias {agent}, expected one "
                                         "(create the agents with cci task run create_robot_agents)")
            self._user_ids[agent] = rows[0]["Id"]
        return self._user_ids[agent]

    def offers(self, work_item_id: str) -> list[OfferRecord]:
        names = {self._user_id(agent): agent for agent in self.settings.agents}
        rows = self.sf.query(
            "SELECT Id, UserId, Status, WorkItemId, PendingServiceRoutingId, CreatedDate FROM AgentWork "
            f"WHERE WorkItemId = {soql_literal(work_item_id)} ORDER BY CreatedDate")["records"]
        return [OfferRecord(names.get(r["UserId"]), r["UserId"], r["Status"], r["WorkItemId"]) for r in rows]

    def pending_routing(self, work_item_id: str) -> PendingRouting | None:
        rows = self.sf.query(
            "SELECT Id, WorkItemId, RoutingModel, RoutingType, IsPushed, QueueId FROM PendingServiceRouting "
            f"WHERE WorkItemId = {soql_literal(work_item_id)}")["records"]
        return PendingRouting(rows[0]["Id"], rows[0]["WorkItemId"], rows[0]["RoutingModel"]) if rows else None

    def notes(self) -> list[str]:
        return []

    # -- Cases ------------------------------------------------------------------------------------

    def assign_case(self, queue: str) -> str:
        rows = self.sf.query(
            f"SELECT Id, DeveloperName FROM Group WHERE Type = 'Queue' AND DeveloperName = {soql_literal(queue)}")["records"]
        if not rows:
            raise AssertionError(f"no Omni-Queue {queue} in the org: deploy unpackaged/config/omni")
        created = self.sf.Case.create({"Subject": SUBJECT, "Origin": "Web", "OwnerId": rows[0]["Id"]})
        self.created_cases.append(created["id"])
        return str(created["id"])

    def assign_case_to_user(self, agent: str) -> str:
        created = self.sf.Case.create({"Subject": SUBJECT, "Origin": "Web", "OwnerId": self._user_id(self._agent(agent))})
        self.created_cases.append(created["id"])
        return str(created["id"])

    def task_contact_of(self, case_id: str) -> str | None:
        rows = self.sf.query(
            "SELECT Id, Connect_Task_Contact_Id__c, Connect_Routing_Status__c, Connect_Routing_Error__c FROM Case "
            f"WHERE Id = {soql_literal(case_id)}")["records"]
        if not rows:
            return None
        if rows[0].get("Connect_Routing_Status__c") == "Failed":
            raise AssertionError(f"Case {case_id} routing failed: {rows[0].get('Connect_Routing_Error__c')}")
        return rows[0].get("Connect_Task_Contact_Id__c")

    def task_attributes(self, task_contact_id: str) -> dict[str, str]:
        return self._attributes(task_contact_id)


def parse_agents(text: str) -> dict[str, str]:
    """``maria=maria@acme.com;li=li@acme.com`` (``;`` or ``,`` between agents: cci splits its vars on commas)."""
    agents = {}
    for pair in re.split(r"[;,\s]+", text.strip()):
        name, sep, username = pair.partition("=")
        if not sep or not name or not username:
            raise ValueError(f"AGENTS: {pair!r} is not name=username (e.g. maria=maria@acme.com;li=li@acme.com)")
        agents[name] = username
    return agents


def _aws_credentials() -> bool:
    import boto3

    return boto3.session.Session().get_credentials() is not None
