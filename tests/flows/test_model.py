"""The flow model writes back exactly what it read: built flows, real exports, odd shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sccac.flows.builders import FlowSettings, build_all
from sccac.flows.model import Flow, FlowFormatError, load_flow, parse_flow

REAL = Path(__file__).parent / "fixtures" / "real"
FLOW_LANGUAGE_FIXTURES = [
    "chat-bot-console-export.json",
    "queue-transfer-describe-wrapper.json",
    "agent-transfer-console-export.json",
    "module-export.json",
]


def _content(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    wrapper = data.get("ContactFlow") or data.get("ContactFlowModule")
    return json.loads(wrapper["Content"]) if wrapper else data


def test_every_parseable_fixture_is_round_tripped() -> None:
    assert sorted(FLOW_LANGUAGE_FIXTURES) == sorted(p.name for p in REAL.glob("*.json") if "legacy" not in p.name)


@pytest.mark.parametrize("name", FLOW_LANGUAGE_FIXTURES)
def test_real_exports_round_trip_losslessly(name: str) -> None:
    path = REAL / name
    flow = load_flow(path)
    # Same JSON value, same key order, absent keys stay absent.
    assert json.dumps(flow.to_dict()) == json.dumps(_content(path))
    assert parse_flow(flow.to_json()) == flow


def test_describe_wrapper_keeps_the_api_type() -> None:
    assert load_flow(REAL / "queue-transfer-describe-wrapper.json").connect_type == "QUEUE_TRANSFER"


def test_describe_module_wrapper_is_unwrapped_with_its_settings() -> None:
    flow = load_flow(REAL / "module-export.json")
    assert flow.is_module and flow.connect_type is None
    assert [t["ReferenceName"] for t in flow.settings["Transitions"]] == ["Success", "Error"]
    assert "Look Up Tier & Points" in flow.by_id  # friendly-name identifier, kept as is


def test_export_quirks_survive_parsing() -> None:
    queue = load_flow(REAL / "queue-transfer-describe-wrapper.json")
    transfer = next(a for a in queue.actions if a.type == "TransferContactToQueue")
    assert "Parameters" not in transfer.to_dict()  # the action had no Parameters key
    assert queue.action("Create Voice Call & Save Call Id").type == "InvokeLambdaFunction"
    chat = load_flow(REAL / "chat-bot-console-export.json")
    only_next = [a for a in chat.to_dict()["Actions"] if set(a["Transitions"]) == {"NextAction"}]
    assert only_next  # Transitions with NextAction and no Errors/Conditions keys
    assert any(a.type == "ConnectParticipantWithLexBot" for a in chat.actions)


def test_legacy_export_is_rejected_with_the_file_name() -> None:
    path = REAL / "chat-disconnect-legacy-export.json"
    with pytest.raises(FlowFormatError) as info:
        load_flow(path)
    assert str(path) in str(info.value) and "legacy" in str(info.value)


def test_built_flows_round_trip(settings: FlowSettings) -> None:
    for built in build_all(settings):
        assert parse_flow(built.flow.to_json()) == built.flow
        assert parse_flow(built.flow.to_json(indent=None)).to_json() == built.flow.to_json()


@pytest.mark.parametrize(
    "action",
    [
        {"Identifier": "a", "Type": "DisconnectParticipant"},
        {"Identifier": "a", "Type": "MessageParticipant", "Parameters": "text", "Transitions": []},
        {"Identifier": "a", "Type": ["odd"], "Transitions": {"Errors": "x", "Conditions": [1]}},
        {"Identifier": "a", "Type": "Loop", "Transitions": {"Conditions": [{"Condition": "Equals"}]}},
    ],
)
def test_malformed_actions_are_kept_verbatim(action: dict) -> None:
    doc = {"Version": "2019-10-30", "StartAction": "a", "Actions": [action]}
    assert Flow.from_dict(doc).to_dict() == doc
