"""Configuration faults are configuration errors that name what to fix, never retryable
internal errors: the Secrets Manager client (one attempt, a region), the Lambda context,
the secret's loginUrl, SF_SCRT_DOMAIN, and an oversize ContactId."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from sccac.lambdas import runtime
from sccac.lambdas.budget import Deadline
from sccac.lambdas.config import Settings
from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.errors import ConfigurationError, InvalidInputError, SalesforceUnavailableError
from sccac.lambdas.secret_cache import SecretCache
from tests.lambdas.conftest import CHANNEL, SECRET_NAME, FakeContext, connect_event, secret_json


def session_event(contact_id: str = "c0ffee00-1111-4222-8333-444455556666") -> dict:
    return connect_event(contact_id, attributes={"channelAddressIdentifier": CHANNEL})


# --- Secrets Manager client ---------------------------------------------------------------------

class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Any:
        yield self._data


@pytest.fixture
def aws_env(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    monkeypatch.delenv("AWS_RETRY_MODE", raising=False)


def test_secrets_manager_client_makes_exactly_one_attempt(aws_env):
    client = runtime._default_secrets_client(1.0, 2.0)  # the client the Lambda runtime builds
    sent: list[str] = []

    def answer_500(request: Any, **_: Any) -> AWSResponse:
        # Registered first, so it answers before anything else (moto included) sees the request.
        sent.append(request.url)
        body = b'{"__type": "InternalServiceError", "message": "try later"}'
        return AWSResponse(request.url, 500, {"Content-Type": "application/x-amz-json-1.1"}, _Body(body))

    client.meta.events.register_first("before-send.secrets-manager.GetSecretValue", answer_500)
    cache = SecretCache(client, SECRET_NAME, 300)

    with pytest.raises(SalesforceUnavailableError) as raised:
        cache.get(Deadline(5000))

    assert len(sent) == 1  # botocore's max_attempts=1 would have sent 2 (it counts retries)
    detail = json.loads(str(raised.value))
    assert detail["retryable"] is True and "InternalServiceError" in detail["message"]
    assert detail["field"] == "SALESFORCE_SECRET_NAME"


def test_no_region_is_a_configuration_error_naming_aws_region(aws_env, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    cache = SecretCache(None, SECRET_NAME, 300, client_factory=runtime._default_secrets_client)

    with pytest.raises(ConfigurationError) as raised:
        cache.get(Deadline(5000))

    detail = json.loads(str(raised.value))
    assert detail["field"] == "AWS_REGION" and detail["retryable"] is False


# --- Lambda context -------------------------------------------------------------------------------

class _NoMethod:
    pass


class _BadAnswer:
    def get_remaining_time_in_millis(self) -> Any:
        return "soon"


@pytest.mark.parametrize("context", [_NoMethod(), _BadAnswer()], ids=["no-method", "not-a-number"])
def test_context_without_remaining_time_is_a_configuration_error(service, deps, context):
    with pytest.raises(ConfigurationError) as raised:
        create_messaging_session(session_event(), context, deps)
    detail = json.loads(str(raised.value))
    assert detail["field"] == "context" and detail["retryable"] is False
    assert "get_remaining_time_in_millis" in detail["message"]
    assert service.requests == []


# --- The secret's loginUrl and SF_SCRT_DOMAIN ---------------------------------------------------

@pytest.mark.parametrize(
    "login_url",
    ["login.salesforce.com/services/oauth2/token", "ftp://login.salesforce.com", "http://login.salesforce.com",
     "https://login.salesforce.com?x=1", "https://login salesforce.com", "https://login.salesforce.com:port"],
)
def test_bad_login_url_names_the_secret_and_the_field(service, keys, secrets_client, make_deps, login_url):
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, loginUrl=login_url))

    with pytest.raises(ConfigurationError) as raised:
        create_messaging_session(session_event(), FakeContext(), make_deps())

    detail = json.loads(str(raised.value))
    assert detail["field"] == "loginUrl"
    assert f"Secret '{SECRET_NAME}'" in detail["message"] and f"secret '{SECRET_NAME}'" in detail["fix"]
    assert "SF_SCRT_DOMAIN" not in detail["fix"]
    assert service.requests == []


@pytest.mark.parametrize(
    "domain",
    ["http://acme.my.salesforce-scrt.com", "acme.my.salesforce-scrt.com/api/v1", "ftp://acme.my.salesforce-scrt.com",
     "acme my.salesforce-scrt.com", "https://"],
)
def test_bad_scrt_domain_is_a_configuration_error(domain):
    env = {"SF_SCRT_DOMAIN": domain, "SALESFORCE_SECRET_NAME": "s", "AUTHORIZATION_CONTEXT": "c"}
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_env(env)
    assert json.loads(str(raised.value))["field"] == "SF_SCRT_DOMAIN"


@pytest.mark.parametrize("domain", ["acme.my.salesforce-scrt.com", "https://acme.my.salesforce-scrt.com/",
                                    "http://127.0.0.1:8085", "http://localhost:8085"])
def test_good_scrt_domains_are_accepted(domain):
    env = {"SF_SCRT_DOMAIN": domain, "SALESFORCE_SECRET_NAME": "s", "AUTHORIZATION_CONTEXT": "c"}
    assert Settings.from_env(env).scrt_base_url == (domain if "://" in domain else "https://" + domain).rstrip("/")


# --- Oversize input is not echoed -----------------------------------------------------------------

def test_oversize_contact_id_is_refused_and_not_logged_whole(service, deps, all_logs):
    huge = "c0ffee00" + "9" * 50_000

    with pytest.raises(InvalidInputError) as raised:
        create_messaging_session(session_event(huge), FakeContext(), deps)

    logged = "\n".join(r.getMessage() for r in all_logs.records)
    assert huge not in logged and huge not in str(raised.value)
    assert "create_messaging_session.failed" in logged and "c0ffee00" in logged  # still findable
    assert max(len(r.getMessage()) for r in all_logs.records) < 2000
    assert json.loads(str(raised.value))["field"] == "ContactId"
    assert service.requests == []



@pytest.mark.parametrize("context", ["SCCAC Chat Channel", "SCCAC_Chat\r\nX-Injected: 1", "1SCCAC"])
def test_authorization_context_that_is_not_a_developer_name_is_a_configuration_error(context):
    # It is sent as a header: a line break would otherwise end in an unexpected internal error.
    env = {"SF_SCRT_DOMAIN": "acme.my.salesforce-scrt.com", "SALESFORCE_SECRET_NAME": "s",
           "AUTHORIZATION_CONTEXT": context}
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_env(env)
    detail = json.loads(str(raised.value))
    assert detail["field"] == "AUTHORIZATION_CONTEXT" and "\n" not in detail["message"]
