"""What the handlers share: warm-up events, best-effort contact id for logs, failures as errors."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from sccac.clock import Clock
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


#: ``source`` of an EventBridge (CloudWatch Events) scheduled event: a warm-up invocation.
WARM_UP_SOURCE = "aws.events"


def is_warm_up(event: Any) -> bool:
    """True for a scheduled warm-up event (``source`` = ``aws.events``), as SCC-AC's functions read it."""
    return isinstance(event, Mapping) and event.get("source") == WARM_UP_SOURCE


def run(
    name: str, event: Any, work: Callable[[], dict[str, str]], clock: Clock
) -> dict[str, str]:
    """Run a handler body: log success or failure with the contact id, raise typed errors only.

    ``clock`` times the body for the logged ``elapsedMs``.

    A warm-up event returns ``{}`` before ``work`` runs: no settings are read, no secret, no
    Salesforce call (it only keeps the container, and its token cache, warm).

    Connect takes the block's Error branch when the function raises, so failures are
    raised (never returned); anything unexpected becomes ``InternalError`` naming only
    the exception type, because its text could hold data we must not log.
    """
    if is_warm_up(event):
        log(logging.DEBUG, f"{name}.warm_up")
        return {}
    contact_id = contact_id_of(event)
    started = clock.monotonic()

    def elapsed_ms() -> int:
        return int((clock.monotonic() - started) * 1000)

    try:
        result = work()
    except LambdaError as exc:
        exc.with_contact(contact_id)
        log(logging.ERROR, f"{name}.failed", contactId=contact_id,
            elapsedMs=elapsed_ms(), **{k: v for k, v in exc.as_dict().items() if k != "contactId"})
        raise
    except Exception as exc:  # noqa: BLE001 - last line of defence, see docstring
        error = InternalError(
            f"Unexpected {type(exc).__name__} in {name}.",
            contact_id=contact_id,
            fix="See the function's CloudWatch logs for this contact id; report it if it repeats.",
        )
        log(logging.ERROR, f"{name}.failed", contactId=contact_id, elapsedMs=elapsed_ms(),
            error=error.code, exceptionType=type(exc).__name__)
        raise error from None
    log(logging.INFO, f"{name}.ok", contactId=contact_id, elapsedMs=elapsed_ms(), **_public(result))
    return result


def _public(result: Mapping[str, str]) -> dict[str, str]:
    # Results hold record ids and ARNs only, which are safe (and useful) to log.
    return dict(result)
