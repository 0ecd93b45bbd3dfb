"""`sccac demo`: run the simulated SCC-AC system end to end and say what happened at each step."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sccac.flows.diagram import DiagramRenderError, to_mermaid, to_svg
from sccac.flows.lint import lint_flow
from sccac.flows.simulator_trace import Trace
from sccac.mappings.reader import read_mapping_file
from sccac.mappings.sides import EXTERNAL_ROUTING, OmniQueue
from sccac.mappings.validate import require_valid
from sccac.offline.system import OfflineConfig, OfflineSystem
from sccac.offline.demo_files import MANIFEST
from sccac.written import record

#: The mapping file the demo starts from unless --mapping names another.
SAMPLE_MAPPING = Path(__file__).with_name("sample_queue_mappings.yaml")

Echo = Callable[[str], None]


@dataclass(frozen=True)
class DemoResult:
    traces: dict[str, Trace]
    lint_findings: int
    files: list[Path]


def _queue_names(system: OfflineSystem) -> dict[str, str]:
    config = system.config
    names = {config.queue_arn(q.connect_queue_name): q.connect_queue_name for q in config.queues if q.connect_queue_name}
    names[config.queue_arn(config.fallback_queue_name)] = f"{config.fallback_queue_name} (fallback)"
    return names


def _outcome(trace: Trace, names: dict[str, str]) -> str:
    outcome = trace.outcome
    if outcome is None:
        return "no outcome"
    text = outcome.describe()
    if outcome.queue in names:
        text = text.replace(outcome.queue, f"'{names[outcome.queue]}'")
    return text


def _write(path: Path, text: str, files: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    files.append(path)


def _author_flows(system: OfflineSystem, out: Path, echo: Echo, files: list[Path], svg: bool) -> int:
    echo("1. Contact flows: build, lint, draw")
    findings = 0
    for kind, built in system.flows.items():
        _write(out / "flows" / f"{kind.value}.json", built.flow.to_json(), files)
        result = lint_flow(built.flow, kind)
        findings += len(result.findings)
        _write(out / "diagrams" / f"{kind.value}.mmd", to_mermaid(built.flow, built.name), files)
        drawn = "Mermaid"
        if svg:
            try:
                _write(out / "diagrams" / f"{kind.value}.svg", to_svg(built.flow, built.name), files)
                drawn += " + SVG"
            except DiagramRenderError as exc:
                drawn += f" (SVG skipped: {exc})"
        echo(f"   {built.name:<28} {built.connect_type:<15} {len(built.flow.actions):>2} blocks, "
             f"{len(result.findings)} lint findings, drawn as {drawn}")
    return findings


def _run_contacts(system: OfflineSystem, echo: Echo, verbose: bool) -> dict[str, Trace]:
    names = _queue_names(system)
    service = system.service
    assert service is not None
    config = system.config
    traces: dict[str, Trace] = {}

    def show(key: str, title: str, trace: Trace, note: str = "") -> None:
        traces[key] = trace
        calls = ", ".join(f"{c.role or c.function_arn}:{c.status}" for c in trace.lambda_calls) or "none"
        echo(f"   {title}\n      -> {_outcome(trace, names)}; Lambda calls: {calls}{note}")
        if verbose:
            echo("\n".join("         " + line for line in trace.render().splitlines()))

    echo("2. Chat contacts through the inbound flow (real Lambda code, local Interaction Service over HTTP)")
    before = system.salesforce_round_trips
    chat = system.chat("0f6b1c2e-0000-4000-8000-000000000001", {"clientId": "jane@example.com"})
    show("chat", f"chat from jane@example.com, channel routed by Omni-Queue {config.channel_queue}", chat,
         f"; session {chat.attributes.get('workItemId')}; Salesforce round trips: {system.salesforce_round_trips - before}")

    sessions = len(service.sessions())
    retry = system.chat("0f6b1c2e-0000-4000-8000-000000000001", {"clientId": "jane@example.com"})
    show("chat_retry", "the same contact again (Connect retrying the flow)", retry,
         f"; same session: {retry.attributes.get('workItemId') == chat.attributes.get('workItemId')}, "
         f"new sessions: {len(service.sessions()) - sessions}")

    agent = system.transfer_to_agent(chat, "maria.agent")
    show("agent_transfer", "jane's agent transfers the chat to agent maria.agent (agent transfer flow)", agent)
    queue = system.transfer_to_queue(chat, "Billing")
    show("queue_transfer", "jane's agent transfers the chat to the Billing queue (queue transfer flow)", queue)

    service.inject("/api/v1/interactions", status=503, count=2)
    flaky = system.chat("0f6b1c2e-0000-4000-8000-000000000002")
    show("chat_recovers", "Salesforce answers 503 twice, then recovers", flaky)

    service.inject("/api/v1/interactions", status=503, count=50)
    down = system.chat("0f6b1c2e-0000-4000-8000-000000000003")
    show("chat_salesforce_down", f"Salesforce keeps failing ({config.retry_count} attempts)", down)
    service.faults.clear()

    echo("3. Case unified routing: task contacts through the task-routing flow")
    for key, case_id, owner, label in (
        ("case_mapped", "500000000000001AAA", config.omni_queue("SCCAC_Billing").omni_queue_id, "Case assigned to Omni-Queue SCCAC_Billing (mapped)"),
        ("case_unmapped", "500000000000002AAA", config.omni_queue("SCCAC_Back_Office").omni_queue_id, "Case assigned to Omni-Queue SCCAC_Back_Office (not mapped)"),
        ("case_user", "500000000000003AAA", "005000000000001AAA", "Case assigned directly to a user"),
    ):
        trace = system.case_task(case_id, owner)
        queue_id = trace.attributes.get("queueId")
        show(key, label, trace, f"; queueId attribute {'set' if queue_id else 'absent'}")
    return traces


BOT_CHAT_CONTACT = "0f6b1c2e-0000-4000-8000-0000000000b1"
BOT_CHAT_MESSAGES = 6


def _bot_only_chat(system: OfflineSystem, echo: Echo) -> list[str]:
    """A chat only the bot answered ends: ContactDisconnected copies its transcript into the org."""
    echo("3b. A bot-only chat ends: ContactDisconnected sends its transcript to the offline org")
    chat = system.bot_only_chat(BOT_CHAT_CONTACT, BOT_CHAT_MESSAGES)
    echo(f"   chat {chat.contact_id}: {BOT_CHAT_MESSAGES} customer/bot messages, no agent; transcript "
         f"{chat.result.get('transcript', '?')}")
    echo(f"      -> {chat.status}: {len(chat.history)} history entries in the org's conversation "
         f"({chat.result.get('batchesSent', 0)} conversationHistory requests)")
    again = system.bot_only_chat(BOT_CHAT_CONTACT, BOT_CHAT_MESSAGES)
    echo(f"   the event delivered again: {again.status}, {again.result.get('entriesSent', 0)} entries sent twice")
    problems = []
    if chat.status != "SUCCESS" or len(chat.history) != BOT_CHAT_MESSAGES:
        problems.append(f"bot_only_chat: expected SUCCESS and {BOT_CHAT_MESSAGES} history entries in the org, "
                        f"got {chat.status} and {len(chat.history)}")
    if again.status != "ALREADY_SENT" or len(again.history) != BOT_CHAT_MESSAGES:
        problems.append(f"bot_only_chat: a second delivery must send nothing (got {again.status}, "
                        f"{len(again.history)} entries)")
    return problems


def _run_offers(echo: Echo) -> list[str]:
    """Agents in Connect, offers in Salesforce: a fresh contact center, so earlier contacts do not queue first."""
    echo("4. Offers: Connect picks the agent, Omni-Channel shows the offer as AgentWork")
    problems: list[str] = []
    with OfflineSystem() as system:
        def work(work_item: str) -> str:
            names = {system.salesforce_user_id(a.name): a.name for a in system.staffing.agents}
            return ", ".join(f"{names.get(w.user_id, w.user_id)} {w.status}" for w in system.org.work_for(work_item)) or "none"

        for agent in system.staffing.agents:
            echo(f"   agent {agent.name}: Connect user {agent.connect_user} ({agent.routing_profile}) = Salesforce user {agent.salesforce_user}")
        chat = system.chat("0f6b1c2e-0000-4000-8000-0000000000d1", {"clientId": "ann@example.com"})
        session = chat.attributes.get("workItemId", "")
        echo(f"   ann's chat waits in Support with every agent offline; AgentWork: {work(session)}")
        system.set_agent_status("maria", "Available")
        system.set_agent_status("li", "Available")
        echo(f"   maria, then li go Available: the chat goes to maria (idle longest); AgentWork: {work(session)}")
        system.decline(chat.contact_id)
        echo(f"   maria declines: the chat goes to li; AgentWork: {work(session)}")
        system.accept(chat.contact_id)
        echo(f"   li accepts: AgentWork: {work(session)}; PendingServiceRouting left: {session in system.org.psrs}")
        system.set_agent_status("sam", "Available")
        system.case_task("500000000000004AAA", system.config.omni_queue("SCCAC_Billing").omni_queue_id)
        echo(f"   Case on SCCAC_Billing: task contact in Billing, AgentWork: {work('500000000000004AAA')}")
        if work(session) != "maria Declined, li Opened":
            problems.append(f"offers: expected maria Declined, li Opened for the chat, got {work(session)}")
        if work("500000000000004AAA") != "sam Assigned":
            problems.append(f"offers: expected the Case offered to sam, got {work('500000000000004AAA')}")
    return problems


def _expect(traces: dict[str, Trace], system: OfflineSystem) -> list[str]:
    """The demo's own acceptance: what a user would check by reading the output."""
    config = system.config
    support = config.queue_arn("Support")
    billing = config.queue_arn("Billing")
    fallback = config.queue_arn(config.fallback_queue_name)
    expected = {
        "chat": support, "chat_retry": support, "chat_recovers": support, "queue_transfer": billing,
        "case_mapped": billing, "case_unmapped": fallback, "case_user": fallback,
    }
    problems = []
    for key, queue in expected.items():
        outcome = traces[key].outcome
        if outcome is None or outcome.queue != queue:
            problems.append(f"{key}: expected a transfer to {queue}, got {outcome.describe() if outcome else 'none'}")
    agent = traces["agent_transfer"].outcome
    if agent is None or agent.queue_kind != "agent" or agent.queue != "maria.agent":
        problems.append("agent_transfer: expected a transfer to the agent queue of maria.agent")
    if any(c.parameters.get("routingType") != "Transfer" for c in traces["agent_transfer"].lambda_calls + traces["queue_transfer"].lambda_calls):
        problems.append("transfers: the Routing Lambda must be called with routingType=Transfer")
    down = traces["chat_salesforce_down"].outcome
    if down is None or down.kind.value != "disconnected":
        problems.append("chat_salesforce_down: expected the contact to be disconnected")
    return problems


class _EchoHandler(logging.Handler):
    def __init__(self, echo: Echo) -> None:
        super().__init__()
        self._echo = echo

    def emit(self, record: logging.LogRecord) -> None:
        self._echo(f"         lambda log: {record.getMessage()}")


@contextmanager
def _lambda_logs(echo: Echo, verbose: bool) -> Iterator[None]:
    """Show the Lambdas' own log lines inside the trace (verbose) or keep them out of it."""
    lambda_logger = logging.getLogger("sccac.lambdas")
    handler: logging.Handler = _EchoHandler(echo) if verbose else logging.NullHandler()
    saved = lambda_logger.propagate
    lambda_logger.addHandler(handler)
    lambda_logger.propagate = False
    try:
        yield
    finally:
        lambda_logger.removeHandler(handler)
        lambda_logger.propagate = saved


def _mapping(path: Path, echo: Echo) -> OfflineConfig:
    """Read and check the mapping file against the offline org's Omni-Queues; stop with every problem."""
    base = OfflineConfig()
    mapping = read_mapping_file(path)
    omni_queues = {q.developer_name: OmniQueue(q.omni_queue_id, q.developer_name, q.developer_name,
                                               "SCCAC_External_Routing", EXTERNAL_ROUTING) for q in base.queues}
    warnings = require_valid(mapping, omni_queues)
    echo(f"0. Mapping file {path}: {len(mapping.entries)} mappings valid against the offline org's Omni-Queues")
    for problem in warnings:
        echo(f"   {problem}")
    return base.with_mapping(mapping)


def _show_wiring(system: OfflineSystem, echo: Echo) -> None:
    assert system.wiring is not None
    echo("   Connect wiring plan (sccac connect plan):")
    for line in system.wiring.plan:
        echo(f"     {line}")
    echo(f"   applied: {system.wiring.summary}; the contacts below run through the flows as the instance holds them")


def run_demo(out: Path, echo: Echo = print, verbose: bool = False, svg: bool = True,
             mapping: Path = SAMPLE_MAPPING) -> DemoResult:
    files: list[Path] = []
    config = _mapping(mapping, echo)
    with OfflineSystem(config) as system, _lambda_logs(echo, verbose):
        echo(f"sccac offline demo: Connect instance {system.config.instance_arn} (simulated), "
             f"Salesforce org {system.config.org_id} (local Interaction Service at {system.service.base_url if system.service else '?'})")
        _show_wiring(system, echo)
        findings = _author_flows(system, out, echo, files, svg)
        traces = _run_contacts(system, echo, verbose)
        _write(out / "traces.json", json.dumps({k: t.to_dict() for k, t in traces.items()}, indent=2) + "\n", files)
        problems = _expect(traces, system)
        problems += _bot_only_chat(system, echo)
        problems += _run_offers(echo)
    record(out, files, MANIFEST)  # before any verdict: a re-run may replace these, and only these
    echo(f"5. Wrote {len(files)} files under {out}/ (flows/, diagrams/, traces.json)")
    if findings:
        problems.append(f"the generated flows have {findings} lint findings")
    if problems:
        raise RuntimeError("the offline system did not behave as expected:\n  " + "\n  ".join(problems))
    echo("All contacts ended where SCC-AC says they should.")
    return DemoResult(traces=traces, lint_findings=findings, files=files)
