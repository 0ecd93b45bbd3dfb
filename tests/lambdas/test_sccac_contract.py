"""Our functions as a drop-in for SCC-AC's own: events shaped as SCC-AC's flows send them, the
request that reaches the local Interaction Service, and the attributes the flow gets back."""

from __future__ import annotations

import http.client
import json
import uuid

import pytest

from sccac.lambdas import create_messaging_session as session_module
from sccac.lambdas import routing as routing_module
from sccac.lambdas import runtime
from sccac.lambdas.config import Settings
from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.errors import ConfigurationError, InvalidInputError
from sccac.lambdas.interaction_api import multipart_json
from sccac.lambdas.routing import route
from tests.lambdas.conftest import (
    CHANNEL,
    FLOW_TO_MAPPED,
    QUEUE_ARN,
    QUEUE_MAPPED,
    QUEUE_UNMAPPED,
    FakeContext,
    connect_event,
)

INTERACTIONS = "/api/v1/interactions"
ROUTE = "/api/v1/route"
CONTACT = "c0ffee00-1111-4222-8333-444455556666"
FIRST_CONTACT = "f1257000-1111-4222-8333-444455556666"


def transferred_event(**attributes: str) -> dict:
    """A contact that is not the first of its chain (a transfer): InitialContactId differs."""
    event = connect_event(CONTACT, attributes={"channelAddressIdentifier": CHANNEL, **attributes})
    event["Details"]["ContactData"]["InitialContactId"] = FIRST_CONTACT
    return event


# --- CreateMessagingSession -------------------------------------------------------------------

def test_session_is_created_with_one_entry_interaction_in_a_multipart_json_part(service, deps):
    result = create_messaging_session(transferred_event(), FakeContext(), deps)

    [call] = service.calls(INTERACTIONS)
    assert call.content_type.startswith("multipart/form-data; boundary=")
    body = call.json()
    assert body["to"] == CHANNEL
    assert body["from"] == FIRST_CONTACT  # no clientId: the InitialContactId, as SCC-AC does
    [interaction] = body["interactions"]
    assert interaction["interactionType"] == "EntryInteraction" and isinstance(interaction["timestamp"], int)
    assert interaction["payload"]["entryType"] == "Message"
    assert interaction["payload"]["abstractMessage"]["messageType"] == "StaticContentMessage"
    [session] = service.sessions()
    assert result["workItemId"] == session.id  # known after this one call
    assert service.conversations[result["conversationIdentifier"]].subject == FIRST_CONTACT


def test_client_id_attribute_wins_over_the_initial_contact_id(service, deps):
    create_messaging_session(transferred_event(clientId="jane@example.com"), FakeContext(), deps)
    assert service.calls(INTERACTIONS)[0].json()["from"] == "jane@example.com"


def test_a_transferred_contact_keeps_the_end_users_conversation_and_session(service, deps):
    first = connect_event(FIRST_CONTACT, attributes={"channelAddressIdentifier": CHANNEL})
    original = create_messaging_session(first, FakeContext(), deps)

    later = create_messaging_session(transferred_event(), FakeContext(), deps)

    assert later["conversationIdentifier"] == original["conversationIdentifier"]
    assert later["workItemId"] == original["workItemId"]  # the session is still open
    assert len(service.sessions()) == 1


def test_call_center_id_comes_from_the_settings_beside_source(service, make_deps):
    deps = make_deps(call_center_id="04v5g000000CcCcAAA")
    result = create_messaging_session(transferred_event(), FakeContext(), deps)
    assert result["source"] == "SCCAC" and result["callCenterId"] == "04v5g000000CcCcAAA"


def test_call_center_id_setting_must_be_a_record_id():
    env = {"SF_SCRT_DOMAIN": "x.my.salesforce-scrt.com", "SALESFORCE_SECRET_NAME": "s",
           "AUTHORIZATION_CONTEXT": "Ctx", "CALL_CENTER_ID": "Amazon Connect"}
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_env(env)
    assert json.loads(str(raised.value))["field"] == "CALL_CENTER_ID"
    assert Settings.from_env({**env, "CALL_CENTER_ID": ""}).call_center_id == ""


def test_flow_retry_repeats_the_same_entry_and_never_creates_a_second_session(service, deps):
    first = create_messaging_session(transferred_event(), FakeContext(), deps)
    second = create_messaging_session(transferred_event(), FakeContext(), deps)

    assert first == second
    calls = service.calls(INTERACTIONS)
    assert calls[0].request_id == calls[1].request_id
    entry_ids = {c.json()["interactions"][0]["payload"]["id"] for c in calls}
    assert len(entry_ids) == 1
    [conversation] = service.conversations.values()
    assert conversation.entries == list(entry_ids) and len(conversation.sessions) == 1


def test_a_repeated_entry_with_a_new_request_id_adds_nothing_in_the_model(service, deps):
    # What a repeated entry does is not published; the local model adds neither an entry nor a session.
    create_messaging_session(transferred_event(), FakeContext(), deps)
    [sent] = service.calls(INTERACTIONS)
    status, again = _post_raw(service, sent.body, sent.content_type)
    assert status == 202
    [conversation] = service.conversations.values()
    assert again["workItemIds"] == [conversation.sessions[0].id]
    assert len(conversation.entries) == 1 and len(conversation.sessions) == 1


def _post_raw(service, body: bytes, content_type: str) -> tuple[int, dict]:
    """POST /interactions with valid headers and a fresh RequestId (http.client keeps header case)."""
    host, port = service.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("POST", INTERACTIONS, body=body, headers={
        "Authorization": "Bearer " + next(iter(service.tokens)), "OrgId": service.config.org_id,
        "AuthorizationContext": service.config.authorization_context, "Content-Type": content_type,
        "RequestId": str(uuid.uuid4())})
    answer = connection.getresponse()
    try:
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


ENTRY = {"timestamp": 1, "interactionType": "EntryInteraction", "payload": {
    "id": "0b9f3c1e-0000-4000-8000-000000000001", "entryType": "Message", "abstractMessage": {
        "messageType": "StaticContentMessage", "id": "0b9f3c1e-0000-4000-8000-000000000001",
        "staticContent": {"formatType": "Text", "text": ""}}}}


@pytest.mark.parametrize(("body", "content_type", "code"), [
    (json.dumps({"to": CHANNEL, "from": "u", "interactions": [ENTRY]}).encode(), "application/json", 10089),
    (b"--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\n{}\r\n--b--\r\n",
     "multipart/form-data; boundary=b", 10089),
    (*multipart_json({"to": CHANNEL, "from": "u", "interactions": [ENTRY, ENTRY]}, "b"), 10089),
    (*multipart_json({"to": CHANNEL, "from": "u", "interactions": [{**ENTRY, "interactionType": "X"}]}, "b"), 10089),
    (*multipart_json({"to": "00000000-0000-4000-8000-000000000000", "from": "u", "interactions": [ENTRY]}, "b"),
     10017),
    (*multipart_json({"to": CHANNEL, "from": "", "interactions": [ENTRY]}, "b"), 10054),
], ids=["not-multipart", "no-json-part", "two-interactions", "not-an-entry", "unknown-channel", "no-from"])
def test_local_service_refuses_interactions_outside_the_published_shape(service, deps, body, content_type, code):
    create_messaging_session(transferred_event(), FakeContext(), deps)  # a valid token to use
    status, answer = _post_raw(service, body, content_type)
    assert status == 400 and answer["code"] == code
    assert len(service.sessions()) == 1


def test_a_client_id_holding_the_boundary_cannot_end_the_part_early():
    body, content_type = multipart_json({"from": "--sccac-x"}, "sccac-x")
    boundary = content_type.split("boundary=")[1]
    assert boundary != "sccac-x" and body.count(f"--{boundary}".encode()) == 2


# --- Routing ----------------------------------------------------------------------------------

def start_chat(deps) -> dict[str, str]:
    attributes = {"channelAddressIdentifier": CHANNEL}
    attributes.update(create_messaging_session(connect_event(CONTACT, attributes), FakeContext(), deps))
    return attributes


def sccac_route_event(attributes: dict[str, str], **parameters: str) -> dict:
    """A Routing block of an SCC-AC flow: routingType and the salesforce* parameters."""
    return connect_event(CONTACT, attributes=attributes, parameters={"routingType": "Initial", **parameters})


def test_flow_routing_with_attributes_reaches_the_service_as_routing_info(service, deps):
    attributes = start_chat(deps)
    event = sccac_route_event(attributes, salesforceFlowId=FLOW_TO_MAPPED,
                              salesforceFlowFallbackQueueId=QUEUE_UNMAPPED,
                              **{"salesforceFlowRoutingAttributes.Tier": "Gold",
                                 "salesforceFlowRoutingAttributes.Language_Code": "de"})

    result = route(event, FakeContext(), deps)

    [call] = service.calls(ROUTE)
    assert call.json()["routingInfo"] == {
        "flow": {"flowId": FLOW_TO_MAPPED, "queueId": QUEUE_UNMAPPED},
        "routingAttributes": {"Tier": "Gold", "Language_Code": "de"},
    }
    [routing] = service.routings
    assert routing.routing_attributes == {"Tier": "Gold", "Language_Code": "de"}
    assert result["psrId"] == routing.psr_id and result["externalQueueId"] == QUEUE_ARN
    assert result["routedQueueId"] == QUEUE_MAPPED


def test_queue_routing_sends_the_queue_only(service, deps):
    attributes = start_chat(deps)
    result = route(sccac_route_event(attributes, salesforceQueueId=QUEUE_MAPPED), FakeContext(), deps)
    assert service.calls(ROUTE)[0].json()["routingInfo"] == {"queueId": QUEUE_MAPPED}
    assert result["externalQueueId"] == QUEUE_ARN


def test_routing_attributes_without_a_flow_are_left_out_as_sccac_does(service, deps, all_logs):
    attributes = start_chat(deps)
    route(sccac_route_event(attributes, salesforceQueueId=QUEUE_MAPPED,
                            **{"salesforceFlowRoutingAttributes.Tier": "Gold"}), FakeContext(), deps)
    assert service.calls(ROUTE)[0].json()["routingInfo"] == {"queueId": QUEUE_MAPPED}
    assert any("attributes_without_flow" in r.getMessage() for r in all_logs.records)


@pytest.mark.parametrize(("parameters", "field", "says"), [
    ({"salesforceFlowId": FLOW_TO_MAPPED}, "salesforceFlowFallbackQueueId", "without salesforceFlowFallbackQueueId"),
    ({"salesforceFlowFallbackQueueId": QUEUE_MAPPED}, "salesforceFlowId", "without salesforceFlowId"),
    ({"salesforceQueueId": QUEUE_MAPPED, "salesforceFlowId": FLOW_TO_MAPPED,
      "salesforceFlowFallbackQueueId": QUEUE_MAPPED}, "salesforceQueueId", "together with"),
    ({"salesforceQueueId": QUEUE_MAPPED, "salesforceFlowFallbackQueueId": QUEUE_MAPPED}, "salesforceQueueId",
     "together with"),
    ({"omniQueueId": QUEUE_MAPPED}, "omniQueueId", "renamed salesforceQueueId"),
    ({"omniFlowId": FLOW_TO_MAPPED}, "omniFlowId", "renamed salesforceFlowId"),
    ({"salesforceFlowId": FLOW_TO_MAPPED, "salesforceFlowFallbackQueueId": QUEUE_MAPPED,
      "salesforceFlowRoutingAttributes.2fast": "x"}, "salesforceFlowRoutingAttributes.2fast", "flow variable"),
    ({"salesforceFlowId": FLOW_TO_MAPPED, "salesforceFlowFallbackQueueId": QUEUE_MAPPED,
      "salesforceFlowRoutingAttributes.": "x"}, "salesforceFlowRoutingAttributes.", "flow variable"),
])
def test_parameter_rules_give_clear_errors_before_any_call(service, deps, parameters, field, says):
    attributes = start_chat(deps)
    with pytest.raises(InvalidInputError) as raised:
        route(sccac_route_event(attributes, **parameters), FakeContext(), deps)
    detail = json.loads(str(raised.value))
    assert detail["field"] == field and says in detail["message"]
    assert service.calls(ROUTE) == []


# --- Warm-up ----------------------------------------------------------------------------------

WARM_UP = {"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
           "source": "aws.events", "account": "123456789012", "time": "2026-12-02T12:00:00Z",
           "region": "us-east-1", "resources": ["arn:aws:events:us-east-1:123456789012:rule/sccac-warm-up"],
           "detail": {}}


@pytest.mark.parametrize("module", [session_module, routing_module])
def test_warm_up_event_returns_empty_without_settings_secret_or_salesforce(module, clock):
    def no_dependencies(_clock: object) -> runtime.Dependencies:
        raise AssertionError("a warm-up read the settings or the secret")

    assert module.handle(WARM_UP, FakeContext(), runtime.Container(clock, no_dependencies)) == {}


def test_warm_up_reaches_neither_secrets_manager_nor_salesforce(service, deps, clock):
    container = runtime.Container(clock, lambda _clock: deps)
    assert session_module.handle(WARM_UP, FakeContext(), container) == {}
    assert routing_module.handle(WARM_UP, FakeContext(), container) == {}
    assert service.requests == [] and deps.salesforce_round_trips == 0
    assert deps.secrets.fetch_count == 0


def test_the_requeue_flow_gets_a_new_session_once_per_ended_session(service, deps):
    first = create_messaging_session(transferred_event(), FakeContext(), deps)
    service.end_session(first["conversationIdentifier"])  # the agent left; Salesforce ended the session
    requeue = transferred_event()
    requeue["Details"]["Parameters"] = {"previousWorkItemId": first["workItemId"]}

    again = create_messaging_session(requeue, FakeContext(), deps)
    retried = create_messaging_session(requeue, FakeContext(), deps)  # the flow's retry loop

    assert again["workItemId"] != first["workItemId"] and again["workItemId"].startswith("0Mw")
    assert retried == again and len(service.sessions()) == 2
    assert again["conversationIdentifier"] == first["conversationIdentifier"]
    # Without the parameter the same contact's request is the first one again (nothing new).
    assert create_messaging_session(transferred_event(), FakeContext(), deps)["workItemId"] == first["workItemId"]


def test_a_previous_work_item_id_that_is_not_a_session_id_is_refused(service, deps):
    event = transferred_event()
    event["Details"]["Parameters"] = {"previousWorkItemId": "005000000000001AAA"}
    with pytest.raises(InvalidInputError) as raised:
        create_messaging_session(event, FakeContext(), deps)
    assert json.loads(str(raised.value))["field"] == "previousWorkItemId"
    assert service.requests == []


def test_a_fault_injected_for_the_old_conversation_path_reaches_the_interactions_call(service, deps):
    from sccac.lambdas.errors import SalesforceUnavailableError

    service.inject("/api/v1/conversation", status=503)  # callers written before the move
    with pytest.raises(SalesforceUnavailableError):
        create_messaging_session(transferred_event(), FakeContext(), deps)
    assert [c.status for c in service.calls(INTERACTIONS)] == [503]
