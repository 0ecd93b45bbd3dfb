"""Split converted entries into the ``/api/v1/conversationHistory`` requests the service accepts, and send them.

``AddConversationHistoryRequest`` (inbound-interaction-api.yaml) holds 1 to 5
``conversationEntries`` and 1 to 3 ``conversationParticipants``, and names no conversation: the
service finds it by the channel and the participants. So every request carries the end user
(which picks the conversation) and the senders of its entries, and a request is cut when a
sixth entry or a fourth participant would be needed. Requests go out three at a time.

Each request's RequestId is derived from the contact and the ids of the entries it carries, so
a repeated delivery of the same event repeats the same request with the same RequestId.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sccac.lambdas.errors import LambdaError, SalesforceRequestError
from sccac.lambdas.interaction_api import request_id_for
from sccac.lambdas.transcript import Conversion, Entry, Sender

MAX_ENTRIES = 5
MAX_PARTICIPANTS = 3
CONCURRENCY = 3


@dataclass(frozen=True)
class HistoryBatch:
    """One conversationHistory request: its body, RequestId and the short key that marks it sent."""

    request_id: str
    body: dict[str, Any]
    entries: int

    @property
    def key(self) -> str:
        # Short enough that hundreds fit in one contact attribute (32 KB for all attributes).
        return hashlib.sha256(self.request_id.encode()).hexdigest()[:10]


def batches(conversion: Conversion, channel_address_identifier: str, contact_id: str) -> list[HistoryBatch]:
    """The requests for ``conversion``'s entries, in time order."""
    groups: list[list[Entry]] = []
    senders: set[Sender] = set()
    for entry in conversion.entries:
        new_sender = entry.sender not in senders and entry.sender != conversion.end_user
        full = bool(groups) and (len(groups[-1]) == MAX_ENTRIES or (new_sender and len(senders) + 1 == MAX_PARTICIPANTS))
        if not groups or full:
            groups.append([])
            senders = set()
        groups[-1].append(entry)
        if entry.sender != conversion.end_user:
            senders.add(entry.sender)
    return [_batch(conversion, group, channel_address_identifier, contact_id) for group in groups]


def _batch(conversion: Conversion, group: Sequence[Entry], channel: str, contact_id: str) -> HistoryBatch:
    others = list(dict.fromkeys(e.sender for e in group if e.sender != conversion.end_user))
    body = {
        "channelAddressIdentifier": channel,
        "conversationParticipants": [conversion.conversation_participant(s) for s in [conversion.end_user, *others]],
        "conversationEntries": [e.as_conversation_entry() for e in group],
    }
    operation = "conversationHistory/" + ",".join(e.entry_id for e in group)
    return HistoryBatch(request_id_for(contact_id, operation), body, len(group))


@dataclass
class SendOutcome:
    sent: list[HistoryBatch]
    failed: list[tuple[HistoryBatch, LambdaError]]


Poster = Callable[[HistoryBatch], dict[str, Any]]


def send_all(pending: Sequence[HistoryBatch], post: Poster) -> SendOutcome:
    """Send every batch, ``CONCURRENCY`` at a time; a failed batch does not stop the others."""
    outcome = SendOutcome([], [])
    if not pending:
        return outcome
    with ThreadPoolExecutor(max_workers=min(CONCURRENCY, len(pending)), thread_name_prefix="sccac-history") as pool:
        results = list(pool.map(lambda b: _send_one(b, post), pending))
    for batch, error in results:
        if error is None:
            outcome.sent.append(batch)
        else:
            outcome.failed.append((batch, error))
    return outcome


def _send_one(batch: HistoryBatch, post: Poster) -> tuple[HistoryBatch, LambdaError | None]:
    try:
        data = post(batch)
    except LambdaError as error:
        return batch, error
    if data.get("success") is not True:
        return batch, SalesforceRequestError(
            "POST /api/v1/conversationHistory did not answer success=true: Salesforce did not store "
            f"{batch.entries} entries of the conversation.",
            field="channelAddressIdentifier",
            fix="Check that the messaging channel is active and the conversation exists; the event's "
            "next delivery sends the batches that are not marked sent.",
        )
    return batch, None
