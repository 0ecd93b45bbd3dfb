"""Lint reads flow text with read_flow_for_lint: the flow parse_flow reads (or its error), but for key order.

The usual flow is decoded by msgspec straight into the model's branches and transition sets; every
other text goes through parse_flow. Both must give the same flow for every text: the same values,
block classes, unknown keys and presence flags, and the same error message for a text that is no flow.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from sccac.flows import builders as b
from sccac.flows import model
from sccac.flows.files import EXAMPLE_SETTINGS, lint_text
from sccac.flows.lint.engine import lint_flow
from sccac.flows.model import Flow, FlowFormatError, parse_flow, read_flow_for_lint
from sccac.flows.reading import MAX_DEPTH
from tests.flows.damage import damaged, json_paths
from tests.flows.test_lint_findings_unchanged import _VALUES as ODD_VALUES
from tests.flows.test_reading_json import _VALUES as ANY_JSON

HERE = Path(__file__).parent
BUILT = [built.flow.to_dict() for built in b.build_all(b.FlowSettings(**EXAMPLE_SETTINGS))]
FILES = sorted(path for path in HERE.rglob("*.json") if path.name != "lint_findings.json")


def _shape(flow: Flow) -> Any:
    """Everything the model holds but key order (sort_keys; NaN written as NaN compares equal)."""
    blocks = [(type(a).__name__, a.parameters_present, a.transitions_present) for a in flow.actions]
    return json.dumps([flow.to_dict(), blocks, flow.connect_type], sort_keys=True)


def _outcome(read: Any, text: str) -> tuple[str, Any]:
    try:
        return "flow", _shape(read(text, "flow.json"))
    except FlowFormatError as exc:
        return "error", str(exc)


def _same(text: str) -> tuple[str, Any]:
    fast = _outcome(read_flow_for_lint, text)
    assert fast == _outcome(parse_flow, text)
    return fast


def test_the_built_flows_are_read_without_parse_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {json.dumps(doc): _outcome(parse_flow, json.dumps(doc)) for doc in BUILT}

    def refuse(*_: Any, **__: Any) -> Flow:
        raise AssertionError("the usual flow went through parse_flow")

    monkeypatch.setattr(model, "parse_flow", refuse)
    for text, outcome in expected.items():
        assert _outcome(read_flow_for_lint, text) == outcome


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(HERE).as_posix())
def test_every_flow_file_reads_alike(path: Path) -> None:
    _same(path.read_text(encoding="utf-8"))


def test_damaged_flows_read_alike_and_lint_alike() -> None:
    rng = random.Random(7)
    outcomes = set()
    for _ in range(600):
        doc = damaged(rng, rng.choice(BUILT), ODD_VALUES)
        text = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
        outcome = _same(text)
        outcomes.add(outcome[0])
        if outcome[0] == "flow" and rng.random() < 0.2:
            expected = lint_flow(parse_flow(text), text_chars=len(text)).findings
            assert lint_text(text).findings == expected
    assert outcomes == {"flow", "error"}  # the damage reaches both answers


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.sampled_from(BUILT), st.data(), ANY_JSON)
def test_any_value_anywhere_reads_alike(doc: Any, data: st.DataObject, value: Any) -> None:
    doc = json.loads(json.dumps(doc))
    path = data.draw(st.sampled_from(json_paths(doc)[1:]))
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    _same(json.dumps(doc))


def _nested(levels: int) -> Any:
    value: Any = "x"
    for index in range(levels):
        value = [value] if index % 2 else {"k": value}
    return value


@pytest.mark.parametrize("levels", [MAX_DEPTH - 5, MAX_DEPTH - 4, MAX_DEPTH - 3, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH])
@pytest.mark.parametrize("where", ["Parameters", "Metadata", "Settings", "Operand"])
def test_nesting_near_the_limit_reads_alike(levels: int, where: str) -> None:
    doc = json.loads(json.dumps(BUILT[1]))
    if where == "Parameters":
        doc["Actions"][0]["Parameters"]["Deep"] = _nested(levels)
    elif where == "Operand":
        loop = next(a for a in doc["Actions"] if a["Type"] == "Loop")
        loop["Transitions"]["Conditions"][0]["Condition"]["Operands"] = [_nested(levels)]
    else:
        doc[where] = {"Deep": _nested(levels)}
    answer, _ = _same(json.dumps(doc))
    if levels >= MAX_DEPTH - 1:
        assert answer == "error"  # past the limit wherever it starts (Metadata at level 2 and deeper)


@pytest.mark.parametrize(
    "text",
    [
        '{"Version": "2019-10-30", "Actions": [], "Extra": 1}',
        '{"Version": 2019, "StartAction": 5, "Actions": [{"Identifier": ["a"], "Type": null, "Parameters": [], "Transitions": []}]}',
        '{"Version": "2019-10-30", "Actions": [{"Identifier": "a", "Transitions": {"Errors": [{"ErrorType": "E", "Note": 1}]}}]}',
        '{"Version": "2019-10-30", "Actions": [{"Identifier": "a", "Transitions": {"Conditions": [{"Condition": null}]}}]}',
        '{"Version": "2019-10-30", "Actions": [{"Identifier": "a", "Transitions": {"Conditions": [{}], "Errors": null}}]}',
        '{"Version": "2019-10-30", "Actions": [{"Identifier": "a", "Identifier": "b", "Parameters": {"A": 1, "A": 2}}]}',
        '{"Version": "2019-10-30", "Actions": [{"Identifier": "\\ud800"}]}',
        '{"Version": "2019-10-30", "Actions": [{"Identifier": "a", "Parameters": {"N": 1e400, "M": 123456789012345678901234567890}}]}',
        '{"Version": "2019-10-30", "Actions": [{"Identifier": "a", "Parameters": {"T": "' + "x" * 200_001 + '"}}]}',
        '{"Version": "2019-10-30"}',
        '{"modules": [], "start": "a"}',
        "[]",
        "{",
    ],
)
def test_odd_texts_read_alike(text: str) -> None:
    _same(text)
