"""The linter on real exports and malformed input: findings, never a crash; kind detection; reports."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from sccac.flows import builders as b
from sccac.flows.builders import FlowKind, FlowSettings
from sccac.flows.lint import INTERNAL_RULE_ID, detect_kind, lint_flow
from sccac.flows.lint.report import FileReport, block_line, render_human, render_sarif
from sccac.flows.model import Flow, load_flow, parse_flow

REAL = Path(__file__).parent / "fixtures" / "real"
PARSEABLE = sorted(p for p in REAL.glob("*.json") if "legacy" not in p.name)


@pytest.mark.parametrize("path", PARSEABLE, ids=[p.name for p in PARSEABLE])
@pytest.mark.parametrize("kind", [None, *FlowKind])
def test_real_fixtures_lint_without_crashing(path: Path, kind: FlowKind | None) -> None:
    result = lint_flow(load_flow(path), kind)
    assert INTERNAL_RULE_ID not in result.rule_ids()


def test_real_chat_flow_findings_are_the_expected_ones() -> None:
    result = lint_flow(load_flow(REAL / "chat-bot-console-export.json"))
    assert result.kind is None
    assert result.rule_ids() == {"SCCAC-FLOW-012"}  # EndFlowExecution in a contact flow


def test_an_ordinary_queue_transfer_flow_is_generic_unless_forced() -> None:
    # An admin's QUEUE_TRANSFER flow with no SCC-AC Routing Lambda (no routingType) is not ours:
    # only the structural rules apply, so it does not fail SCCAC-QUEUE-001.
    flow = load_flow(REAL / "queue-transfer-describe-wrapper.json")
    assert flow.connect_type == "QUEUE_TRANSFER" and detect_kind(flow) is None
    result = lint_flow(flow)
    assert result.kind is None and result.ok
    assert not any(f.rule_id.startswith("SCCAC-QUEUE") for f in result.findings)
    forced = lint_flow(flow, FlowKind.QUEUE_TRANSFER)
    assert forced.kind is FlowKind.QUEUE_TRANSFER
    assert "SCCAC-QUEUE-001" in forced.rule_ids()
    assert "SCCAC-FLOW-025" not in forced.rule_ids()  # the transfer sets the working queue


def test_an_ordinary_agent_transfer_flow_is_generic_unless_forced() -> None:
    # Console export (Metadata.type agentTransfer) with AgentId $.Agent.UserName but a telephony
    # Lambda, not the SCC-AC Routing Lambda: generic; forced, only the routing rule fails.
    flow = load_flow(REAL / "agent-transfer-console-export.json")
    assert flow.connect_type is None and detect_kind(flow) is None
    result = lint_flow(flow)
    assert result.kind is None and result.ok and not result.findings
    forced = lint_flow(flow, FlowKind.AGENT_TRANSFER)
    assert forced.rule_ids() == {"SCCAC-AGENT-001"}


def test_a_module_export_is_linted_as_a_generic_module() -> None:
    flow = load_flow(REAL / "module-export.json")
    assert flow.is_module and detect_kind(flow) is None
    result = lint_flow(flow)
    assert result.kind is None and result.ok and not result.findings


@pytest.mark.parametrize("kind", [FlowKind.AGENT_TRANSFER, FlowKind.QUEUE_TRANSFER])
def test_transfer_flows_need_the_routing_lambda_to_be_scc_ac(settings: FlowSettings, kind: FlowKind) -> None:
    doc = b.BUILDERS[kind](settings).to_dict()
    assert detect_kind(Flow.from_dict(doc)) is kind  # Metadata.type plus a routingType Lambda
    for action in doc["Actions"]:
        if action["Type"] == "InvokeLambdaFunction":
            action["Parameters"]["LambdaInvocationAttributes"].pop("routingType")
    assert detect_kind(Flow.from_dict(doc)) is None
    wrapped = {"ContactFlow": {"Type": kind.name, "Content": json.dumps({**doc, "Metadata": {}})}}
    assert detect_kind(parse_flow(json.dumps(wrapped))) is None


def test_generic_lints_structure_only(settings: FlowSettings) -> None:
    flow = b.build_queue_transfer(settings).to_dict()
    flow["Actions"] = [a for a in flow["Actions"] if a["Type"] != "TransferContactToQueue"]
    broken = Flow.from_dict(flow)
    assert "SCCAC-QUEUE-002" in lint_flow(broken).rule_ids()
    generic = lint_flow(broken, generic=True)
    assert generic.kind is None
    assert generic.rule_ids() and all(f.rule_id.startswith("SCCAC-FLOW-") for f in generic.findings)


def test_kinds_are_detected_from_built_flows(settings: FlowSettings) -> None:
    for built in b.build_all(settings):
        assert detect_kind(built.flow) is built.kind


def _shuffle_values(node: Any, rng: random.Random) -> Any:
    """Replace random values with values of the wrong type (fuzz-ish)."""
    odd = [None, 7, "x", [], {}, [1, "2"], {"a": None}, True, "$.", "", "a" * 60]
    if isinstance(node, dict):
        return {k: (rng.choice(odd) if rng.random() < 0.15 else _shuffle_values(v, rng)) for k, v in node.items()}
    if isinstance(node, list):
        return [rng.choice(odd) if rng.random() < 0.1 else _shuffle_values(v, rng) for v in node]
    return node


@pytest.mark.parametrize("seed", range(60))
def test_fuzzed_flows_never_crash_a_rule(settings: FlowSettings, seed: int) -> None:
    rng = random.Random(seed)
    kind = list(FlowKind)[seed % len(FlowKind)]
    doc = _shuffle_values(copy.deepcopy(b.BUILDERS[kind](settings).to_dict()), rng)
    doc["Actions"] = [a for a in doc.get("Actions", []) if isinstance(a, dict)] if isinstance(doc.get("Actions"), list) else []
    flow = Flow.from_dict(doc)
    for as_kind in (None, kind):
        result = lint_flow(flow, as_kind)
        assert INTERNAL_RULE_ID not in result.rule_ids(), [f.message for f in result.findings if f.rule_id == INTERNAL_RULE_ID]


@pytest.mark.parametrize(
    "doc",
    [
        {"Actions": []},
        {"Version": "2019-10-30", "StartAction": 5, "Actions": [{}]},
        {"Version": "2019-10-30", "StartAction": "a", "Actions": [{"Identifier": "a", "Type": "Loop", "Parameters": [], "Transitions": "x"}]},
        {"Version": "2019-10-30", "StartAction": "a", "Actions": [{"Identifier": "a", "Type": "InvokeLambdaFunction", "Parameters": {"ResponseValidation": "JSON", "LambdaInvocationAttributes": [1]}}]},
        {"Version": "2019-10-30", "StartAction": "a", "Metadata": "odd", "Actions": [{"Identifier": "a", "Type": "Compare", "Transitions": {"NextAction": {"x": 1}, "Errors": [{"ErrorType": 3}]}}]},
    ],
)
def test_malformed_documents_give_findings_not_crashes(doc: dict) -> None:
    result = lint_flow(Flow.from_dict(doc))
    assert INTERNAL_RULE_ID not in result.rule_ids()
    assert result.errors


def test_block_line_finds_the_identifier_in_pretty_and_wrapped_files(settings: FlowSettings) -> None:
    text = b.build_inbound_chat(settings).to_json()
    line = block_line(text, b.ID_TRANSFER)
    assert f'"Identifier": "{b.ID_TRANSFER}"' in text.splitlines()[line - 1]
    wrapped = (REAL / "queue-transfer-describe-wrapper.json").read_text(encoding="utf-8")
    assert block_line(wrapped, "Create Voice Call & Save Call Id") == 10  # the Content line
    assert block_line(text, "no such block") == 1


def test_human_and_sarif_reports_name_file_rule_and_line(settings: FlowSettings) -> None:
    doc = b.build_task_routing(settings).to_dict()
    doc["Actions"] = [a for a in doc["Actions"] if a["Identifier"] != b.ID_FALLBACK_QUEUE]
    text = json.dumps(doc, indent=2)
    flow = parse_flow(text)
    report = FileReport("task.json", text, lint_flow(flow))
    human = render_human([report])
    assert f"task.json: error SCCAC-FLOW-007 [{b.ID_CHECK_QUEUE_ID}]" in human and "(fix: " in human
    assert human.strip().splitlines()[-1].startswith("1 file(s) linted:")
    sarif = json.loads(render_sarif([report]))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SCCAC-FLOW-007")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert b.ID_CHECK_QUEUE_ID in text.splitlines()[region["startLine"] - 1]


def test_sarif_uris_are_repo_relative_posix_and_percent_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sccac.flows.files import lint_file
    from sccac.flows.lint.report import artifact_location

    repo = tmp_path / "repo"
    folder = repo / "flows dir"
    folder.mkdir(parents=True)
    odd = folder / "a#b c%.json"
    odd.write_text((REAL / "chat-bot-console-export.json").read_text())
    outside = tmp_path / "elsewhere" / "x y.json"
    outside.parent.mkdir()
    outside.write_text(odd.read_text())
    monkeypatch.chdir(repo)

    expected = {"uri": "flows%20dir/a%23b%20c%25.json", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("flows dir/a#b c%.json") == expected
    assert artifact_location("./flows dir/../flows dir/a#b c%.json") == expected
    assert artifact_location(str(odd)) == expected  # absolute inside the working directory
    far = artifact_location(str(outside))
    assert far == {"uri": outside.as_uri()} and far["uri"].startswith("file:///") and "x%20y.json" in far["uri"]
    assert artifact_location("../elsewhere/x y.json") == far

    sarif = json.loads(render_sarif([lint_file(Path("flows dir/a#b c%.json")), lint_file(outside)]))
    run = sarif["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert expected in locations and far in locations
