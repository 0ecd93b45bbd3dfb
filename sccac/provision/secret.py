"""The Lambdas' Secrets Manager secret: created once, updated only when a value changed, never read into a log."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from sccac.errors import SccacFailure
from sccac.provision.credentials import AppCredentials


@contextmanager
def _botocore_quiet() -> Iterator[None]:
    """botocore logs request and response bodies at DEBUG (``botocore.endpoint``, ``botocore.parsers``): with
    debug logging on, a secret's value would reach the log. Hold those loggers at INFO around secret calls."""
    loggers = [logging.getLogger(name) for name in ("botocore.endpoint", "botocore.parsers")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


class SecretError(SccacFailure):
    """Secrets Manager refused a call; names the secret and the AWS error code, never a value."""


def read_secret(client: Any, name: str) -> dict[str, str] | None:
    """The secret's JSON fields, or None when there is no such secret."""
    try:
        with _botocore_quiet():
            answer = client.get_secret_value(SecretId=name)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "ResourceNotFoundException":
            return None
        raise SecretError(f"reading secret {name} failed: {code}") from None
    try:
        value = json.loads(answer.get("SecretString") or "{}")
    except json.JSONDecodeError:
        raise SecretError(f"secret {name} is not JSON; delete it or fix it in the Secrets Manager console") from None
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def existing_credentials(current: Mapping[str, str] | None) -> AppCredentials | None:
    """The credentials a secret already holds, so a re-run keeps the key the connected app trusts."""
    if current and current.get("consumerKey") and current.get("privateKey"):
        return AppCredentials(current["consumerKey"], current["privateKey"])
    return None


def ensure_secret(client: Any, name: str, wanted: Mapping[str, str], current: Mapping[str, str] | None,
                  kms_key_id: str | None = None) -> str:
    """Create the secret, or put a new version when any field differs; returns created, updated or unchanged."""
    body = json.dumps(dict(wanted), sort_keys=True)
    try:
        if current is None:
            extra = {"KmsKeyId": kms_key_id} if kms_key_id else {}
            with _botocore_quiet():
                    client.create_secret(Name=name, SecretString=body, Description="sccac: connected app credentials of the "
                                     "SCC-AC Lambdas (JWT bearer to the Interaction Service)", **extra)
            return "created"
        if dict(current) == dict(wanted):
            return "unchanged"
        with _botocore_quiet():
            client.put_secret_value(SecretId=name, SecretString=body)
        return "updated"
    except ClientError as exc:
        raise SecretError(f"writing secret {name} failed: {exc.response.get('Error', {}).get('Code', '?')}") from None
