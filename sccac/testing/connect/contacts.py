"""Contact APIs of the Connect fake: DescribeContact, Get/UpdateContactAttributes, StopContact.

They answer for the contacts the fake started (StartChatContact, StartTaskContact). The fake runs
no flow, so a test plays the flow's part with :meth:`ContactOperations.flow_queued` (the contact
reached a queue, optionally with the attributes the flow set) or :meth:`flow_disconnected`;
with a :class:`~sccac.testing.connect.routing.ContactRouter` attached, a queued contact is routed to
an agent, and DescribeContact shows the agent once the offer is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sccac.testing.connect.exceptions import ResourceNotFoundException
from sccac.testing.connect.models import Contact, Instance
from sccac.testing.connect.responses import ConnectFake
from sccac.testing.connect.routing import ContactRouter


@dataclass
class ContactState:
    initiated_at: float
    queue_id: str | None = None
    enqueued_at: float | None = None
    disconnected_at: float | None = None


class ContactOperations:
    def __init__(self, fake: ConnectFake, router: ContactRouter | None = None) -> None:
        self.fake = fake
        self.router = router
        self.states: dict[str, ContactState] = {}
        for operation, handler in (
            ("DescribeContact", self._describe_contact),
            ("GetContactAttributes", self._get_attributes),
            ("UpdateContactAttributes", self._update_attributes),
            ("StopContact", self._stop_contact),
            ("DescribeQueue", self._describe_queue),
        ):
            fake.register(operation, handler)

    # -- what the flow does (the fake runs no flow) -------------------------------------------

    def flow_queued(self, contact_id: str, queue: str, attributes: dict[str, str] | None = None) -> None:
        inst, contact = self._find(contact_id)
        contact.attributes.update(attributes or {})
        state = self._state(contact_id)
        queue_obj = self.fake.backend.queue(inst, queue) if queue.startswith("arn:") else next(
            (q for q in inst.queues.values() if q.name == queue), None)
        if queue_obj is None:
            raise ResourceNotFoundException(f"queue not found: {queue}")
        state.queue_id, state.enqueued_at = queue_obj.id, self._now()
        if self.router is not None:
            self.router.enqueue(contact_id, contact.channel, queue=queue_obj.id)

    def flow_disconnected(self, contact_id: str, attributes: dict[str, str] | None = None) -> None:
        _, contact = self._find(contact_id)
        contact.attributes.update(attributes or {})
        self._state(contact_id).disconnected_at = self._now()

    # -- operations ---------------------------------------------------------------------------

    def _describe_contact(self, p: dict[str, Any]) -> dict[str, Any]:
        inst, contact = self._find(p["ContactId"], p["InstanceId"])
        state = self._state(contact.id)
        body: dict[str, Any] = {
            "Arn": inst.arn_of("contact", contact.id), "Id": contact.id, "InitialContactId": contact.id,
            "Channel": contact.channel, "InitiationMethod": "API", "InitiationTimestamp": state.initiated_at,
        }
        if contact.name:
            body["Name"] = contact.name
        if state.queue_id is not None:
            body["QueueInfo"] = {"Id": state.queue_id, "EnqueueTimestamp": state.enqueued_at}
        agent = self._agent_of(contact.id)
        if agent is not None:
            body["AgentInfo"] = {"Id": agent}
        if state.disconnected_at is not None:
            body["DisconnectTimestamp"] = state.disconnected_at
        return {"Contact": body}

    def _get_attributes(self, p: dict[str, Any]) -> dict[str, Any]:
        _, contact = self._find(p["InitialContactId"], p["InstanceId"])
        return {"Attributes": dict(contact.attributes)}

    def _update_attributes(self, p: dict[str, Any]) -> dict[str, Any]:
        _, contact = self._find(p["InitialContactId"], p["InstanceId"])
        contact.attributes.update(p["Attributes"])
        return {}

    def _stop_contact(self, p: dict[str, Any]) -> dict[str, Any]:
        _, contact = self._find(p["ContactId"], p["InstanceId"])
        state = self._state(contact.id)
        if state.disconnected_at is None:
            state.disconnected_at = self._now()
        return {}

    def _describe_queue(self, p: dict[str, Any]) -> dict[str, Any]:
        inst = self.fake.backend.instance(p["InstanceId"])
        queue = self.fake.backend.queue(inst, p["QueueId"])
        return {"Queue": {"Name": queue.name, "QueueArn": queue.arn, "QueueId": queue.id, "Status": queue.status,
                          "HoursOfOperationId": queue.hours_of_operation_id}}

    # -- helpers ------------------------------------------------------------------------------

    def _now(self) -> float:
        return self.fake.backend.clock.time()

    def _state(self, contact_id: str) -> ContactState:
        return self.states.setdefault(contact_id, ContactState(self._now()))

    def _find(self, contact_id: str, instance_id: str | None = None) -> tuple[Instance, Contact]:
        instances = [self.fake.backend.instance(instance_id)] if instance_id else list(self.fake.backend.instances.values())
        for inst in instances:
            for contact in inst.contacts:
                if contact.id == contact_id:
                    return inst, contact
        raise ResourceNotFoundException(f"Contact not found: {contact_id}")

    def _agent_of(self, contact_id: str) -> str | None:
        if self.router is None:
            return None
        for offer in reversed(self.router.offers):
            if offer.contact_id == contact_id and offer.state == "accepted":
                return offer.agent_id
        return None
