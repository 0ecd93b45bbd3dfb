"""Benchmark ContactDisconnected: Interaction Service, Connect and S3 calls per transcript of N messages.

Runs the real handler code for bot-only chats of N messages against the local Interaction
Service over real HTTP (127.0.0.1), the Connect fake behind a real boto3 client (botocore
validates and serialises every call) and moto's S3, and counts the calls each service received,
next to the lower bound the service's batch size sets (5 entries a request). Secrets Manager is
stubbed in-process (read once per container, not a Salesforce call).

    .venv/bin/python bench/transcripts_bench.py [--sizes 12,50,200,1000] [--write]

--write replaces the section "## ContactDisconnected: calls per transcript" of bench/RESULTS.md
(adding it at the end the first time) and nothing else in that file.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

from results_section import write_section  # noqa: E402  (bench/ is the script's folder)
from sccac.clock import VirtualClock  # noqa: E402
from sccac.lambdas.config import Settings  # noqa: E402
from sccac.lambdas.contact_disconnected import (  # noqa: E402
    DisconnectSettings,
    build,
    contact_disconnected,
    disconnected_event,
)
from sccac.lambdas.transcript_store import PollPlan  # noqa: E402
from sccac.testing.interaction_service import ChannelSetup, LocalInteractionService, ServiceConfig  # noqa: E402
from sccac.testing.keys import generate_key_pair  # noqa: E402
from sccac.testing.transcripts import ChatWorld, bot_only_transcript  # noqa: E402
from sccac.testing.lambda_doubles import FixedContext, StaticSecrets  # noqa: E402

SECTION = "## ContactDisconnected: calls per transcript"
COMMAND = ".venv/bin/python bench/transcripts_bench.py --write"
CHANNEL = "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
CALL_CENTER = "SCCAC_Bench"
HISTORY = "/api/v1/conversationHistory"




class Counted:
    """Calls per service for one run."""

    def __init__(self, service: LocalInteractionService, world: ChatWorld, s3_calls: list[str]) -> None:
        self._service, self._world, self._s3 = service, world, s3_calls
        self._marks = (len(service.requests), len(world.fake.backend.calls), len(s3_calls))

    def now(self) -> dict[str, Any]:
        requests = self._service.requests[self._marks[0]:]
        return {
            "history": sum(r.path == HISTORY for r in requests),
            "salesforce": len(requests),
            "connect": len(self._world.fake.backend.calls) - self._marks[1],
            "s3": len(self._s3) - self._marks[2],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="12,50,200,1000", help="messages per transcript, comma-separated")
    parser.add_argument("--write", action="store_true", help="update the section of bench/RESULTS.md")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    keys = generate_key_pair()
    config = ServiceConfig(public_key_pem=keys.public_pem, channels={CHANNEL: ChannelSetup(queue_id=None)})
    rows: list[tuple[str, dict[str, Any], str]] = []
    with mock_aws(), LocalInteractionService(config) as service:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3_calls: list[str] = []
        # Only the function's own calls (the bench's uploads go through the same client).
        s3.meta.events.register("before-call.s3", lambda model, **_: s3_calls.append(model.name)
                                if model.name in ("ListObjectsV2", "GetObject") else None)
        world = ChatWorld.create(s3, f"sccac-bench-{uuid.uuid4().hex[:8]}")
        secret = json.dumps({"consumerKey": config.consumer_key, "username": config.username,
                             "privateKey": keys.private_pem, "orgId": config.org_id, "loginUrl": service.base_url})
        # The function's whole clock (deadline, waits, JWT dates): it starts at the real time because
        # the local service checks the JWT's expiry against real time, as Salesforce does.
        clock = VirtualClock(start=time.time())
        deps = build(Settings(scrt_base_url=service.base_url, secret_name="bench", authorization_context=config.authorization_context),
                     DisconnectSettings(CALL_CENTER, PollPlan()), connect=world.fake.client(max_attempts=1), s3=s3,
                     secrets_client=StaticSecrets(secret), clock=clock)
        ended = datetime.now(timezone.utc).replace(microsecond=0)
        first = True
        for n in sizes:
            contact = world.start_chat({"channelAddressIdentifier": CHANNEL, "callCenterId": CALL_CENTER})
            world.store_transcript(contact, bot_only_transcript(contact, n, ended - timedelta(seconds=2 * n + 5)), ended)
            counted = Counted(service, world, s3_calls)
            started = time.perf_counter()
            result = contact_disconnected(disconnected_event(world.instance_arn, contact), FixedContext(60_000), deps)
            elapsed = (time.perf_counter() - started) * 1000
            assert result["entriesSent"] == n, result
            label = f"{n} messages" + (" (cold container: + token)" if first else "")
            rows.append((label, counted.now() | {"bound": math.ceil(n / 5), "ms": elapsed}, "first delivery"))
            counted = Counted(service, world, s3_calls)
            again = contact_disconnected(disconnected_event(world.instance_arn, contact), FixedContext(60_000), deps)
            assert again["status"] == "ALREADY_SENT", again
            rows.append((f"{n} messages, same event again", counted.now() | {"bound": 0, "ms": None}, "repeat"))
            first = False
        # A transcript that lands while the function waits: one more S3 listing per look.
        contact = world.start_chat({"channelAddressIdentifier": CHANNEL, "callCenterId": CALL_CENTER})
        document = bot_only_transcript(contact, 12, ended - timedelta(seconds=30))
        real_sleep = clock.sleep

        def lands(seconds: float) -> None:
            real_sleep(seconds)
            world.store_transcript(contact, document, ended)

        clock.sleep = lands  # type: ignore[method-assign]
        counted = Counted(service, world, s3_calls)
        result = contact_disconnected(disconnected_event(world.instance_arn, contact), FixedContext(60_000), deps)
        assert result["transcriptLooks"] == 2, result
        rows.append(("12 messages, transcript found on the 2nd look", counted.now() | {"bound": 3, "ms": None}, "late"))
    section = render(rows)
    print(section)
    if args.write:
        results = ROOT / "bench" / "RESULTS.md"
        if SECTION not in results.read_text(encoding="utf-8"):
            results.write_text(results.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + SECTION + "\n", encoding="utf-8")
        write_section(results, SECTION, section)


def render(rows: list[tuple[str, dict[str, Any], str]]) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        SECTION,
        "",
        f"Command: `{COMMAND}` (real handler code; the local Interaction Service over real HTTP on",
        "127.0.0.1, the Connect fake behind a real boto3 client, moto's S3; Secrets Manager stubbed).",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs when it ran.",
        "",
        "| transcript | conversationHistory calls | lower bound ceil(N/5) | all Interaction Service calls | Connect calls | S3 calls | ms (local) |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, c, _ in rows:
        ms = f"{c['ms']:.0f}" if c["ms"] is not None else "-"
        lines.append(f"| {label} | {c['history']} | {c['bound'] if c['bound'] else '-'} | {c['salesforce']} | "
                     f"{c['connect']} | {c['s3']} | {ms} |")
    lines += [
        "",
        "Reading the figures: the history goes out in exactly ceil(N/5) conversationHistory calls, the",
        "bound the service's 5-entry limit sets (a bot-only chat has two participants, so the",
        "3-participant limit never cuts a request earlier). Besides those, each transcript costs one",
        "session call (CreateMessagingSession's own: it finds the conversation the flow opened, or opens",
        "it) and, in a cold container, one token request. Connect: GetContactAttributes and",
        "ListInstanceStorageConfigs (the lower bound, 2) plus one UpdateContactAttributes that records the",
        "batches sent; S3: one listing per look and one GetObject (lower bound 2, one look). The same",
        "event delivered again costs one Connect call and nothing else. Times are",
        "against local services (no network), so they show the function's own overhead with three",
        "requests in flight, not a real org's latency.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
