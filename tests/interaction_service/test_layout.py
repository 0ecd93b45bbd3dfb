"""The stand-in's parts used on their own: state without HTTP, the wire format without a server,
fault injection, the token checks, and ``python -m``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import jwt
import pytest

from sccac.testing.interaction_service import ERROR_CODES, ChannelSetup, InteractionBackend, ServiceConfig
from sccac.testing.interaction_service.exceptions import InvalidQueue, OAuthError
from sccac.testing.interaction_service.faults import FaultInjector
from sccac.testing.interaction_service.oauth import verify_assertion
from sccac.testing.interaction_service.responses import InteractionResponses
from sccac.testing.interaction_service.urls import CONVERSATION, INTERACTIONS, ROUTE, TOKEN
from sccac.testing.keys import generate_key_pair

CHANNEL = "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
CHANNEL_BY_FLOW = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
QUEUE = "00G5g000001AbCdEAF"
FLOW = "3005g000000Fl0wAAA"
QUEUE_ARN = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555/queue/q1"
ROOT = Path(__file__).resolve().parents[2]


def _config(strict: bool = False) -> ServiceConfig:
    return ServiceConfig(
        public_key_pem="unused here",
        channels={CHANNEL: ChannelSetup(queue_id=QUEUE), CHANNEL_BY_FLOW: ChannelSetup(flow_id=FLOW)},
        queues={QUEUE: QUEUE_ARN},
        flows={FLOW: QUEUE},
        strict_published_shapes=strict,
    )


def _headers(backend: InteractionBackend, request_id: str | None = None) -> dict[str, str]:
    return {
        "Authorization": "Bearer " + backend.issue_token(),
        "OrgId": backend.config.org_id,
        "AuthorizationContext": backend.config.authorization_context,
        "RequestId": request_id or str(uuid.uuid4()),
    }


def _conversation_request(subject: str) -> bytes:
    return json.dumps({
        "channelAddressIdentifier": CHANNEL,
        "participants": [{"appType": "custom", "role": "EndUser", "subject": subject}],
    }).encode()


# -- models.py: the state, no HTTP ------------------------------------------------------------

def test_one_conversation_per_end_user_and_a_new_session_once_the_chat_ended():
    backend = InteractionBackend(_config())
    conversation, first = backend.add_entry(CHANNEL, "alice", "entry-1")
    again, same = backend.add_entry(CHANNEL, "alice", "entry-1")
    assert again is conversation and same == first and conversation.entries == ["entry-1"]

    backend.end_session(conversation.identifier)
    _, second = backend.establish(CHANNEL, "alice")

    assert second.id != first.id
    assert [s.status for s in conversation.sessions] == ["Ended", "Active"]


def test_work_routes_by_the_channels_omni_flow_and_an_unknown_queue_is_refused_with_10032():
    backend = InteractionBackend(_config())
    conversation, session = backend.establish(CHANNEL_BY_FLOW, "bob")

    routing, reason = backend.route(conversation, session, "Initial", {}, {"Language": "fr"})
    assert routing is not None and reason == ""
    assert (routing.queue_id, routing.work_item_id, routing.routing_attributes) == (QUEUE, session.id, {"Language": "fr"})

    with pytest.raises(InvalidQueue) as raised:
        backend.route(conversation, session, "Transfer", {"queueId": "00G000000000000AAA"}, {})
    assert (raised.value.status, raised.value.body()) == (400, {"code": 10032, "message": "Specified Queue ID is invalid."})
    assert backend.routings == [routing]


# -- responses.py: the wire format, no server -------------------------------------------------

@pytest.mark.parametrize("strict", [False, True])
def test_the_conversation_answer_has_the_published_shape_without_a_server(strict):
    backend = InteractionBackend(_config(strict))
    responses = InteractionResponses(backend, base_url=lambda: "http://127.0.0.1:1")

    status, body, content_type = responses.dispatch("POST", CONVERSATION, _headers(backend), _conversation_request("carol"))

    answer = json.loads(body)
    assert (status, content_type) == (202, "application/json")
    expected = {"conversationIdentifier", "success"} | (set() if strict else {"messagingSessionId"})
    assert set(answer) == expected and answer["success"] is True
    [conversation] = backend.conversations.values()
    assert answer["conversationIdentifier"] == conversation.identifier and conversation.subject == "carol"


def test_a_repeated_request_id_gets_the_first_answer_and_another_body_under_it_is_refused():
    backend = InteractionBackend(_config())
    responses = InteractionResponses(backend, base_url=lambda: "http://127.0.0.1:1")
    request_id = str(uuid.uuid4())

    first = responses.dispatch("POST", CONVERSATION, _headers(backend, request_id), _conversation_request("dan"))
    repeat = responses.dispatch("POST", CONVERSATION, _headers(backend, request_id), _conversation_request("dan"))
    other = responses.dispatch("POST", CONVERSATION, _headers(backend, request_id), _conversation_request("erin"))

    assert repeat == first and len(backend.sessions()) == 1
    assert other[0] == 409
    assert json.loads(other[1]) == {"code": 10016, "message": "RequestId was already used with a different body."}


def test_another_method_or_path_gets_the_error_body_naming_it():
    responses = InteractionResponses(InteractionBackend(_config()), base_url=lambda: "http://127.0.0.1:1")

    status, body, _ = responses.dispatch("GET", ROUTE, {}, b"")
    assert (status, json.loads(body)) == (405, {"code": 405, "message": "GET is not supported on /api/v1/route"})
    status, body, _ = responses.dispatch("POST", "/api/v2/nothing", {}, b"")
    assert (status, json.loads(body)) == (404, {"code": 404, "message": "No resource at /api/v2/nothing"})


# -- faults.py --------------------------------------------------------------------------------

def test_faults_count_down_default_their_code_and_the_old_session_path_faults_the_new_one():
    injector = FaultInjector()
    injector.inject(CONVERSATION, status=401)
    injector.inject(ROUTE, code=10055)
    injector.inject(ROUTE, status=503)
    injector.inject(TOKEN, delay_s=1.5)

    # Injected for /conversation (callers written before the move): /interactions gets it.
    assert _answer(injector, INTERACTIONS) == (401, {"code": 10004, "message": ERROR_CODES[10004]})
    assert injector.take(INTERACTIONS) is None  # count 1: used up
    assert _answer(injector, ROUTE) == (400, {"code": 10055, "message": ERROR_CODES[10055]})
    assert _answer(injector, ROUTE) == (503, {"code": 500, "message": ERROR_CODES[500]})
    slow = injector.take(TOKEN)
    assert slow is not None and slow.delay_s == 1.5 and slow.error() is None  # a delay alone, then the real answer


def _answer(injector: FaultInjector, path: str) -> tuple[int, dict[str, object]]:
    fault = injector.take(path)
    error = fault.error() if fault else None
    assert error is not None, f"no error fault for {path}"
    return error.status, error.body()


# -- oauth.py ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def keys():
    return generate_key_pair()


def _assertion(private_pem: str, **claims: object) -> dict[str, str]:
    values = {"iss": "3MVG9-local-consumer-key", "sub": "integration@sccac.local",
              "aud": "https://login.salesforce.com", "exp": int(time.time()) + 120, **claims}
    token = jwt.encode(values, private_pem, algorithm="RS256")
    return {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": token}


@pytest.mark.parametrize(("claims", "error", "description"), [
    ({"iss": "someone-else"}, "invalid_client_id", "client identifier invalid"),
    ({"aud": "https://test.salesforce.com"}, "invalid_grant", "audience is invalid"),
    ({"exp": int(time.time()) + 3600}, "invalid_grant", "assertion expiry is too far in the future"),
    ({"sub": "nobody@example.com"}, "invalid_grant", "user hasn't approved this consumer"),
])
def test_the_token_endpoint_says_what_is_wrong_with_the_assertion(keys, claims, error, description):
    config = ServiceConfig(public_key_pem=keys.public_pem)
    verify_assertion(_assertion(keys.private_pem), config)  # the valid grant passes

    with pytest.raises(OAuthError) as raised:
        verify_assertion(_assertion(keys.private_pem, **claims), config)
    assert raised.value.body() == {"error": error, "error_description": description}


# -- server.py: python -m ---------------------------------------------------------------------

def test_python_dash_m_serves_the_stand_in_until_interrupted(tmp_path):
    config = tmp_path / "service.json"
    config.write_text(json.dumps({"publicKeyPem": "unused", "channels": {CHANNEL: {"queueId": QUEUE}}}))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, "-m", "sccac.testing.interaction_service", "--config", str(config),
                                "--port", "0"], stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Local Interaction Service on http://127.0.0.1:"), line
        base_url = line.split()[4]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base_url + TOKEN, data=b"grant_type=password", timeout=5)
        assert refused.value.code == 400
        assert json.loads(refused.value.read())["error"] == "unsupported_grant_type"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
