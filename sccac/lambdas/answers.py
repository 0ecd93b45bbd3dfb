"""Check the Interaction Service's answers before the flow stores any of it as contact attributes.

``success`` must be the JSON boolean true (a string "false" is truthy in Python), and every id
must be a string of the shape Salesforce gives it: a wrong answer fails here, with a message
that says which key and what shape, instead of landing in the contact's attributes. Error
messages describe a bad value (its type and length), never quote it.
"""

from __future__ import annotations

import re
from typing import Any

from sccac.lambdas.errors import SalesforceResponseError
from sccac.lambdas.ids import UUID_RE, is_salesforce_id

# Key prefixes: MessagingSession 0Mw, PendingServiceRouting 0JR, Group (Omni-Queue) 00G.
MESSAGING_SESSION_PREFIX = "0Mw"
PSR_PREFIX = "0JR"
QUEUE_PREFIX = "00G"
# routingCorrelationId is an opaque token in the published API: visible characters, short.
_OPAQUE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}\Z")
_FIX = (
    "Check that SF_SCRT_DOMAIN is the org's Interaction Service domain "
    "(<MyDomain>.my.salesforce-scrt.com); report it if the answer persists."
)


def require_success(data: dict[str, Any], what: str) -> bool:
    """False for ``success: false`` (the caller's rejection error), True for true, else an error."""
    success = data.get("success")
    if success is True or success is False:
        return success
    raise SalesforceResponseError(f"{what} answered success as {shape(success)}, not true or false.", fix=_FIX)


def conversation_identifier(data: dict[str, Any], what: str) -> str:
    """The answer's conversationIdentifier, a UUID (lowercased, as Salesforce writes it)."""
    value = data.get("conversationIdentifier")
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise SalesforceResponseError(
            f"{what} answered conversationIdentifier as {shape(value)}, not a UUID.",
            field="conversationIdentifier",
            fix=_FIX,
        )
    return value.lower()


def optional_record_id(data: dict[str, Any], key: str, prefix: str | None, what: str) -> str:
    """The record Id under ``key``, or "" when the answer leaves it out (null, "" or absent)."""
    value = data.get(key)
    if value is None or value == "":
        return ""
    if not is_salesforce_id(value, prefix):
        kind = f"a record Id starting with {prefix}" if prefix else "a record Id"
        raise SalesforceResponseError(
            f"{what} answered {key} as {shape(value)}, not {kind} (15 or 18 characters).",
            field=key,
            fix=_FIX,
        )
    return str(value)


def work_item_id(data: dict[str, Any], prefix: str, what: str) -> str:
    """The first of ``workItemIds`` (PostInteractionResponse), a record Id, or "" when none is listed."""
    ids = data.get("workItemIds")
    if ids is None or ids == []:
        return ""
    if not isinstance(ids, list):
        raise SalesforceResponseError(
            f"{what} answered workItemIds as {shape(ids)}, not a list of record Ids.",
            field="workItemIds",
            fix=_FIX,
        )
    return optional_record_id({"workItemIds[0]": ids[0]}, "workItemIds[0]", prefix, what)


def optional_opaque_id(data: dict[str, Any], key: str, what: str) -> str:
    """A short token of visible characters under ``key``, or "" when left out."""
    value = data.get(key)
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not _OPAQUE_ID.match(value):
        raise SalesforceResponseError(
            f"{what} answered {key} as {shape(value)}, not an id (letters, digits, . _ : -; at most 128).",
            field=key,
            fix=_FIX,
        )
    return value


def shape(value: Any) -> str:
    """A value described without quoting it (it may be huge, or carry something secret)."""
    if value is None:
        return "null or absent"
    if isinstance(value, bool):
        return "the boolean " + ("true" if value else "false")
    if isinstance(value, str):
        return f"a {len(value)}-character string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
