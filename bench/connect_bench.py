"""Benchmark the Connect wiring engine: API calls of a first run and a re-run, pacing, throttling.

Runs `sccac.connect` against the stateful Connect fake (real boto3 client, botocore's Connect
model) on a virtual clock, at 10, 100 and 500 mapped queues, and prints a markdown block for
bench/RESULTS.md. Counts are exact and repeatable; "virtual s" is time on the fake's clock
(what the run would take against Connect's 2 requests/s, burst 5 budget), not wall time.

    .venv/bin/python bench/connect_bench.py [--write]

--write replaces the section "## Connect wiring: API calls, pacing, throttling" of
bench/RESULTS.md (up to the next "## " heading) with the block, or appends it, and nothing else.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sccac.connect.agents import PASSWORD_ENV  # noqa: E402
from sccac.connect.engine import ApplyRun  # noqa: E402
from sccac.connect.staffing import AgentSpec, ConnectStaffing, ProfileSpec, QueueConfig  # noqa: E402
from sccac.connect.snapshot import page_size  # noqa: E402
from sccac.testing.connect import Faults  # noqa: E402
from sccac.testing.connect.harness import FakeWorld, fake_world  # noqa: E402
from results_section import write_section  # noqa: E402  (bench/ is the script's folder)

SECTION = "## Connect wiring: API calls, pacing, throttling"
COMMAND = ".venv/bin/python bench/connect_bench.py --write"
SIZES = (10, 100, 500)
RATE, BURST = 2.0, 5
THROTTLE_PERCENT = 30


def write_lower_bound(queues: int) -> int:
    """One write per missing resource: 2 Lambda associations, a queue and a quick connect per queue, module, 5 flows."""
    return 2 + 2 * queues + 6


def read_lower_bound(world: FakeWorld, queues: int, flows: int, modules: int, quick_connects: int) -> int:
    """DescribeInstance, ListHoursOfOperations, then ceil(N / page size) pages (at least one) of each list."""
    client = world.engine.client

    def pages(operation: str, items: int) -> int:
        return max(1, math.ceil(items / page_size(client, operation)))

    return 2 + pages("ListLambdaFunctions", 2) + pages("SearchQueues", queues + 1) + pages("SearchContactFlows", flows) \
        + pages("SearchContactFlowModules", modules) + pages("SearchQuickConnects", quick_connects)


def row(label: str, queues: int, run: ApplyRun, reads_bound: int, writes_bound: int, wall: float) -> str:
    s = run.stats
    bound = max(0.0, (s.calls - BURST) / RATE)
    return (f"| {queues} | {label} | {s.reads} | {reads_bound} | {s.writes} | {writes_bound} | {s.calls} | "
            f"{run.seconds:,.1f} | {bound:,.1f} | {s.writes / RATE:,.1f} | {s.throttled} | {wall:.2f} |")


def measure(queues: int) -> list[str]:
    world = fake_world(queue_quota=queues + 50, quick_connect_quota=queues + 50, rate=RATE, burst=BURST)
    desired = world.desired(queues)
    started = time.perf_counter()
    first = world.apply(desired)
    first_wall = time.perf_counter() - started
    started = time.perf_counter()
    again = world.apply(desired)
    again_wall = time.perf_counter() - started
    assert again.stats.writes == 0, "a re-run must not write"
    first_reads = read_lower_bound(world, 0, 0, 0, 0)
    again_reads = read_lower_bound(world, queues, 5, 1, queues)

    throttled_world = fake_world(queue_quota=queues + 50, quick_connect_quota=queues + 50, rate=RATE, burst=BURST,
                                 faults=Faults(throttle_percent=THROTTLE_PERCENT, seed=11))
    started = time.perf_counter()
    throttled = throttled_world.apply(throttled_world.desired(queues))
    throttled_wall = time.perf_counter() - started
    return [
        row("first run", queues, first, first_reads, write_lower_bound(queues), first_wall),
        row("re-run", queues, again, again_reads, 0, again_wall),
        row(f"first run, {THROTTLE_PERCENT}% throttled", queues, throttled, first_reads, write_lower_bound(queues), throttled_wall),
    ]


# Agents (a staffing file): (agents, routing profiles); 3 / 2 is the Robot fixture's size.
AGENT_SIZES = ((3, 2), (100, 10), (500, 50))


def staffing(agents: int, profiles: int) -> ConnectStaffing:
    """``profiles`` routing profiles, each serving one mapped queue on chat and task; agents spread over them."""
    specs = tuple(ProfileSpec(f"Profile {i}", (QueueConfig(f"Queue {i}"),), (("CHAT", 2), ("TASK", 1)), f"bench: profile {i}")
                  for i in range(profiles))
    people = tuple(AgentSpec(f"a{i}", f"agent{i}", f"Profile {i % profiles}", f"agent{i}@sccac.example", f"a{i}", "Agent",
                             f"agent{i}@sccac.example", f"bench: agent {i}") for i in range(agents))
    return ConnectStaffing(Path("bench"), specs, people)


def agent_row(agents: int, profiles: int, label: str, run: ApplyRun, writes_bound: int) -> str:
    s = run.stats
    staff = sum(n for op, n in s.by_operation.items()
                if op in ("ListSecurityProfiles", "SearchUsers", "SearchRoutingProfiles", "ListRoutingProfileQueues",
                          "CreateRoutingProfile", "CreateUser"))
    return (f"| {agents} | {profiles} | {label} | {s.reads} | {s.writes} | {writes_bound} | {staff} | {s.calls} | "
            f"{run.seconds:,.1f} | {s.throttled} |")


def measure_agents(agents: int, profiles: int) -> list[str]:
    os.environ.setdefault(PASSWORD_ENV, "Bench-Only-Password-1")  # the fake keeps only its hash
    world = fake_world(queue_quota=profiles + 50, quick_connect_quota=profiles + 50, rate=RATE, burst=BURST)
    desired = dataclasses.replace(world.desired(profiles), staffing=staffing(agents, profiles))
    first = world.apply(desired)
    again = world.apply(desired)
    assert again.stats.writes == 0, "a re-run must not write"
    return [agent_row(agents, profiles, "first run", first, write_lower_bound(profiles) + profiles + agents),
            agent_row(agents, profiles, "re-run", again, 0)]


def render(rows: list[str], agent_rows: list[str] | None = None) -> str:
    lines = [
        SECTION,
        "",
        f"Command: `{COMMAND}` (the engine against the Connect fake: a real boto3 client, botocore's",
        "Connect model, retry mode standard with 10 attempts; the engine paces every attempt to 2 requests/s,",
        "burst 5, and the fake enforces the same budget per account on the same virtual clock).",
        f"Machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}.",
        "",
        "Lower bounds: writes = one per missing resource (2 Lambda associations, a queue and a queue quick",
        "connect per mapped queue, the module, 5 flows); reads = DescribeInstance + ListHoursOfOperations +",
        "ceil(items / page size) pages of ListLambdaFunctions (25), SearchQueues (500), SearchContactFlows,",
        "SearchContactFlowModules and SearchQuickConnects (100). \"quota s\" is the least time Connect's budget",
        "allows for the run's calls ((calls - 5) / 2); \"writes/2\" is the writes alone at 2 a second.",
        f"The throttled rows add {THROTTLE_PERCENT}% injected ThrottlingException answers: botocore retries them, and",
        "reads and writes there count attempts (each throttled attempt is counted and retried). Their counts",
        "repeat (seeded faults); their virtual seconds vary a little with botocore's random back-off jitter.",
        "A re-run right after a first run starts with the budget spent, hence its virtual seconds above \"quota s\".",
        "",
        "| queues | run | reads | reads bound | writes | writes bound | calls | virtual s | quota s | writes/2 s | throttled | wall s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "Targets: re-run at 500 queues 0 writes and at most 25 calls; first run writes equal to the lower bound.",
        "",
        "### Agents from a staffing file (`--staffing`)",
        "",
        "The same engine with a staffing file: N agents spread over P routing profiles, each profile serving one",
        "mapped queue on chat and task (so the mapping has P queues). Writes bound = the queue wiring's bound",
        "for P queues + one CreateRoutingProfile per profile + one CreateUser per agent. \"staff calls\" are the",
        "agent-related calls: ListSecurityProfiles, SearchUsers (500 a page), SearchRoutingProfiles, one",
        "ListRoutingProfileQueues per existing profile (on the re-run), CreateRoutingProfile and CreateUser.",
        "",
        "| agents | profiles | run | reads | writes | writes bound | staff calls | calls | virtual s | throttled |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        *(agent_rows or []),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update the Connect section of bench/RESULTS.md")
    args = parser.parse_args()
    rows = [line for queues in SIZES for line in measure(queues)]
    agent_rows = [line for agents, profiles in AGENT_SIZES for line in measure_agents(agents, profiles)]
    block = render(rows, agent_rows)
    print(block, end="")
    if args.write:
        results = ROOT / "bench" / "RESULTS.md"
        if SECTION in results.read_text(encoding="utf-8"):
            write_section(results, SECTION, block)
        else:
            with results.open("a", encoding="utf-8") as handle:
                handle.write("\n" + block)


if __name__ == "__main__":
    main()
