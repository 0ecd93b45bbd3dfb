"""Read the Salesforce connected-app credentials from AWS Secrets Manager, cached per container.

Named ``secret_cache`` rather than ``secrets`` so it can never shadow the standard
library's ``secrets`` module. The secret value is parsed once and kept for
``max_age_s`` seconds (Powertools-style max age) so a rotated key is picked up without a
redeploy, while a warm invocation costs no Secrets Manager call.

The Secrets Manager call runs inside the invocation's time budget. botocore fixes a
client's timeouts when the client is built, so the cache builds its client on first use
(through ``client_factory``) with connect/read timeouts capped by the time left, and builds
a new one only when a later fetch has less time left than the current client may take (or
more time than a client built under pressure allows). Before every fetch it checks the
deadline, so a cold container that is already out of time fails fast with
``SALESFORCE_TIMEOUT`` instead of outliving Connect's block timeout.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from sccac.clock import Clock, RealClock
from sccac.lambdas.budget import Deadline
from sccac.lambdas.config import base_url
from sccac.lambdas.errors import (
    ConfigurationError,
    SalesforceTimeoutError,
    SalesforceUnavailableError,
)
from sccac.lambdas.ids import is_salesforce_id

DEFAULT_LOGIN_URL = "https://login.salesforce.com"
# The only JWT audiences Salesforce accepts (besides an Experience Cloud site URL): a My
# Domain URL as aud is refused with invalid_grant even though it is a valid token endpoint.
PRODUCTION_AUDIENCE = "https://login.salesforce.com"
SANDBOX_AUDIENCE = "https://test.salesforce.com"
# Secrets Manager client timeouts when the budget allows (seconds); one attempt, no retries.
SECRETS_CONNECT_TIMEOUT_S = 1.0
SECRETS_READ_TIMEOUT_S = 2.0
# Less time than this left: do not start the Secrets Manager call at all.
MIN_SECRETS_CALL_S = 0.1
# Exception class names (botocore) that mean "no answer in time" / "not reachable".
_TIMEOUT_ERRORS = frozenset({"ConnectTimeoutError", "ReadTimeoutError", "TimeoutError"})
_UNREACHABLE_ERRORS = frozenset({"EndpointConnectionError", "ConnectionClosedError", "ConnectionError"})
# Secrets Manager error codes that a later try can clear (throttling, a service fault).
_RETRYABLE_CODES = frozenset({"ThrottlingException", "InternalServiceError", "ServiceUnavailable"})
_REQUIRED = ("consumerKey", "username", "privateKey", "orgId")
_FIX = (
    "Store a JSON object with consumerKey, username, privateKey (PEM), orgId and optionally "
    "loginUrl/audience in the secret named by SALESFORCE_SECRET_NAME (see docs/lambdas.md)."
)


class SecretsClient(Protocol):
    def get_secret_value(self, *, SecretId: str) -> dict[str, Any]: ...


# Builds a Secrets Manager client with (connect timeout, read timeout) in seconds.
SecretsClientFactory = Callable[[float, float], SecretsClient]


def default_audience(login_url: str) -> str:
    """The JWT ``aud`` for a login URL: the sandbox audience for sandbox hosts, else production.

    ``test.salesforce.com`` and ``*.sandbox.my.salesforce.com`` are sandboxes; every other
    host (login.salesforce.com, a production My Domain) takes ``https://login.salesforce.com``.
    """
    host = (urlsplit(login_url).hostname or "").lower()
    if host == "test.salesforce.com" or host.endswith(".sandbox.my.salesforce.com"):
        return SANDBOX_AUDIENCE
    return PRODUCTION_AUDIENCE


@dataclass(frozen=True)
class SalesforceCredentials:
    """The connected app and integration user the JWT bearer flow signs for."""

    consumer_key: str
    username: str
    org_id: str
    login_url: str
    audience: str
    # repr=False: a stray repr() in a log or traceback must never print the key.
    private_key: str = field(repr=False)

    @classmethod
    def from_secret_string(cls, raw: str, secret_name: str) -> SalesforceCredentials:
        try:
            data = json.loads(raw)
        except ValueError:
            # The parse error text could echo part of the secret: never include it.
            raise ConfigurationError(
                f"Secret '{secret_name}' is not valid JSON.", field="SALESFORCE_SECRET_NAME", fix=_FIX
            ) from None
        if not isinstance(data, dict):
            raise ConfigurationError(
                f"Secret '{secret_name}' is not a JSON object.", field="SALESFORCE_SECRET_NAME", fix=_FIX
            )
        missing = [k for k in _REQUIRED if not str(data.get(k) or "").strip()]
        if missing:
            raise ConfigurationError(
                f"Secret '{secret_name}' lacks {', '.join(missing)}.", field=missing[0], fix=_FIX
            )
        private_key = str(data["privateKey"]).replace("\\n", "\n").strip()
        if "PRIVATE KEY-----" not in private_key:
            raise ConfigurationError(
                f"Secret '{secret_name}' privateKey is not a PEM private key.", field="privateKey", fix=_FIX
            )
        org_id = str(data["orgId"]).strip()
        if not is_salesforce_id(org_id, "00D"):  # also keeps it safe to send as the OrgId header
            raise ConfigurationError(
                f"Secret '{secret_name}' orgId is not a Salesforce org Id (00D..., 15 or 18 characters).",
                field="orgId",
                fix=_FIX,
            )
        try:
            login_url = base_url(str(data.get("loginUrl") or DEFAULT_LOGIN_URL))
        except ValueError as problem:
            # Named, not quoted: the convention for every value read from the secret.
            raise ConfigurationError(
                f"Secret '{secret_name}' loginUrl {problem}.",
                field="loginUrl",
                fix=f"Set loginUrl in secret '{secret_name}' to https://login.salesforce.com, "
                "https://test.salesforce.com (sandbox) or the org's My Domain URL "
                "(https://<MyDomain>.my.salesforce.com), or remove it for login.salesforce.com.",
            ) from None
        return cls(
            consumer_key=str(data["consumerKey"]).strip(),
            username=str(data["username"]).strip(),
            # The OrgId header takes the 15-character org Id.
            org_id=org_id[:15],
            login_url=login_url,
            audience=str(data.get("audience") or default_audience(login_url)).strip().rstrip("/"),
            private_key=private_key,
        )


class SecretCache:
    """Credentials from one secret, fetched lazily and kept for ``max_age_s`` seconds.

    ``client``: a ready Secrets Manager client (tests, the offline mode), or None with
    ``client_factory`` to build one per the time budget (the Lambda runtime). ``clock``
    measures the max age and the fetch time (real time unless given).
    """

    def __init__(
        self,
        client: SecretsClient | None,
        secret_name: str,
        max_age_s: float,
        *,
        client_factory: SecretsClientFactory | None = None,
        clock: Clock | None = None,
    ) -> None:
        if client is None and client_factory is None:
            raise ValueError("SecretCache needs a client or a client_factory")
        self._client = client
        self._factory = client_factory
        self._client_timeouts: tuple[float, float] | None = None  # of the factory-built client
        self._name = secret_name
        self._max_age_s = max_age_s
        self._value: SalesforceCredentials | None = None
        self._fetched_at = 0.0
        self._clock: Clock = clock or RealClock()
        self._lock = threading.Lock()
        self.fetch_count = 0  # observable for tests and the benchmark
        self.clients_built = 0

    @property
    def name(self) -> str:
        """The secret's name or ARN (SALESFORCE_SECRET_NAME), for error messages."""
        return self._name

    def get(self, deadline: Deadline | None = None, *, force: bool = False) -> SalesforceCredentials:
        """The cached credentials, read from Secrets Manager within ``deadline`` when stale."""
        with self._lock:
            fresh = self._value is not None and self._clock.monotonic() - self._fetched_at < self._max_age_s
            if force or not fresh:
                self._value = self._fetch(deadline)
                self._fetched_at = self._clock.monotonic()
            assert self._value is not None
            return self._value

    def _client_for(self, deadline: Deadline | None) -> SecretsClient:
        if self._factory is None:
            assert self._client is not None
            return self._client
        left = deadline.remaining_s() if deadline is not None else float("inf")
        connect = min(SECRETS_CONNECT_TIMEOUT_S, max(MIN_SECRETS_CALL_S / 2, left * 0.3))
        read = min(SECRETS_READ_TIMEOUT_S, max(MIN_SECRETS_CALL_S / 2, left - connect))
        current = self._client_timeouts
        too_slow = current is not None and sum(current) > left
        too_tight = current is not None and sum(current) < connect + read
        if self._client is None or too_slow or too_tight:
            self._client = self._build_client(connect, read)
            self._client_timeouts = (connect, read)
            self.clients_built += 1
        return self._client

    def _build_client(self, connect_s: float, read_s: float) -> SecretsClient:
        assert self._factory is not None
        try:
            return self._factory(connect_s, read_s)
        except Exception as exc:  # botocore NoRegionError and friends: configuration, not a fault
            if type(exc).__name__ == "NoRegionError":
                raise ConfigurationError(
                    "No AWS region is set, so the Secrets Manager client cannot be created.",
                    field="AWS_REGION",
                    fix="The Lambda runtime sets AWS_REGION; when running the handler elsewhere, set "
                    "AWS_REGION (or AWS_DEFAULT_REGION) to the secret's region.",
                ) from None
            raise ConfigurationError(
                f"The Secrets Manager client could not be created ({type(exc).__name__}).",
                field="AWS_REGION",
                fix="Check the function's AWS settings (AWS_REGION, AWS_* environment variables).",
            ) from None

    def _fetch(self, deadline: Deadline | None) -> SalesforceCredentials:
        what = f"Secrets Manager (secret '{self._name}')"
        if deadline is not None:
            deadline.call_timeout(what, minimum_s=MIN_SECRETS_CALL_S)
        client = self._client_for(deadline)
        if deadline is not None:
            # Building the client (first use) took time too.
            deadline.call_timeout(what, minimum_s=MIN_SECRETS_CALL_S)
        self.fetch_count += 1
        started = self._clock.monotonic()
        try:
            response = client.get_secret_value(SecretId=self._name)
        except Exception as exc:  # botocore ClientError and friends; name only the code
            raise self._fetch_error(exc, started) from None
        raw = response.get("SecretString")
        if not raw:
            raise ConfigurationError(
                f"Secret '{self._name}' has no SecretString.", field="SALESFORCE_SECRET_NAME", fix=_FIX
            )
        return SalesforceCredentials.from_secret_string(raw, self._name)

    def _fetch_error(self, exc: Exception, started: float) -> Exception:
        names = {cls.__name__ for cls in type(exc).__mro__}
        elapsed_ms = (self._clock.monotonic() - started) * 1000
        if names & _TIMEOUT_ERRORS:
            return SalesforceTimeoutError(
                f"Secrets Manager did not return secret '{self._name}' within {elapsed_ms:.0f} ms.",
                field="SALESFORCE_SECRET_NAME",
                fix="The flow's retry loop will try again (the secret is cached once read); check the "
                "function's network path to Secrets Manager if it persists.",
            )
        if names & _UNREACHABLE_ERRORS:
            return SalesforceUnavailableError(
                f"Secrets Manager could not be reached to read secret '{self._name}' ({type(exc).__name__}).",
                field="SALESFORCE_SECRET_NAME",
                fix="Check the function's network path to Secrets Manager (VPC endpoint or NAT).",
            )
        response = getattr(exc, "response", None)
        error = response.get("Error") if isinstance(response, dict) else None
        code = error.get("Code") if isinstance(error, dict) and error.get("Code") else type(exc).__name__
        if code in _RETRYABLE_CODES:
            return SalesforceUnavailableError(
                f"Secrets Manager could not return secret '{self._name}' now ({code}).",
                field="SALESFORCE_SECRET_NAME",
                fix="The flow's retry loop will try again (the secret is cached once read); if it "
                "persists, check Secrets Manager's health and call volume in the region.",
            )
        return ConfigurationError(
            f"Could not read secret '{self._name}' from Secrets Manager ({code}).",
            field="SALESFORCE_SECRET_NAME",
            fix="Check the secret name and that the function role may call "
            "secretsmanager:GetSecretValue on it (and kms:Decrypt on a customer-managed key).",
        )
