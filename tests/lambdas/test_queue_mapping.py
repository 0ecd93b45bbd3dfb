"""The Routing Lambda when Salesforce does not name the Connect queue: the mapping lookup.

Both modes of the local Interaction Service: with ``contextParamMap.externalQueueId`` (SCC-AC's
key, not in the published reference) and without it (``send_external_queue_id`` off)."""

from __future__ import annotations

import json

import pytest

from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.queue_mapping import FAILURE_RETRY_S
from sccac.lambdas.routing import route
from sccac.testing.interaction_service import REST_COMPOSITE, LocalInteractionService
from tests.lambdas.conftest import (
    CHANNEL,
    QUEUE_ARN,
    QUEUE_MAPPED,
    QUEUE_UNMAPPED,
    FakeContext,
    connect_event,
    service_config,
)

OTHER_ARN = QUEUE_ARN.replace("aaaaaaaa-bbbb", "bbbbbbbb-bbbb")


def chat_and_route(deps, contact: str, **parameters: str) -> dict[str, str]:
    attributes = {"channelAddressIdentifier": CHANNEL}
    attributes.update(create_messaging_session(connect_event(contact, attributes), FakeContext(), deps))
    event = connect_event(contact, attributes=attributes, parameters={"routingType": "Initial", **parameters})
    return route(event, FakeContext(), deps)


def contact(n: int) -> str:
    return f"c0ffee00-1111-4222-8333-{n:012d}"


class TestWithoutExternalQueueId:
    @pytest.fixture
    def service(self, keys):
        with LocalInteractionService(service_config(keys, send_external_queue_id=False)) as svc:
            yield svc

    def test_the_routed_queue_is_resolved_through_the_mapping(self, service, deps):
        result = chat_and_route(deps, contact(1))

        [answer] = [r for r in service.calls("/api/v1/route")]
        assert answer.status == 202
        assert result["routingStatus"] == "MAPPED_QUEUE" and result["externalQueueId"] == QUEUE_ARN
        assert result["routedQueueId"] == QUEUE_MAPPED
        [read] = service.calls(REST_COMPOSITE)
        subrequests = json.loads(read.body)["compositeRequest"]
        assert [s["referenceId"] for s in subrequests] == ["mappings", "queues"]
        assert "Connect_Queue_Mapping__mdt" in subrequests[0]["url"]

    def test_at_most_one_extra_round_trip_per_container_per_period(self, service, deps, clock):
        chat_and_route(deps, contact(1))
        before = deps.salesforce_round_trips

        for n in range(2, 6):
            attributes = {"channelAddressIdentifier": CHANNEL}
            attributes.update(create_messaging_session(connect_event(contact(n), attributes), FakeContext(), deps))
            trips = deps.salesforce_round_trips
            event = connect_event(contact(n), attributes=attributes, parameters={"routingType": "Initial"})
            assert route(event, FakeContext(), deps)["externalQueueId"] == QUEUE_ARN
            assert deps.salesforce_round_trips - trips == 1  # the route call only: the table is cached

        assert len(service.calls(REST_COMPOSITE)) == 1 and deps.salesforce_round_trips - before == 8
        clock.advance(deps.settings.queue_mapping_ttl_s - 1)
        chat_and_route(deps, contact(6))
        assert len(service.calls(REST_COMPOSITE)) == 1

    def test_a_remap_reaches_the_lambda_after_the_ttl(self, service, deps, clock):
        assert chat_and_route(deps, contact(1))["externalQueueId"] == QUEUE_ARN
        service.config.queues[QUEUE_MAPPED] = OTHER_ARN  # the admin remaps the Omni-Queue

        assert chat_and_route(deps, contact(2))["externalQueueId"] == QUEUE_ARN  # cached
        clock.advance(deps.settings.queue_mapping_ttl_s)
        assert chat_and_route(deps, contact(3))["externalQueueId"] == OTHER_ARN
        assert len(service.calls(REST_COMPOSITE)) == 2

    def test_an_unmapped_queue_stays_a_fallback_result_without_rereading(self, service, deps):
        first = chat_and_route(deps, contact(1), salesforceQueueId=QUEUE_UNMAPPED)
        second = chat_and_route(deps, contact(2), salesforceQueueId=QUEUE_UNMAPPED)
        assert first["routingStatus"] == second["routingStatus"] == "NO_MAPPED_QUEUE"
        assert "externalQueueId" not in second
        assert len(service.calls(REST_COMPOSITE)) == 1

    def test_a_ttl_of_zero_turns_the_lookup_off(self, service, make_deps):
        deps = make_deps(queue_mapping_ttl_s=0)
        assert chat_and_route(deps, contact(1))["routingStatus"] == "NO_MAPPED_QUEUE"
        assert service.calls(REST_COMPOSITE) == []


class TestWithoutApiScope:
    @pytest.fixture
    def service(self, keys):
        config = service_config(keys, send_external_queue_id=False, api_scope=False)
        with LocalInteractionService(config) as svc:
            yield svc

    def test_the_contact_takes_the_fallback_and_the_log_names_the_scope(self, service, deps, clock, all_logs):
        result = chat_and_route(deps, contact(1))

        assert result["routingStatus"] == "NO_MAPPED_QUEUE"  # the flow's fallback queue, not a failure
        warnings = [json.loads(r.getMessage()) for r in all_logs.records if "queue_mapping_unavailable" in r.getMessage()]
        assert warnings and "api scope" in warnings[0]["reason"] and "INVALID_SESSION_ID" in warnings[0]["reason"]
        assert "Bearer" not in json.dumps(warnings)
        # The failed read is not repeated on every contact.
        chat_and_route(deps, contact(2))
        assert len(service.calls(REST_COMPOSITE)) == 1
        clock.advance(FAILURE_RETRY_S)
        chat_and_route(deps, contact(3))
        assert len(service.calls(REST_COMPOSITE)) == 2


def test_with_external_queue_id_no_lookup_is_made(service, deps):
    result = chat_and_route(deps, contact(1))
    assert result["externalQueueId"] == QUEUE_ARN
    assert service.calls(REST_COMPOSITE) == []
