"""A local HTTP server that misbehaves on purpose, written byte by byte on a raw socket.

Each request is parsed (request line, headers, Content-Length body), recorded, and answered
by the current ``Fault``: slow headers, a body trickled a byte at a time, an HTML page, an
empty 200, a 429, an answer that echoes the request's secrets back, a body past the size
cap. The handlers under test point SF_SCRT_DOMAIN (or the secret's loginUrl) at it.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Long enough that a client without an overall deadline would be caught running far past
# any budget the tests give (1 s); short enough that teardown never waits long.
TRICKLE_S = 6.0
TRICKLE_STEP_S = 0.05


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), "")


Fault = Callable[["Connection", Request], None]


@dataclass
class FaultServer:
    """``with FaultServer() as server: server.fault = answer_json(...)``; ``server.url``."""

    fault: Fault | None = None
    requests: list[Request] = field(default_factory=list)
    # Set: each connection goes to it unread (a TLS client's bytes are not an HTTP request).
    raw: Callable[["Connection"], None] | None = None

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        # Set when the client hangs up while a fault is still answering: it gave up in time.
        self.hung_up = threading.Event()
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                owner._serve(Connection(self.request, owner.stopping))

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        self._server.daemon_threads = True
        self._server.allow_reuse_address = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FaultServer:
        self._server.server_bind()
        self._server.server_activate()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _serve(self, conn: Connection) -> None:
        if self.raw is not None:
            try:
                self.raw(conn)
            except OSError:
                self.hung_up.set()
            return
        while not self.stopping.is_set():
            request = conn.read_request()
            if request is None:
                return
            self.requests.append(request)
            fault = self.fault
            if fault is None:
                conn.send_json(404, {"code": 404, "message": "no fault configured"})
            else:
                try:
                    fault(conn, request)
                except OSError:
                    self.hung_up.set()
                    return  # the client gave up (what the deadline tests want)
            if conn.closing:
                return


class Connection:
    """One accepted socket: read a request, write raw bytes (slowly if asked)."""

    def __init__(self, sock: socket.socket, stopping: threading.Event) -> None:
        self.sock = sock
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.stopping = stopping
        self.closing = False
        self._buffer = b""

    def read_request(self) -> Request | None:
        while b"\r\n\r\n" not in self._buffer:
            chunk = self._recv()
            if not chunk:
                return None
            self._buffer += chunk
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
        while len(self._buffer) < length:
            chunk = self._recv()
            if not chunk:
                return None
            self._buffer += chunk
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        return Request(method, path, headers, body)

    def _recv(self) -> bytes:
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def trickle(self, data: bytes, seconds: float = TRICKLE_S) -> None:
        """Send ``data`` one byte per step, looping over it, for ``seconds`` (or until stopped)."""
        steps = int(seconds / TRICKLE_STEP_S)
        for i in range(steps):
            if self.stopping.wait(TRICKLE_STEP_S):
                return
            self.sock.sendall(data[i % len(data): i % len(data) + 1])

    def send_response(self, status: int, body: bytes, content_type: str, *, length: int | None = None) -> None:
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body) if length is None else length}\r\n\r\n"
        )
        self.send(head.encode() + body)

    def send_json(self, status: int, data: Any) -> None:
        self.send_response(status, json.dumps(data).encode(), "application/json")


_REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 429: "Too Many Requests",
            503: "Service Unavailable"}


# Faults -------------------------------------------------------------------------------------

def slow_headers(conn: Connection, request: Request) -> None:
    """The status line, then header bytes one at a time: every single read is quick."""
    conn.send(b"HTTP/1.1 200 OK\r\n")
    conn.trickle(b"X-Slow: " + b"a" * 60 + b"\r\n")
    conn.closing = True


def slow_body(conn: Connection, request: Request) -> None:
    """Complete headers, then a JSON body one byte at a time."""
    body = json.dumps({"conversationIdentifier": "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b", "success": True,
                       "pad": "x" * 4000}).encode()
    conn.send(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode())
    conn.trickle(body)
    conn.closing = True


def slow_body_until_close(conn: Connection, request: Request) -> None:
    """No Content-Length: the body ends when the server closes, and it trickles meanwhile."""
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
    conn.trickle(b" ")
    conn.closing = True


def html_login_page(conn: Connection, request: Request) -> None:
    page = b"<!DOCTYPE html><html><head><title>Login | Salesforce</title></head><body>Log in</body></html>"
    conn.send_response(200, page, "text/html; charset=UTF-8")


def empty_200(conn: Connection, request: Request) -> None:
    conn.send_response(200, b"", "application/json")


def too_many_requests(conn: Connection, request: Request) -> None:
    conn.send_json(429, {"code": 429, "message": "Too many requests. Try again later."})


def oversize_declared(conn: Connection, request: Request) -> None:
    """A Content-Length of 50 MB (only the start is sent): refused before reading."""
    conn.send_response(200, b"{", "application/json", length=50 * 1024 * 1024)
    conn.closing = True


def oversize_streamed(conn: Connection, request: Request) -> None:
    """1 MB of JSON with no Content-Length, as fast as the socket takes it."""
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
    conn.send(b'{"success": true, "pad": "' + b"x" * (1024 * 1024) + b'"}')
    conn.closing = True


def slow_tls_handshake(conn: Connection) -> None:
    """For an https client: the header of a 16 KB TLS handshake record, then its body one byte
    at a time. Each of the client's reads gets a byte quickly, so only an overall deadline ends
    the handshake (no certificate needed: the client never gets that far)."""
    conn._recv()  # the ClientHello
    conn.send(b"\x16\x03\x03\x40\x00")
    conn.trickle(b"\x00")


def answer_json(status: int, data: Any) -> Fault:
    def fault(conn: Connection, request: Request) -> None:
        conn.send_json(status, data)

    return fault


def echo_request(status: int, shape: str) -> Fault:
    """An error answer that quotes the request back: its Authorization header and its body.

    ``shape``: "interaction" ({"code", "message"}), "oauth" ({"error", "error_description"}) or
    "route" (a 200 route answer with success false and the echo as reasonForNotRouting).
    """

    def fault(conn: Connection, request: Request) -> None:
        echo = f"Authorization: {request.header('Authorization')} body: {request.body.decode('latin-1')}"
        if shape == "oauth":
            conn.send_json(status, {"error": "invalid_grant", "error_description": echo})
        elif shape == "route":
            conn.send_json(status, {"success": False, "reasonForNotRouting": echo})
        else:
            conn.send_json(status, {"code": 10089, "message": echo})

    return fault
