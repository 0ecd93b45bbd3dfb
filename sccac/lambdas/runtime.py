"""Per-container wiring: settings, Secrets Manager cache, token, HTTP pool, API client.

Built lazily on the first invocation (not at import) so a configuration error becomes a
clear error result instead of an init failure, and kept for every later invocation in
the same container. Tests and the offline mode install their own with ``install``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sccac.lambdas.auth import TokenProvider
from sccac.lambdas.config import Settings
from sccac.lambdas.interaction_api import InteractionApi
from sccac.lambdas.queue_mapping import QueueMappingResolver
from sccac.lambdas.secret_cache import SecretCache, SecretsClient
from sccac.lambdas.transport import Transport


@dataclass
class Dependencies:
    settings: Settings
    secrets: SecretCache
    tokens: TokenProvider
    api: InteractionApi
    transport: Transport
    mappings: QueueMappingResolver

    @property
    def salesforce_round_trips(self) -> int:
        """HTTP calls to Salesforce (token endpoint + Interaction Service) so far."""
        return self.transport.round_trips


def build(
    settings: Settings,
    secrets_client: SecretsClient | None = None,
    transport: Transport | None = None,
) -> Dependencies:
    """The dependencies of one container.

    ``secrets_client``: a ready client (tests, offline mode). Without one, the Secrets
    Manager client is built on first use with timeouts capped by the time budget left
    (see ``secret_cache``).
    """
    transport = transport or Transport()
    secrets = SecretCache(
        secrets_client,
        settings.secret_name,
        settings.secret_max_age_s,
        client_factory=None if secrets_client is not None else _default_secrets_client,
    )
    tokens = TokenProvider(secrets, transport)
    api = InteractionApi(settings.scrt_base_url, settings.authorization_context, tokens, transport)
    mappings = QueueMappingResolver(tokens, transport, settings.queue_mapping_ttl_s)
    return Dependencies(settings=settings, secrets=secrets, tokens=tokens, api=api, transport=transport,
                        mappings=mappings)


_current: Dependencies | None = None


def current() -> Dependencies:
    """The container's dependencies, built from the environment on first use."""
    global _current
    if _current is None:
        _current = build(Settings.from_env())
    return _current


def install(deps: Dependencies | None) -> None:
    """Replace (or with None, forget) the container's dependencies."""
    global _current
    _current = deps


def _default_secrets_client(connect_timeout_s: float, read_timeout_s: float) -> Any:
    # boto3 is in the Lambda runtime; imported here so importing the handler stays cheap.
    import boto3
    from botocore.config import Config

    # Timeouts capped by the time budget left (SecretCache decides them); exactly one attempt,
    # so the worst case is connect + read and the flow's retry loop does any retrying.
    # total_max_attempts counts the first try; botocore's older max_attempts counts retries
    # only (max_attempts=1 means two attempts).
    config = Config(
        connect_timeout=connect_timeout_s,
        read_timeout=read_timeout_s,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client("secretsmanager", config=config)
