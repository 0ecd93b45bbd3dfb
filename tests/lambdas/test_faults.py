"""The handlers against a misbehaving server: deadlines held, errors pointing the right way,
strict answers, and no secret in the result, the exception or the logs.

Salesforce (the Interaction Service or the token endpoint) is replaced by ``FaultServer``;
the other one stays the local Interaction Service. Budgets are 1 s of Lambda time on the
test's virtual clock, which stands still: the slow-server tests are the real socket timeouts.
There the call gets the 800 ms left (1 s less the 200 ms margin), and the server sees the
client hang up while its fault is still answering (each would go on for 6 s): the socket's
deadline, not the fault's end, finished the call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.errors import (
    LambdaError,
    RoutingRejectedError,
    SalesforceAuthError,
    SalesforceResponseError,
    SalesforceTimeoutError,
    SalesforceUnavailableError,
)
from sccac.lambdas.routing import route
from tests.lambdas import fault_server as fs
from tests.lambdas.conftest import CHANNEL, QUEUE_ARN, SECRET_NAME, FakeContext, connect_event, secret_json

BUDGET_MS = 1000
# What a call gets of that budget: the handler keeps 200 ms in hand.
CUT_OFF = "did not answer within 800 ms"
CONVERSATION_OK = {"conversationIdentifier": "4a8c3b1e-0000-4000-8000-000000000001",
                   "workItemIds": ["0Mw000000000042AAA"], "success": True}
ROUTE_OK = {"success": True, "psrId": "0JR000000000001AAA", "workItemId": "0Mw000000000042AAA",
            "routingCorrelationId": "8d2f0c4e-0000-4000-8000-000000000001",
            "contextParamMap": {"queueId": "00G5g000001AbCdEAF", "externalQueueId": QUEUE_ARN}}
SLOW_FAULTS = [fs.slow_headers, fs.slow_body, fs.slow_body_until_close]


@pytest.fixture
def faults() -> Iterator[fs.FaultServer]:
    with fs.FaultServer() as server:
        yield server


@pytest.fixture
def api_deps(faults, make_deps):
    """The Interaction Service is the fault server; the token comes from the local service."""
    return make_deps(scrt_base_url=faults.url)


@pytest.fixture
def token_deps(faults, keys, service, secrets_client, make_deps):
    """The secret's loginUrl is the fault server: the token request meets the fault."""
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, loginUrl=faults.url))
    return make_deps()


def session_event(contact_id: str = "c0ffee00-1111-4222-8333-444455556666") -> dict:
    return connect_event(contact_id, attributes={"channelAddressIdentifier": CHANNEL})


def route_event() -> dict:
    return connect_event(attributes={"conversationIdentifier": CONVERSATION_OK["conversationIdentifier"]},
                         parameters={"routingType": "Initial"})


def raised(call: Any) -> BaseException | None:
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - the tests inspect it
        return exc
    return None


def cut_off(exc: BaseException | None, faults: fs.FaultServer) -> bool:
    """The call timed out with the 800 ms it had, and hung up on the server mid-answer."""
    # Real socket timeout: the server notices the hang-up on its next write, well within 1 s.
    return (isinstance(exc, SalesforceTimeoutError) and CUT_OFF in detail(exc)["message"]
            and faults.hung_up.wait(timeout=fs.TRICKLE_S - 2))


def detail(exc: BaseException | None) -> dict[str, Any]:
    assert isinstance(exc, LambdaError), exc
    return json.loads(str(exc))


# --- Deadlines ------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", SLOW_FAULTS, ids=lambda f: f.__name__)
def test_slow_interaction_service_ends_within_the_budget(faults, api_deps, fault):
    faults.fault = fault

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(BUDGET_MS), api_deps))

    assert cut_off(exc, faults)
    assert detail(exc)["retryable"] is True and detail(exc)["contactId"].startswith("c0ffee00")
    assert [r.path for r in faults.requests] == ["/api/v1/interactions"]


@pytest.mark.parametrize("fault", SLOW_FAULTS, ids=lambda f: f.__name__)
def test_slow_token_endpoint_ends_within_the_budget(faults, token_deps, fault):
    faults.fault = fault

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(BUDGET_MS), token_deps))

    assert cut_off(exc, faults)
    assert [r.path for r in faults.requests] == ["/services/oauth2/token"]


def test_slow_route_answer_ends_within_the_budget(faults, api_deps):
    faults.fault = fs.slow_body
    exc = raised(lambda: route(route_event(), FakeContext(BUDGET_MS), api_deps))
    assert cut_off(exc, faults)


def test_slow_tls_handshake_ends_within_the_budget(faults, make_deps):
    faults.raw = fs.slow_tls_handshake
    deps = make_deps(scrt_base_url=faults.url.replace("http://", "https://"))

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(BUDGET_MS), deps))

    assert cut_off(exc, faults)


def test_deadline_holds_on_a_reused_keep_alive_connection_and_the_next_call_works(faults, api_deps):
    faults.fault = fs.answer_json(202, CONVERSATION_OK)
    create_messaging_session(session_event(), FakeContext(), api_deps)  # opens the pooled connection
    faults.fault = fs.slow_headers

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(BUDGET_MS), api_deps))

    assert cut_off(exc, faults)
    faults.fault = fs.answer_json(202, CONVERSATION_OK)
    assert create_messaging_session(session_event(), FakeContext(), api_deps)["workItemId"] == "0Mw000000000042AAA"


# --- Error categories -----------------------------------------------------------------------

@pytest.mark.parametrize(("fault", "kind"), [(fs.html_login_page, "an HTML page"), (fs.empty_200, "an empty body")])
def test_interaction_service_answer_that_is_not_json_names_the_domain_not_the_channel(faults, api_deps, fault, kind):
    faults.fault = fault

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), api_deps))

    assert isinstance(exc, SalesforceResponseError)
    found = detail(exc)
    assert found["error"] == "SALESFORCE_BAD_RESPONSE" and found["field"] == "SF_SCRT_DOMAIN"
    assert kind in found["message"] and "HTTP 200" in found["message"]
    assert "channelAddressIdentifier" not in found["fix"] and "salesforce-scrt.com" in found["fix"]


def test_token_endpoint_html_page_names_the_login_url_of_the_secret(faults, token_deps):
    faults.fault = fs.html_login_page

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), token_deps))

    found = detail(exc)
    assert found["error"] == "SALESFORCE_BAD_RESPONSE" and found["field"] == "loginUrl"
    assert f"loginUrl in secret '{SECRET_NAME}'" in found["fix"] and "an HTML page" in found["message"]


@pytest.mark.parametrize("which", ["interaction service", "token endpoint"])
def test_429_is_retryable(faults, api_deps, token_deps, which):
    faults.fault = fs.too_many_requests
    deps = api_deps if which == "interaction service" else token_deps

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), deps))

    assert isinstance(exc, SalesforceUnavailableError)
    found = detail(exc)
    assert found["status"] == 429 and found["retryable"] is True


@pytest.mark.parametrize("fault", [fs.oversize_declared, fs.oversize_streamed], ids=lambda f: f.__name__)
def test_oversize_answer_is_refused(faults, api_deps, fault):
    faults.fault = fault
    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), api_deps))
    assert isinstance(exc, SalesforceResponseError) and "64 KiB" in detail(exc)["message"]


def test_unreachable_login_url_names_the_secret(keys, service, secrets_client, make_deps):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, loginUrl=closed))

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), make_deps()))

    assert isinstance(exc, SalesforceUnavailableError)
    found = detail(exc)
    assert found["field"] == "loginUrl" and f"loginUrl in secret '{SECRET_NAME}'" in found["fix"]
    assert "SF_SCRT_DOMAIN" not in found["fix"]


# --- Strict answers ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({**CONVERSATION_OK, "success": "true"}, None),
        ({k: v for k, v in CONVERSATION_OK.items() if k != "success"}, None),
        ({**CONVERSATION_OK, "conversationIdentifier": 42}, "conversationIdentifier"),
        ({**CONVERSATION_OK, "conversationIdentifier": "not-a-uuid"}, "conversationIdentifier"),
        ({**CONVERSATION_OK, "workItemIds": ["001000000000001AAA"]}, "workItemIds[0]"),
        ({**CONVERSATION_OK, "workItemIds": "0Mw000000000042AAA"}, "workItemIds"),
    ],
    ids=["success-string", "success-missing", "conversation-number", "conversation-not-uuid",
         "session-not-0Mw", "session-list"],
)
def test_conversation_answer_of_the_wrong_shape_is_refused(faults, api_deps, answer, field):
    faults.fault = fs.answer_json(202, answer)
    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), api_deps))
    assert isinstance(exc, SalesforceResponseError)
    assert detail(exc).get("field") == field


def test_conversation_answer_with_success_false_still_points_at_the_channel(faults, api_deps):
    faults.fault = fs.answer_json(202, {**CONVERSATION_OK, "success": False})
    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), api_deps))
    assert detail(exc)["error"] == "SALESFORCE_REJECTED" and detail(exc)["field"] == "channelAddressIdentifier"


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({**ROUTE_OK, "success": 1}, None),
        ({**ROUTE_OK, "psrId": 12345}, "psrId"),
        ({**ROUTE_OK, "psrId": "0Mw000000000042AAA"}, "psrId"),
        ({**ROUTE_OK, "workItemId": "0Mw 00000000042AAA"}, "workItemId"),
        ({**ROUTE_OK, "routingCorrelationId": "a b"}, "routingCorrelationId"),
        ({**ROUTE_OK, "contextParamMap": {"queueId": "00G" + "x" * 20_000}}, "queueId"),
    ],
    ids=["success-number", "psr-number", "psr-wrong-prefix", "work-item-space", "correlation-space",
         "queue-oversize"],
)
def test_route_answer_of_the_wrong_shape_is_refused_without_echoing_it(faults, api_deps, all_logs, answer, field):
    faults.fault = fs.answer_json(202, answer)

    exc = raised(lambda: route(route_event(), FakeContext(), api_deps))

    assert isinstance(exc, SalesforceResponseError)
    assert detail(exc).get("field") == field
    logged = [r.getMessage() for r in all_logs.records]
    assert any("routing.failed" in m for m in logged)
    assert max(len(m) for m in logged) < 2000 and len(str(exc)) < 1000  # nothing oversize echoed


def test_route_answer_of_the_right_shape_passes(faults, api_deps):
    faults.fault = fs.answer_json(202, ROUTE_OK)
    result = route(route_event(), FakeContext(), api_deps)
    assert result["externalQueueId"] == QUEUE_ARN and result["psrId"] == "0JR000000000001AAA"


# --- Secrets echoed back ----------------------------------------------------------------------

def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s and s in text]


def captured(exc: BaseException | None, logs: pytest.LogCaptureFixture, result: Any = None) -> str:
    return "\n".join([str(exc), repr(exc), json.dumps(result), *(r.getMessage() for r in logs.records)])


def bearer_tokens(faults: fs.FaultServer) -> list[str]:
    tokens = [r.header("Authorization").removeprefix("Bearer ") for r in faults.requests]
    assert tokens and all(tokens)
    return tokens


@pytest.mark.parametrize("status", [400, 401, 429, 503])
def test_echoed_authorization_header_is_redacted(faults, api_deps, all_logs, status):
    faults.fault = fs.echo_request(status, "interaction")

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), api_deps))

    assert isinstance(exc, LambdaError)
    assert "[redacted]" in detail(exc)["message"]  # the echo was quoted, minus the token
    text = captured(exc, all_logs)
    assert leaks(text, bearer_tokens(faults)) == []
    assert "00D000000000001!" not in text


@pytest.mark.parametrize("status", [400, 401])
def test_echoed_jwt_assertion_is_redacted(faults, token_deps, keys, service, all_logs, status):
    faults.fault = fs.echo_request(status, "oauth")

    exc = raised(lambda: create_messaging_session(session_event(), FakeContext(), token_deps))

    assert isinstance(exc, SalesforceAuthError)
    [request] = faults.requests  # the server did get the assertion, and echoed it
    [assertion] = parse_qs(request.body.decode())["assertion"]
    text = captured(exc, all_logs)
    assert leaks(text, [assertion, assertion.split(".")[2], service.config.consumer_key]) == []
    assert "eyJ" not in text and "PRIVATE KEY" not in text and keys.private_pem.splitlines()[5] not in text


def test_echo_in_a_routing_refusal_is_redacted(faults, api_deps, all_logs):
    faults.fault = fs.echo_request(200, "route")
    exc = raised(lambda: route(route_event(), FakeContext(), api_deps))
    assert isinstance(exc, RoutingRejectedError)
    assert leaks(captured(exc, all_logs), bearer_tokens(faults)) == []


def test_echo_in_an_answer_never_reaches_the_result(faults, api_deps, all_logs):
    def echo_as_queue(conn: fs.Connection, request: fs.Request) -> None:
        answer = {**ROUTE_OK, "contextParamMap": {"queueId": "00G5g000001AbCdEAF",
                                                  "externalQueueId": request.header("Authorization")}}
        conn.send_json(202, answer)

    faults.fault = echo_as_queue

    result = route(route_event(), FakeContext(), api_deps)

    assert result["routingStatus"] == "NO_MAPPED_QUEUE" and "[redacted]" in result["routingMessage"]
    assert leaks(captured(None, all_logs, result), bearer_tokens(faults)) == []
