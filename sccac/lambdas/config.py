"""Read the functions' settings from environment variables once per container."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sccac.lambdas.errors import ConfigurationError
from sccac.lambdas.ids import is_salesforce_id
from sccac.lambdas.redact import quote

DEFAULT_CONNECT_TIMEOUT_MS = 8000  # Connect waits at most 8 s for a Lambda block
DEFAULT_SECRET_MAX_AGE_S = 300
DEFAULT_QUEUE_MAPPING_TTL_S = 300  # a remap reaches every container within 5 minutes


@dataclass(frozen=True)
class Settings:
    """Function settings; see docs/lambdas.md for each variable."""

    scrt_base_url: str  # https://<MyDomain>.my.salesforce-scrt.com
    secret_name: str
    authorization_context: str  # ConversationChannelDefinition developer name
    connect_timeout_ms: int = DEFAULT_CONNECT_TIMEOUT_MS
    secret_max_age_s: int = DEFAULT_SECRET_MAX_AGE_S
    # The Salesforce CallCenter this deployment serves, returned beside source=SCCAC so contact
    # records can be picked out per call center, as SCC-AC's own functions do ("" when unset).
    call_center_id: str = ""
    # How long a container keeps the queue mapping read from Salesforce when the route answer
    # names no externalQueueId (sccac/lambdas/queue_mapping.py); 0 turns the lookup off.
    queue_mapping_ttl_s: int = DEFAULT_QUEUE_MAPPING_TTL_S

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        domain = _required(env, "SF_SCRT_DOMAIN", "the org's Interaction Service domain, e.g. "
                           "mycompany.my.salesforce-scrt.com")
        secret = _required(env, "SALESFORCE_SECRET_NAME", "the Secrets Manager secret name or ARN")
        context = _required(env, "AUTHORIZATION_CONTEXT", "the ConversationChannelDefinition "
                            "developer name of the messaging channel")
        if not _DEVELOPER_NAME.match(context):
            # It travels as the AuthorizationContext header: a developer name is all it can be.
            raise ConfigurationError(
                f"Environment variable AUTHORIZATION_CONTEXT='{quote(context, 80)}' is not a developer name.",
                field="AUTHORIZATION_CONTEXT",
                fix="Set AUTHORIZATION_CONTEXT to the ConversationChannelDefinition's developer name "
                "(letters, digits and underscores, starting with a letter).",
            )
        try:
            scrt_base_url = base_url(domain)
        except ValueError as problem:
            raise ConfigurationError(
                f"Environment variable SF_SCRT_DOMAIN='{quote(domain, 80)}' {problem}.",
                field="SF_SCRT_DOMAIN",
                fix="Set SF_SCRT_DOMAIN to the org's Interaction Service domain, e.g. "
                "mycompany.my.salesforce-scrt.com (SAM template parameter SalesforceScrtDomain).",
            ) from None
        call_center = call_center_id(env)
        return cls(
            call_center_id=call_center,
            scrt_base_url=scrt_base_url,
            secret_name=secret,
            authorization_context=context,
            connect_timeout_ms=_int(env, "CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT_MS, 500, 8000),
            secret_max_age_s=_int(env, "SECRET_MAX_AGE_SECONDS", DEFAULT_SECRET_MAX_AGE_S, 0, 86400),
            queue_mapping_ttl_s=_int(env, "QUEUE_MAPPING_TTL_SECONDS", DEFAULT_QUEUE_MAPPING_TTL_S, 0, 3600),
        )


def base_url(domain: str) -> str:
    """``mydomain.my.salesforce-scrt.com`` or a full URL (the local service) to a base URL.

    Raises ``ValueError`` saying what is wrong: only ``https://<host>[:port]`` is accepted, and
    plain ``http://`` only on this machine (the local Interaction Service), because the token
    and the JWT assertion must never cross a network unencrypted.
    """
    domain = domain.strip()
    if "://" not in domain:
        domain = "https://" + domain
    if any(ch.isspace() or not ch.isprintable() for ch in domain):
        raise ValueError("contains spaces or control characters")
    try:
        parts = urlsplit(domain)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError("is not a URL") from None
    if not _HOST.match(host):
        raise ValueError("has no valid host name")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ValueError("uses plain http; only https is allowed (http only for 127.0.0.1/localhost)")
    if parts.scheme not in ("https", "http"):
        raise ValueError(f"uses the scheme {quote(parts.scheme, 20)}; only https is allowed")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("has a path, query or user part; give only the host name")
    return f"{parts.scheme}://{parts.netloc}"


# A Salesforce developer name (what AUTHORIZATION_CONTEXT holds).
_DEVELOPER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,79}\Z")
# A DNS name or an IP address (urlsplit gives an IPv6 literal without its brackets).
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\Z|^[0-9A-Fa-f:.]+\Z")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _required(env: Mapping[str, str], name: str, what: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigurationError(
            f"Environment variable {name} is not set.",
            field=name,
            fix=f"Set {name} to {what} (SAM template parameter).",
        )
    return value


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ConfigurationError(
            f"Environment variable {name}='{raw[:20]}' is not a whole number from {low} to {high}.",
            field=name,
            fix=f"Set {name} to a number from {low} to {high}, or unset it for {default}.",
        )
    return value


def call_center_id(env: Mapping[str, str]) -> str:
    """CALL_CENTER_ID: the org's Amazon Connect CallCenter record Id the flows store as callCenterId, or ""."""
    call_center = env.get("CALL_CENTER_ID", "").strip()
    if call_center and not is_salesforce_id(call_center):
        raise ConfigurationError(
            f"Environment variable CALL_CENTER_ID='{quote(call_center, 40)}' is not a Salesforce record Id.",
            field="CALL_CENTER_ID",
            fix="Set CALL_CENTER_ID to the Id of the org's Amazon Connect CallCenter record (15 or 18 "
            "characters, Setup > Call Centers), the value the flows store as callCenterId, or leave it empty.",
        )
    return call_center
