"""The one HTTP client the functions use: pooled keep-alive connections, explicit timeouts.

urllib3 ships with botocore, so it is already in the Lambda Python runtime and costs no
extra package. One pool per container keeps the TLS connection to Salesforce open across
warm invocations, which is most of a round trip's latency. No automatic retries: the
handler decides what to retry so the time budget holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import urllib3

from sccac.lambdas.errors import SalesforceTimeoutError, SalesforceUnavailableError


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8") or "null")
        except ValueError:
            return None


class Transport:
    """Send one request with a timeout in seconds; count round trips."""

    def __init__(self, pool: urllib3.PoolManager | None = None) -> None:
        self._pool = pool or urllib3.PoolManager(num_pools=4, maxsize=2, retries=False)
        self.round_trips = 0  # observable for the tests and the benchmark

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None,
        timeout_s: float,
        what: str,
    ) -> HttpResponse:
        self.round_trips += 1
        try:
            response = self._pool.request(
                method,
                url,
                body=body,
                headers=dict(headers),
                timeout=urllib3.Timeout(total=timeout_s),
                retries=False,
                redirect=False,
                preload_content=True,
            )
        except (urllib3.exceptions.TimeoutError, TimeoutError):
            raise SalesforceTimeoutError(
                f"{what} did not answer within {timeout_s * 1000:.0f} ms.",
                fix="The flow's retry loop will try again; check Salesforce status if it persists.",
            ) from None
        except urllib3.exceptions.HTTPError as exc:
            raise SalesforceUnavailableError(
                f"{what} could not be reached ({type(exc).__name__}).",
                fix="Check SF_SCRT_DOMAIN and network egress from the function.",
            ) from None
        return HttpResponse(status=response.status, body=response.data or b"")
