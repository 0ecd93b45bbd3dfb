"""The shortcuts that make reading and linting a flow fast give the answers of the long way.

Reading: a document that ``surely_within_limits`` passes is one ``check_tree`` accepts, and the
errors for deep, surrogate-holding and oversized documents are still the exact ones. Lint: a rule
is skipped on a flow without the block types it ``needs``; on hundreds of damaged flows (the six
SCC-AC flows and the real exports with values replaced, branches rewired, blocks repeated) the
findings with those skips are the findings of every rule run.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from sccac.flows import builders as b
from sccac.flows.builders import FlowKind, FlowSettings
from sccac.flows.lint import engine, lint_flow
from sccac.flows.model import FlowFormatError, load_flow, parse_flow
from sccac.flows.reading import MAX_DEPTH, MAX_VALUES, DocumentError, check_tree, parse_json, surely_within_limits

from sccac.flows.files import EXAMPLE_SETTINGS as EXAMPLE_VALUES
from tests.flows.damage import damaged

EXAMPLE_SETTINGS = FlowSettings(**EXAMPLE_VALUES)
REAL_FIXTURES = Path(__file__).parent / "fixtures" / "real"
BASES = [built.flow.to_dict() for built in b.build_all(EXAMPLE_SETTINGS)] + [
    load_flow(path).to_dict() for path in sorted(REAL_FIXTURES.glob("*.json")) if "legacy" not in path.name
]


def _nested(levels: int) -> str:
    """A JSON text whose deepest value is at depth ``levels`` (the top object is at depth 1)."""
    return '{"a":' * (levels - 1) + "1" + "}" * (levels - 1)


@pytest.mark.parametrize(
    "text",
    [
        _nested(MAX_DEPTH),
        _nested(MAX_DEPTH + 1),
        "[" * (MAX_DEPTH - 1) + "[]" + "]" * (MAX_DEPTH - 1),
        '{"Text": "\\ud83d\\ude00"}',  # a surrogate pair: one character, accepted
        '{"Text": "\\ud800"}',  # a lone surrogate escape
        '{"Text": "\\\\ud800"}',  # a backslash, then the letters: no surrogate
        '{"Text": "caf\u00e9 \u20ac"}',
        "[" + ",".join(["1"] * (MAX_VALUES // 2 + 1)) + "]",
        "[" + ",".join(["1"] * (MAX_VALUES + 1)) + "]",
    ],
    ids=["at-depth-limit", "past-depth-limit", "empty-at-limit", "surrogate-pair", "lone-surrogate", "escaped-backslash",
         "non-ascii", "long-text", "too-many-values"],
)
def test_the_quick_limit_check_never_passes_what_the_full_check_refuses(text: str) -> None:
    data = json.loads(text)
    try:
        check_tree(data, "the file")
        accepted = True
    except DocumentError:
        accepted = False
    if surely_within_limits(text, data):
        assert accepted
    # parse_json answers as the full check does, with its message.
    if accepted:
        assert parse_json(text) == data
    else:
        with pytest.raises(DocumentError) as raised:
            parse_json(text)
        with pytest.raises(DocumentError) as expected:
            check_tree(data, "the file")
        assert str(raised.value) == str(expected.value)


def test_a_lone_surrogate_written_raw_in_the_text_is_refused_with_its_place() -> None:
    with pytest.raises(FlowFormatError, match=r"lone surrogate \(\\ud800\) in a string at StartAction"):
        parse_flow('{"Version": "2019-10-30", "StartAction": "\ud800", "Actions": []}')


def test_an_ordinary_flow_text_is_known_within_limits_without_the_full_walk() -> None:
    # What makes reading fast: the usual flow never needs check_tree.
    for doc in BASES:
        text = json.dumps(doc, indent=2)
        assert surely_within_limits(text, json.loads(text))


_VALUES: list[Any] = [None, True, 0, 7, 1.5, "", "x", "$.Attributes.", "NoMatchingError", "QueueAtCapacity", "Loop",
                      "ContinueLooping", "UpdateContactTargetQueue", [], {}, ["a"], {"k": 1}]


def _damaged(rng: random.Random, doc: Any) -> Any:
    return damaged(rng, doc, _VALUES)


def test_skipping_rules_for_absent_block_types_changes_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(15)
    docs = [doc for doc in BASES] + [_damaged(rng, rng.choice(BASES)) for _ in range(300)]
    kinds: list[FlowKind | None] = [None, *FlowKind]
    cases = []
    for index, doc in enumerate(docs):
        try:
            flow = parse_flow(json.dumps(doc))
        except FlowFormatError:
            continue
        kind = kinds[index % len(kinds)]
        cases.append((flow, kind, lint_flow(flow, kind).findings))
    skipped = sum(len(engine.rules_with_blocks(kind, None)) - len(engine.rules_with_blocks(kind, _types(flow))) for flow, kind, _ in cases)
    assert skipped > 0  # the comparison below is about rules that were really skipped
    monkeypatch.setattr(engine, "rules_with_blocks", lambda kind, block_types: engine.rules_for(kind))
    for flow, kind, findings in cases:
        assert lint_flow(flow, kind).findings == findings, flow.to_json()


def _types(flow: Any) -> frozenset[str]:
    return frozenset(a.type for a in flow.actions) | {type(a).TYPE for a in flow.actions}


def test_a_rule_that_needs_a_block_type_still_runs_on_a_block_of_that_class_made_with_another_type() -> None:
    # A typed block made in code keeps its class even when its Type says otherwise: the rules that read
    # blocks by class (here SCCAC-FLOW-020 on a Loop) still see it.
    flow = b.BUILDERS[FlowKind.INBOUND_CHAT](EXAMPLE_SETTINGS)
    loop = next(a for a in flow.actions if a.type == "Loop")
    loop.type = "LoopRenamed"
    loop.parameters["LoopCount"] = "1000"
    assert "SCCAC-FLOW-020" in lint_flow(flow).rule_ids()


def test_fixture_files_read_the_same_with_the_quick_check(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(Path(REAL_FIXTURES).glob("*.json"))]
    quick = [_read(text) for text in texts]
    monkeypatch.setattr("sccac.flows.reading.surely_within_limits", lambda text, data, **_: False)
    assert [_read(text) for text in texts] == quick


def _read(text: str) -> str:
    try:
        return parse_flow(text).to_json()
    except FlowFormatError as exc:
        return f"error: {exc}"
