"""ContactDisconnected end to end: Connect fake (botocore), moto S3, the local Interaction Service over HTTP."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

from sccac.clock import VirtualClock
from sccac.lambdas.config import Settings
from sccac.lambdas.contact_disconnected import (
    COMPLETE_ATTRIBUTE,
    SENT_ATTRIBUTE,
    DisconnectDependencies,
    DisconnectSettings,
    build,
    contact_disconnected,
    disconnected_event,
    handler,
    run_for_contact,
)
from sccac.lambdas.errors import ConfigurationError, InvalidInputError, SalesforceUnavailableError
from sccac.lambdas.transcript_store import PollPlan, TranscriptNotFoundError
from sccac.testing.transcripts import ChatWorld, bot_only_transcript, item, utc
from tests.lambdas.conftest import AUTH_CONTEXT, CHANNEL, SECRET_NAME, FakeContext

HISTORY = "/api/v1/conversationHistory"
TOKEN = "/services/oauth2/token"
CALL_CENTER = "04v5g000000CcAbAAC"  # a CallCenter record Id
ENDED = utc("2026-12-02T10:15:00")
EVENT_TIME = "2026-12-02T10:15:01Z"


@pytest.fixture
def world(_moto_secrets: Any) -> ChatWorld:
    # _moto_secrets gives this test an emptied moto (S3 included); the bucket name is still unique per test.
    s3 = boto3.client("s3", region_name="us-east-1")
    return ChatWorld.create(s3, f"sccac-transcripts-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def make_disconnect_deps(world: ChatWorld, service, secrets_client, clock: VirtualClock):
    def make(plan: PollPlan = PollPlan(attempts=3, interval_s=10.0, reserve_s=1.0),
             history_call_timeout_s: float = 10.0) -> DisconnectDependencies:
        settings = Settings(scrt_base_url=service.base_url, secret_name=SECRET_NAME, authorization_context=AUTH_CONTEXT)
        own = DisconnectSettings(CALL_CENTER, plan, history_call_timeout_s)
        return build(settings, own, connect=world.fake.client(max_attempts=1),
                     s3=world.s3, secrets_client=secrets_client, clock=clock)

    return make


@pytest.fixture
def ddeps(make_disconnect_deps) -> DisconnectDependencies:
    return make_disconnect_deps()


def chat(world: ChatWorld, **overrides: str) -> str:
    attributes = {"channelAddressIdentifier": CHANNEL, "callCenterId": CALL_CENTER, **overrides}
    return world.start_chat({k: v for k, v in attributes.items() if v})


def run(world: ChatWorld, contact_id: str, deps: DisconnectDependencies, *, remaining_ms: int = 60_000,
        **event: Any) -> dict[str, Any]:
    return contact_disconnected(disconnected_event(world.instance_arn, contact_id, time_iso=EVENT_TIME, **event),
                                FakeContext(remaining_ms), deps)


def history_texts(service, contact_id: str) -> list[str]:
    [conversation] = [c for c in service.conversations.values() if c.subject == contact_id]
    # Batches go out concurrently, so they may arrive in any order: read them in time order.
    entries = sorted(conversation.history, key=lambda e: e["clientTimestamp"])
    return [e["entryPayload"]["abstractMessage"]["staticContent"]["text"] for e in entries]


def test_bot_only_chat_of_12_messages_arrives_in_3_requests_of_at_most_5(world, service, ddeps):
    contact = chat(world)
    world.store_transcript(contact, bot_only_transcript(contact, 12, ENDED - timedelta(minutes=2)), ENDED)

    result = run(world, contact, ddeps)

    assert result["status"] == "SUCCESS" and result["notConverted"] == 0
    assert (result["entriesSent"], result["batchesSent"]) == (12, 3)
    assert history_texts(service, contact) == [f"message {n} from {'customer' if n % 2 else 'custom_bot'}"
                                               for n in range(1, 13)]
    calls = service.calls(HISTORY)
    assert len(calls) == 3 and len({c.request_id for c in calls}) == 3
    # The session was made sure of first, with CreateMessagingSession's one call (whatever its path).
    session_calls = [r for r in service.requests if r.path not in (HISTORY, TOKEN)]
    assert len(session_calls) == 1 and service.requests.index(session_calls[0]) < service.requests.index(calls[0])
    [conversation] = [c for c in service.conversations.values() if c.subject == contact]
    assert conversation.sessions
    assert result["conversationIdentifier"] == conversation.identifier
    roles = {e["sender"]["role"] for e in conversation.history}
    assert roles == {"EndUser", "Chatbot"}
    assert world.attributes(contact)[COMPLETE_ATTRIBUTE] == "true"


def test_history_requests_carry_the_published_headers_and_shapes(world, service, ddeps):
    contact = chat(world, clientId="customer-42@example.com")
    world.store_transcript(contact, bot_only_transcript(contact, 3, ENDED - timedelta(minutes=1)), ENDED)
    seen: list[tuple[dict[str, str], dict[str, Any]]] = []
    original = service.handle

    def spy(method, path, headers, body):
        if path == HISTORY:
            seen.append((dict(headers), json.loads(body)))
        return original(method, path, headers, body)

    service.handle = spy
    run(world, contact, ddeps)

    [(headers, body)] = seen
    assert headers["AuthorizationContextType"] == "ConversationChannelDefinition"
    assert headers["AuthorizationContext"] == AUTH_CONTEXT and headers["OrgId"] == service.config.org_id
    assert body["channelAddressIdentifier"] == CHANNEL
    end_user = body["conversationParticipants"][0]
    # The customer is the clientId the session was created for; joined/left events became its times.
    assert end_user["participant"] == {"appType": "custom", "subject": "customer-42@example.com", "role": "EndUser"}
    assert end_user["leftTime"] > end_user["joinedTime"] > 0
    assert all(isinstance(e["clientTimestamp"], int) for e in body["conversationEntries"])


def test_a_chat_that_reached_an_agent_is_ignored_without_any_call(world, service, ddeps, caplog):
    contact = chat(world)
    caplog.set_level(logging.INFO, logger="sccac.lambdas")

    result = run(world, contact, ddeps, agent_connected=True)

    assert (result["status"], result["reason"]) == ("IGNORED", "REACHED_AGENT")
    assert service.requests == [] and world.fake.backend.calls == []
    assert any('"event":"contact_disconnected.ignored"' in r.message and "REACHED_AGENT" in r.message
               for r in caplog.records)


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"callCenterId": "04v5g000000OtHeAAC"}, "OTHER_CALL_CENTER"),
    ({"callCenterId": ""}, "OTHER_CALL_CENTER"),
    ({"channelAddressIdentifier": ""}, "NO_CHANNEL_ADDRESS"),
])
def test_contacts_of_another_call_center_or_without_a_channel_are_not_mine(world, service, ddeps, overrides, reason):
    contact = chat(world, **overrides)
    world.store_transcript(contact, bot_only_transcript(contact, 4, ENDED), ENDED)

    result = run(world, contact, ddeps)

    assert (result["status"], result["reason"]) == ("IGNORED", reason)
    assert service.requests == []
    assert world.fake.backend.calls == ["GetContactAttributes"]


def test_a_transcript_that_lands_during_the_wait_is_found_on_the_second_look(world, service, ddeps, clock):
    contact = chat(world)
    document = bot_only_transcript(contact, 4, ENDED)
    original_sleep = clock.sleep

    def connect_writes_it_meanwhile(seconds: float) -> None:
        original_sleep(seconds)
        world.store_transcript(contact, document, ENDED)

    clock.sleep = connect_writes_it_meanwhile  # type: ignore[method-assign]
    started = clock.monotonic()

    result = run(world, contact, ddeps)

    assert result["status"] == "SUCCESS" and result["transcriptLooks"] == 2
    assert clock.monotonic() - started == 10.0  # one wait of the plan's interval, on virtual time
    assert len(history_texts(service, contact)) == 4


def test_a_transcript_that_never_appears_is_a_clear_retryable_error_after_the_planned_looks(world, service, ddeps, clock):
    contact = chat(world)
    started = clock.monotonic()

    with pytest.raises(TranscriptNotFoundError) as raised:
        run(world, contact, ddeps)

    error = raised.value.as_dict()
    assert error["error"] == "TRANSCRIPT_NOT_FOUND" and error["retryable"] is True
    assert error["contactId"] == contact and error["field"] == "ChatTranscriptBucket"
    assert "after 3 looks over 20 s" in error["message"] and f"{contact}_" in error["message"]
    assert clock.monotonic() - started == 20.0
    assert service.requests == []  # nothing reached Salesforce


def test_the_looks_stop_when_the_next_one_would_pass_the_time_limit(world, service, ddeps, clock):
    contact = chat(world)
    started = clock.monotonic()

    # 15 s left, 1 s kept for Salesforce: a second look (after 10 s) fits, a third (20 s) does not.
    with pytest.raises(TranscriptNotFoundError, match="after 2 looks over 10 s"):
        run(world, contact, ddeps, remaining_ms=15_000)

    assert clock.monotonic() - started == 10.0


def test_an_unconvertible_message_is_counted_skipped_and_logged_without_its_text(world, service, ddeps, caplog):
    contact = chat(world)
    secret_text = "my card number is 4111 1111 1111 1111"
    odd = [
        item("MESSAGE", "CUSTOMER", ENDED, content=secret_text, content_type="application/x-unknown"),
        item("MESSAGE", "AGENT", ENDED, content=secret_text),
    ]
    world.store_transcript(contact, bot_only_transcript(contact, 6, ENDED - timedelta(minutes=1), extra_items=odd), ENDED)
    caplog.set_level(logging.DEBUG, logger="sccac.lambdas")

    result = run(world, contact, ddeps)

    assert result["status"] == "PARTIAL" and result["notConverted"] == 2
    assert result["entriesSent"] == 6
    assert secret_text not in json.dumps(history_texts(service, contact))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "contact_disconnected.not_converted" in logged and "application/x-unknown" in logged
    assert "role AGENT" in logged
    assert "4111" not in logged


def test_a_repeated_event_sends_nothing_twice(world, service, ddeps):
    contact = chat(world)
    world.store_transcript(contact, bot_only_transcript(contact, 12, ENDED), ENDED)
    first = run(world, contact, ddeps)
    requests_after_first = len(service.requests)

    second = run(world, contact, ddeps)

    assert first["batchesSent"] == 3
    assert second == {"status": "ALREADY_SENT", "contactId": contact, "entriesSent": 0, "batchesSent": 0}
    assert len(service.requests) == requests_after_first
    assert len(history_texts(service, contact)) == 12


def test_after_a_failed_batch_the_next_delivery_sends_only_what_is_missing(world, service, ddeps):
    contact = chat(world)
    world.store_transcript(contact, bot_only_transcript(contact, 12, ENDED), ENDED)
    service.inject(HISTORY, status=503, count=2)  # two of the three batches fail (a 503 is not retried here)

    with pytest.raises(SalesforceUnavailableError, match="of 3 conversationHistory requests failed") as raised:
        run(world, contact, ddeps)
    assert raised.value.retryable
    sent_first = len(history_texts(service, contact))
    marked = world.attributes(contact)[SENT_ATTRIBUTE].split(",")
    assert COMPLETE_ATTRIBUTE not in world.attributes(contact)

    result = run(world, contact, ddeps)

    assert result["batchesAlreadySent"] == len(marked)
    assert result["batchesSent"] == 3 - len(marked)
    texts = history_texts(service, contact)
    assert len(texts) == 12 and len(set(texts)) == 12 and sent_first < 12


def test_same_contact_gives_the_same_request_ids(world, service, ddeps):
    contact = chat(world)
    world.store_transcript(contact, bot_only_transcript(contact, 7, ENDED), ENDED)
    run(world, contact, ddeps)
    first_ids = sorted(c.request_id for c in service.calls(HISTORY))
    # A lost marker (UpdateContactAttributes failed): the event's next delivery repeats the requests.
    world.contact(contact).attributes.pop(COMPLETE_ATTRIBUTE)
    world.contact(contact).attributes.pop(SENT_ATTRIBUTE)

    run(world, contact, ddeps)

    ids = sorted(c.request_id for c in service.calls(HISTORY))
    assert ids == sorted(first_ids * 2)
    # The local service answers a repeated RequestId from memory: nothing is stored twice.
    assert len(history_texts(service, contact)) == 7


def test_no_secret_reaches_the_logs(world, service, ddeps, all_logs, keys):
    contact = chat(world)
    world.store_transcript(contact, bot_only_transcript(contact, 6, ENDED), ENDED)
    service.inject(HISTORY, status=401, count=1)  # a token refresh happens on the way

    result = run(world, contact, ddeps)

    assert result["status"] == "SUCCESS"
    logged = "\n".join(r.getMessage() for r in all_logs.records)
    assert "contact_disconnected.success" in logged
    assert service.tokens  # the tokens issued on the way, the key: none of it is logged
    for secret in [*service.tokens, keys.private_pem.splitlines()[1], service.config.consumer_key]:
        assert secret not in logged


def test_an_event_that_is_not_a_contact_event_is_an_input_error(ddeps):
    with pytest.raises(InvalidInputError) as raised:
        contact_disconnected({"detail-type": "Something else"}, FakeContext(), ddeps)
    assert raised.value.as_dict()["field"] == "detail"


def test_warm_up_events_return_at_once():
    assert handler({"source": "aws.events", "detail-type": "Scheduled Event"}, None) == {}


def test_missing_transcript_storage_is_a_configuration_error_naming_where_to_turn_it_on(world, ddeps):
    world.storage.configs.clear()
    contact = chat(world)

    with pytest.raises(ConfigurationError) as raised:
        run(world, contact, ddeps)

    error = raised.value.as_dict()
    assert error["error"] == "CONFIGURATION_ERROR" and "Data storage" in error["fix"]


def test_run_for_contact_is_what_the_offline_demo_calls(world, service, ddeps):
    contact = chat(world)
    # run_for_contact stamps the event with the current time: Connect files it under today's date.
    now = datetime.now(timezone.utc)
    world.store_transcript(contact, bot_only_transcript(contact, 2, now - timedelta(minutes=1)), now)

    result = run_for_contact(world.instance_arn, contact, ddeps)

    assert result["status"] == "SUCCESS" and result["entriesSent"] == 2


def test_a_contact_connect_does_not_know_is_an_input_error_naming_the_instance(world, service, ddeps):
    unknown = str(uuid.uuid4())

    with pytest.raises(InvalidInputError, match="ResourceNotFoundException") as raised:
        run(world, unknown, ddeps)

    assert raised.value.as_dict()["field"] == "ConnectInstanceArn" and service.requests == []


def test_settings_check_the_call_center_id_and_the_poll_numbers():
    assert DisconnectSettings.from_env({}).call_center_id == ""
    with pytest.raises(ConfigurationError) as raised:
        DisconnectSettings.from_env({"CALL_CENTER_ID": "Main call center"})
    assert raised.value.as_dict()["field"] == "CALL_CENTER_ID"
    with pytest.raises(ConfigurationError, match="TRANSCRIPT_POLL_ATTEMPTS"):
        DisconnectSettings.from_env({"CALL_CENTER_ID": CALL_CENTER, "TRANSCRIPT_POLL_ATTEMPTS": "0"})
    settings = DisconnectSettings.from_env({"CALL_CENTER_ID": f" {CALL_CENTER} ",
                                            "TRANSCRIPT_POLL_INTERVAL_SECONDS": "2.5"})
    assert settings.call_center_id == CALL_CENTER and settings.plan.interval_s == 2.5 and settings.plan.attempts == 3


def test_without_a_call_center_id_the_chats_that_carry_none_are_handled(world, service, make_disconnect_deps):
    deps = make_disconnect_deps()
    deps.settings = DisconnectSettings("", deps.settings.plan)
    mine, other = chat(world, callCenterId=""), chat(world)
    for contact in (mine, other):
        world.store_transcript(contact, bot_only_transcript(contact, 2, ENDED), ENDED)

    assert run(world, mine, deps)["status"] == "SUCCESS"
    assert run(world, other, deps)["reason"] == "OTHER_CALL_CENTER"


def test_at_most_three_history_requests_are_in_flight_at_once(world, service, ddeps):
    import threading

    contact = chat(world)
    world.store_transcript(contact, bot_only_transcript(contact, 40, ENDED), ENDED)
    arrived, in_flight, most = threading.Condition(), [0], [0]
    original = service.handle

    def slow_history(method, path, headers, body):
        if path != HISTORY:
            return original(method, path, headers, body)
        with arrived:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
            arrived.notify_all()
            # Each request is held until a fourth one arrives beside it, or briefly if none does.
            arrived.wait_for(lambda: in_flight[0] > 3, timeout=0.1)
        try:
            return original(method, path, headers, body)
        finally:
            with arrived:
                in_flight[0] -= 1

    service.handle = slow_history
    result = run(world, contact, ddeps)

    assert result["batchesSent"] == 8
    assert most[0] == 3


def test_a_hung_history_request_ends_at_its_own_time_cap_not_at_the_functions_deadline(
        world, service, make_disconnect_deps):
    deps = make_disconnect_deps(history_call_timeout_s=0.3)
    contact = chat(world)
    world.store_transcript(contact, bot_only_transcript(contact, 3, ENDED), ENDED)
    service.inject(HISTORY, delay_s=2.0)

    # Real socket timeout: the request is cut at its 300 ms cap though the function has 60 s.
    with pytest.raises(SalesforceUnavailableError, match="did not answer within 300 ms") as raised:
        run(world, contact, deps)

    assert raised.value.retryable and SENT_ATTRIBUTE not in world.attributes(contact)
