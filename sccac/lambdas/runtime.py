"""Per-container wiring: settings, Secrets Manager cache, token, HTTP pool, API client.

Built lazily on the first invocation (not at import) so a configuration error becomes a
clear error result instead of an init failure, and kept for every later invocation in
the same container. Tests and the offline mode install their own with ``install``, or run
a handler's ``handle`` with a ``Container`` of their own (its clock, its way to build).

The clock is passed in, never read from ``time``: the Lambda runtime gets real time, the
tests a virtual clock, so deadlines, the secret's max age and the mapping's TTL run on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sccac.clock import Clock, RealClock
from sccac.lambdas.auth import TokenProvider
from sccac.lambdas.budget import InvocationStarts
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
    clock: Clock = field(default_factory=RealClock)

    @property
    def salesforce_round_trips(self) -> int:
        """HTTP calls to Salesforce (token endpoint + Interaction Service) so far."""
        return self.transport.round_trips


def build(
    settings: Settings,
    secrets_client: SecretsClient | None = None,
    transport: Transport | None = None,
    clock: Clock | None = None,
) -> Dependencies:
    """The dependencies of one container.

    ``secrets_client``: a ready client (tests, offline mode). Without one, the Secrets
    Manager client is built on first use with timeouts capped by the time budget left
    (see ``secret_cache``). ``clock``: real time unless given (tests pass a virtual one).
    """
    clock = clock or RealClock()
    transport = transport or Transport()
    secrets = SecretCache(
        secrets_client,
        settings.secret_name,
        settings.secret_max_age_s,
        client_factory=None if secrets_client is not None else _default_secrets_client,
        clock=clock,
    )
    tokens = TokenProvider(secrets, transport, clock)
    api = InteractionApi(settings.scrt_base_url, settings.authorization_context, tokens, transport)
    mappings = QueueMappingResolver(tokens, transport, settings.queue_mapping_ttl_s, clock)
    return Dependencies(settings=settings, secrets=secrets, tokens=tokens, api=api, transport=transport,
                        mappings=mappings, clock=clock)


class Container:
    """What one Lambda container keeps between invocations: its clock, whether the INIT phase
    has been charged, and its dependencies, built on first use.

    ``build`` makes the dependencies on this container's clock (default: from the environment);
    ``environ`` and ``process_age`` stand in for the Lambda runtime's (see ``InvocationStarts``).
    """

    def __init__(
        self,
        clock: Clock | None = None,
        build: Callable[[Clock], Dependencies] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        process_age: Callable[[], float] | None = None,
    ) -> None:
        self.clock: Clock = clock or RealClock()
        self.starts = InvocationStarts(self.clock, environ, process_age)
        self._build = build or _from_environment
        self._deps: Dependencies | None = None

    def dependencies(self) -> Dependencies:
        if self._deps is None:
            self._deps = self._build(self.clock)
        return self._deps

    def install(self, deps: Dependencies | None) -> None:
        """Replace (or with None, forget) the dependencies; build them on this container's clock."""
        self._deps = deps


def _from_environment(clock: Clock) -> Dependencies:
    return build(Settings.from_env(), clock=clock)


#: The container the Lambda runtime's handlers use: real time, settings from the environment.
CONTAINER = Container()


def current() -> Dependencies:
    """The container's dependencies, built from the environment on first use."""
    return CONTAINER.dependencies()


def install(deps: Dependencies | None) -> None:
    """Replace (or with None, forget) the container's dependencies."""
    CONTAINER.install(deps)


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
