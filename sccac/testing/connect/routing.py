"""Agents and contact routing in the Connect fake: users, routing profiles, agent status, offers.

Amazon Connect's routing as far as the offline system needs it:

- A user has one routing profile; the profile serves (queue, channel) pairs and caps how many
  contacts of each channel the agent handles at once (``MediaConcurrencies``).
- An agent is routable when their status is ``Available`` and they are below the channel's
  concurrency. ``Offline`` and ``Missed`` (set by Connect after a missed offer) are not routable.
- A queued contact goes to the routable agent whose profile serves its queue and channel who has
  been idle longest; contacts wait in arrival order while no agent qualifies and are offered as
  soon as one does (an agent goes Available, or a contact of theirs ends).
- A contact transferred to an agent waits in that agent's queue: only that agent is offered it.
- Offered contacts are accepted, rejected (the contact is queued again at the head of its queue
  and goes to another agent, never back to one who refused it) or missed (no answer within ``offer_timeout_s``: the agent goes ``Missed`` and the contact
  is queued again).

State lives here, next to the backend (``models.py``), keyed by the instance; nothing here
knows HTTP. Listeners hear every offer change, which is how the Salesforce side of the offline
system (``sccac.testing.omni``) learns about them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sccac.testing.connect.exceptions import InvalidParameterException, InvalidRequestException, ResourceNotFoundException
from sccac.testing.connect.models import ConnectBackend, Instance, Queue, RoutingProfile

AVAILABLE = "Available"
OFFLINE = "Offline"
MISSED = "Missed"
CHANNELS = ("VOICE", "CHAT", "TASK")
#: Connect's maximum MediaConcurrencies per channel (voice is always 1).
MAX_CONCURRENCY = {"VOICE": 1, "CHAT": 10, "TASK": 10}


@dataclass
class Agent:
    """A Connect user as routing sees it."""

    id: str
    arn: str
    username: str
    routing_profile_id: str
    status: str = OFFLINE
    idle_since: float = 0.0  # when the agent last became free (status Available, or a contact ended)
    idle_order: int = 0  # ties at the same instant: who became free first
    contacts: dict[str, str] = field(default_factory=dict)  # contact id -> channel, offered or connected

    def load(self, channel: str) -> int:
        return sum(1 for c in self.contacts.values() if c == channel)


@dataclass
class QueuedContact:
    contact_id: str
    channel: str
    queue_id: str | None  # None: the contact waits in an agent's queue
    agent_id: str | None  # the agent of the agent queue
    enqueued_at: float
    refused_by: set[str] = field(default_factory=set)  # agents who rejected or missed it


@dataclass
class Offer:
    """A contact offered to an agent and what became of it."""

    contact_id: str
    channel: str
    agent_id: str
    queue_id: str | None
    offered_at: float
    state: str = "offered"  # offered | accepted | rejected | missed | ended


Listener = Callable[[Offer, "Agent"], None]


class ContactRouter:
    """Routing for one instance of a :class:`ConnectBackend` (its clock drives offer timeouts)."""

    def __init__(self, backend: ConnectBackend, instance_id: str, *, offer_timeout_s: float = 30.0) -> None:
        self.backend = backend
        self.instance: Instance = backend.instance(instance_id)
        self.offer_timeout_s = offer_timeout_s
        self.agents: dict[str, Agent] = {}
        self.concurrency: dict[str, dict[str, int]] = {}  # routing profile id -> channel -> contacts
        self.waiting: list[QueuedContact] = []
        self.offers: list[Offer] = []
        self.listeners: list[Listener] = []
        self._idle_counter = 0
        self.refusals: dict[str, set[str]] = {}  # contact id -> agents who rejected or missed it

    # -- set-up: routing profiles and users ---------------------------------------------------

    def create_routing_profile(self, name: str, queues: list[str], concurrency: dict[str, int]) -> RoutingProfile:
        """A routing profile serving ``queues`` (names or ARNs) on each channel it has concurrency for."""
        served = [self.queue(q) for q in queues]
        if not served:
            raise InvalidParameterException(f"routing profile {name} serves no queue")
        pairs = [(q.id, channel) for q in served for channel, count in concurrency.items() if count]
        return self.add_routing_profile(name, pairs, concurrency, served[0].id)

    def add_routing_profile(self, name: str, queue_channels: list[tuple[str, str]], concurrency: dict[str, int],
                            default_outbound_queue: str, description: str = "") -> RoutingProfile:
        """CreateRoutingProfile: (queue, channel) pairs and MediaConcurrencies per channel."""
        for channel, count in concurrency.items():
            if channel not in CHANNELS:
                raise InvalidParameterException(f"routing profile {name}: unknown channel {channel}; use one of {', '.join(CHANNELS)}")
            if not 0 <= count <= MAX_CONCURRENCY[channel]:
                raise InvalidParameterException(
                    f"routing profile {name}: {channel} concurrency {count} is outside 0..{MAX_CONCURRENCY[channel]}")
        if any(p.name == name for p in self.instance.routing_profiles.values()):
            raise InvalidParameterException(f"routing profile {name} already exists")
        profile = RoutingProfile(self.backend.new_id(), "", name, description,
                                 default_outbound_queue_id=self.queue(default_outbound_queue).id)
        profile.arn = self.instance.arn_of("routing-profile", profile.id)
        for queue_ref, channel in queue_channels:
            if channel not in concurrency:
                raise InvalidParameterException(f"routing profile {name}: queue {queue_ref} on {channel}, which has no concurrency")
            profile.queue_configs[(self.queue(queue_ref).id, channel)] = (1, 0)
        self.instance.routing_profiles[profile.id] = profile
        self.concurrency[profile.id] = dict(concurrency)
        return profile

    def create_user(self, username: str, routing_profile: str) -> Agent:
        """A Connect user (agent) with the named routing profile; Offline until they set a status."""
        if any(a.username == username for a in self.agents.values()):
            raise InvalidParameterException(f"user {username} already exists")
        profile = next((p for p in self.instance.routing_profiles.values() if routing_profile in (p.name, p.id, p.arn)), None)
        if profile is None:
            known = ", ".join(sorted(p.name for p in self.instance.routing_profiles.values()))
            raise ResourceNotFoundException(f"user {username}: no routing profile {routing_profile} (known: {known})")
        user_id = self.backend.new_id()
        agent = Agent(user_id, self.instance.arn_of("agent", user_id), username, profile.id)
        self._idle(agent)
        self.agents[user_id] = agent
        return agent

    def queue(self, ref: str) -> Queue:
        """A queue by name, id or ARN."""
        for queue in self.instance.queues.values():
            if ref in (queue.name, queue.id, queue.arn):
                return queue
        raise ResourceNotFoundException(f"queue not found: {ref}")

    def user(self, ref: str) -> Agent:
        """A user by username, id or ARN."""
        for agent in self.agents.values():
            if ref in (agent.username, agent.id, agent.arn):
                return agent
        known = ", ".join(sorted(a.username for a in self.agents.values())) or "none"
        raise ResourceNotFoundException(f"no Connect user {ref} (users: {known})")

    def now(self) -> float:
        return self.backend.clock.monotonic()

    # -- agent status -------------------------------------------------------------------------

    def set_status(self, user: str, status: str) -> list[Offer]:
        """PutUserStatus: ``Available`` or ``Offline``; returns the offers it caused."""
        if status not in (AVAILABLE, OFFLINE):
            raise InvalidParameterException(f"agent status {status!r}: use {AVAILABLE} or {OFFLINE}")
        agent = self.user(user)
        if status == AVAILABLE and agent.status != AVAILABLE:
            self._idle(agent)
        agent.status = status
        return self.dispatch()

    # -- contacts -----------------------------------------------------------------------------

    def enqueue(self, contact_id: str, channel: str, queue: str | None = None, agent: str | None = None) -> list[Offer]:
        """A contact arrives in a queue (or, with ``agent``, that agent's queue); returns the offers made.

        A contact already waiting, offered or connected is not queued twice: Connect has one
        place in one queue per contact.
        """
        if channel not in CHANNELS:
            raise InvalidRequestException(f"contact {contact_id}: unknown channel {channel}")
        if (queue is None) == (agent is None):
            raise InvalidRequestException(f"contact {contact_id}: queue it in a queue or in an agent's queue, not both or neither")
        if self.is_known(contact_id):
            return []
        queue_id = self.queue(queue).id if queue is not None else None
        agent_id = self.user(agent).id if agent is not None else None
        self.waiting.append(QueuedContact(contact_id, channel, queue_id, agent_id, self.now()))
        return self.dispatch()

    def is_known(self, contact_id: str) -> bool:
        return any(w.contact_id == contact_id for w in self.waiting) or any(
            contact_id in a.contacts for a in self.agents.values())

    def offer_of(self, contact_id: str) -> Offer:
        """The contact's current offer (offered or accepted)."""
        for offer in reversed(self.offers):
            if offer.contact_id == contact_id and offer.state in ("offered", "accepted"):
                return offer
        raise InvalidRequestException(f"contact {contact_id} is not offered to or connected with any agent")

    def accept(self, contact_id: str) -> Offer:
        offer = self.offer_of(contact_id)
        if offer.state != "offered":
            raise InvalidRequestException(f"contact {contact_id} was already accepted")
        return self._settle(offer, "accepted")

    def reject(self, contact_id: str) -> list[Offer]:
        """The agent rejects the offer: the contact is queued again, other agents first."""
        offer = self.offer_of(contact_id)
        if offer.state != "offered":
            raise InvalidRequestException(f"contact {contact_id} is connected; an accepted contact cannot be rejected")
        self._requeue(offer, "rejected")
        return self.dispatch()

    def end(self, contact_id: str) -> list[Offer]:
        """The contact ends for its agent (closed, or transferred away): the agent's slot frees up."""
        offer = self.offer_of(contact_id)
        self._settle(offer, "ended")
        agent = self.agents[offer.agent_id]
        agent.contacts.pop(contact_id, None)
        self._idle(agent)
        return self.dispatch()

    def abandon(self, contact_id: str) -> None:
        """The customer leaves while the contact still waits in a queue."""
        self.waiting = [w for w in self.waiting if w.contact_id != contact_id]

    def expire_offers(self) -> list[Offer]:
        """Offers older than the timeout are missed: the agent goes Missed and the contact is queued again."""
        missed = [o for o in self.offers if o.state == "offered" and self.now() - o.offered_at >= self.offer_timeout_s]
        for offer in missed:
            self.agents[offer.agent_id].status = MISSED
            self._requeue(offer, "missed")
        return missed + self.dispatch()

    def wait(self, seconds: float) -> list[Offer]:
        """Let virtual time pass (the backend's clock must be a virtual one for tests to stay fast)."""
        self.backend.clock.sleep(seconds)
        return self.expire_offers()

    # -- routing ------------------------------------------------------------------------------

    def dispatch(self) -> list[Offer]:
        """Offer waiting contacts, oldest first, each to the longest-idle routable agent that serves it."""
        made: list[Offer] = []
        for queued in list(self.waiting):
            agent = self._pick(queued)
            if agent is None:
                continue
            self.waiting.remove(queued)
            offer = Offer(queued.contact_id, queued.channel, agent.id, queued.queue_id, self.now())
            agent.contacts[queued.contact_id] = queued.channel
            self.offers.append(offer)
            made.append(offer)
            self._tell(offer, agent)
        return made

    def _pick(self, queued: QueuedContact) -> Agent | None:
        # An agent who rejected or missed the contact is not offered it again: it waits for another.
        candidates = [a for a in self.agents.values() if a.id not in queued.refused_by and self._serves(a, queued)]
        if not candidates:
            return None
        return min(candidates, key=lambda a: (a.idle_since, a.idle_order))

    def _serves(self, agent: Agent, queued: QueuedContact) -> bool:
        if agent.status != AVAILABLE:
            return False
        limit = self.concurrency.get(agent.routing_profile_id, {}).get(queued.channel, 0)
        if queued.agent_id is not None:
            # Agent queues bypass the profile's queues, not its concurrency.
            return agent.id == queued.agent_id and agent.load(queued.channel) < limit
        profile = self.instance.routing_profiles[agent.routing_profile_id]
        return (queued.queue_id, queued.channel) in profile.queue_configs and agent.load(queued.channel) < limit

    def _requeue(self, offer: Offer, state: str) -> None:
        self._settle(offer, state)
        agent = self.agents[offer.agent_id]
        agent.contacts.pop(offer.contact_id, None)
        self._idle(agent)
        self.refusals.setdefault(offer.contact_id, set()).add(offer.agent_id)
        queued = QueuedContact(offer.contact_id, offer.channel, offer.queue_id,
                               None if offer.queue_id else offer.agent_id, offer.offered_at,
                               set(self.refusals[offer.contact_id]))
        earlier = next((w for w in self.waiting if w.contact_id == offer.contact_id), None)
        if earlier is None:
            self.waiting.insert(0, queued)  # it keeps its place at the head of the queue

    def _idle(self, agent: Agent) -> None:
        self._idle_counter += 1
        agent.idle_since, agent.idle_order = self.now(), self._idle_counter

    def _settle(self, offer: Offer, state: str) -> Offer:
        offer.state = state
        self._tell(offer, self.agents[offer.agent_id])
        return offer

    def _tell(self, offer: Offer, agent: Agent) -> None:
        for listener in self.listeners:
            listener(offer, agent)


def adopt_queue(backend: ConnectBackend, instance_id: str, name: str, queue_id: str) -> Queue:
    """Give the instance a queue ``name`` whose id is ``queue_id`` (creating it if missing).

    The offline system derives its queue ARNs from names, so the same queue has the same ARN in
    every run; Connect makes ids up, so they are set here after the queue exists.
    """
    inst = backend.instance(instance_id)
    queue = next((q for q in inst.queues.values() if q.name == name), None)
    if queue is None:
        queue = backend.create_queue(instance_id, name, next(iter(inst.hours)))
    old_id = queue.id
    del inst.queues[old_id]
    queue.id, queue.arn = queue_id, inst.arn_of("queue", queue_id)
    inst.queues[queue_id] = queue
    for profile in inst.routing_profiles.values():
        for key in [k for k in profile.queue_configs if k[0] == old_id]:
            profile.queue_configs[(queue_id, key[1])] = profile.queue_configs.pop(key)
        if profile.default_outbound_queue_id == old_id:
            profile.default_outbound_queue_id = queue_id
    return queue
