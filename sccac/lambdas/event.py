"""Parse and validate the Amazon Connect Lambda event into typed inputs for the handlers.

Connect sends ``{"Details": {"ContactData": {..., "ContactId", "Attributes": {...}},
"Parameters": {...}}, "Name": "ContactFlowEvent"}``. Parameters are the block's own
inputs; Attributes are the contact attributes set earlier in the flow. When a name is in
both, the block parameter wins because it is the more specific, explicit setting.

Whatever the event holds, parsing returns a request or raises ``InvalidInputError`` (a
property test feeds it arbitrary JSON); an error quotes at most a short, escaped excerpt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sccac.lambdas.errors import InvalidInputError
from sccac.lambdas.ids import UUID_RE, is_salesforce_id
from sccac.lambdas.redact import quote

_MAX_CLIENT_ID = 255  # Interaction Service limit for an end-user client identifier
# A Connect ContactId is a 36-character UUID; the offline simulator uses short names. Anything
# longer is not a contact id and is never echoed (it would be logged with every line).
_MAX_CONTACT_ID = 128
_MAX_CONVERSATION_ID = 255
ROUTING_TYPES = ("Initial", "Transfer")


@dataclass(frozen=True)
class ContactEvent:
    """The parts of a Connect event every handler needs.

    ``not_text``: names whose value (parameter or attribute) is an object or a list, which
    Connect never sends; reading one is an error, ignoring the others keeps a stray attribute
    from failing a contact that does not need it.
    """

    contact_id: str
    attributes: Mapping[str, str]
    parameters: Mapping[str, str]
    not_text: frozenset[str] = field(default_factory=frozenset)
    not_text_parameters: frozenset[str] = field(default_factory=frozenset)

    def value(self, name: str) -> str | None:
        """A non-blank value from the block parameters, else from the contact attributes."""
        if name in self.not_text:
            raise InvalidInputError(
                f"{name} is not text (an object or a list).",
                field=name,
                contact_id=self.contact_id,
                fix=f"Set {name} to a text value in the flow (block parameter or contact attribute).",
            )
        for source in (self.parameters, self.attributes):
            raw = source.get(name)
            if raw is not None and raw.strip():
                return raw.strip()
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
    if len(contact_id) > _MAX_CONTACT_ID or not contact_id.isprintable():
        raise InvalidInputError(
            f"Details.ContactData.ContactId is not a contact id ({len(contact_id)} characters; "
            f"at most {_MAX_CONTACT_ID} printable ones).",
            field="ContactId",
            fix="Invoke the function from an Amazon Connect contact flow, which sends the contact's UUID.",
        )
    attributes, bad_attributes = _string_map(contact.get("Attributes"), "Details.ContactData.Attributes", contact_id)
    parameters, bad_parameters = _string_map(details.get("Parameters"), "Details.Parameters", contact_id)
    # A text parameter hides a bad attribute of the same name (the parameter wins).
    not_text = bad_parameters | (bad_attributes - parameters.keys())
    return ContactEvent(contact_id=contact_id, attributes=attributes, parameters=parameters, not_text=not_text,
                        not_text_parameters=bad_parameters)


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
            f"routingType '{quote(raw_type, 40)}' is not one of {', '.join(ROUTING_TYPES)}.",
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
    if len(conversation) > _MAX_CONVERSATION_ID:
        raise InvalidInputError(
            f"conversationIdentifier is longer than {_MAX_CONVERSATION_ID} characters.",
            field="conversationIdentifier",
            contact_id=cid,
            fix="Store CreateMessagingSession's conversationIdentifier result, unchanged, as the "
            "contact attribute conversationIdentifier.",
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
    if name in contact.not_text_parameters:
        contact.value(name)  # raises the "not text" error
    raw = contact.parameters.get(name)
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if not is_salesforce_id(value, prefix):
        kind = "an Omni-Queue (Group) Id starting with 00G" if prefix else "a Salesforce record Id"
        raise InvalidInputError(
            f"{name} '{quote(value, 40)}' is not {kind} (15 or 18 characters).",
            field=name,
            contact_id=contact.contact_id,
            fix=f"Set the block parameter {name} to the record Id, or remove it to use the "
            "routing configured on the messaging channel.",
        )
    return value


def _string_map(raw: Any, where: str, contact_id: str) -> tuple[dict[str, str], frozenset[str]]:
    """The text values of a map, and the names whose values are objects or lists."""
    if raw is None:
        return {}, frozenset()
    if not isinstance(raw, Mapping):
        raise InvalidInputError(
            f"{where} is not a map of strings.",
            field=where,
            contact_id=contact_id,
            fix="Check the flow's Lambda block parameters.",
        )
    values: dict[str, str] = {}
    not_text: set[str] = set()
    for key, value in raw.items():
        if not isinstance(key, str):
            continue  # JSON keys are strings; nothing we read can have another key
        text = _text(value)
        if text is None:
            not_text.add(key)
        else:
            values[key] = text
    return values, frozenset(not_text)


def _text(value: Any) -> str | None:
    # Connect sends strings; tolerate numbers/booleans from hand-written test events.
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        try:
            return str(value)
        except ValueError:  # an integer past Python's digit limit for str()
            return None
    return None
