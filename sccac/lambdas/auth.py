"""OAuth 2.0 JWT bearer flow for the Interaction Service, with the token cached per container.

The connected app has the ``interaction_api`` scope and the integration user is
pre-authorised, so a signed assertion (iss = consumer key, sub = username, aud =
https://login.salesforce.com or https://test.salesforce.com, see ``secret_cache``) posted to
the login URL buys an access token with no user interaction. The token is kept until Salesforce
answers 401, then fetched again once (see ``interaction_api``).
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlencode

from sccac.clock import Clock, RealClock
from sccac.lambdas.budget import Deadline
from sccac.lambdas.errors import SalesforceAuthError, SalesforceResponseError, SalesforceUnavailableError
from sccac.lambdas.redact import quote
from sccac.lambdas.secret_cache import SalesforceCredentials, SecretCache
from sccac.lambdas.transport import Endpoint, HttpResponse, Transport

JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Salesforce accepts an assertion whose exp is at most 3 minutes ahead.
ASSERTION_LIFETIME_S = 180
# An access token goes into the Authorization header: visible ASCII only (a CR or LF would
# end the header), and no longer than a JWT-based access token gets.
_ACCESS_TOKEN = re.compile(r"^[\x21-\x7e]{1,8192}\Z")


def sign_assertion(creds: SalesforceCredentials, now: float) -> str:
    """The RS256-signed JWT the token endpoint exchanges for an access token; ``now``: Unix seconds."""
    import jwt  # PyJWT; imported here so a warm invocation with a cached token never pays for it

    issued = int(now)
    claims = {
        "iss": creds.consumer_key,
        "sub": creds.username,
        "aud": creds.audience,
        "exp": issued + ASSERTION_LIFETIME_S,
    }
    try:
        return jwt.encode(claims, creds.private_key, algorithm="RS256")
    except Exception:
        # The underlying error can quote the key material: never pass it on.
        raise SalesforceAuthError(
            "The privateKey in the secret could not sign the JWT (not an RSA private key?).",
            field="privateKey",
            fix="Store the connected app certificate's RSA private key (PEM, unencrypted) in the secret.",
        ) from None


class TokenProvider:
    """Access token for the Interaction Service, cached until invalidated.

    ``clock`` dates the JWT assertions (real time unless given).
    """

    def __init__(self, secrets: SecretCache, transport: Transport, clock: Clock | None = None) -> None:
        self._secrets = secrets
        self._transport = transport
        self._clock: Clock = clock or RealClock()
        self._token: str | None = None
        # The org's REST API base URL from the token answer (instance_url): the queue mapping
        # lookup reads Salesforce data there (sccac/lambdas/queue_mapping.py).
        self.instance_url: str | None = None
        self._lock = threading.Lock()
        self.token_requests = 0  # observable for the tests and the benchmark

    def credentials(self, deadline: Deadline) -> SalesforceCredentials:
        return self._secrets.get(deadline)

    def token(self, deadline: Deadline) -> str:
        with self._lock:
            if self._token is None:
                self._token = self._request_token(deadline)
            return self._token

    def invalidate(self, rejected: str) -> None:
        """Forget a token Salesforce rejected (only if nobody replaced it meanwhile)."""
        with self._lock:
            if self._token == rejected:
                self._token = None

    def _request_token(self, deadline: Deadline) -> str:
        creds = self._secrets.get(deadline)
        self.token_requests += 1
        assertion = sign_assertion(creds, self._clock.time())
        body = urlencode({"grant_type": JWT_BEARER_GRANT, "assertion": assertion}).encode()
        setting = f"the loginUrl in secret '{self._secrets.name}'"
        endpoint = Endpoint("The Salesforce token endpoint", "loginUrl", setting)
        response = self._transport.request(
            "POST",
            creds.login_url + "/services/oauth2/token",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            body=body,
            timeout_s=deadline.call_timeout("the Salesforce token endpoint"),
            endpoint=endpoint,
        )
        token = _access_token(response, setting, known=(assertion, creds.consumer_key))
        data = response.json()
        raw_url = data.get("instance_url") if isinstance(data, dict) else None
        self.instance_url = raw_url if isinstance(raw_url, str) else None
        return token


def _access_token(response: HttpResponse, setting: str, known: tuple[str, ...]) -> str:
    """The access token of a token endpoint answer, or the error an admin can act on."""
    status = response.status
    data = response.json()
    if status >= 500 or status == 429:
        raise SalesforceUnavailableError(
            f"The Salesforce token endpoint answered HTTP {status}"
            f"{' (limiting requests)' if status == 429 else ''}.",
            status=status,
            fix="The flow's retry loop will try again; check Salesforce status if it persists.",
        )
    if not isinstance(data, dict) or (status == 200 and not _ACCESS_TOKEN.match(_text(data.get("access_token")))):
        # Not an OAuth answer (a login page, a proxy page, an empty body): the URL is wrong.
        raise SalesforceResponseError(
            f"The Salesforce token endpoint answered HTTP {status} with "
            f"{response.kind() if not isinstance(data, dict) else 'no usable access_token'}, "
            "not an OAuth token response.",
            status=status,
            field="loginUrl",
            fix=f"Set {setting} to https://login.salesforce.com, https://test.salesforce.com (sandbox) "
            "or the org's My Domain URL (https://<MyDomain>.my.salesforce.com).",
        )
    if status != 200:
        # Salesforce's OAuth error answers can quote the request: the assertion, the consumer key.
        error = quote(data.get("error") or "no error code", 60, known)
        description = quote(data["error_description"], 160, known) if data.get("error_description") else ""
        raise SalesforceAuthError(
            f"Salesforce refused the JWT bearer token request (HTTP {status}, {error}"
            f"{': ' + description if description else ''}).",
            field="consumerKey",
            status=status,
            fix="Check the secret's consumerKey, username and loginUrl; that the connected app has "
            "the interaction_api scope, the certificate matching privateKey, and the user pre-authorised.",
        )
    return str(data["access_token"])


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
