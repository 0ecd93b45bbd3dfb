"""Secret cache, JWT bearer flow and the rule that nothing secret reaches logs or errors."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest

from sccac.clock import VirtualClock
from sccac.lambdas import budget, runtime
from sccac.lambdas.auth import ASSERTION_LIFETIME_S, sign_assertion
from sccac.lambdas.budget import Deadline, InvocationStarts
from sccac.lambdas.config import Settings
from sccac.lambdas.create_messaging_session import create_messaging_session, handle, handler
from sccac.lambdas.errors import (
    ConfigurationError,
    LambdaError,
    SalesforceAuthError,
    SalesforceTimeoutError,
    SalesforceUnavailableError,
)
from sccac.lambdas.secret_cache import SECRETS_CONNECT_TIMEOUT_S, SECRETS_READ_TIMEOUT_S, SalesforceCredentials
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


def test_missing_secret_field_names_the_field(service, keys, secrets_client, make_deps):
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, privateKey=""))
    with pytest.raises(ConfigurationError) as raised:
        create_messaging_session(event(1), FakeContext(), make_deps())
    detail = json.loads(str(raised.value))
    assert detail["field"] == "privateKey"


LEAK_MARKER = "LEAK-MARKER-7d1e9c"


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [
        ("privateKey", f"{LEAK_MARKER} this is not a PEM key"),
        ("orgId", f"00D{LEAK_MARKER}"),
    ],
)
def test_invalid_secret_field_names_the_field_without_its_value(
    service, keys, secrets_client, make_deps, all_logs, field, bad_value
):
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, **{field: bad_value}))
    with pytest.raises(ConfigurationError) as raised:
        create_messaging_session(event(1), FakeContext(), make_deps())
    detail = json.loads(str(raised.value))
    assert detail["field"] == field
    logged = [r.getMessage() for r in all_logs.records]
    assert any('"field":"%s"' % field in m for m in logged)  # the failure was logged, naming the field
    assert LEAK_MARKER not in str(raised.value)
    assert LEAK_MARKER not in "\n".join(logged)


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
    service.inject("/api/v1/interactions", status=401, count=5)
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


@pytest.mark.parametrize(
    ("how", "error_type"),
    [
        ("wrong consumer key", SalesforceAuthError),  # OAuth error body: invalid_client_id
        ("HTTP 400", SalesforceAuthError),
        ("HTTP 503", SalesforceUnavailableError),
    ],
)
def test_token_endpoint_errors_leak_no_secret(service, keys, secrets_client, make_deps, all_logs, how, error_type):
    consumer_key = service.config.consumer_key
    secret = {"consumerKey": consumer_key + ("-wrong" if how == "wrong consumer key" else "")}
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, **secret))
    if how.startswith("HTTP "):
        service.inject("/services/oauth2/token", status=int(how.split()[1]))
    with pytest.raises(error_type) as raised:
        create_messaging_session(event(1), FakeContext(), make_deps())

    [request] = service.requests
    assert request.path == "/services/oauth2/token"
    [assertion] = parse_qs(request.body.decode())["assertion"]  # what was posted to the token endpoint
    logged = [r.getMessage() for r in all_logs.records]
    assert any("create_messaging_session.failed" in m for m in logged)
    text = "\n".join([str(raised.value), repr(raised.value), *logged])
    assert assertion not in text
    assert assertion.split(".")[2] not in text  # not even the signature
    assert "eyJ" not in text
    assert keys.private_pem.splitlines()[5] not in text
    assert "PRIVATE KEY" not in text
    assert consumer_key not in text
    if error_type is SalesforceAuthError:
        assert json.loads(str(raised.value))["field"] == "consumerKey"  # the field is named, its value is not


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


# --- JWT audience ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("login_url", "audience"),
    [
        ("https://login.salesforce.com", "https://login.salesforce.com"),
        ("https://acme.my.salesforce.com", "https://login.salesforce.com"),
        ("https://test.salesforce.com", "https://test.salesforce.com"),
        ("https://acme--uat.sandbox.my.salesforce.com", "https://test.salesforce.com"),
        ("https://ACME--UAT.SANDBOX.MY.SALESFORCE.COM/", "https://test.salesforce.com"),
        ("http://127.0.0.1:8085", "https://login.salesforce.com"),
    ],
)
def test_jwt_audience_defaults_to_login_or_test_never_the_my_domain(keys, login_url, audience):
    raw = json.dumps({"consumerKey": "k", "username": "u", "privateKey": keys.private_pem,
                      "orgId": "00D000000000001", "loginUrl": login_url})
    creds = SalesforceCredentials.from_secret_string(raw, "s")
    assert creds.audience == audience
    assert creds.login_url == login_url.rstrip("/")  # the token endpoint stays at loginUrl
    import jwt

    claims = jwt.decode(sign_assertion(creds, VirtualClock().time()), options={"verify_signature": False})
    assert claims["aud"] == audience


def test_the_jwt_assertion_and_the_entry_are_dated_by_the_functions_clock(service, deps, clock):
    import jwt

    clock.advance(42.5)
    create_messaging_session(event(1), FakeContext(), deps)

    [token_request] = service.calls("/services/oauth2/token")
    assertion = parse_qs(token_request.body.decode())["assertion"][0]
    claims = jwt.decode(assertion, options={"verify_signature": False})
    assert claims["exp"] == int(clock.time()) + ASSERTION_LIFETIME_S
    [interaction] = service.calls("/api/v1/interactions")
    assert [i["timestamp"] for i in interaction.json()["interactions"]] == [int(clock.time() * 1000)]


def test_explicit_audience_is_kept(keys):
    raw = json.dumps({"consumerKey": "k", "username": "u", "privateKey": keys.private_pem, "orgId": "00D000000000001",
                      "loginUrl": "https://acme.my.salesforce.com", "audience": "https://acme.my.site.com/support"})
    assert SalesforceCredentials.from_secret_string(raw, "s").audience == "https://acme.my.site.com/support"


def test_my_domain_url_as_audience_is_refused_like_salesforce_does(service, keys, secrets_client, make_deps):
    # The token endpoint is the local service (loginUrl); aud = that URL is what Salesforce refuses.
    secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service, audience=service.base_url))
    with pytest.raises(SalesforceAuthError, match="audience is invalid"):
        create_messaging_session(event(1), FakeContext(), make_deps())


def test_token_request_goes_to_login_url_with_the_default_audience(service, deps):
    create_messaging_session(event(1), FakeContext(), deps)
    assert deps.secrets.get().audience == "https://login.salesforce.com"
    assert [r.path for r in service.requests][0] == "/services/oauth2/token"


# --- Secrets Manager inside the time budget -------------------------------------------------

class ReadTimeoutError(Exception):
    """Named like botocore's, which the cache recognises by class name."""


class SlowSecretsClient:
    """A Secrets Manager client that answers after ``delay_s`` on ``clock`` unless its read timeout is shorter."""

    def __init__(self, secret: str, delay_s: float, clock: VirtualClock, read_timeout_s: float = 60.0) -> None:
        self.secret = secret
        self.delay_s = delay_s
        self.read_timeout_s = read_timeout_s
        self.clock = clock
        self.calls = 0

    def get_secret_value(self, *, SecretId: str) -> dict[str, Any]:  # noqa: N803 - boto3 shape
        self.calls += 1
        self.clock.sleep(min(self.delay_s, self.read_timeout_s))  # virtual: the wait costs no real time
        if self.delay_s > self.read_timeout_s:
            raise ReadTimeoutError("Read timeout on endpoint URL")
        return {"SecretString": self.secret}


def factory_deps(service, keys, clock: VirtualClock, delay_s: float,
                 **settings: Any) -> tuple[runtime.Dependencies, list]:
    built: list[SlowSecretsClient] = []
    timeouts: list[tuple[float, float]] = []

    def factory(connect_s: float, read_s: float) -> SlowSecretsClient:
        timeouts.append((connect_s, read_s))
        client = SlowSecretsClient(secret_json(keys, service), delay_s, clock, read_timeout_s=read_s)
        built.append(client)
        return client

    values: dict[str, Any] = {"scrt_base_url": service.base_url, "secret_name": SECRET_NAME,
                              "authorization_context": AUTH_CONTEXT}
    values.update(settings)
    deps = runtime.build(Settings(**values), secrets_client=None, clock=clock)
    deps.secrets._factory = factory  # the Lambda path (client built on first use), with a fake boto3
    return deps, timeouts


def test_slow_secrets_manager_is_cut_off_within_the_budget(service, keys, clock):
    deps, timeouts = factory_deps(service, keys, clock, delay_s=3.0)
    started = clock.monotonic()

    with pytest.raises(SalesforceTimeoutError) as raised:
        create_messaging_session(event(1), FakeContext(remaining_ms=700), deps)

    # The client gave up at its own read timeout: inside the 500 ms the budget left, not after 3 s.
    assert clock.monotonic() - started <= 0.5 + 1e-6
    [(connect_s, read_s)] = timeouts
    assert connect_s + read_s <= 0.5 + 1e-6  # 700 ms minus the 200 ms safety margin
    detail = json.loads(str(raised.value))
    assert detail["error"] == "SALESFORCE_TIMEOUT" and detail["retryable"] is True
    assert detail["field"] == "SALESFORCE_SECRET_NAME" and "Secrets Manager" in detail["message"]
    assert service.requests == []


def test_secrets_client_gets_default_timeouts_with_a_full_budget(service, keys, clock):
    deps, timeouts = factory_deps(service, keys, clock, delay_s=0.0)
    create_messaging_session(event(1), FakeContext(), deps)
    assert timeouts == [(SECRETS_CONNECT_TIMEOUT_S, SECRETS_READ_TIMEOUT_S)]


def test_client_is_rebuilt_only_when_the_budget_changes_what_it_may_take(service, keys, clock):
    deps, timeouts = factory_deps(service, keys, clock, delay_s=0.0, secret_max_age_s=0)
    create_messaging_session(event(1), FakeContext(), deps)
    create_messaging_session(event(2), FakeContext(), deps)  # stale again, same budget: same client
    create_messaging_session(event(3), FakeContext(remaining_ms=1200), deps)  # 1 s left: tighter client
    create_messaging_session(event(4), FakeContext(), deps)  # room again: default timeouts back
    assert len(timeouts) == 3
    assert sum(timeouts[1]) <= 1.0 and timeouts[2] == timeouts[0]


def test_no_secrets_manager_call_starts_without_time_left(service, keys, secrets_client, make_deps):
    deps = make_deps()
    with pytest.raises(SalesforceTimeoutError, match="Secrets Manager"):
        deps.secrets.get(Deadline(50, clock=deps.clock))
    assert deps.secrets.fetch_count == 0


def test_secret_read_late_is_cached_and_the_retry_needs_no_second_read(service, keys, clock):
    client = SlowSecretsClient(secret_json(keys, service), 0.6, clock)
    deps = runtime.build(
        Settings(scrt_base_url=service.base_url, secret_name=SECRET_NAME, authorization_context=AUTH_CONTEXT),
        secrets_client=client, clock=clock,
    )
    # The read takes 600 ms of the 500 ms left: no time for the token request after it.
    with pytest.raises(SalesforceTimeoutError, match="No time left"):
        create_messaging_session(event(1), FakeContext(remaining_ms=700), deps)
    assert service.requests == []
    client.delay_s = 0.0
    assert create_messaging_session(event(1), FakeContext(), deps)["source"] == "SCCAC"
    assert client.calls == 1


# --- Deadline from handler entry, INIT included ----------------------------------------------

def test_deadline_counts_the_connect_timeout_from_the_invocation_start(clock):
    started = clock.monotonic()
    clock.advance(1.0)
    deadline = Deadline.for_invocation(FakeContext(remaining_ms=8000), 2000, started, clock)
    assert deadline.remaining_s() == pytest.approx(0.8)  # 2 s - 1 s elapsed - 0.2 s margin
    clock.advance(0.5)
    assert deadline.remaining_s() == pytest.approx(0.3)


def test_lambda_remaining_time_still_caps_the_deadline(clock):
    deadline = Deadline.for_invocation(FakeContext(remaining_ms=500), 8000, clock.monotonic(), clock)
    assert deadline.remaining_s() == pytest.approx(0.3)  # 500 ms - 200 ms margin
    clock.advance(0.25)
    with pytest.raises(SalesforceTimeoutError, match="No time left"):
        deadline.call_timeout("Salesforce")  # 50 ms left is not enough to start a call


def test_a_capped_deadline_is_the_cap_or_the_time_left_on_the_same_clock(clock):
    deadline = Deadline(5000, clock=clock)
    assert deadline.capped(2.0).remaining_s() == pytest.approx(2.0)
    clock.advance(4.0)
    capped = deadline.capped(2.0)
    assert capped.remaining_s() == pytest.approx(1.0)
    clock.advance(1.0)
    assert capped.remaining_s() == 0.0


ON_DEMAND = {budget.INITIALIZATION_TYPE: "on-demand"}


def test_first_on_demand_invocation_charges_the_init_phase(clock):
    starts = InvocationStarts(clock, ON_DEMAND, process_age=lambda: 3.0)
    now = clock.monotonic()
    assert starts.next() == now - 3.0
    clock.advance(10.0)
    assert starts.next() == now + 10.0  # warm: entry only


def test_a_wrong_process_age_is_never_charged_beyond_connects_whole_budget(clock):
    assert InvocationStarts(clock, ON_DEMAND, process_age=lambda: 50.0).next() == clock.monotonic() - 8.0
    assert InvocationStarts(clock, ON_DEMAND, process_age=lambda: -5.0).next() == clock.monotonic()


@pytest.mark.parametrize("init_type", ["provisioned-concurrency", "snap-start", None])
def test_ahead_of_time_init_is_not_charged(clock, init_type):
    environ = {} if init_type is None else {budget.INITIALIZATION_TYPE: init_type}
    assert InvocationStarts(clock, environ, process_age=lambda: 3.0).next() == clock.monotonic()


def test_the_handler_charges_the_init_phase_once_per_container(service, make_deps, clock):
    # The container started 3 s before its first invocation: a 2 s block timeout has run out.
    deps = make_deps(connect_timeout_ms=2000)
    container = runtime.Container(clock, lambda _clock: deps, environ=ON_DEMAND, process_age=lambda: 3.0)
    with pytest.raises(SalesforceTimeoutError):
        handle(event(1), FakeContext(), container)
    assert service.requests == []
    assert handle(event(1), FakeContext(), container)["source"] == "SCCAC"  # warm: the full 2 s


def test_process_age_is_read_and_bounded():
    assert 0.0 <= budget.process_age_s() <= 8.0
