"""A real org and a real Connect instance, played offline for the org backend's keywords.

The org backend's own calls go out for real: simple-salesforce over HTTP to a StrictFakeOrg
(``responses``), boto3 Connect and ConnectParticipant clients to the Connect fake (botocore validates
every parameter against the service model). What the platform does between those calls is played
here: the inbound flow queues the chat and sets ``workItemId`` (and Salesforce opens the
MessagingSession and its PendingServiceRouting), the Case trigger starts the task contact, and
Omni-Channel writes AgentWork as Connect's router offers the contacts to agents in their browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import responses

from org_backend import OrgBackend, OrgSettings
from sccac.clock import VirtualClock
from sccac.testing.connect.contacts import ContactOperations
from sccac.testing.connect.models import ConnectBackend
from sccac.testing.connect.participant import ParticipantFake
from sccac.testing.connect.responses import ConnectFake
from sccac.testing.connect.routing import Agent, ContactRouter, Offer
from tests.robot_suites.strict_org import StrictFakeOrg

FLOW = json.dumps({"Version": "2019-10-30", "StartAction": "a", "Actions": []})
STATUS = {"offered": "Assigned", "accepted": "Opened", "rejected": "Declined", "missed": "DeclinedOnPushTimeout", "ended": "Closed"}
AGENTS = {"maria": "maria@sccac.example", "li": "li@sccac.example"}


@dataclass
class FakeBrowser:
    """The agents' Omni-Channel widgets: what a click does in Connect (via the CTI adapter)."""

    world: OrgWorld
    clicks: list[tuple[str, str]] = field(default_factory=list)

    def _connect_user(self, agent: str) -> str:
        return f"{agent}.agent"

    def _offered(self, agent: str) -> str:
        user = self.world.router.user(self._connect_user(agent))
        offers = [o for o in self.world.router.offers if o.agent_id == user.id and o.state == "offered"]
        if not offers:
            raise AssertionError(f"the widget of {agent} shows no offer")
        return offers[-1].contact_id

    def set_status(self, agent: str, status: str) -> None:
        """Online in the widget: the org records a current UserServicePresence (and, via the CTI adapter, Connect
        makes the agent Available); Offline ends it."""
        self.clicks.append((agent, status))
        user_id = self.world.users[self._connect_user(agent)]
        self.world.org.tables["UserServicePresence"] = [r for r in self.world.org.tables["UserServicePresence"]
                                                       if r["UserId"] != user_id]
        if status == "Available":
            self.world.org.add("UserServicePresence", Id=f"0Hn{user_id[3:]}", UserId=user_id,
                               ServicePresenceStatusId="0N5000000000001AAA", IsCurrentState=True)
        self.world.router.set_status(self._connect_user(agent), status)

    def should_show_offer(self, agent: str) -> None:
        self._offered(agent)

    def accept(self, agent: str) -> None:
        self.clicks.append((agent, "accept"))
        self.world.router.accept(self._offered(agent))

    def decline(self, agent: str) -> None:
        self.clicks.append((agent, "decline"))
        self.world.router.reject(self._offered(agent))

    def close_work(self, agent: str) -> None:
        """Closing the accepted work's console tab: Connect ends the contact, Omni-Channel closes the AgentWork."""
        self.clicks.append((agent, "close work"))
        user = self.world.router.user(self._connect_user(agent))
        for offer in [o for o in self.world.router.offers if o.agent_id == user.id and o.state == "accepted"]:
            self.world.router.end(offer.contact_id)

    def close(self) -> None:
        self.clicks.append(("*", "close"))


class OrgWorld:
    def __init__(self, mock: responses.RequestsMock) -> None:
        self.org = StrictFakeOrg(mock)
        # Contact APIs have their own, much higher, rate limits than the management APIs the fake paces.
        self.connect_backend = ConnectBackend(clock=VirtualClock(), rate=100.0, burst=100)
        self.fake = ConnectFake(self.connect_backend)
        inst = self.connect_backend.create_instance("sccac-org-test")
        self.instance_id = inst.id
        hours = next(iter(inst.hours))
        for name in ("Support", "Billing"):
            self.connect_backend.create_queue(inst.id, name, hours)
        self.flow = self.connect_backend.create_contact_flow(inst.id, "SCCAC Inbound Chat", "CONTACT_FLOW", FLOW)
        self.router = ContactRouter(self.connect_backend, inst.id)
        self.router.create_routing_profile("Support Agents", ["Support"], {"CHAT": 2, "TASK": 1})
        self.contacts = ContactOperations(self.fake, self.router)
        self.participant = ParticipantFake(self.contacts)
        self.org.add("Organization", Id="00D000000000001EAA")
        self.users: dict[str, str] = {}
        for number, (agent, username) in enumerate(AGENTS.items(), start=1):
            self.router.create_user(f"{agent}.agent", "Support Agents")
            self.users[f"{agent}.agent"] = f"005{number:015d}"
            self.org.add("User", Id=f"005{number:015d}", Username=username, Alias=agent, IsActive=True)
        self.org.add("Group", Id="00G000000000001EAA", DeveloperName="SCCAC_Support", Type="Queue")
        self.work_items: dict[str, str] = {}  # contact id -> work item
        self.router.listeners.append(self._omni_channel)
        self.browser = FakeBrowser(self)
        self._sessions = 0

    def backend(self, agents: dict[str, str | None] | None = None) -> OrgBackend:
        """``agents``: name -> username (default: AGENTS); None as a username: found by the user's Alias."""
        settings = OrgSettings(self.instance_id, self.flow.id, dict(AGENTS) if agents is None else agents, poll_timeout=0.0)
        return OrgBackend(self.org.sf, self.fake.client(max_attempts=1), self.participant.client(), settings, self.browser)

    # -- what the platform does between the backend's calls ------------------------------------

    def inbound_flow_runs(self, contact_id: str, queue: str = "Support", end_user: str = "0PA000000000001AAA") -> str:
        """The chat's flow: the session Lambda opens a MessagingSession, the routing Lambda a PSR; the contact queues."""
        self._sessions += 1
        session = f"0Mw{self._sessions:015d}"
        self.org.add("MessagingSession", Id=session, MessagingEndUserId=end_user, Status="Waiting")
        self.org.add("PendingServiceRouting", Id=f"0JR{self._sessions:015d}", WorkItemId=session,
                     RoutingModel="ExternalRouting", RoutingType="QueueBased", IsPushed=False, QueueId="00G000000000001EAA")
        self.work_items[contact_id] = session
        self.contacts.flow_queued(contact_id, queue, {"workItemId": session})
        return session

    def case_trigger_runs(self, case_id: str, queue: str = "Support") -> str:
        """The package's Case trigger: StartTaskContact with the task attributes, then the Case records it."""
        client = self.fake.client(max_attempts=1)
        task = client.start_task_contact(InstanceId=self.instance_id, ContactFlowId=self.flow.id, Name=f"Case {case_id}",
                                         Attributes={"workItemId": case_id, "externalRouting": "true"},
                                         ClientToken=f"sfdc-case-{case_id}-1")
        self.org.tables["Case"][-1].update(Connect_Task_Contact_Id__c=task["ContactId"], Connect_Routing_Status__c="Sent")
        self.work_items[task["ContactId"]] = case_id
        self.contacts.flow_queued(task["ContactId"], queue)
        return str(task["ContactId"])

    def _omni_channel(self, offer: Offer, agent: Agent) -> None:
        work_item = self.work_items.get(offer.contact_id)
        if work_item is None:
            return
        if offer.state == "offered":
            self.org.add("AgentWork", Id=f"0Bz{len(self.org.tables['AgentWork']) + 1:015d}", WorkItemId=work_item,
                         UserId=self.users[agent.username], Status="Assigned", PendingServiceRoutingId=None)
            return
        rows = [r for r in self.org.tables["AgentWork"] if r["WorkItemId"] == work_item and r["UserId"] == self.users[agent.username]]
        rows[-1]["Status"] = STATUS[offer.state]

    def agent_work(self) -> list[dict[str, Any]]:
        return list(self.org.tables["AgentWork"])
