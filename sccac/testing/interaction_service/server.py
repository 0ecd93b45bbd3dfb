"""The stand-in as a real HTTP server on 127.0.0.1: lifecycle, request recording, test controls, ``main()``.

One thread per request (stdlib ``http.server``, keep-alive like the real service). Each request
is first offered to the injected faults, then answered by :class:`InteractionResponses`.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sccac.testing.interaction_service.faults import Fault, FaultInjector
from sccac.testing.interaction_service.models import (
    Conversation,
    InteractionBackend,
    MessagingSession,
    Routing,
    ServiceConfig,
)
from sccac.testing.interaction_service.responses import Answer, InteractionResponses, error_answer, interaction_json
from sccac.testing.interaction_service.urls import INTERACTIONS


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    status: int
    request_id: str | None
    body: bytes = b""
    content_type: str = ""

    def json(self) -> Any:
        """The request's JSON: the body, or for /interactions its multipart ``json`` part."""
        if self.path == INTERACTIONS:
            return interaction_json(self.content_type, self.body)
        return json.loads(self.body or b"null")


class LocalInteractionService:
    """The stand-in server: ``start()``, ``base_url``, state, fault injection, ``stop()``."""

    def __init__(self, config: ServiceConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.backend = InteractionBackend(config)
        self.responses = InteractionResponses(self.backend, lambda: self.base_url)
        self.injector = FaultInjector()
        self._host = host
        self._port = port
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._requests_lock = threading.Condition()
        self.requests: list[RecordedRequest] = []

    # the backend's state, as tests and the offline mode read it ----------------------------
    @property
    def config(self) -> ServiceConfig:
        return self.backend.config

    @property
    def tokens(self) -> set[str]:
        return self.backend.tokens

    @property
    def conversations(self) -> dict[str, Conversation]:
        return self.backend.conversations

    @property
    def routings(self) -> list[Routing]:
        return self.backend.routings

    @property
    def faults(self) -> list[Fault]:
        return self.injector.faults

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> LocalInteractionService:
        service = self

        class Handler(_RequestHandler):
            owner = service

        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="interaction-service",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # cuts injected delays short
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalInteractionService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the service first"
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}"

    # test controls -----------------------------------------------------------------------
    def inject(self, path: str, *, status: int | None = None, delay_s: float = 0.0, count: int = 1,
               code: int | None = None) -> None:
        """Fault the next ``count`` requests to ``path`` (``code`` alone implies HTTP 400)."""
        self.injector.inject(path, status=status, delay_s=delay_s, count=count, code=code)

    def expire_tokens(self) -> None:
        """Every issued access token stops working (session timeout, revoked app)."""
        self.backend.expire_tokens()

    def end_session(self, conversation_identifier: str) -> None:
        """The agent closed the chat: the next contact of this user opens a new session."""
        self.backend.end_session(conversation_identifier)

    def calls(self, path: str) -> list[RecordedRequest]:
        with self._requests_lock:
            return [r for r in self.requests if r.path == path]

    def sessions(self) -> list[MessagingSession]:
        return self.backend.sessions()

    def wait_for_calls(self, path: str, count: int = 1, timeout_s: float = 5.0) -> list[RecordedRequest]:
        """The requests to ``path`` once ``count`` have been answered (or given up on by their client): for a test
        whose client stopped waiting while the service was still answering. Raises TimeoutError after ``timeout_s``."""
        with self._requests_lock:
            if not self._requests_lock.wait_for(lambda: sum(r.path == path for r in self.requests) >= count, timeout_s):
                raise TimeoutError(f"{count} request(s) to {path} not answered within {timeout_s} s")
            return [r for r in self.requests if r.path == path]

    # request handling -------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """One request's answer: an injected fault's, else the API's. Tests may wrap it to watch requests."""
        fault = self.injector.take(path)
        if fault is not None:
            if fault.delay_s:
                self._stopping.wait(fault.delay_s)
            error = fault.error()
            if error is not None:
                if error.status == 401:
                    self.backend.expire_tokens()
                return error_answer(error)
        return self.responses.dispatch(method, path, headers, body)

    def record(self, request: RecordedRequest) -> None:
        with self._requests_lock:
            self.requests.append(request)
            self._requests_lock.notify_all()


class _RequestHandler(BaseHTTPRequestHandler):
    owner: LocalInteractionService
    protocol_version = "HTTP/1.1"  # keep-alive, like the real service

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus the
        # client's delayed ACK adds ~40 ms to every keep-alive response.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        self._dispatch("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        status, payload, content_type = self.owner.handle(method, path, dict(self.headers.items()), body)
        self.owner.record(RecordedRequest(method, path, status, self.headers.get("RequestId"),
                                          body, self.headers.get("Content-Type") or ""))
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test); nothing to answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence access logs
        return


def main(argv: list[str] | None = None) -> None:
    """Run the stand-in until Ctrl-C: ``python -m sccac.testing.interaction_service --config c.json``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--config", required=True, help="JSON: publicKeyPem, consumerKey, username, orgId, "
                        "authorizationContext, audience, channels, queues, flows, strictPublishedShapes "
                        "(see docs/lambdas.md)")
    parser.add_argument("--port", type=int, default=8085)
    args = parser.parse_args(argv)
    with open(args.config, encoding="utf-8") as handle:
        config = ServiceConfig.from_dict(json.load(handle))
    with LocalInteractionService(config, port=args.port) as service:
        print(f"Local Interaction Service on {service.base_url} (Ctrl-C to stop)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
