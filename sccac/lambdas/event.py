"""Parse and validate the Amazon Connect Lambda event into typed inputs for the handlers.

Connect sends ``{"Details": {"ContactData": {..., "ContactId", "Attributes": {...}},
"Parameters": {...}}, "Name": "ContactFlowEvent"}``. Parameters are the block's own
inputs; Attributes are the contact attributes set earlier in the flow. When a name is in
both, the block parameter wins because it is the more specific, explicit setting.

Whatever the event holds, parsing returns a request or raises ``InvalidInputError`` (a
property test feeds it arbitrary JSON); an error quotes at most a short, escaped excerpt.
"""

from __future__ import annotations

import re
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
    # The first contact of a transfer or reconnect chain (ContactData.InitialContactId), or None.
    initial_contact_id: str | None = None

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
    initial_contact_id: str | None = None
    # Block parameter of the disconnect flow with re-queue (ours): the session that ended. The
    # request for a new session is keyed on it, so each re-queue is a new request and its
    # retries one.
    previous_work_item_id: str | None = None

    @property
    def request_key(self) -> str:
        """What the RequestId and the entry id derive from, beside the ContactId."""
        return f"requeue/{self.previous_work_item_id}" if self.previous_work_item_id else "entry"

    @property
    def participant_subject(self) -> str:
        # Salesforce keys the messaging end user on this subject (the interaction's ``from``):
        # a stable clientId links this session to the customer's earlier ones; without one,
        # SCC-AC's own function uses the InitialContactId, so a transferred or reconnected
        # contact (a new ContactId) keeps its end user and conversation.
        return self.client_id or self.initial_contact_id or self.contact_id


@dataclass(frozen=True)
class RouteRequest:
    """Inputs of the Routing function (block parameters as SCC-AC's own routing function reads them)."""

    contact_id: str
    routing_type: str
    conversation_identifier: str
    queue_id: str | None = None  # salesforceQueueId: route to this Omni-Queue
    flow_id: str | None = None  # salesforceFlowId: route with this Omni-Flow ...
    fallback_queue_id: str | None = None  # salesforceFlowFallbackQueueId: ... and this fallback queue
    # salesforceFlowRoutingAttributes.<name> = value, sent as routingInfo.routingAttributes
    routing_attributes: Mapping[str, str] = field(default_factory=dict)
    # The contact attribute workItemId (the session CreateMessagingSession returned), when it is a
    # MessagingSession Id: a re-queued contact routes its new session as a new request.
    work_item_id: str | None = None


# SCC-AC's block parameter names (its routing function reads exactly these).
PARAM_QUEUE = "salesforceQueueId"
PARAM_FLOW = "salesforceFlowId"
PARAM_FLOW_FALLBACK = "salesforceFlowFallbackQueueId"
PARAM_ATTRIBUTE_PREFIX = "salesforceFlowRoutingAttributes."
ROUTING_PARAMETERS = (PARAM_QUEUE, PARAM_FLOW, PARAM_FLOW_FALLBACK)
#: Names this package used before it took SCC-AC's: the new name for each.
RENAMED_PARAMETERS = {"omniQueueId": PARAM_QUEUE, "omniFlowId": PARAM_FLOW}
#: A routing attribute name Salesforce can map to an Omni-Flow input variable: a developer
#: name (letter first; letters, digits, single underscores; no trailing underscore).
ROUTING_ATTRIBUTE_NAME_RE = re.compile(r"^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)\Z")
MAX_ROUTING_ATTRIBUTE_NAME = 80
MAX_ROUTING_ATTRIBUTE_VALUE = 255


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
    initial = contact.get("InitialContactId")
    initial_contact_id = (
        initial.strip()
        if isinstance(initial, str) and initial.strip() and len(initial.strip()) <= _MAX_CONTACT_ID
        and initial.strip().isprintable()
        else None  # not a contact id: the ContactId stands in, as for a first contact
    )
    attributes, bad_attributes = _string_map(contact.get("Attributes"), "Details.ContactData.Attributes", contact_id)
    parameters, bad_parameters = _string_map(details.get("Parameters"), "Details.Parameters", contact_id)
    # A text parameter hides a bad attribute of the same name (the parameter wins).
    not_text = bad_parameters | (bad_attributes - parameters.keys())
    return ContactEvent(contact_id=contact_id, attributes=attributes, parameters=parameters, not_text=not_text,
                        not_text_parameters=bad_parameters, initial_contact_id=initial_contact_id)


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
        initial_contact_id=contact.initial_contact_id,
        previous_work_item_id=_optional_sf_id(contact, "previousWorkItemId", "0Mw"),
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
    for old, new in RENAMED_PARAMETERS.items():
        if contact.parameters.get(old, "").strip():
            # The old name would be ignored, routing the contact somewhere else without a word.
            raise InvalidInputError(
                f"The block parameter {old} was renamed {new} (SCC-AC's name).",
                field=old,
                contact_id=cid,
                fix=f"Rename the Routing block's parameter {old} to {new}; "
                "`sccac flows lint` lists every block that still uses the old name.",
            )
    queue_id = _optional_sf_id(contact, PARAM_QUEUE, "00G")
    flow_id = _optional_sf_id(contact, PARAM_FLOW, None)
    fallback_id = _optional_sf_id(contact, PARAM_FLOW_FALLBACK, "00G")
    if queue_id is not None and (flow_id is not None or fallback_id is not None):
        raise InvalidInputError(
            f"{PARAM_QUEUE} was given together with {PARAM_FLOW}/{PARAM_FLOW_FALLBACK}: route either to "
            "a queue or with a flow.",
            field=PARAM_QUEUE,
            contact_id=cid,
            fix=f"Keep {PARAM_QUEUE} alone (route to that Omni-Queue), or {PARAM_FLOW} with "
            f"{PARAM_FLOW_FALLBACK} (route with the Omni-Flow), not both.",
        )
    if flow_id is not None and fallback_id is None:
        # Interaction API error 10024: "For Flow based Routing, flow ID and Fallback Queue ID
        # are required fields." Caught here, before any call, with the field to fix.
        raise InvalidInputError(
            f"{PARAM_FLOW} was given without {PARAM_FLOW_FALLBACK}: the Route API needs a fallback "
            "queue with a flow.",
            field=PARAM_FLOW_FALLBACK,
            contact_id=cid,
            fix=f"Add the block parameter {PARAM_FLOW_FALLBACK} (an Omni-Queue Id, 00G...), or remove "
            f"{PARAM_FLOW}.",
        )
    if fallback_id is not None and flow_id is None:
        raise InvalidInputError(
            f"{PARAM_FLOW_FALLBACK} was given without {PARAM_FLOW}: a fallback queue needs a flow.",
            field=PARAM_FLOW,
            contact_id=cid,
            fix=f"Add the block parameter {PARAM_FLOW} (the Omni-Flow's Id), or use "
            f"{PARAM_QUEUE} to route to the queue directly.",
        )
    return RouteRequest(
        contact_id=cid,
        routing_type=routing_type,
        conversation_identifier=conversation,
        queue_id=queue_id,
        flow_id=flow_id,
        fallback_queue_id=fallback_id,
        routing_attributes=_routing_attributes(contact),
        work_item_id=_session_attribute(contact),
    )


def _session_attribute(contact: ContactEvent) -> str | None:
    raw = contact.attributes.get("workItemId", "").strip()
    return raw if is_salesforce_id(raw, "0Mw") else None


def _routing_attributes(contact: ContactEvent) -> dict[str, str]:
    """``salesforceFlowRoutingAttributes.<name>`` block parameters as ``{name: value}``."""
    found: dict[str, str] = {}
    names = sorted({*contact.parameters, *contact.not_text_parameters})
    for key in (k for k in names if k.startswith(PARAM_ATTRIBUTE_PREFIX)):
        name = key[len(PARAM_ATTRIBUTE_PREFIX):]
        if key in contact.not_text_parameters:
            contact.value(key)  # raises the "not text" error
        if len(name) > MAX_ROUTING_ATTRIBUTE_NAME or not ROUTING_ATTRIBUTE_NAME_RE.match(name):
            raise InvalidInputError(
                f"The routing attribute name in block parameter '{quote(key, 120)}' is not one Salesforce "
                "accepts as a flow variable name.",
                field=quote(key, 120),
                contact_id=contact.contact_id,
                fix=f"Name it {PARAM_ATTRIBUTE_PREFIX}<name> where <name> is the Omni-Flow's input "
                f"variable: a letter first, then letters, digits and single underscores, at most "
                f"{MAX_ROUTING_ATTRIBUTE_NAME} characters.",
            )
        value = contact.parameters[key]
        if len(value) > MAX_ROUTING_ATTRIBUTE_VALUE:
            raise InvalidInputError(
                f"The routing attribute {name} is longer than {MAX_ROUTING_ATTRIBUTE_VALUE} characters.",
                field=key,
                contact_id=contact.contact_id,
                fix="Pass a shorter value (an id or a code) and look the rest up in the Omni-Flow.",
            )
        found[name] = value
    return found


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
