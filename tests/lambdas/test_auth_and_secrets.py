"""Secret cache, JWT bearer flow and the rule that nothing secret reaches logs or errors."""

from __future__ import annotations

import json

import pytest

from sccac.lambdas import runtime
from sccac.lambdas.config import Settings
from sccac.lambdas.create_messaging_session import create_messaging_session, handler
from sccac.lambdas.errors import ConfigurationError, LambdaError, SalesforceAuthError
from tests.lambdas.conftest import AUTH_CONTEXT, CHANNEL, SECRET_NAME, FakeContext, connect_event, secret_json


def event(n: int) -> dict:
    return connect_event(f"aaaaaaaa-0000-4000-8000-{n:012d}", attributes={"channelAddressIdentifier": CHANNEL})


def test_secret_and_token_are_fetched_once_per_container(service, deps):
    for n in range(3):
        create_messaging_session(event(n), FakeContext(), deps)
    assert deps.secrets.fetch_count == 1
    assert deps.tokens.token_requests == 1
    assert deps.salesforce_round_trips == 1 + 3


def test_secret_is_read_again_after_its_max_age(service, make_deps):
    deps = make_deps(secret_max_age_s=0)
    create_messaging_session(event(1), FakeContext(), deps)
    create_messaging_session(event(2), FakeContext(), deps)
    assert deps.secrets.fetch_count >= 2


def test_missing_secret_field_names_the_field_without_its_value(service, keys, secrets_client, make_deps):
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, privateKey=""))
    with pytest.raises(ConfigurationError) as raised:
        create_messaging_session(event(1), FakeContext(), make_deps())
    detail = json.loads(str(raised.value))
    assert detail["field"] == "privateKey"


def test_unreadable_secret_names_the_secret_and_the_permission(service, make_deps):
    deps = make_deps(secret_name="sccac/does-not-exist")
    with pytest.raises(ConfigurationError, match="ResourceNotFoundException") as raised:
        create_messaging_session(event(1), FakeContext(), deps)
    assert "secretsmanager:GetSecretValue" in str(raised.value)


def test_wrong_consumer_key_is_an_auth_error_with_salesforces_reason(service, keys, secrets_client, make_deps):
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, consumerKey="nope"))
    with pytest.raises(SalesforceAuthError, match="invalid_client_id"):
        create_messaging_session(event(1), FakeContext(), make_deps())


def test_key_not_matching_the_certificate_is_refused(service, secrets_client, make_deps):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    data = json.loads(secret_json(type("K", (), {"private_pem": other})(), service))
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=json.dumps(data))
    with pytest.raises(SalesforceAuthError, match="invalid_grant"):
        create_messaging_session(event(1), FakeContext(), make_deps())


def test_no_secret_reaches_logs_or_errors(service, keys, deps, all_logs):
    messages: list[str] = []
    create_messaging_session(event(1), FakeContext(), deps)
    service.expire_tokens()
    create_messaging_session(event(2), FakeContext(), deps)
    service.inject("/api/v1/conversation", status=401, count=5)
    with pytest.raises(LambdaError) as raised:
        create_messaging_session(event(3), FakeContext(), deps)
    messages.append(str(raised.value))
    messages.extend(r.getMessage() for r in all_logs.records)
    messages.append(repr(deps.secrets.get()))
    text = "\n".join(messages)

    key_body = keys.private_pem.splitlines()[5]
    assert key_body not in text
    assert "PRIVATE KEY" not in text
    assert "eyJ" not in text  # no JWT (header starts with base64 '{"')
    assert service.config.org_id + "!" not in text  # access tokens look like <orgId>!<token>


def test_handler_reads_settings_from_the_environment(service, secrets_client, monkeypatch):
    monkeypatch.setenv("SF_SCRT_DOMAIN", service.base_url)
    monkeypatch.setenv("SALESFORCE_SECRET_NAME", SECRET_NAME)
    monkeypatch.setenv("AUTHORIZATION_CONTEXT", AUTH_CONTEXT)
    runtime.install(runtime.build(Settings.from_env(), secrets_client=secrets_client))
    try:
        assert handler(event(1), FakeContext())["source"] == "SCCAC"
    finally:
        runtime.install(None)


def test_missing_environment_variable_is_a_configuration_error(monkeypatch):
    monkeypatch.delenv("SF_SCRT_DOMAIN", raising=False)
    runtime.install(None)
    with pytest.raises(ConfigurationError) as raised:
        handler(event(1), FakeContext())
    detail = json.loads(str(raised.value))
    assert detail["field"] == "SF_SCRT_DOMAIN" and detail["contactId"].startswith("aaaaaaaa")
    runtime.install(None)


def test_domain_without_scheme_becomes_an_https_url():
    settings = Settings.from_env(
        {"SF_SCRT_DOMAIN": "acme.my.salesforce-scrt.com", "SALESFORCE_SECRET_NAME": "s", "AUTHORIZATION_CONTEXT": "c"}
    )
    assert settings.scrt_base_url == "https://acme.my.salesforce-scrt.com"
    assert settings.connect_timeout_ms == 8000
