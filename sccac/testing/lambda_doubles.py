"""Stand-ins for what Lambda hands a handler outside AWS: a context with time left, a Secrets Manager that knows one secret."""

from __future__ import annotations

from typing import Any


class StaticSecrets:
    """GetSecretValue answering every secret id with the same JSON string (benches and demos, not tests of the cache)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def get_secret_value(self, *, SecretId: str) -> dict[str, Any]:  # noqa: N803 - boto3 shape
        return {"SecretString": self._secret}


class FixedContext:
    """A Lambda context whose remaining time never runs down."""

    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms
