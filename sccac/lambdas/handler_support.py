"""What both handlers share: best-effort contact id for logs, and turning failures into errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from sccac.lambdas.errors import InternalError, LambdaError
from sccac.lambdas.log import log
from sccac.lambdas.redact import clip, escape

# Longer than any Connect ContactId (a 36-character UUID): enough to find the contact, never
# a whole oversize value on every log line.
_CONTACT_ID_LOG_CHARS = 64


def contact_id_of(event: Any) -> str | None:
    """The ContactId if the event has one, for logging even when parsing fails (escaped, clipped)."""
    try:
        value = event["Details"]["ContactData"]["ContactId"]
    except Exception:  # noqa: BLE001 - any event shape; the parser reports what is wrong
        return None
    if not isinstance(value, str) or not value.strip():
        return None
    return clip(escape(value.strip()), _CONTACT_ID_LOG_CHARS)


def run(
    name: str, event: Any, work: Callable[[], dict[str, str]]
) -> dict[str, str]:
    """Run a handler body: log success or failure with the contact id, raise typed errors only.

    Connect takes the block's Error branch when the function raises, so failures are
    raised (never returned); anything unexpected becomes ``InternalError`` naming only
    the exception type, because its text could hold data we must not log.
    """
    contact_id = contact_id_of(event)
    started = time.monotonic()
    try:
        result = work()
    except LambdaError as exc:
        exc.with_contact(contact_id)
        log(logging.ERROR, f"{name}.failed", contactId=contact_id,
            elapsedMs=_ms(started), **{k: v for k, v in exc.as_dict().items() if k != "contactId"})
        raise
    except Exception as exc:  # noqa: BLE001 - last line of defence, see docstring
        error = InternalError(
            f"Unexpected {type(exc).__name__} in {name}.",
            contact_id=contact_id,
            fix="See the function's CloudWatch logs for this contact id; report it if it repeats.",
        )
        log(logging.ERROR, f"{name}.failed", contactId=contact_id, elapsedMs=_ms(started),
            error=error.code, exceptionType=type(exc).__name__)
        raise error from None
    log(logging.INFO, f"{name}.ok", contactId=contact_id, elapsedMs=_ms(started), **_public(result))
    return result


def _public(result: Mapping[str, str]) -> dict[str, str]:
    # Results hold record ids and ARNs only, which are safe (and useful) to log.
    return dict(result)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
