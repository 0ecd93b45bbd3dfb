"""Structured one-line JSON logs that always carry the contact id and never a secret."""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from sccac.lambdas.redact import clip, redact

# Names whose values must never be written, whatever a caller passes by mistake.
_SECRET_KEYS = frozenset(
    {"authorization", "access_token", "token", "assertion", "jwt", "privatekey", "private_key", "secret"}
)

# No value is logged longer than this (error messages and fixes fit; an oversize id does not).
MAX_VALUE_CHARS = 600

logger = logging.getLogger("sccac.lambdas")
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())

# At DEBUG, botocore logs whole response bodies, i.e. the GetSecretValue SecretString.
# Pin those loggers above DEBUG so no root/LOG_LEVEL setting can leak the private key.
for _name in ("botocore.parsers", "botocore.endpoint", "botocore.hooks", "botocore.auth"):
    logging.getLogger(_name).setLevel(logging.INFO)


def log(level: int, event: str, **fields: Any) -> None:
    """Write ``{"event": ..., **fields}`` as one line; secret-looking keys and values are redacted."""
    if not logger.isEnabledFor(level):
        return
    record: dict[str, Any] = {"event": event}
    for key, value in fields.items():
        if key.lower() in _SECRET_KEYS:
            value = "[redacted]"
        elif isinstance(value, str):
            value = clip(redact(value), MAX_VALUE_CHARS)
        record[key] = value
    logger.log(level, json.dumps(record, default=str, separators=(",", ":")))
