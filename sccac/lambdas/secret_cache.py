"""Read the Salesforce connected-app credentials from AWS Secrets Manager, cached per container.

Named ``secret_cache`` rather than ``secrets`` so it can never shadow the standard
library's ``secrets`` module. The secret value is parsed once and kept for
``max_age_s`` seconds (Powertools-style max age) so a rotated key is picked up without a
redeploy, while a warm invocation costs no Secrets Manager call.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from sccac.lambdas.errors import ConfigurationError

DEFAULT_LOGIN_URL = "https://login.salesforce.com"
_REQUIRED = ("consumerKey", "username", "privateKey", "orgId")
_FIX = (
    "Store a JSON object with consumerKey, username, privateKey (PEM), orgId and optionally "
    "loginUrl/audience in the secret named by SALESFORCE_SECRET_NAME (see docs/lambdas.md)."
)


class SecretsClient(Protocol):
    def get_secret_value(self, *, SecretId: str) -> dict[str, Any]: ...


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
        if len(org_id) not in (15, 18) or not org_id.startswith("00D"):
            raise ConfigurationError(
                f"Secret '{secret_name}' orgId is not a Salesforce org Id (00D..., 15 or 18 characters).",
                field="orgId",
                fix=_FIX,
            )
        login_url = str(data.get("loginUrl") or DEFAULT_LOGIN_URL).strip().rstrip("/")
        return cls(
            consumer_key=str(data["consumerKey"]).strip(),
            username=str(data["username"]).strip(),
            # The OrgId header takes the 15-character org Id.
            org_id=org_id[:15],
            login_url=login_url,
            audience=str(data.get("audience") or login_url).strip().rstrip("/"),
            private_key=private_key,
        )


class SecretCache:
    """Credentials from one secret, fetched lazily and kept for ``max_age_s`` seconds."""

    def __init__(self, client: SecretsClient, secret_name: str, max_age_s: float) -> None:
        self._client = client
        self._name = secret_name
        self._max_age_s = max_age_s
        self._value: SalesforceCredentials | None = None
        self._fetched_at = 0.0
        self._lock = threading.Lock()
        self.fetch_count = 0  # observable for tests and the benchmark

    def get(self, *, force: bool = False) -> SalesforceCredentials:
        with self._lock:
            fresh = self._value is not None and time.monotonic() - self._fetched_at < self._max_age_s
            if force or not fresh:
                self._value = self._fetch()
                self._fetched_at = time.monotonic()
            assert self._value is not None
            return self._value

    def _fetch(self) -> SalesforceCredentials:
        self.fetch_count += 1
        try:
            response = self._client.get_secret_value(SecretId=self._name)
        except Exception as exc:  # botocore ClientError and friends; name only the code
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
            raise ConfigurationError(
                f"Could not read secret '{self._name}' from Secrets Manager ({code}).",
                field="SALESFORCE_SECRET_NAME",
                fix="Check the secret name and that the function role may call "
                "secretsmanager:GetSecretValue on it.",
            ) from None
        raw = response.get("SecretString")
        if not raw:
            raise ConfigurationError(
                f"Secret '{self._name}' has no SecretString.", field="SALESFORCE_SECRET_NAME", fix=_FIX
            )
        return SalesforceCredentials.from_secret_string(raw, self._name)
