"""Routing against the local Interaction Service over real HTTP."""

from __future__ import annotations

import json
import uuid

import pytest

from sccac.lambdas.budget import Deadline
from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.errors import InvalidInputError, RoutingRejectedError, SalesforceRequestError
from sccac.lambdas.event import parse_route_request
from sccac.lambdas.routing import route, routing_info
from tests.lambdas.conftest import (
    CHANNEL,
    CHANNEL_BY_FLOW,
    FLOW_NO_ROUTE,
    FLOW_TO_MAPPED,
    QUEUE_ARN,
    QUEUE_MAPPED,
    QUEUE_UNMAPPED,
    FakeContext,
    connect_event,
)

CONTACT = "c0ffee00-1111-4222-8333-444455556666"
ROUTE = "/api/v1/route"


def start_chat(deps, channel: str = CHANNEL, contact_id: str = CONTACT) -> dict[str, str]:
    """Run CreateMessagingSession and keep its result as contact attributes, as the flow does."""
    attributes = {"channelAddressIdentifier": channel}
    attributes.update(create_messaging_session(connect_event(contact_id, attributes), FakeContext(), deps))
    return attributes


def route_event(attributes: dict[str, str], contact_id: str = CONTACT, **parameters: str) -> dict:
    return connect_event(contact_id, attributes=attributes, parameters={"routingType": "Initial", **parameters})


def test_initial_routing_to_the_channels_mapped_queue_returns_its_connect_arn(service, deps):
    attributes = start_chat(deps)
    before = deps.salesforce_round_trips

    result = route(route_event(attributes), FakeContext(), deps)

    assert result["externalQueueId"] == QUEUE_ARN
    assert result["routingStatus"] == "MAPPED_QUEUE"
    assert result["workItemId"] == attributes["workItemId"]
    assert result["routedQueueId"] == QUEUE_MAPPED
    assert all(isinstance(v, str) for v in result.values())
    assert deps.salesforce_round_trips - before == 1  # warm token: one round trip
    [routing] = service.routings
    assert routing.psr_id == result["psrId"] and routing.routing_type == "Initial"


def test_omni_flow_override_routes_through_the_flows_queue(service, deps):
    attributes = start_chat(deps)
    result = route(route_event(attributes, salesforceFlowId=FLOW_TO_MAPPED, salesforceFlowFallbackQueueId=QUEUE_UNMAPPED), FakeContext(), deps)
    # The flow's Route Work queue wins over the fallback queue.
    assert result["externalQueueId"] == QUEUE_ARN and result["routedQueueId"] == QUEUE_MAPPED


def test_flow_override_sends_the_published_flow_info_shape():
    request = parse_route_request(route_event({"conversationIdentifier": "x"}, salesforceFlowId=FLOW_TO_MAPPED,
                                              salesforceFlowFallbackQueueId=QUEUE_MAPPED))
    # RoutingInfo.flow is a FlowInfo {flowId, queueId}; its queueId is the fallback queue.
    assert routing_info(request) == {"flow": {"flowId": FLOW_TO_MAPPED, "queueId": QUEUE_MAPPED}}
    queue_only = parse_route_request(route_event({"conversationIdentifier": "x"}, salesforceQueueId=QUEUE_MAPPED))
    assert routing_info(queue_only) == {"queueId": QUEUE_MAPPED}


def test_omni_flow_without_fallback_queue_is_rejected_before_any_call(service, deps):
    attributes = start_chat(deps)
    with pytest.raises(InvalidInputError) as raised:
        route(route_event(attributes, salesforceFlowId=FLOW_TO_MAPPED), FakeContext(), deps)
    detail = json.loads(str(raised.value))
    assert detail["field"] == "salesforceFlowFallbackQueueId" and detail["contactId"] == CONTACT
    assert "Add the block parameter salesforceFlowFallbackQueueId" in detail["fix"]
    assert service.calls(ROUTE) == []


def test_service_answers_10024_for_a_flow_without_fallback_queue(service, deps):
    attributes = start_chat(deps)
    with pytest.raises(SalesforceRequestError) as raised:
        deps.api.post_route(attributes["conversationIdentifier"], "Initial", {"flow": {"flowId": FLOW_TO_MAPPED}},
                            str(uuid.uuid4()), Deadline(2000))
    detail = json.loads(str(raised.value))
    assert detail["status"] == 400 and "code 10024" in detail["message"]
    assert "Fallback Queue ID are required" in detail["message"] and detail["field"] == "salesforceFlowFallbackQueueId"
    assert service.routings == []


@pytest.mark.parametrize("info", [{"flow": {"flowId": FLOW_TO_MAPPED, "queueId": QUEUE_MAPPED}, "queueId": QUEUE_MAPPED},
                                  {"routingAttributes": {"a": "b"}}])
def test_service_answers_10030_unless_routing_info_names_one_flow_or_one_queue(service, deps, info):
    attributes = start_chat(deps)
    with pytest.raises(SalesforceRequestError, match="code 10030"):
        deps.api.post_route(attributes["conversationIdentifier"], "Initial", info, str(uuid.uuid4()), Deadline(2000))


def test_channel_routed_by_omni_flow_resolves_to_the_mapped_queue(service, deps):
    attributes = start_chat(deps, channel=CHANNEL_BY_FLOW)
    result = route(route_event(attributes), FakeContext(), deps)
    assert result["externalQueueId"] == QUEUE_ARN


def test_unmapped_queue_is_a_clear_result_without_external_queue_id(service, deps, all_logs):
    attributes = start_chat(deps)

    result = route(route_event(attributes, salesforceQueueId=QUEUE_UNMAPPED), FakeContext(), deps)

    # No externalQueueId: the flow's Set working queue takes its Error branch to the fallback queue.
    assert "externalQueueId" not in result
    assert result["routingStatus"] == "NO_MAPPED_QUEUE"
    assert QUEUE_UNMAPPED in result["routingMessage"] and "fallback" in result["routingMessage"]
    # Task-neutral: says what to map where, names no tool that may not exist.
    assert "Connect_Queue_Mapping__mdt" in result["routingMessage"]
    assert "deploy_queue_mappings" not in result["routingMessage"]
    warnings = [json.loads(r.getMessage()) for r in all_logs.records if "no_mapped_queue" in r.getMessage()]
    assert warnings and warnings[0]["contactId"] == CONTACT


def test_routing_a_conversation_without_an_active_session_raises_routing_rejected(service, deps):
    attributes = start_chat(deps)
    service.end_session(attributes["conversationIdentifier"])
    with pytest.raises(RoutingRejectedError) as raised:
        route(route_event(attributes), FakeContext(), deps)
    detail = json.loads(str(raised.value))
    assert detail["error"] == "ROUTING_REJECTED" and "no active messaging session" in detail["message"]


def test_unknown_omni_queue_is_rejected_with_code_10032(service, deps):
    attributes = start_chat(deps)
    with pytest.raises(SalesforceRequestError) as raised:
        route(route_event(attributes, salesforceQueueId="00G5g000001NoNeEAA"), FakeContext(), deps)
    detail = json.loads(str(raised.value))
    assert "code 10032" in detail["message"] and detail["field"] == "salesforceQueueId"


def test_flow_fallback_queue_is_used_when_the_flow_does_not_route(service, deps):
    attributes = start_chat(deps)
    result = route(route_event(attributes, salesforceFlowId=FLOW_NO_ROUTE, salesforceFlowFallbackQueueId=QUEUE_MAPPED), FakeContext(), deps)
    assert result["externalQueueId"] == QUEUE_ARN


def test_transfer_creates_a_transfer_routing_for_the_same_work_item(service, deps):
    attributes = start_chat(deps)
    route(route_event(attributes), FakeContext(), deps)

    result = route(route_event(attributes, routingType="Transfer"), FakeContext(), deps)

    assert [r.routing_type for r in service.routings] == ["Initial", "Transfer"]
    assert result["workItemId"] == attributes["workItemId"]


def test_retried_routing_for_the_same_contact_creates_one_routing(service, deps):
    attributes = start_chat(deps)
    first = route(route_event(attributes), FakeContext(), deps)
    second = route(route_event(attributes), FakeContext(), deps)
    assert second == first
    assert len(service.routings) == 1


def test_missing_routing_type_is_a_clear_error(service, deps):
    attributes = start_chat(deps)
    event = connect_event(CONTACT, attributes=attributes, parameters={})
    with pytest.raises(InvalidInputError) as raised:
        route(event, FakeContext(), deps)
    detail = json.loads(str(raised.value))
    assert detail["field"] == "routingType" and detail["contactId"] == CONTACT
    assert service.calls(ROUTE) == []


def test_unknown_routing_type_is_rejected(deps):
    event = connect_event(CONTACT, attributes={"conversationIdentifier": "x"}, parameters={"routingType": "Conference"})
    with pytest.raises(InvalidInputError, match="Initial, Transfer"):
        route(event, FakeContext(), deps)


def test_missing_conversation_identifier_says_to_run_create_session_first(deps):
    with pytest.raises(InvalidInputError, match="CreateMessagingSession"):
        route(route_event({}), FakeContext(), deps)


def test_malformed_omni_queue_override_is_rejected_before_any_call(service, deps):
    attributes = start_chat(deps)
    with pytest.raises(InvalidInputError) as raised:
        route(route_event(attributes, salesforceQueueId="Support Queue"), FakeContext(), deps)
    assert json.loads(str(raised.value))["field"] == "salesforceQueueId"
    assert service.calls(ROUTE) == []


def test_unknown_conversation_is_rejected_by_salesforce(service, deps):
    start_chat(deps)
    with pytest.raises(SalesforceRequestError, match="code 10018") as raised:
        route(route_event({"conversationIdentifier": "no-such-conversation"}), FakeContext(), deps)
    assert json.loads(str(raised.value))["field"] == "conversationIdentifier"
