"""The Omni-Channel records of the offline org: users, the routing map, PendingServiceRouting, AgentWork.

With SCC-AC, Amazon Connect picks the agent and Omni-Channel shows the work to the matching
Salesforce user as an offer. The records follow the Salesforce object reference:

- ``PendingServiceRouting`` (PSR): one per work item waiting for an agent, ``RoutingModel``
  ``ExternalRouting`` (Omni-Channel does not route it itself); deleted when a rep accepts.
- ``AgentWork``: one per offer, ``Status`` ``Assigned`` (offered), ``Opened`` (accepted),
  ``Declined``, ``DeclinedOnPushTimeout`` (missed), ``Unavailable`` (rep went offline),
  ``Closed``, ``Canceled`` or ``Transferred``; Declined, DeclinedOnPushTimeout and Unavailable
  mean the work needs another rep, so the PSR stays.
- ``CallCenterRoutingMap``: the contact center's user (here the Connect user ARN) to the Salesforce
  ``User`` the offer is for. An offer for a Connect user with no map entry is refused with an error
  naming the user, as the org cannot show it to anyone.

What is inferred rather than published (how the offer reaches Omni-Channel, the Transferred status
on a transferred chat's earlier AgentWork) is listed in docs/offers.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sccac.testing.interaction_service.models import salesforce_id

ASSIGNED = "Assigned"
OPENED = "Opened"
DECLINED = "Declined"
DECLINED_ON_PUSH_TIMEOUT = "DeclinedOnPushTimeout"
UNAVAILABLE = "Unavailable"
CLOSED = "Closed"
CANCELED = "Canceled"
TRANSFERRED = "Transferred"
#: The statuses after which the work item needs another rep.
NEEDS_ANOTHER_REP = frozenset({DECLINED, DECLINED_ON_PUSH_TIMEOUT, UNAVAILABLE})


class OmniError(LookupError):
    """A record the org does not have (a user, a routing map entry, an AgentWork)."""


@dataclass(frozen=True)
class User:
    id: str
    username: str


@dataclass
class PendingServiceRouting:
    id: str
    work_item_id: str
    queue_id: str | None
    service_channel: str  # "sfdc_livemessage" (MessagingSession) or "Case"
    routing_model: str = "ExternalRouting"
    routing_type: str = "QueueBased"
    capacity_weight: float = 1.0


@dataclass
class AgentWork:
    id: str
    work_item_id: str
    user_id: str
    service_channel: str
    pending_service_routing_id: str | None
    status: str = ASSIGNED
    external_contact_id: str = ""  # the Connect contact the offer belongs to


@dataclass
class OmniChannel:
    """The offline org's Omni-Channel state (one org)."""

    users: dict[str, User] = field(default_factory=dict)  # by Id
    routing_map: dict[str, str] = field(default_factory=dict)  # CallCenterRoutingMap: ExternalId -> User Id
    psrs: dict[str, PendingServiceRouting] = field(default_factory=dict)  # by WorkItemId
    agent_work: list[AgentWork] = field(default_factory=list)
    _counter: int = 0

    def _next_id(self, prefix: str) -> str:
        self._counter += 1
        return salesforce_id(prefix, self._counter)

    # -- set-up -------------------------------------------------------------------------------

    def add_user(self, username: str) -> User:
        existing = self.user(username, missing_ok=True)
        if existing is not None:
            return existing
        user = User(self._next_id("005"), username)
        self.users[user.id] = user
        return user

    def user(self, ref: str, *, missing_ok: bool = False) -> User | None:
        found = next((u for u in self.users.values() if ref in (u.id, u.username)), None)
        if found is None and not missing_ok:
            known = ", ".join(sorted(u.username for u in self.users.values())) or "none"
            raise OmniError(f"no Salesforce user {ref} (users: {known})")
        return found

    def map_agent(self, external_id: str, username: str) -> None:
        """A CallCenterRoutingMap entry: the Connect user ``external_id`` is the Salesforce user ``username``."""
        user = self.user(username)
        assert user is not None
        self.routing_map[external_id] = user.id

    # -- routing ------------------------------------------------------------------------------

    def open_routing(self, work_item_id: str, queue_id: str | None, service_channel: str, psr_id: str | None = None) -> PendingServiceRouting:
        """The work item waits for an agent: its PSR (one per work item; a later routing replaces it)."""
        psr = PendingServiceRouting(psr_id or self._next_id("0JR"), work_item_id, queue_id, service_channel)
        self.psrs[work_item_id] = psr
        return psr

    def offer(self, work_item_id: str, external_user_id: str, contact_id: str, service_channel: str) -> AgentWork:
        """Connect offered the contact of ``work_item_id`` to an agent: the offer is AgentWork ``Assigned``."""
        user_id = self.routing_map.get(external_user_id)
        if user_id is None:
            raise OmniError(
                f"Connect user {external_user_id} has no CallCenterRoutingMap entry: Omni-Channel cannot show "
                f"the offer of {work_item_id} to any Salesforce user. Map the Connect user to its Salesforce user.")
        psr = self.psrs.get(work_item_id)
        work = AgentWork(self._next_id("0Bz"), work_item_id, user_id, service_channel,
                         psr.id if psr else None, ASSIGNED, contact_id)
        self.agent_work.append(work)
        return work

    def current(self, contact_id: str) -> AgentWork:
        """The latest AgentWork of a Connect contact."""
        for work in reversed(self.agent_work):
            if work.external_contact_id == contact_id:
                return work
        raise OmniError(f"no AgentWork for Connect contact {contact_id}")

    def set_status(self, contact_id: str, status: str) -> AgentWork:
        work = self.current(contact_id)
        work.status = status
        if status == OPENED:
            # Accepted: the PSR is deleted (Interaction Service reference).
            self.psrs.pop(work.work_item_id, None)
        return work

    def work_for(self, work_item_id: str, user_id: str | None = None) -> list[AgentWork]:
        return [w for w in self.agent_work if w.work_item_id == work_item_id and (user_id is None or w.user_id == user_id)]
