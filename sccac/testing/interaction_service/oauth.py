"""The token endpoint's rules: the OAuth 2.0 JWT bearer grant, checked as Salesforce checks it.

The RS256 assertion is verified against the connected app certificate's public key; ``iss``
must be the consumer key, ``sub`` the integration user, ``aud`` the login host
(https://login.salesforce.com, as for a production org, unless configured) and ``exp`` at most
five minutes ahead.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from sccac.testing.interaction_service.exceptions import OAuthError
from sccac.testing.interaction_service.models import ServiceConfig

JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# What a production org's token endpoint accepts as the JWT aud (sandboxes: test.salesforce.com).
DEFAULT_AUDIENCE = "https://login.salesforce.com"
# Salesforce refuses an assertion whose expiry is further ahead than this.
MAX_ASSERTION_LIFETIME_S = 300


def verify_assertion(form: Mapping[str, str], config: ServiceConfig) -> None:
    """Raise :class:`OAuthError` (with Salesforce's error and description) unless ``form`` is a valid grant."""
    import jwt  # PyJWT

    if form.get("grant_type") != JWT_BEARER_GRANT:
        raise OAuthError("unsupported_grant_type", "grant type not supported")
    try:
        claims = jwt.decode(
            form.get("assertion", ""),
            config.public_key_pem,
            algorithms=["RS256"],
            audience=config.audience or DEFAULT_AUDIENCE,
            options={"require": ["iss", "sub", "aud", "exp"]},
        )
    except jwt.ExpiredSignatureError:
        raise OAuthError("invalid_grant", "expired authorization code") from None
    except jwt.InvalidAudienceError:
        raise OAuthError("invalid_grant", "audience is invalid") from None
    except jwt.PyJWTError:
        raise OAuthError("invalid_grant", "invalid assertion") from None
    if claims["exp"] - time.time() > MAX_ASSERTION_LIFETIME_S:
        raise OAuthError("invalid_grant", "assertion expiry is too far in the future")
    if claims["iss"] != config.consumer_key:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    if claims["sub"] != config.username:
        raise OAuthError("invalid_grant", "user hasn't approved this consumer")
