"""Benchmark the SCC-AC Lambdas: Salesforce round trips, cold-start import time, handler latency.

Runs the real handler code against the local Interaction Service over real HTTP on
127.0.0.1 and prints a markdown block for bench/RESULTS.md. Secrets Manager is replaced by
an in-process stub (it is read once per container and is not a Salesforce round trip).

    .venv/bin/python bench/lambdas_bench.py [--invocations 500] [--write]

--write replaces the section "## Lambdas: Salesforce round trips, cold start, latency" of
bench/RESULTS.md (up to the next "## " heading) with the block, and nothing else in that file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from sccac.lambdas import runtime  # noqa: E402
from sccac.lambdas.config import Settings  # noqa: E402
from sccac.lambdas import create_messaging_session as session_module  # noqa: E402
from sccac.lambdas.create_messaging_session import create_messaging_session  # noqa: E402
from sccac.lambdas.routing import route  # noqa: E402
from sccac.testing.keys import generate_key_pair  # noqa: E402
from sccac.testing.interaction_service import ChannelSetup, LocalInteractionService, ServiceConfig  # noqa: E402
from sccac.testing.lambda_doubles import FixedContext, StaticSecrets  # noqa: E402
from results_section import write_section  # noqa: E402  (bench/ is the script's folder)

SECTION = "## Lambdas: Salesforce round trips, cold start, latency"
COMMAND = ".venv/bin/python bench/lambdas_bench.py --write"
CHANNEL = "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
QUEUE = "00G5g000001AbCdEAF"
ARN = ("arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555/"
       "queue/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
MODULES = ("sccac.lambdas.create_messaging_session", "sccac.lambdas.routing")
# What the first invocation imports lazily (Secrets Manager client, JWT signing).
COLD_PATH_IMPORTS = "import boto3, botocore.config, jwt, cryptography.hazmat.primitives.asymmetric.rsa"




def event(contact_id: str, attributes: dict[str, str], parameters: dict[str, str] | None = None) -> dict[str, Any]:
    return {"Details": {"ContactData": {"ContactId": contact_id, "Attributes": attributes},
                        "Parameters": parameters or {}}}


def import_time_ms(statement: str, runs: int) -> float:
    """Median wall time of ``statement`` in a fresh interpreter (a Lambda cold start's import phase)."""
    code = f"import time; t = time.perf_counter(); {statement}; print((time.perf_counter() - t) * 1000)"
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invocations", type=int, default=500)
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="update the Lambdas section of bench/RESULTS.md")
    args = parser.parse_args()

    keys = generate_key_pair()
    private_pem, public_pem = keys.private_pem, keys.public_pem
    config = ServiceConfig(public_key_pem=public_pem, channels={CHANNEL: ChannelSetup(queue_id=QUEUE)},
                           queues={QUEUE: ARN})
    rows: list[tuple[str, str]] = []
    latency: dict[str, list[float]] = {"CreateMessagingSession": [], "Routing": [],
                                       "Routing, no externalQueueId (mapping cached)": []}
    with LocalInteractionService(config) as service:
        secret = json.dumps({"consumerKey": config.consumer_key, "username": config.username,
                             "privateKey": private_pem, "orgId": config.org_id, "loginUrl": service.base_url})

        def new_container() -> runtime.Dependencies:
            settings = Settings(scrt_base_url=service.base_url, secret_name="bench",
                                authorization_context=config.authorization_context)
            return runtime.build(settings, secrets_client=StaticSecrets(secret))

        def trips(deps: runtime.Dependencies, call: Any) -> int:
            before = deps.salesforce_round_trips
            call()
            return deps.salesforce_round_trips - before

        def chat(deps: runtime.Dependencies) -> tuple[int, int, dict[str, str]]:
            contact = str(uuid.uuid4())
            attrs = {"channelAddressIdentifier": CHANNEL}
            out: dict[str, str] = {}
            n_create = trips(deps, lambda: out.update(create_messaging_session(event(contact, attrs), FixedContext(8_000), deps)))
            attrs.update(out)
            n_route = trips(deps, lambda: route(event(contact, attrs, {"routingType": "Initial"}), FixedContext(8_000), deps))
            return n_create, n_route, attrs

        cold = new_container()
        c_cold, _, _ = chat(cold)
        c_warm, r_warm, _ = chat(cold)
        routing_only = new_container()
        _, _, attrs = chat(cold)
        r_cold = trips(routing_only, lambda: route(event(str(uuid.uuid4()), attrs, {"routingType": "Transfer"}),
                                                   FixedContext(8_000), routing_only))
        service.expire_tokens()
        c_expired, _, _ = chat(cold)
        rows += [
            ("CreateMessagingSession, cold container (token + interactions)", str(c_cold)),
            ("CreateMessagingSession, warm container (cached token)", str(c_warm)),
            ("CreateMessagingSession, warm, token expired (401, new token, retry)", str(c_expired)),
            ("Routing, cold container (token + route)", str(r_cold)),
            ("Routing, warm container (cached token)", str(r_warm)),
        ]

        warm = new_container()
        chat(warm)  # warm up: secret, token, keep-alive connection
        for _ in range(args.invocations):
            contact = str(uuid.uuid4())
            attrs = {"channelAddressIdentifier": CHANNEL}
            t = time.perf_counter()
            attrs.update(create_messaging_session(event(contact, attrs), FixedContext(8_000), warm))
            latency["CreateMessagingSession"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            route(event(contact, attrs, {"routingType": "Initial"}), FixedContext(8_000), warm)
            latency["Routing"].append((time.perf_counter() - t) * 1000)

        # Salesforce names no Connect queue: the first routing of a container reads the mapping.
        service.config.send_external_queue_id = False
        lookup = new_container()
        _, r_first_lookup, _ = chat(lookup)  # the token is fetched by CreateMessagingSession
        _, r_cached_lookup, _ = chat(lookup)
        rows += [("Routing, no externalQueueId, first in a container (route + mapping read)", str(r_first_lookup))]
        for _ in range(args.invocations):
            contact = str(uuid.uuid4())
            attrs = {"channelAddressIdentifier": CHANNEL}
            attrs.update(create_messaging_session(event(contact, attrs), FixedContext(8_000), lookup))
            t = time.perf_counter()
            route(event(contact, attrs, {"routingType": "Initial"}), FixedContext(8_000), lookup)
            latency["Routing, no externalQueueId (mapping cached)"].append((time.perf_counter() - t) * 1000)
        rows += [("Routing, no externalQueueId, mapping cached (within QUEUE_MAPPING_TTL_SECONDS)",
                  str(r_cached_lookup))]
        warm_up = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
        runtime.install(lookup)  # the handler's own entry point, as Lambda calls it
        try:
            rows += [("Warm-up event (source aws.events)",
                      str(trips(lookup, lambda: session_module.handler(warm_up, FixedContext(8_000)))))]
        finally:
            runtime.install(None)

    imports = {m: import_time_ms(f"import {m}", args.import_runs) for m in MODULES}
    cold_path = import_time_ms(f"import {MODULES[0]}; {COLD_PATH_IMPORTS}", args.import_runs)

    section = render(args, rows, imports, cold_path, latency)
    print(section)
    if args.write:
        write_section(ROOT / "bench" / "RESULTS.md", SECTION, section)
        print(f"updated {ROOT / 'bench' / 'RESULTS.md'}")


def render(args: argparse.Namespace, rows: list[tuple[str, str]], imports: dict[str, float], cold_path: float,
           latency: dict[str, list[float]]) -> str:
    lines = [
        SECTION,
        "",
        f"Command: `{COMMAND}` (real handler code, real HTTP to the local",
        "Interaction Service `sccac/testing/interaction_service/` on 127.0.0.1; Secrets Manager stubbed",
        "in-process because it is read once per container and is not a Salesforce call).",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}; "
        f"{args.invocations} warm invocations per handler, local Interaction Service on 127.0.0.1; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs when it ran (shared machine: "
        "compare figures taken at similar load).",
        "",
        "| Salesforce round trips per invocation | count |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value} |" for name, value in rows]
    lines += ["", f"| Cold-start import (fresh interpreter, median of {args.import_runs}) | ms |", "|---|---|"]
    lines += [f"| `import {module}` | {ms:.1f} |" for module, ms in imports.items()]
    lines.append(f"| handler module + first-invocation lazy imports (boto3, PyJWT, cryptography) | {cold_path:.1f} |")
    lines += ["", "| Handler latency, warm, against the local service | p50 ms | p99 ms |", "|---|---|---|"]
    lines += [f"| {name} | {percentile(samples, 50):.2f} | {percentile(samples, 99):.2f} |"
              for name, samples in latency.items()]
    lines += [
        "",
        "Reading the figures: the goal of one Salesforce round trip per invocation holds whenever the",
        "container has a token; a cold container adds the JWT bearer token request, and an expired token",
        "costs one refresh and one retry (never more). When the route answer names no Connect queue",
        "(no `contextParamMap.externalQueueId`), the first routing in a container, and the first after each",
        "`QUEUE_MAPPING_TTL_SECONDS` (300 s by default), adds one REST composite read of the mapping; every",
        "other routing stays at one round trip. A warm-up event makes no call at all. The import figures are the cold-start import phase",
        "only; about 50 ms of the handler module's time is `urllib3`, which botocore imports anyway on the",
        "first invocation. Latency against a real org is dominated by the network round trip to",
        "`*.my.salesforce-scrt.com`; these numbers are the handlers' own overhead, which includes the",
        "per-request deadline (one shared watcher thread; each request registers its deadline and the",
        "socket the watcher shuts down if the answer is not complete in time), the body read in chunks",
        "under a size cap, the strict answer checks and the redaction of logged text.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
