"""The one HTTP client the functions use: pooled keep-alive connections, one deadline per request.

urllib3 ships with botocore, so it is already in the Lambda Python runtime and costs no
extra package. One pool per container keeps the TLS connection to Salesforce open across
warm invocations, which is most of a round trip's latency. No automatic retries: the
handler decides what to retry so the time budget holds.

urllib3's timeouts bound each socket operation (the connect, each read), not the response:
a server that sends its headers or its body a few bytes at a time keeps every read short and
the request alive as long as it likes. So each request also has a watchdog: when the time
given to the request is up, it shuts the connection's socket down, which ends whatever
read or write is blocked on it at once, and the request fails with ``SALESFORCE_TIMEOUT``.
The body is read in chunks, never decompressed, up to a size cap. (Name resolution runs
before there is a socket to shut down: it is the one step only the resolver bounds.)
"""

from __future__ import annotations

import json
import math
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

from sccac.clock import RealClock
from sccac.lambdas.errors import (
    SalesforceResponseError,
    SalesforceTimeoutError,
    SalesforceUnavailableError,
)

# The largest answer expected is a token response carrying a JWT access token (a few KB);
# an Interaction Service answer is a few hundred bytes.
MAX_RESPONSE_BYTES = 64 * 1024
_CHUNK_BYTES = 16 * 1024
# The one clock here is real time: ``timeout_s`` comes from the deadline (whatever clock that runs
# on), but a socket's wait is real, so the watchdog that ends it counts real seconds.
_SOCKET_TIME = RealClock()


@dataclass(frozen=True)
class Endpoint:
    """How errors name a server: ``what`` is called, and the setting an admin checks for it."""

    what: str  # e.g. "Interaction Service POST /api/v1/route"
    field: str  # the setting's name in errors, e.g. SF_SCRT_DOMAIN or loginUrl
    setting: str  # the setting in words, e.g. "SF_SCRT_DOMAIN" or "the loginUrl in secret 'x'"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes
    content_type: str = ""

    def json(self) -> Any:
        """The parsed body, or None when it is not JSON (an HTML page, an empty body)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:  # includes UnicodeDecodeError and integers past the digit limit
            return None

    def kind(self) -> str:
        """What the body is, in words, for an error message (never the body itself)."""
        text = self.body.lstrip()[:64].lower()
        if not text:
            return "an empty body"
        if "html" in self.content_type.lower() or text.startswith((b"<!doctype", b"<html", b"<")):
            return "an HTML page"
        if self.json() is None:
            return "a body that is not JSON"
        return "JSON of an unexpected shape"


class Transport:
    """Send one request that ends within ``timeout_s``, body included; count round trips."""

    def __init__(self, pool: urllib3.PoolManager | None = None) -> None:
        self._pool = pool or urllib3.PoolManager(num_pools=4, maxsize=2, retries=False)
        # Connections from these pools report their socket to the request's watchdog.
        self._pool.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        self.round_trips = 0  # observable for the tests and the benchmark

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None,
        timeout_s: float,
        endpoint: Endpoint,
    ) -> HttpResponse:
        self.round_trips += 1
        watchdog = _Watchdog(timeout_s)
        _current.watchdog = watchdog
        watchdog.start()
        response: Any = None
        complete = False
        try:
            try:
                response = self._pool.request(
                    method,
                    url,
                    body=body,
                    headers=dict(headers),
                    # Each connect and read is bounded too; the watchdog bounds their sum.
                    timeout=urllib3.Timeout(connect=timeout_s, read=timeout_s),
                    retries=False,
                    redirect=False,
                    preload_content=False,
                    decode_content=False,
                )
                data = _read_capped(response, endpoint)
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                # NewConnectionError (refused, no such host) subclasses ConnectTimeoutError in
                # urllib3: it is "not reachable", not "too slow".
                slow = isinstance(exc, (urllib3.exceptions.TimeoutError, TimeoutError)) and not isinstance(
                    exc, urllib3.exceptions.NewConnectionError
                )
                if slow or watchdog.fired:  # the watchdog cut the connection: a timeout, not an outage
                    raise _timeout(endpoint, timeout_s) from None
                raise SalesforceUnavailableError(
                    f"{endpoint.what} could not be reached ({type(exc).__name__}).",
                    field=endpoint.field,
                    fix=f"Check {endpoint.setting} and the function's network egress (NAT gateway or "
                    "VPC endpoint); the flow's retry loop will try again.",
                ) from None
            if watchdog.fired:  # a body cut short by the watchdog can look complete
                raise _timeout(endpoint, timeout_s)
            complete = True
            return HttpResponse(response.status, data, str(response.headers.get("Content-Type") or ""))
        finally:
            watchdog.stop()
            _current.watchdog = None
            if response is not None:
                if not complete:
                    response.close()  # unread or cut-off data: never hand this connection out again
                response.release_conn()


def _read_capped(response: Any, endpoint: Endpoint) -> bytes:
    declared = str(response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
        raise _too_large(endpoint)
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(_CHUNK_BYTES)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise _too_large(endpoint)
        chunks.append(chunk)


def _too_large(endpoint: Endpoint) -> SalesforceResponseError:
    return SalesforceResponseError(
        f"{endpoint.what} answered more than {MAX_RESPONSE_BYTES // 1024} KiB; its answers are a few KB at most.",
        field=endpoint.field,
        fix=f"Check that {endpoint.setting} points at Salesforce and not at another host or a proxy page.",
    )


def _timeout(endpoint: Endpoint, timeout_s: float) -> SalesforceTimeoutError:
    return SalesforceTimeoutError(
        f"{endpoint.what} did not answer within {timeout_s * 1000:.0f} ms.",
        fix="The flow's retry loop will try again; check Salesforce status if it persists.",
    )


class _Watchdog:
    """One request's deadline: once it passes, the request's socket is shut down.

    It holds the socket object, not its descriptor number: once the connection really closes
    the socket, ``fileno()`` is -1 and there is nothing to touch (a reused number would belong
    to someone else). The deadlines of all requests are kept by one ``_Watcher`` thread.
    """

    def __init__(self, seconds: float) -> None:
        self.ends_at = _SOCKET_TIME.monotonic() + max(seconds, 0.0)
        self.fired = False
        self._sock: socket.socket | None = None

    def start(self) -> None:
        _WATCHER.add(self)

    def stop(self) -> None:
        _WATCHER.remove(self)

    def watch(self, sock: socket.socket) -> None:
        with _WATCHER.lock:
            self._sock = sock
            if self.fired:  # connected after the deadline: end it now
                self._shutdown()

    def forget(self) -> None:  # with the watcher's lock held
        self._sock = None

    def fire(self) -> None:  # with the watcher's lock held
        self.fired = True
        self._shutdown()

    def _shutdown(self) -> None:
        sock = self._sock
        if sock is None or sock.fileno() < 0:
            return
        try:
            # The plain socket call on the descriptor: for an SSLSocket, its own shutdown()
            # would also tear down the TLS state under the thread reading from it.
            _socket_shutdown(sock, socket.SHUT_RDWR)  # wakes a blocked recv/send with EOF
        except OSError:
            pass


_socket_shutdown = socket.socket.shutdown


class _Watcher:
    """One daemon thread per process that fires the deadlines whose time is up.

    Started on first use and kept, so a request costs a lock and, at most, one wake-up of
    this thread, not a thread of its own; it sleeps until the earliest deadline.
    """

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self._pending: set[_Watchdog] = set()
        self._wakes_at = math.inf
        self._thread: threading.Thread | None = None

    def add(self, watchdog: _Watchdog) -> None:
        with self.lock:
            self._pending.add(watchdog)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sccac-http-deadline", daemon=True)
                self._thread.start()
            elif watchdog.ends_at < self._wakes_at:
                self.lock.notify()

    def remove(self, watchdog: _Watchdog) -> None:
        with self.lock:
            self._pending.discard(watchdog)
            watchdog.forget()

    def _run(self) -> None:
        with self.lock:
            while True:
                now = _SOCKET_TIME.monotonic()
                for watchdog in [w for w in self._pending if w.ends_at <= now]:
                    self._pending.discard(watchdog)
                    watchdog.fire()
                self._wakes_at = min((w.ends_at for w in self._pending), default=math.inf)
                self.lock.wait(None if self._wakes_at == math.inf else self._wakes_at - now)


_WATCHER = _Watcher()


class _Current(threading.local):
    watchdog: _Watchdog | None = None


_current = _Current()


if TYPE_CHECKING:
    _Base = HTTPConnection
else:
    _Base = object


class _WatchedConnection(_Base):
    """Reports its socket to the current request's watchdog: once connected, and when a reused
    connection starts reading an answer. (The TCP connect and the TLS handshake need no
    watchdog: the connect timeout, which is the time left, bounds each of them as a whole;
    CPython's ssl module counts the handshake's socket timeout as one deadline.)"""

    def connect(self) -> None:
        super().connect()
        self._report()

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        self._report()
        return super().getresponse(*args, **kwargs)

    def _report(self) -> None:
        watchdog = _current.watchdog
        if watchdog is not None and self.sock is not None:
            watchdog.watch(self.sock)


class _HTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection
