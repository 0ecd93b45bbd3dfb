"""Contact-flow lint and simulation throughput: the six built SCC-AC flows and a 500-block flow.

Run:  .venv/bin/python bench/flows_bench.py [--write]
The structural linters connect-flow and cxblueprint are measured beside ours when importable
(they are not dependencies: pip install --target /tmp/flowtools connect-flow==0.3.1
cxblueprint==0.1.0.post15, then run with PYTHONPATH=/tmp/flowtools).
--write replaces the section "## Contact flows: lint and simulation throughput" of
bench/RESULTS.md with the figures (and nothing else in that file).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sccac.flows.builders import FlowKind, FlowSettings, build_all  # noqa: E402
from sccac.flows.model import Flow, parse_flow  # noqa: E402

try:
    from sccac.flows.model import read_flow_for_lint  # lint's reader (keeps no key order)
except ImportError:  # an older sccac: lint read with parse_flow
    read_flow_for_lint = parse_flow
from sccac.flows.reading import load_json  # noqa: E402
from sccac.flows.simulator import Contact, SimulationOptions, simulate  # noqa: E402
from sccac.flows.simulator_lambda import LambdaScript, ScriptedInvoker, ScriptedResponse  # noqa: E402
from results_section import write_section  # noqa: E402  (bench/ is the script's folder)

SECTION = "## Contact flows: lint and simulation throughput"
COMMAND = ".venv/bin/python bench/flows_bench.py --write"
REPEATS = 7
STRESS_BLOCKS = 500
QUEUE = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/queue/bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:bench-Step"

SETTINGS = FlowSettings(
    session_lambda_arn="arn:aws:lambda:us-east-1:123456789012:function:sccac-CreateMessagingSession",
    routing_lambda_arn="arn:aws:lambda:us-east-1:123456789012:function:sccac-Routing",
    channel_address_identifier="3f6c1b2a-8d4e-4f7a-9b0c-5e2d7a1c9f84",
    fallback_queue_arn=QUEUE.replace("bbbbbbbb", "aaaaaaaa"),
)


def stress_flow(blocks: int = STRESS_BLOCKS) -> Flow:
    """A flow of ``blocks`` actions the simulator walks end to end.

    Segments of five blocks (set attribute, check it, retry loop, Lambda, message), then a
    working queue, transfer, failure message and disconnect. Connect caps a flow at 250
    actions: this is a stress figure, not a deployable flow.
    """
    tail = 4
    segments = (blocks - tail) // 5
    pad = blocks - tail - segments * 5  # extra set-attribute blocks to hit the exact count
    actions: list[dict[str, Any]] = []

    def add(identifier: str, kind: str, params: dict[str, Any], transitions: dict[str, Any]) -> None:
        actions.append({"Identifier": identifier, "Type": kind, "Parameters": params, "Transitions": transitions})

    def err(target: str) -> list[dict[str, str]]:
        return [{"NextAction": target, "ErrorType": "NoMatchingError"}]

    for i in range(pad):
        add(f"pad-{i}", "UpdateContactAttributes", {"Attributes": {f"pad{i}": "x"}}, {"NextAction": f"pad-{i + 1}" if i + 1 < pad else "set-0", "Errors": err("fail")})
    for i in range(segments):
        nxt = f"set-{i + 1}" if i + 1 < segments else "queue"
        add(f"set-{i}", "UpdateContactAttributes", {"Attributes": {f"step{i}": str(i)}}, {"NextAction": f"check-{i}", "Errors": err("fail")})
        add(
            f"check-{i}",
            "Compare",
            {"ComparisonValue": f"$.Attributes.step{i}"},
            {
                "NextAction": "fail",
                "Conditions": [
                    {"NextAction": "fail", "Condition": {"Operator": "NumberGreaterThan", "Operands": [str(i)]}},
                    {"NextAction": f"loop-{i}", "Condition": {"Operator": "Equals", "Operands": [str(i)]}},
                ],
                "Errors": [{"NextAction": "fail", "ErrorType": "NoMatchingCondition"}],
            },
        )
        add(
            f"loop-{i}",
            "Loop",
            {"LoopCount": "2"},
            {
                "NextAction": "fail",
                "Conditions": [
                    {"NextAction": f"lambda-{i}", "Condition": {"Operator": "Equals", "Operands": ["ContinueLooping"]}},
                    {"NextAction": "fail", "Condition": {"Operator": "Equals", "Operands": ["DoneLooping"]}},
                ],
            },
        )
        add(
            f"lambda-{i}",
            "InvokeLambdaFunction",
            {
                "LambdaFunctionARN": LAMBDA,
                "InvocationTimeLimitSeconds": "8",
                "LambdaInvocationAttributes": {"step": f"$.Attributes.step{i}"},
                "ResponseValidation": {"ResponseType": "STRING_MAP"},
            },
            {"NextAction": f"msg-{i}", "Errors": err(f"loop-{i}")},
        )
        add(f"msg-{i}", "MessageParticipant", {"Text": f"step {i}"}, {"NextAction": nxt, "Errors": err("fail")})
    add("queue", "UpdateContactTargetQueue", {"QueueId": "$.External.queue"}, {"NextAction": "transfer", "Errors": err("fail")})
    add("transfer", "TransferContactToQueue", {}, {"NextAction": "fail", "Errors": [{"NextAction": "fail", "ErrorType": "QueueAtCapacity"}] + err("fail")})
    add("fail", "MessageParticipant", {"Text": "sorry"}, {"NextAction": "disconnect", "Errors": err("disconnect")})
    add("disconnect", "DisconnectParticipant", {}, {})
    assert len(actions) == blocks, len(actions)
    return Flow.from_dict({"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": actions})


def scenario_for(name: str) -> tuple[Contact, Callable[[], ScriptedInvoker]]:
    """A realistic run per flow (the inbound one with two session failures and retries)."""
    session = {"conversationIdentifier": "c-1", "workItemId": "0Mw5e000000AbCdCAK", "source": "SCCAC"}
    if name == "inbound_chat":
        return Contact(channel="CHAT"), lambda: ScriptedInvoker(
            {"session": LambdaScript(fail_first=2, returns=session), "routing": LambdaScript(returns={"externalQueueId": QUEUE})}
        )
    if name == "disconnect_requeue":
        # The agent left, the customer replies: a new session, routing, queued again.
        attributes = {"channelAddressIdentifier": SETTINGS.channel_address_identifier, "workItemId": "0Mw5e000000AbCdCAK"}
        return Contact(channel="CHAT", attributes=attributes), lambda: ScriptedInvoker(
            {"session": LambdaScript(returns={**session, "workItemId": "0Mw5e000000XyZwCAK"}),
             "routing": LambdaScript(returns={"externalQueueId": QUEUE})}
        )
    if name == "agent_transfer":
        return Contact(agent_user_name="jdoe"), ScriptedInvoker
    if name == "queue_transfer":
        return Contact(queue_arn=QUEUE), ScriptedInvoker
    if name == "task_routing":
        return Contact(channel="TASK", attributes={"queueId": QUEUE}), ScriptedInvoker
    if name == f"stress_{STRESS_BLOCKS}":
        # Every Lambda block fails once, so each retry loop runs twice.
        return Contact(), lambda: ScriptedInvoker({"*": LambdaScript(calls=_fail_then_succeed(), returns={"queue": QUEUE})})
    return Contact(), ScriptedInvoker


def _fail_then_succeed() -> tuple[ScriptedResponse, ...]:
    # The stress flow calls one ARN from every segment: odd attempts fail, even ones answer.
    segments = (STRESS_BLOCKS - 4) // 5
    answer = ScriptedResponse(returns={"queue": QUEUE})
    return tuple(r for _ in range(segments) for r in (ScriptedResponse(error="bench failure"), answer))


def timed(operation: Callable[[], Any], budget_seconds: float = 0.25) -> float:
    """Median milliseconds per call over REPEATS rounds, each sized to ~budget_seconds."""
    return timed_together({"one": operation}, budget_seconds)["one"]


def timed_together(operations: dict[str, Callable[[], Any]], budget_seconds: float = 0.25) -> dict[str, float]:
    """Median CPU milliseconds per call of each operation over REPEATS rounds, the operations taking
    turns within each round (so a busy shared machine slows them alike), each sized to ~budget_seconds.

    CPU time of this process (time.process_time), not wall time: time spent waiting for the CPU
    while other work runs is not counted.
    """
    per_round = {}
    for name, operation in operations.items():
        start = time.process_time()
        operation()
        single = max(time.process_time() - start, 1e-5)
        per_round[name] = max(1, int(budget_seconds / len(operations) / single))
    samples: dict[str, list[float]] = {name: [] for name in operations}
    for _ in range(REPEATS):
        for name, operation in operations.items():
            start = time.process_time()
            for _ in range(per_round[name]):
                operation()
            samples[name].append((time.process_time() - start) / per_round[name] * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def load_linter() -> Callable[..., Any] | None:
    try:
        from sccac.flows.lint import lint_flow  # written alongside; may not exist yet
    except ImportError:
        return None
    return lint_flow


def load_text_linter() -> Callable[..., Any]:
    """What `sccac flows lint` runs on each file's text (reading, then lint), or parse + lint where it is missing."""
    try:
        from sccac.flows.files import lint_text
    except ImportError:
        from sccac.flows.lint import lint_flow

        return lambda text, kind=None: lint_flow(parse_flow(text), kind=kind)
    return lint_text


def other_linters() -> dict[str, tuple[Callable[[str], Any], Callable[[Any], Any]]]:
    """The structural flow linters on PyPI, when installed beside sccac (they are not dependencies):
    name -> (parse the flow JSON text, lint the parsed document). Measured on the same flows with
    the same timer as ours; none are quoted from elsewhere."""
    found: dict[str, tuple[Callable[[str], Any], Callable[[Any], Any]]] = {}
    try:
        from connect_flow import flow as connect_flow_doc, lint as connect_flow_lint  # connect-flow 0.3.1
    except ImportError:
        pass
    else:
        found["connect-flow"] = (connect_flow_doc.parse, connect_flow_lint.check)
    try:
        from cxblueprint.flow_analyzer import FlowAnalyzer  # cxblueprint 0.1.0.post15
        from cxblueprint.flow_builder import Flow as Blueprint
    except ImportError:
        pass
    else:

        def analyse(flow: Any) -> Any:
            # Every check its FlowAnalyzer has (what its report and has_issues run).
            analyzer = FlowAnalyzer(flow.blocks, flow._start_action)
            return analyzer.find_orphaned_blocks(), analyzer.find_missing_error_handlers(), analyzer.find_unterminated_paths()

        found["cxblueprint"] = (lambda text: Blueprint.decompile_from_dict(json.loads(text)), analyse)
    return found


#: Export-shaped flows (tests/flows/fixtures/real, see its README): the "real" flows of the comparison.
EXPORTS = ROOT / "tests" / "flows" / "fixtures" / "real"


def export_flows() -> list[tuple[str, str]]:
    """(file name, flow-language text) of each export-shaped flow every tool can read: a
    DescribeContactFlow(Module) wrapper is unwrapped to its Content, so every tool reads the same
    flow; the legacy console export, which is not flow language, is left out."""
    found = []
    for path in sorted(EXPORTS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for wrapper in ("ContactFlow", "ContactFlowModule"):
            if isinstance(document.get(wrapper), dict):
                document = json.loads(document[wrapper]["Content"])
        if "Actions" in document:
            found.append((path.name, json.dumps(document, indent=2)))
    return found


def measure_exports(others: dict[str, tuple[Callable[[str], Any], Callable[[Any], Any]]]) -> dict[str, list[float]]:
    """From the JSON text, ms a flow for each export-shaped flow: ours as `sccac flows lint` runs by
    default (the kind detected), and each other linter, taking turns within each round."""
    lint_text = load_text_linter()
    times: dict[str, list[float]] = {"sccac": [], **{name: [] for name in others}}
    for _, text in export_flows():
        operations: dict[str, Callable[[], Any]] = {"sccac": lambda text=text: lint_text(text)}
        for other, (parse, check) in others.items():
            operations[other] = lambda check=check, parse=parse, text=text: check(parse(text))
        for name, value in timed_together(operations, budget_seconds=0.25 * len(operations)).items():
            times[name].append(value)
    return times


PAIRS = 300
PAIR_PASSES = 10


def measure_paired(other: tuple[Callable[[str], Any], Callable[[Any], Any]]) -> list[float]:
    """The time ratio ours / other over the six built flows' texts, PAIRS times: the two take turns
    in short runs (PAIR_PASSES passes over the texts each), so a machine that speeds up or slows
    down affects both sides of a ratio alike. Sorted."""
    lint_text = load_text_linter()
    parse, check = other
    texts = [(b.flow.to_json(), b.kind) for b in build_all(SETTINGS)]

    def ours() -> None:
        for text, kind in texts:
            lint_text(text, kind)

    def theirs() -> None:
        for text, _ in texts:
            check(parse(text))

    for _ in range(PAIR_PASSES):
        ours(), theirs()
    ratios = []
    for _ in range(PAIRS):
        start = time.process_time()
        for _ in range(PAIR_PASSES):
            ours()
        middle = time.process_time()
        for _ in range(PAIR_PASSES):
            theirs()
        ratios.append((middle - start) / max(time.process_time() - middle, 1e-9))
    return sorted(ratios)


def measure() -> tuple[list[dict[str, Any]], bool, dict[str, dict[str, float]]]:
    flows: list[tuple[str, Flow, FlowKind | None]] = [(b.kind.value, b.flow, b.kind) for b in build_all(SETTINGS)]
    flows.append((f"stress_{STRESS_BLOCKS}", stress_flow(), None))
    lint_flow = load_linter()
    lint_text = load_text_linter()
    others = other_linters()
    other_times: dict[str, dict[str, list[float]]] = {name: {"lint_ms": [], "text_ms": []} for name in others}
    rows = []
    for name, flow, kind in flows:
        text = flow.to_json()
        contact, make_invoker = scenario_for(name)
        trace = simulate(flow, contact, make_invoker(), SimulationOptions(max_steps=10_000))
        row: dict[str, Any] = {
            "flow": name,
            "actions": len(flow.actions),
            "steps": len(trace.steps),
            "outcome": trace.outcome.describe().split(" arn:")[0] if trace.outcome else "none",
            "sim_ms": timed(lambda: simulate(flow, contact, make_invoker(), SimulationOptions(max_steps=10_000))),
        }
        if lint_flow is None:
            row["parse_ms"], row["read_ms"] = timed(lambda: parse_flow(text)), timed(lambda: load_json(text))
            row["json_ms"] = timed(lambda: json.loads(text))
        else:
            # Reading is timed in turn with lint, so the split of the text figure compares like with like.
            operations = {
                "lint_ms": lambda: lint_flow(flow, kind=kind),
                "text_lint_ms": lambda: lint_text(text, kind),
                "parse_ms": lambda: parse_flow(text),
                "lint_read_ms": lambda: read_flow_for_lint(text),
                "read_ms": lambda: load_json(text),
                "json_ms": lambda: json.loads(text),
            }
            if kind is not None:
                # The other linters take turns with ours, on the same flow and text.
                for other, (parse, check) in others.items():
                    document = parse(text)
                    operations[f"{other} lint_ms"] = lambda check=check, document=document: check(document)
                    operations[f"{other} text_ms"] = lambda check=check, parse=parse: check(parse(text))
            times = timed_together(operations, budget_seconds=0.25 * len(operations))
            for figure in ("lint_ms", "text_lint_ms", "parse_ms", "lint_read_ms", "read_ms", "json_ms"):
                row[figure] = times[figure]
            for other in others if kind is not None else ():
                other_times[other]["lint_ms"].append(times[f"{other} lint_ms"])
                other_times[other]["text_ms"].append(times[f"{other} text_ms"])
            row["findings"] = len(lint_flow(flow, kind=kind).findings)
        rows.append(row)
    means = {name: {k: statistics.mean(v) for k, v in times.items()} for name, times in other_times.items()}
    return rows, lint_flow is not None, means


OTHER_CHECKS = {
    "connect-flow": "StartAction, dangling transitions, unreachable blocks, branching blocks without conditions",
    "cxblueprint": "orphaned blocks, GetParticipantInput error handlers, blocks without any transition",
}
# The figures this section gave before the last lint-speed work, for reference (not re-measured here):
# lint of a parsed flow, parse + lint from the JSON text, parse_flow.
PREVIOUS_LINT_MS = 0.137
PREVIOUS_TEXT_MS = 0.227
PREVIOUS_PARSE_MS = 0.081
PREVIOUS_COMMIT = "5caf29e"
# Instruction counts (steadier than time on a shared machine), not re-measured by this script:
# bench/flows_instructions.py under valgrind's callgrind (its docstring has the command), ours at
# PREVIOUS_COMMIT and with this work, connect-flow 0.3.1 (parse + check).
CALLGRIND_BEFORE_M = 1.288
# And at add2981, before the lint reader decoded into the model and the rules' usual-case answers.
CALLGRIND_EARLIER = ("add2981", 0.871)
CALLGRIND_OURS_M = 0.630
# The same runs with callgrind's cache and branch simulation (--cache-sim=yes --branch-sim=yes), a flow:
# first-level cache misses (instruction, data) and mispredicted branches (conditional + indirect).
SIMULATED = {"sccac": (6.8, 7.9, 13.4), "connect-flow": (4.3, 3.4, 7.9)}  # thousands
CALLGRIND_CONNECT_FLOW_M = 0.547
# Of ours, reading the flow (read_flow_for_lint: msgspec's decoding into the model, the blocks); the
# other tools read with json.loads (0.238 M of connect-flow's count).
CALLGRIND_READ_M = 0.188
# Python bytecodes and calls a flow, lint from the text (counted with sys.settrace, f_trace_opcodes).
BYTECODES = 6_700
CALLS = 180
OTHERS_INSTALL = "pip install --target /tmp/flowtools connect-flow==0.3.1 cxblueprint==0.1.0.post15"
OTHERS_COMMAND = "PYTHONPATH=/tmp/flowtools .venv/bin/python bench/flows_bench.py --write"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def render_comparison(
    rows: list[dict[str, Any]],
    others: dict[str, dict[str, float]],
    exports: dict[str, list[float]] | None = None,
    paired: list[float] | None = None,
) -> list[str]:
    """The lint paragraph: our figure and, when installed, the other linters' on the same flows."""
    from sccac.flows.lint import RULES

    built = [r for r in rows if not r["flow"].startswith("stress_")]
    ours = statistics.mean(r["lint_ms"] for r in built)
    ours_text = statistics.mean(r["text_lint_ms"] for r in built)
    parse = statistics.mean(r["parse_ms"] for r in built)
    read_ms = statistics.mean(r["read_ms"] for r in built)
    lint_read = statistics.mean(r["lint_read_ms"] for r in built)
    json_ms = statistics.mean(r["json_ms"] for r in built)
    gated = sum(1 for r in RULES.values() if r.needs is not None)
    exports = exports or {}
    lines = [
        "",
        f"Lint, mean over the {len(built)} built flows: **{ours:.3f} ms a flow** in-process on a parsed flow,",
        f"**{ours_text:.3f} ms** from the JSON text (`lint_text`: `read_flow_for_lint`, then lint, what `sccac flows lint`",
        f"runs on each file). All {len(RULES)} rules registered; those of the flow's kind run, except that",
        f"the {gated} rules that look only at some block types (Loop, Invoke AWS Lambda, Set working queue, ...)",
        "are not run on a flow without one (a test lints 300 damaged flows with and without that selection",
        "and gets the same findings; another pins every finding on the built flows, the test flow files and",
        "150 damaged copies, linted from their text, to what the linter gave before any speed work).",
        "Lint reads the text with `read_flow_for_lint`: msgspec decodes the usual flow (only the keys the",
        "model reads; identifiers, types, targets and operands strings) straight into the model's transition",
        "sets and branches, which are msgspec Structs named as the flow language names their keys, and each",
        "block's typed class is built from its decoded fields; any other text goes through `parse_flow`,",
        "errors included (tests compare the two readers on every flow file, 600 damaged flows, any JSON value",
        "anywhere and nesting at the limit). `parse_flow` reads with msgspec too (`json.loads` reads what",
        "msgspec refuses, so values and errors stay json's) and skips the per-value limit check when the",
        "document is surely within every limit: the text's length bounds the number of values, and the",
        "nesting shows from the values gathered a level at a time by `gc.get_referents` (one C call a level).",
        "From the text, the",
        "content-size rule bounds the flow's compact JSON by twelve times the text's length (plus the",
        "keys the model may add) and serialises nothing unless that passes Connect's 256,000-character",
        "limit; on a parsed flow it bounds it from a `marshal` dump of the flow's values. The graph",
        "facts the rules share (successor lists, what StartAction reaches, where paths end badly,",
        "cycles) are computed once per flow. Every cycle has an edge that leads back up the Actions",
        "list, so when each such edge touches a Loop there is no cycle without one, told with no walk;",
        "when the edges to existing blocks are as many as the branches, no branch dangles. The reader",
        "makes each block of its typed class directly, its fields set in the constructor's order (no",
        "change of class, so reading its fields later is cheaper); the graph's one pass over the blocks",
        "also indexes them by Type and by class, counts the branches and gathers each block's targets.",
        f"Before this work (this section at commit {PREVIOUS_COMMIT}) the same command gave {PREVIOUS_LINT_MS:.3f} ms",
        f"on a parsed flow, {PREVIOUS_TEXT_MS:.3f} ms from the text and {PREVIOUS_PARSE_MS:.3f} ms for `parse_flow`",
        "(another run on this shared machine: compare with care).",
    ]
    if not others:
        return lines + [
            "",
            "The other flow linters on PyPI were not installed when this ran, so no comparison is given",
            f"(`{OTHERS_INSTALL}`, then `{OTHERS_COMMAND}`).",
        ]
    lines += [
        "",
        "Against the other flow linters on PyPI, on the same six flows with the same timer, taking turns",
        f"with ours within each round (installed for the bench only: `{OTHERS_INSTALL}`):",
        "",
        "| linter | what it checks | lint a parsed flow, ms | parse + lint from the JSON text, ms |",
        "|---|---|---:|---:|",
        f"| `sccac flows lint` {_version('sccac')} | {len(RULES)} rules: structure, parameters, paths, SCC-AC blocks | "
        f"{ours:.3f} | {ours_text:.3f} |",
    ]
    for name, times in others.items():
        lines.append(f"| `{name}` {_version(name)} | {OTHER_CHECKS.get(name, '')} | {times['lint_ms']:.3f} | {times['text_ms']:.3f} |")
    fastest = min(others, key=lambda n: others[n]["lint_ms"])
    fastest_text = min(others, key=lambda n: others[n]["text_ms"])
    ratio = ours / others[fastest]["lint_ms"]
    ratio_text = ours_text / others[fastest_text]["text_ms"]

    def verdict(value: float) -> str:
        return "within 2x" if value <= 2 else "not within 2x"

    target = 2 * others[fastest_text]["text_ms"]
    simulated = [ours_count / theirs for ours_count, theirs in zip(SIMULATED["sccac"], SIMULATED["connect-flow"])]
    low, high = min(simulated), max(simulated)
    lines += [
        "",
        f"On a parsed flow lint takes {ratio:.1f}x the time of the fastest, `{fastest}` ({verdict(ratio)});",
        f"from the JSON text {ratio_text:.1f}x that of `{fastest_text}` ({verdict(ratio_text)}). From the text,",
        f"reading the flow (`read_flow_for_lint`) takes {lint_read:.3f} ms (`parse_flow` {parse:.3f} ms, of which msgspec's reading"
        f" of the JSON {read_ms:.3f} ms; `json.loads`, which the other tools use, {json_ms:.3f} ms), the rest (lint)"
        f" {ours_text - lint_read:.3f} ms. Lint of a parsed flow is",
        "timed on its own above; with no text given, its size rule bounds the size from a `marshal` dump.",
    ]
    lines += [
        f"Counted in instructions (`bench/flows_instructions.py` under valgrind's callgrind, measured separately): "
        f"{CALLGRIND_OURS_M:.3f} M a flow from the text",
        f"(at {PREVIOUS_COMMIT}: {CALLGRIND_BEFORE_M:.3f} M; at {CALLGRIND_EARLIER[0]}: {CALLGRIND_EARLIER[1]:.3f} M) against {CALLGRIND_CONNECT_FLOW_M:.3f} M for `connect-flow`, "
        f"{CALLGRIND_OURS_M / CALLGRIND_CONNECT_FLOW_M:.2f}x. The time ratio is larger than the instruction ratio: `json.loads`"
        " (C, 0.238 M instructions a flow) is over 40% of `connect-flow`'s count and runs more instructions a cycle than"
        f" the interpreted model and rules that make most of ours (reading the flow is {CALLGRIND_READ_M:.3f} M of ours;"
        f" about 37 rules run on a flow, about {BYTECODES:,} bytecodes and {CALLS} Python calls in all). Callgrind's cache and branch"
        " simulation of the same runs shows it, a flow:"
        f" first-level cache misses {SIMULATED['sccac'][0]:.1f} k (instructions) and {SIMULATED['sccac'][1]:.1f} k (data)"
        f" against {SIMULATED['connect-flow'][0]:.1f} k and {SIMULATED['connect-flow'][1]:.1f} k, mispredicted branches"
        f" {SIMULATED['sccac'][2]:.1f} k against {SIMULATED['connect-flow'][2]:.1f} k: {low:.1f}x to {high:.1f}x, where the"
        f" instructions are {CALLGRIND_OURS_M / CALLGRIND_CONNECT_FLOW_M:.2f}x.",
    ]
    if ratio_text > 2:
        lines.append(
            f"Within 2x from the text means at most {target:.3f} ms a flow: {ours_text - target:.3f} ms a flow remain to cut."
        )
    if paired:
        median, low, high = paired[len(paired) // 2], paired[len(paired) // 4], paired[3 * len(paired) // 4]
        lines += [
            "",
            f"Paired, which is steadier on a shared machine: ours and `connect-flow` take turns, {PAIR_PASSES} passes over the",
            f"six texts each, {len(paired)} times; the median of the {len(paired)} time ratios is **{median:.2f}x** (middle half",
            f"{low:.2f}x to {high:.2f}x; {verdict(median)}).",
        ]
    return lines + render_exports(exports, len(built), ours_text, others)


def render_exports(
    exports: dict[str, list[float]], built_count: int, built_ours: float, built_others: dict[str, dict[str, float]]
) -> list[str]:
    """The comparison on the export-shaped flows, and over all flows (built and exported) together."""
    if not exports or not exports["sccac"]:
        return []
    names = [name for name, _ in export_flows()]
    count = len(exports["sccac"])
    lines = [
        "",
        f"On the {count} export-shaped flows of the tests ({', '.join(f'`{n}`' for n in names)}; wrappers unwrapped",
        "to their Content, the legacy console export left out: no tool reads it), parse + lint from the JSON",
        "text, ours with the kind detected (what `sccac flows lint` does by default), the same timer and turns:",
        "",
        "| linter | exported flows, ms a flow | all flows (built and exported), ms a flow |",
        "|---|---:|---:|",
    ]
    means = {name: statistics.mean(values) for name, values in exports.items()}
    overall = {"sccac": (built_ours * built_count + sum(exports["sccac"])) / (built_count + count)}
    for name in built_others:
        overall[name] = (built_others[name]["text_ms"] * built_count + sum(exports[name])) / (built_count + count)
    for name in means:
        lines.append(f"| `{'sccac flows lint' if name == 'sccac' else name}` | {means[name]:.3f} | {overall[name]:.3f} |")
    fastest = min((n for n in means if n != "sccac"), key=lambda n: means[n])
    fastest_all = min((n for n in overall if n != "sccac"), key=lambda n: overall[n])
    ratio, ratio_all = means["sccac"] / means[fastest], overall["sccac"] / overall[fastest_all]
    lines += [
        "",
        f"On the exported flows lint takes {ratio:.1f}x the time of the fastest, `{fastest}` "
        f"({'within' if ratio <= 2 else 'not within'} 2x); over all {built_count + count} flows "
        f"{ratio_all:.1f}x that of `{fastest_all}` ({'within' if ratio_all <= 2 else 'not within'} 2x).",
    ]
    return lines


def render(
    rows: list[dict[str, Any]],
    has_lint: bool,
    others: dict[str, dict[str, float]],
    exports: dict[str, list[float]] | None = None,
    paired: list[float] | None = None,
) -> str:
    cpu = platform.processor() or platform.machine()
    command = OTHERS_COMMAND if others else COMMAND
    lines = [
        SECTION,
        "",
        f"Command: `{command}` (median CPU time of {REPEATS} rounds, each about 0.25 s of back-to-back calls a figure).",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()};"
        f" load average {os.getloadavg()[0]:.1f} when it ran (a shared machine: compare figures of one run).",
        "",
        "Simulation runs a realistic contact: inbound chat with two session-Lambda failures and",
        "retries; agent transfer to an agent; queue transfer to the preset queue; task with",
        "`queueId`; the transcription module. The 500-block flow is a stress figure (Connect caps",
        "a flow at 250 actions): 99 segments of set attribute, check, retry loop, Lambda (fails",
        "once, then answers), message; its one lint finding is that 250-action limit.",
        "",
    ]
    header = "| flow | actions | steps run | outcome | parse ms | simulate ms | simulations/s |"
    rule = "|---|---:|---:|---|---:|---:|---:|"
    if has_lint:
        header += " lint ms | lints/s | findings |"
        rule += "---:|---:|---:|"
    lines += [header, rule]
    for r in rows:
        line = (
            f"| {r['flow']} | {r['actions']} | {r['steps']} | {r['outcome']} | {r['parse_ms']:.3f} | "
            f"{r['sim_ms']:.3f} | {1000 / r['sim_ms']:,.0f} |"
        )
        if has_lint:
            line += f" {r['lint_ms']:.3f} | {1000 / r['lint_ms']:,.0f} | {r['findings']} |"
        lines.append(line)
    if not has_lint:
        lines += ["", "Lint: `sccac.flows.lint.lint_flow` was not available when this ran; re-run to add it."]
    else:
        lines += render_comparison(rows, others, exports, paired)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()
    rows, has_lint, others = measure()
    linters = other_linters()
    exports = measure_exports(linters) if has_lint and others else {}
    paired = measure_paired(linters["connect-flow"]) if has_lint and "connect-flow" in linters else None
    section = render(rows, has_lint, others, exports, paired)
    print(section)
    if args.write:
        write_section(ROOT / "bench" / "RESULTS.md", SECTION, section)
        print(f"updated {ROOT / 'bench' / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
