"""Parse and validate the Amazon Connect Lambda event into typed inputs for the handlers.

Connect sends ``{"Details": {"ContactData": {..., "ContactId", "Attributes": {...}},
"Parameters": {...}}, "Name": "ContactFlowEvent"}``. Parameters are the block's own
inputs; Attributes are the contact attributes set earlier in the flow. When a name is in
both, the block parameter wins because it is the more specific, explicit setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sccac.lambdas.errors import InvalidInputError
from sccac.lambdas.ids import UUID_RE, is_salesforce_id

_MAX_CLIENT_ID = 255  # Interaction Service limit for an end-user client identifier
ROUTING_TYPES = ("Initial", "Transfer")


@dataclass(frozen=True)
class ContactEvent:
    """The parts of a Connect event every handler needs."""

    contact_id: str
    attributes: Mapping[str, str]
    parameters: Mapping[str, str]

    def value(self, name: str) -> str | None:
        """A non-blank value from the block parameters, else from the contact attributes."""
        for source in (self.parameters, self.attributes):
            raw = source.get(name)
            if raw is not None and str(raw).strip():
                return str(raw).strip()
        return None


@dataclass(frozen=True)
class SessionRequest:
    """Inputs of CreateMessagingSession."""

    contact_id: str
    channel_address_identifier: str
    client_id: str | None

    @property
    def participant_subject(self) -> str:
        # Salesforce keys the messaging end user on this subject: a stable clientId links
        # this session to the customer's earlier ones; without one the contact is its own user.
        return self.client_id or self.contact_id


@dataclass(frozen=True)
class RouteRequest:
    """Inputs of the Routing function."""

    contact_id: str
    routing_type: str
    conversation_identifier: str
    omni_flow_id: str | None
    omni_queue_id: str | None


def parse_contact_event(event: Any) -> ContactEvent:
    """Pull ContactId, Attributes and Parameters out of a Connect event, or say what is wrong."""
    if not isinstance(event, Mapping):
        raise InvalidInputError(
            "The Lambda event is not a JSON object.",
            field="event",
            fix="Invoke the function from an Amazon Connect 'Invoke AWS Lambda function' block.",
        )
    details = event.get("Details")
    if not isinstance(details, Mapping):
        details = {}
    contact = details.get("ContactData")
    if not isinstance(contact, Mapping):
        raise InvalidInputError(
            "The event has no Details.ContactData: it does not come from Amazon Connect.",
            field="Details.ContactData",
            fix="Invoke the function from an Amazon Connect contact flow.",
        )
    contact_id = contact.get("ContactId")
    if not isinstance(contact_id, str) or not contact_id.strip():
        raise InvalidInputError(
            "Details.ContactData.ContactId is missing.",
            field="ContactId",
            fix="Invoke the function from an Amazon Connect contact flow, which always sends it.",
        )
    contact_id = contact_id.strip()
    attributes = _string_map(contact.get("Attributes"), "Details.ContactData.Attributes", contact_id)
    parameters = _string_map(details.get("Parameters"), "Details.Parameters", contact_id)
    return ContactEvent(contact_id=contact_id, attributes=attributes, parameters=parameters)


def parse_session_request(event: Any) -> SessionRequest:
    """Validate the CreateMessagingSession inputs."""
    contact = parse_contact_event(event)
    channel = contact.value("channelAddressIdentifier")
    if channel is None:
        raise InvalidInputError(
            "channelAddressIdentifier is missing from the contact attributes and the block parameters.",
            field="channelAddressIdentifier",
            contact_id=contact.contact_id,
            fix="Set the contact attribute channelAddressIdentifier to the ChannelAddressIdentifier "
            "of the Salesforce MessagingChannel before the Lambda block.",
        )
    if not UUID_RE.match(channel):
        raise InvalidInputError(
            "channelAddressIdentifier is not a UUID (it may still be a placeholder).",
            field="channelAddressIdentifier",
            contact_id=contact.contact_id,
            fix="Copy the MessagingChannel's ChannelAddressIdentifier (a UUID) into the flow's "
            "Set contact attributes block.",
        )
    client_id = contact.value("clientId")
    if client_id is not None and len(client_id) > _MAX_CLIENT_ID:
        raise InvalidInputError(
            f"clientId is longer than {_MAX_CLIENT_ID} characters.",
            field="clientId",
            contact_id=contact.contact_id,
            fix="Use a shorter stable customer identifier (a GUID or an email address).",
        )
    return SessionRequest(
        contact_id=contact.contact_id,
        channel_address_identifier=channel.lower(),
        client_id=client_id,
    )


def parse_route_request(event: Any) -> RouteRequest:
    """Validate the Routing inputs (routingType, conversation, optional Omni overrides)."""
    contact = parse_contact_event(event)
    cid = contact.contact_id
    raw_type = contact.value("routingType")
    if raw_type is None:
        raise InvalidInputError(
            "routingType is missing.",
            field="routingType",
            contact_id=cid,
            fix="Add the block parameter routingType with the value Initial (inbound flow) or "
            "Transfer (transfer flows).",
        )
    routing_type = next((t for t in ROUTING_TYPES if t.lower() == raw_type.lower()), None)
    if routing_type is None:
        raise InvalidInputError(
            f"routingType '{raw_type[:40]}' is not one of {', '.join(ROUTING_TYPES)}.",
            field="routingType",
            contact_id=cid,
            fix="Set routingType to Initial or Transfer.",
        )
    conversation = contact.value("conversationIdentifier")
    if conversation is None:
        raise InvalidInputError(
            "conversationIdentifier is missing from the contact attributes.",
            field="conversationIdentifier",
            contact_id=cid,
            fix="Run the CreateMessagingSession Lambda first and store its result "
            "conversationIdentifier as a contact attribute.",
        )
    flow_id = _optional_sf_id(contact, "omniFlowId", None)
    queue_id = _optional_sf_id(contact, "omniQueueId", "00G")
    if flow_id is not None and queue_id is None:
        # Interaction API error 10024: "For Flow based Routing, flow ID and Fallback Queue ID
        # are required fields." Caught here, before any call, with the field to fix.
        raise InvalidInputError(
            "omniFlowId was given without omniQueueId: the Route API needs a fallback queue with a flow.",
            field="omniQueueId",
            contact_id=cid,
            fix="omniFlowId needs omniQueueId as the fallback queue: add the block parameter "
            "omniQueueId (an Omni-Queue Id, 00G...), or remove omniFlowId.",
        )
    return RouteRequest(
        contact_id=cid,
        routing_type=routing_type,
        conversation_identifier=conversation,
        omni_flow_id=flow_id,
        omni_queue_id=queue_id,
    )


def _optional_sf_id(contact: ContactEvent, name: str, prefix: str | None) -> str | None:
    # Overrides are block parameters only: a stale contact attribute must not reroute a contact.
    raw = contact.parameters.get(name)
    if raw is None or not str(raw).strip():
        return None
    value = str(raw).strip()
    if not is_salesforce_id(value, prefix):
        kind = "an Omni-Queue (Group) Id starting with 00G" if prefix else "a Salesforce record Id"
        raise InvalidInputError(
            f"{name} '{value[:40]}' is not {kind} (15 or 18 characters).",
            field=name,
            contact_id=contact.contact_id,
            fix=f"Set the block parameter {name} to the record Id, or remove it to use the "
            "routing configured on the messaging channel.",
        )
    return value


def _string_map(raw: Any, where: str, contact_id: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InvalidInputError(
            f"{where} is not a map of strings.",
            field=where,
            contact_id=contact_id,
            fix="Check the flow's Lambda block parameters.",
        )
    # Connect sends strings; tolerate numbers/booleans from hand-written test events.
    return {str(k): "" if v is None else str(v) for k, v in raw.items()}
