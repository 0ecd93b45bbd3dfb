"""CreateMessagingSession against the local Interaction Service over real HTTP."""

from __future__ import annotations

import json

import pytest

from sccac.lambdas import runtime
from sccac.lambdas.create_messaging_session import create_messaging_session, handle
from sccac.lambdas.errors import (
    InvalidInputError,
    SalesforceAuthError,
    SalesforceRequestError,
    SalesforceResponseError,
    SalesforceTimeoutError,
    SalesforceUnavailableError,
)
from sccac.lambdas.routing import route
from sccac.lambdas.transport import Endpoint
from sccac.testing.interaction_service import LocalInteractionService
from tests.lambdas.conftest import CHANNEL, CHANNEL_INACTIVE, FakeContext, connect_event, service_config

CONVERSATION = "/api/v1/interactions"  # SCC-AC creates the session with an entry interaction
TOKEN = "/services/oauth2/token"


def session_event(contact_id: str = "c0ffee00-1111-4222-8333-444455556666", **attributes: str) -> dict:
    return connect_event(contact_id, attributes={"channelAddressIdentifier": CHANNEL, **attributes})


def test_happy_path_returns_flat_string_map_of_the_created_records(service, deps):
    result = create_messaging_session(session_event(), FakeContext(), deps)

    assert set(result) == {"conversationIdentifier", "workItemId", "source", "callCenterId"}
    assert all(isinstance(v, str) for v in result.values())
    assert result["source"] == "SCCAC" and result["callCenterId"] == ""
    [session] = service.sessions()
    assert result["workItemId"] == session.id and session.id.startswith("0Mw")
    assert result["conversationIdentifier"] == session.conversation_identifier
    # Cold container: one token request + one conversation call; the request carried the headers.
    assert [r.path for r in service.requests] == [TOKEN, CONVERSATION]
    assert deps.salesforce_round_trips == 2


def test_flow_retry_for_same_contact_returns_same_session_and_creates_nothing(service, deps):
    first = create_messaging_session(session_event(), FakeContext(), deps)
    second = create_messaging_session(session_event(), FakeContext(), deps)

    assert second == first
    assert len(service.sessions()) == 1 and len(service.conversations) == 1
    # Warm invocation: exactly one Salesforce round trip, same RequestId as the first call.
    calls = service.calls(CONVERSATION)
    assert len(calls) == 2 and calls[0].request_id == calls[1].request_id
    assert deps.salesforce_round_trips == 3


def test_retry_after_a_timeout_that_still_created_the_session_does_not_duplicate(service, deps):
    # Salesforce creates the records but answers after the Lambda's socket gave up (Connect's own
    # retry case); the retry comes once the service has finished that answer.
    service.inject(CONVERSATION, delay_s=0.6)
    with pytest.raises(SalesforceTimeoutError, match="within 400 ms"):
        create_messaging_session(session_event(), FakeContext(remaining_ms=600), deps)
    service.wait_for_calls(CONVERSATION)

    result = create_messaging_session(session_event(), FakeContext(), deps)

    [session] = service.sessions()
    assert result["workItemId"] == session.id


def test_different_contacts_without_client_id_get_their_own_sessions(service, deps):
    a = create_messaging_session(session_event("aaaaaaaa-0000-4000-8000-000000000001"), FakeContext(), deps)
    b = create_messaging_session(session_event("aaaaaaaa-0000-4000-8000-000000000002"), FakeContext(), deps)

    assert a["conversationIdentifier"] != b["conversationIdentifier"]
    assert a["workItemId"] != b["workItemId"]


def test_client_id_links_a_later_contact_to_the_customers_conversation(service, deps):
    first = create_messaging_session(
        session_event("aaaaaaaa-0000-4000-8000-000000000001", clientId="jane@example.com"), FakeContext(), deps
    )
    service.end_session(first["conversationIdentifier"])  # the agent closed the first chat

    later = create_messaging_session(
        session_event("aaaaaaaa-0000-4000-8000-000000000002", clientId="jane@example.com"), FakeContext(), deps
    )

    assert later["conversationIdentifier"] == first["conversationIdentifier"]
    assert later["workItemId"] != first["workItemId"]


def test_parameter_overrides_the_contact_attribute(service, deps):
    event = connect_event(
        attributes={"channelAddressIdentifier": "00000000-0000-4000-8000-000000000000"},
        parameters={"channelAddressIdentifier": CHANNEL},
    )
    result = create_messaging_session(event, FakeContext(), deps)
    assert result["workItemId"] == service.sessions()[0].id


def test_missing_channel_address_identifier_is_a_clear_error_logged_with_contact_id(service, deps, all_logs):
    event = connect_event("dddddddd-0000-4000-8000-000000000009", attributes={"clientId": "x"})

    with pytest.raises(InvalidInputError) as raised:
        create_messaging_session(event, FakeContext(), deps)

    detail = json.loads(str(raised.value))
    assert detail["error"] == "INVALID_INPUT"
    assert detail["field"] == "channelAddressIdentifier"
    assert detail["contactId"] == "dddddddd-0000-4000-8000-000000000009"
    assert "Set the contact attribute channelAddressIdentifier" in detail["fix"]
    assert service.requests == []  # nothing was sent to Salesforce
    failures = [json.loads(r.getMessage()) for r in all_logs.records if "failed" in r.getMessage()]
    assert failures and failures[0]["contactId"] == "dddddddd-0000-4000-8000-000000000009"
    assert failures[0]["field"] == "channelAddressIdentifier"


@pytest.mark.parametrize("value", ["REPLACE_ME", "channel-address-identifier", "7f1c2a3b-4d5e"])
def test_placeholder_channel_address_identifier_is_rejected_before_any_call(service, deps, value):
    event = connect_event(attributes={"channelAddressIdentifier": value})
    with pytest.raises(InvalidInputError, match="not a UUID"):
        create_messaging_session(event, FakeContext(), deps)
    assert service.requests == []


def test_event_without_contact_data_is_a_clear_error(deps):
    with pytest.raises(InvalidInputError, match="ContactData"):
        create_messaging_session({"Details": {}}, FakeContext(), deps)


def test_unknown_channel_is_rejected_by_salesforce_with_the_reason(service, deps):
    event = connect_event(attributes={"channelAddressIdentifier": "99999999-9999-4999-8999-999999999999"})
    with pytest.raises(SalesforceRequestError) as raised:
        create_messaging_session(event, FakeContext(), deps)
    detail = json.loads(str(raised.value))
    assert detail["error"] == "SALESFORCE_REJECTED" and detail["status"] == 400
    # The Interaction API error code and its published description, and the field to fix.
    assert "code 10017" in detail["message"] and "does not exist" in detail["message"]
    assert detail["field"] == "channelAddressIdentifier" and detail["retryable"] is False


def test_inactive_channel_is_rejected_with_code_10031(service, deps):
    event = connect_event(attributes={"channelAddressIdentifier": CHANNEL_INACTIVE})
    with pytest.raises(SalesforceRequestError) as raised:
        create_messaging_session(event, FakeContext(), deps)
    detail = json.loads(str(raised.value))
    assert "code 10031" in detail["message"] and "Activate the MessagingChannel" in detail["fix"]
    assert service.sessions() == []


def test_error_bodies_carry_interaction_api_codes_not_http_statuses(service, deps):
    response = deps.transport.request(
        "POST", service.base_url + CONVERSATION, headers={"Authorization": "Bearer nope"}, body=b"{}",
        timeout_s=2, endpoint=Endpoint("probe", "SF_SCRT_DOMAIN", "SF_SCRT_DOMAIN"),
    )
    assert response.status == 401
    assert response.json() == {"code": 10004, "message": "The supplied Authorization access token is not valid."}


@pytest.mark.parametrize(("status", "code"), [(409, 10055), (400, 10056), (504, 10094), (503, 10019)])
def test_interaction_api_codes_that_say_retry_are_retryable(service, deps, status, code):
    service.inject(CONVERSATION, status=status, code=code)

    with pytest.raises(SalesforceUnavailableError) as raised:
        create_messaging_session(session_event(), FakeContext(), deps)

    detail = json.loads(str(raised.value))
    assert detail["error"] == "SALESFORCE_UNAVAILABLE" and detail["retryable"] is True
    assert f"code {code}" in detail["message"]
    # The flow's retry loop then succeeds.
    assert create_messaging_session(session_event(), FakeContext(), deps)["workItemId"]


def test_token_not_valid_code_refreshes_the_token_once_whatever_the_status(service, deps):
    create_messaging_session(session_event("aaaaaaaa-0000-4000-8000-000000000001"), FakeContext(), deps)
    service.inject(CONVERSATION, status=400, code=10004)

    create_messaging_session(session_event("aaaaaaaa-0000-4000-8000-000000000002"), FakeContext(), deps)

    assert deps.tokens.token_requests == 2


def test_expired_token_is_refreshed_once_and_the_call_succeeds(service, deps):
    create_messaging_session(session_event("aaaaaaaa-0000-4000-8000-000000000001"), FakeContext(), deps)
    service.expire_tokens()

    result = create_messaging_session(session_event("aaaaaaaa-0000-4000-8000-000000000002"), FakeContext(), deps)

    assert result["workItemId"] == service.sessions()[1].id
    assert deps.tokens.token_requests == 2
    assert [r.status for r in service.calls(CONVERSATION)] == [202, 401, 202]


def test_repeated_401_refreshes_only_once_then_fails_with_auth_error(service, deps):
    service.inject(CONVERSATION, status=401, count=5)

    with pytest.raises(SalesforceAuthError) as raised:
        create_messaging_session(session_event(), FakeContext(), deps)

    assert deps.tokens.token_requests == 2  # the first token and one refresh, no more
    assert len(service.calls(CONVERSATION)) == 2
    assert "AUTHORIZATION_CONTEXT" in str(raised.value)


def test_5xx_maps_to_a_retryable_error_without_a_retry_inside_the_budget(service, deps):
    service.inject(CONVERSATION, status=503)

    with pytest.raises(SalesforceUnavailableError) as raised:
        create_messaging_session(session_event(), FakeContext(remaining_ms=1000), deps)

    assert [c.status for c in service.calls(CONVERSATION)] == [503]  # the flow's retry loop retries, not us
    detail = json.loads(str(raised.value))
    assert detail["status"] == 503 and detail["retryable"] is True
    assert service.sessions() == []


def test_slow_salesforce_gives_a_timeout_error_before_the_connect_budget_runs_out(service, deps):
    create_messaging_session(session_event("aaaaaaaa-0000-4000-8000-000000000001"), FakeContext(), deps)
    service.inject(CONVERSATION, delay_s=5)

    # Real socket timeout: the call gets the 500 ms left (700 ms less the 200 ms margin), not 5 s.
    with pytest.raises(SalesforceTimeoutError, match="did not answer within 500 ms") as raised:
        create_messaging_session(session_event(), FakeContext(remaining_ms=700), deps)

    assert json.loads(str(raised.value))["contactId"] == "c0ffee00-1111-4222-8333-444455556666"


def test_connect_block_timeout_setting_caps_the_budget(service, make_deps):
    deps = make_deps(connect_timeout_ms=600)
    service.inject(CONVERSATION, delay_s=5)
    # Real socket timeout: 600 ms less the margin, though Lambda would give 8 s.
    with pytest.raises(SalesforceTimeoutError, match="did not answer within 400 ms"):
        create_messaging_session(session_event(), FakeContext(remaining_ms=8000), deps)


def test_connect_block_timeout_counts_from_handler_entry_not_after_the_container_is_built(
    service, make_deps, clock
):
    deps = make_deps(connect_timeout_ms=700)
    create_messaging_session(session_event("aaaaaaaa-0000-4000-8000-000000000001"), FakeContext(), deps)

    def slow_build(_clock: object) -> runtime.Dependencies:
        clock.advance(0.3)  # a cold container builds its clients inside the invocation
        return deps

    service.inject(CONVERSATION, delay_s=5)
    # Real socket timeout: 700 ms from entry less the 300 ms build and the 200 ms margin, not 500 ms.
    with pytest.raises(SalesforceTimeoutError, match="did not answer within 200 ms"):
        handle(session_event(), FakeContext(remaining_ms=8000), runtime.Container(clock, slow_build))


class TestPublishedShapes:
    """The local service answers only the published PostInteractionResponse fields
    (conversationIdentifier, workItemIds, success): the session id is known after this call."""

    @pytest.fixture
    def service(self, keys):
        with LocalInteractionService(service_config(keys, strict_published_shapes=True)) as svc:
            yield svc

    def test_work_item_id_comes_from_work_item_ids(self, service, deps):
        result = create_messaging_session(session_event(), FakeContext(), deps)

        [session] = service.sessions()
        assert result["workItemId"] == session.id and session.id.startswith("0Mw")
        assert result["conversationIdentifier"] == session.conversation_identifier

    def test_routing_then_returns_the_same_work_item_id(self, service, deps):
        attributes = {"channelAddressIdentifier": CHANNEL}
        attributes.update(create_messaging_session(session_event(), FakeContext(), deps))
        event = connect_event(attributes=attributes, parameters={"routingType": "Initial"})

        result = route(event, FakeContext(), deps)

        assert result["workItemId"] == attributes["workItemId"]
        assert result["routingStatus"] == "MAPPED_QUEUE"

    def test_retry_still_returns_the_same_conversation(self, service, deps):
        first = create_messaging_session(session_event(), FakeContext(), deps)
        second = create_messaging_session(session_event(), FakeContext(), deps)
        assert first == second and len(service.sessions()) == 1


def test_answer_without_work_item_ids_gives_an_empty_work_item_id_and_a_warning(service, deps, monkeypatch, all_logs):
    monkeypatch.setattr(deps.api, "post_interaction", lambda *a, **k: {
        "conversationIdentifier": "4a8c3b1e-0000-4000-8000-000000000001", "success": True})

    result = create_messaging_session(session_event(), FakeContext(), deps)

    assert result["workItemId"] == ""
    notes = [json.loads(r.getMessage()) for r in all_logs.records if "no_work_item_id" in r.getMessage()]
    assert notes and "Routing" in notes[0]["note"]


def test_interactions_answer_of_work_item_ids_not_a_list_is_a_bad_response(service, deps, monkeypatch):
    monkeypatch.setattr(deps.api, "post_interaction", lambda *a, **k: {
        "conversationIdentifier": "4a8c3b1e-0000-4000-8000-000000000001", "success": True,
        "workItemIds": "0Mw000000000042AAA"})
    with pytest.raises(SalesforceResponseError, match="workItemIds") as raised:
        create_messaging_session(session_event(), FakeContext(), deps)
    assert json.loads(str(raised.value))["field"] == "workItemIds"


def test_conversation_response_without_conversation_identifier_is_a_bad_response(service, deps, monkeypatch):
    # Not "check the channel": Salesforce said success, the answer itself is wrong.
    monkeypatch.setattr(deps.api, "post_interaction", lambda *a, **k: {"success": True, "workItemIds": []})
    with pytest.raises(SalesforceResponseError, match="conversationIdentifier") as raised:
        create_messaging_session(session_event(), FakeContext(), deps)
    assert json.loads(str(raised.value))["field"] == "conversationIdentifier"
