"""Resolve a routed Omni-Queue to its Connect queue through the org's mapping, cached per container.

SCC-AC's routing function takes the Connect queue from ``contextParamMap.externalQueueId`` of the
route answer. The published API reference does not list that key, and an org whose contact
center does not hold the mapping does not send it. Then the Routing function asks the mapping
itself: the ``Connect_Queue_Mapping__mdt`` records (Omni-Queue developer name -> Connect queue
ARN) and the queues' Ids, read with the REST query API in one composite request (one round trip).

The table is kept per container for ``QUEUE_MAPPING_TTL_SECONDS`` (default 300), so a remap
reaches every container within that time and a container makes at most one extra round trip
per period, whatever the traffic; a failed read is not repeated for ``FAILURE_RETRY_S``. The
token must carry the ``api`` OAuth scope besides ``interaction_api`` (docs/lambdas.md).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as url_quote

from sccac.clock import Clock, RealClock
from sccac.lambdas.auth import TokenProvider
from sccac.lambdas.budget import Deadline
from sccac.lambdas.config import base_url
from sccac.lambdas.errors import LambdaError
from sccac.lambdas.ids import CONNECT_QUEUE_ARN_RE, id15, is_salesforce_id
from sccac.lambdas.log import log
from sccac.lambdas.transport import Endpoint, Transport

API_VERSION = "v62.0"
COMPOSITE_PATH = f"/services/data/{API_VERSION}/composite"
MAPPING_QUERY = (
    "SELECT Omni_Queue__c, Connect_Queue_Arn__c FROM Connect_Queue_Mapping__mdt WHERE Active__c = true"
)
QUEUE_QUERY = "SELECT Id, DeveloperName FROM Group WHERE Type = 'Queue'"
# A failed read (network, missing scope) is tried again after this long, not on every contact.
FAILURE_RETRY_S = 30.0
# The lookup is an extra: it runs only when this much of the budget is left after the route call.
MIN_TIME_LEFT_S = 0.5


class MappingUnavailable(Exception):
    """The mapping could not be read; the message says why (no secret in it)."""


@dataclass(frozen=True)
class MappingTable:
    arns: dict[str, str]  # 15-character Omni-Queue Id -> Connect queue ARN
    read_at: float


class QueueMappingResolver:
    """Omni-Queue Id -> Connect queue ARN from the org's mapping, read at most once per ``ttl_s``."""

    def __init__(
        self,
        tokens: TokenProvider,
        transport: Transport,
        ttl_s: int,
        clock: Clock | None = None,
    ) -> None:
        self._tokens = tokens
        self._transport = transport
        self._ttl_s = ttl_s
        self._clock: Clock = clock or RealClock()  # the TTL and the retry wait run on it
        self._table: MappingTable | None = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()
        self.reads = 0  # observable for the tests and the benchmark

    @property
    def enabled(self) -> bool:
        return self._ttl_s > 0

    def resolve(self, omni_queue_id: str, deadline: Deadline, contact_id: str | None = None) -> str | None:
        """The Connect queue ARN mapped to ``omni_queue_id``, or None (unmapped, or unreadable now)."""
        if not self.enabled or not is_salesforce_id(omni_queue_id):
            return None
        with self._lock:
            table = self._fresh_table(deadline, contact_id)
        return table.arns.get(id15(omni_queue_id)) if table else None

    def _fresh_table(self, deadline: Deadline, contact_id: str | None) -> MappingTable | None:
        now = self._clock.monotonic()
        if self._table is not None and now - self._table.read_at < self._ttl_s:
            return self._table
        if self._failed_at is not None and now - self._failed_at < min(FAILURE_RETRY_S, self._ttl_s):
            return self._table  # the stale table (or None) until the retry time
        if deadline.remaining_s() < MIN_TIME_LEFT_S:
            return self._table
        try:
            self.reads += 1
            self._table = MappingTable(self._read(deadline), now)
            self._failed_at = None
        except (MappingUnavailable, LambdaError) as problem:
            self._failed_at = now
            message = problem.message if isinstance(problem, LambdaError) else str(problem)
            log(logging.WARNING, "routing.queue_mapping_unavailable", contactId=contact_id, reason=message,
                fix="Give the connected app the api OAuth scope and the integration user read access to "
                "Connect_Queue_Mapping__mdt (docs/lambdas.md), or let Salesforce send externalQueueId.")
        return self._table

    def _read(self, deadline: Deadline) -> dict[str, str]:
        token = self._tokens.token(deadline)
        instance = self._tokens.instance_url
        if not instance:
            raise MappingUnavailable("the token answer named no instance_url to read the mapping from")
        try:
            root = base_url(instance)
        except ValueError as problem:
            raise MappingUnavailable(f"the token answer's instance_url {problem}") from None
        body = {
            "allOrNone": False,
            "compositeRequest": [
                {"method": "GET", "referenceId": "mappings", "url": _query_url(MAPPING_QUERY)},
                {"method": "GET", "referenceId": "queues", "url": _query_url(QUEUE_QUERY)},
            ],
        }
        endpoint = Endpoint(f"Salesforce REST POST {COMPOSITE_PATH}", "instance_url", "the token answer's instance_url")
        response = self._transport.request(
            "POST",
            root + COMPOSITE_PATH,
            headers={"Authorization": "Bearer " + token, "Content-Type": "application/json",
                     "Accept": "application/json"},
            body=json.dumps(body, separators=(",", ":")).encode(),
            timeout_s=deadline.call_timeout(endpoint.what),
            endpoint=endpoint,
        )
        data = response.json()
        if response.status == 401:
            # Salesforce answers INVALID_SESSION_ID when the token lacks the api scope.
            raise MappingUnavailable(f"the REST API refused the token (HTTP 401: {_rest_error(data)}); it needs the api scope")
        if response.status != 200 or not isinstance(data, dict):
            raise MappingUnavailable(f"the composite request answered HTTP {response.status} ({_rest_error(data)})")
        parts = {p.get("referenceId"): p for p in data.get("compositeResponse") or [] if isinstance(p, dict)}
        mappings = _records(parts.get("mappings"), "Connect_Queue_Mapping__mdt")
        queues = _records(parts.get("queues"), "Group")
        ids = {str(q.get("DeveloperName")): id15(str(q.get("Id"))) for q in queues if is_salesforce_id(q.get("Id"))}
        table: dict[str, str] = {}
        for record in mappings:
            arn = record.get("Connect_Queue_Arn__c")
            queue_id = ids.get(str(record.get("Omni_Queue__c")))
            if queue_id and isinstance(arn, str) and CONNECT_QUEUE_ARN_RE.match(arn):
                table[queue_id] = arn
        return table


def _query_url(soql: str) -> str:
    return f"/services/data/{API_VERSION}/query?q={url_quote(soql, safe='')}"


def _records(part: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(part, dict) or part.get("httpStatusCode") != 200 or not isinstance(part.get("body"), dict):
        status = part.get("httpStatusCode") if isinstance(part, dict) else None
        raise MappingUnavailable(f"reading {what} answered {status or 'nothing'} ({_rest_error(part.get('body') if isinstance(part, dict) else None)})")
    records = part["body"].get("records")
    if not part["body"].get("done", True):
        # More than one batch of queues (2,000): the later ones are not mapped by this lookup.
        log(logging.WARNING, "routing.queue_mapping_truncated", what=what)
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def _rest_error(data: Any) -> str:
    # REST errors are [{"message", "errorCode"}]; only the code is quoted (it is never secret).
    if isinstance(data, list) and data and isinstance(data[0], dict):
        code = data[0].get("errorCode")
        if isinstance(code, str) and code.replace("_", "").isalnum() and len(code) <= 60:
            return code
    return "no error code"
