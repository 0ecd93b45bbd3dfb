"""Rule metadata (description, help link) in the docs and SARIF; ignoring rules by id prefix; the
content-size bound that spares lint from serialising every flow."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from sccac.flows import builders as b
from sccac.flows.builders import FlowKind, FlowSettings
from sccac.flows.cli import flows
from sccac.flows.files import EXAMPLE_SETTINGS, lint_text
from sccac.flows.lint import INTERNAL_RULE_ID, RULES, lint_flow
from sccac.flows.lint.findings import REPOSITORY_URL
from sccac.flows.lint.report import FileReport, render_sarif
from sccac.flows.lint.rules_doc import BEGIN, END, rules_table
from sccac.flows.lint.size import exact, text_bound, upper_bound
from sccac.flows.model import MAX_CONTENT_CHARS, Flow, load_flow, parse_flow

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "flows.md"
REAL = Path(__file__).parent / "fixtures" / "real"


def _doc(settings: FlowSettings, kind: FlowKind) -> dict[str, Any]:
    return copy.deepcopy(b.BUILDERS[kind](settings).to_dict())


def _two_unmarked_blocks(settings: FlowSettings) -> dict[str, Any]:
    """The queue-transfer flow with isFriendlyName dropped from two blocks: SCCAC-DESIGNER-003 twice."""
    doc = _doc(settings, FlowKind.QUEUE_TRANSFER)
    for ident in (b.ID_TRANSFER, b.ID_ROUTING_LAMBDA):
        doc["Metadata"]["ActionMetadata"][ident].pop("isFriendlyName")
    return doc


def _designer_blocks(doc: dict[str, Any]) -> set[str | None]:
    return {f.block for f in lint_flow(Flow.from_dict(doc), FlowKind.QUEUE_TRANSFER).findings if f.rule_id == "SCCAC-DESIGNER-003"}


# --- rule metadata ---------------------------------------------------------------------------


def test_sarif_carries_each_rules_description_and_help_link_to_its_docs_row() -> None:
    sarif = json.loads(render_sarif([FileReport("flow.json", "{}", lint_flow(Flow.from_dict({"Version": "2019-10-30", "Actions": []})))]))
    described = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    docs = DOCS.read_text(encoding="utf-8")
    assert set(RULES) | {INTERNAL_RULE_ID} == set(described)
    for rule_id, entry in described.items():
        anchor = rule_id.lower()
        assert entry["helpUri"] == f"{REPOSITORY_URL}/blob/main/docs/flows.md#{anchor}"
        assert f'<a id="{anchor}"></a>' in docs, f"{rule_id}: its help link points to no anchor in docs/flows.md"
        if rule_id in RULES:
            assert entry["fullDescription"]["text"] == RULES[rule_id].description


def test_help_links_use_the_repository_named_in_pyproject() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls["Repository"] == REPOSITORY_URL
    assert urls["Documentation"].startswith(REPOSITORY_URL) and urls["Issues"].startswith(REPOSITORY_URL)


def test_docs_rules_table_lists_every_rule_with_its_description_as_the_registry_writes_it() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    table = docs[docs.index(BEGIN) + len(BEGIN):docs.index(END)].strip("\n") + "\n"
    assert table == rules_table(), "docs/flows.md is stale: run python -m sccac.flows.lint.rules_doc docs/flows.md"
    rows = {line.split("`")[1]: line for line in table.splitlines()[2:]}
    assert set(rows) == set(RULES)
    for rule in RULES.values():
        assert f"| {rule.description} |" in rows[rule.rule_id]
        assert len(rule.description) > 30, f"{rule.rule_id}: the description should say why the rule exists"


def test_a_rule_without_a_description_is_refused_at_registration() -> None:
    from sccac.flows.lint.findings import rule

    with pytest.raises(ValueError, match="SCCAC-TEST-001.*docstring"):
        rule("SCCAC-TEST-001", "error", "A title", "A fix.")(lambda ctx: iter(()))
    assert "SCCAC-TEST-001" not in RULES


# --- ignoring rules by prefix ----------------------------------------------------------------


def test_library_ignores_rules_by_case_insensitive_id_prefix(settings: FlowSettings) -> None:
    doc = _two_unmarked_blocks(settings)
    doc["Actions"][0]["Identifier"] = "x" * 60  # and SCCAC-FLOW-004, which no prefix below matches
    flow = Flow.from_dict(doc)
    assert {"SCCAC-DESIGNER-003", "SCCAC-FLOW-004"} <= lint_flow(flow, FlowKind.QUEUE_TRANSFER).rule_ids()
    ignored = lint_flow(flow, FlowKind.QUEUE_TRANSFER, ignore_rules=["sccac-designer"])
    assert "SCCAC-DESIGNER-003" not in ignored.rule_ids()
    assert "SCCAC-FLOW-004" in ignored.rule_ids()


def test_flow_metadata_ignores_a_rule_for_the_whole_flow(settings: FlowSettings) -> None:
    doc = _two_unmarked_blocks(settings)
    doc["Metadata"]["sccac"] = {"ignoreRules": ["SCCAC-DESIGNER-00"]}
    assert _designer_blocks(doc) == set()


def test_block_metadata_ignores_a_rule_for_that_block_only(settings: FlowSettings) -> None:
    doc = _two_unmarked_blocks(settings)
    doc["Metadata"]["ActionMetadata"][b.ID_TRANSFER]["sccac"] = {"ignoreRules": ["SCCAC-DESIGNER-003"]}
    assert _designer_blocks(doc) == {b.ID_ROUTING_LAMBDA}


@pytest.mark.parametrize(
    ("settings_value", "message"),
    [
        ({"ignoreRules": "SCCAC-DESIGNER"}, "not a list of rule-id prefixes"),
        ({"ignoreRules": ["SCCAC-DESIGNR"]}, "'SCCAC-DESIGNR' matches no lint rule"),
        ("SCCAC-DESIGNER", "is not an object"),
    ],
)
def test_unreadable_metadata_settings_are_reported_and_ignore_nothing(settings: FlowSettings, settings_value: Any, message: str) -> None:
    doc = _two_unmarked_blocks(settings)
    doc["Metadata"]["sccac"] = settings_value
    result = lint_flow(Flow.from_dict(doc), FlowKind.QUEUE_TRANSFER)
    assert [f.message for f in result.findings if f.rule_id == "SCCAC-FLOW-029" and message in f.message]
    assert "SCCAC-DESIGNER-003" in result.rule_ids()


def test_linter_failures_are_never_ignored(settings: FlowSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    from sccac.flows.lint import engine

    def broken(ctx: Any) -> Any:
        raise RuntimeError("boom")
        yield  # a generator, as rules are

    rule = RULES["SCCAC-FLOW-001"]
    monkeypatch.setitem(RULES, "SCCAC-FLOW-001", type(rule)(**{**rule.__dict__, "check": broken}))
    engine._RULES_FOR.clear()
    try:
        result = lint_flow(b.BUILDERS[FlowKind.QUEUE_TRANSFER](settings), ignore_rules=["SCCAC-LINT", "SCCAC-FLOW-002"])
        assert INTERNAL_RULE_ID in result.rule_ids()
    finally:
        engine._RULES_FOR.clear()


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "queue_transfer.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_cli_ignore_rules_option_is_repeatable_and_refuses_a_prefix_matching_no_rule(settings: FlowSettings, tmp_path: Path) -> None:
    doc = _doc(settings, FlowKind.QUEUE_TRANSFER)
    doc["Version"] = "2020-01-01"  # SCCAC-FLOW-001, an error
    doc["Metadata"]["ActionMetadata"][b.ID_TRANSFER].pop("isFriendlyName")  # SCCAC-DESIGNER-003, a warning
    path = _write(tmp_path, doc)

    failed = CliRunner().invoke(flows, ["lint", str(path)])
    assert failed.exit_code == 1 and "SCCAC-FLOW-001" in failed.output
    passed = CliRunner().invoke(flows, ["lint", str(path), "--ignore-rules", "SCCAC-FLOW-001", "--ignore-rules", "sccac-designer"])
    assert passed.exit_code == 0, passed.output
    assert "SCCAC-FLOW-001" not in passed.output and "SCCAC-DESIGNER-003" not in passed.output

    typo = CliRunner().invoke(flows, ["lint", str(path), "--ignore-rules", "SCCAC-FLOW-0001"])
    assert typo.exit_code == 2
    assert "--ignore-rules" in typo.output and "'SCCAC-FLOW-0001' matches no lint rule" in typo.output


# --- content size ----------------------------------------------------------------------------

_TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["\x00\x01\x1f", "\"\\", "é€😀", "\ud800", "\u2028"]))
_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=15,
)
_BUILT = [built.flow.to_dict() for built in b.build_all(FlowSettings(**EXAMPLE_SETTINGS))]


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_BUILT), st.lists(st.tuples(st.integers(min_value=0), _TEXT, _VALUES), min_size=1, max_size=4))
def test_the_size_bound_is_never_below_the_exact_size(base: dict[str, Any], additions: list[tuple[int, str, Any]]) -> None:
    doc = copy.deepcopy(base)
    for index, key, value in additions:
        # Values anywhere lint reads them: a block's parameters, its extra keys, the flow's Metadata.
        target = [doc["Actions"][index % len(doc["Actions"])]["Parameters"], doc["Actions"][index % len(doc["Actions"])],
                  doc.setdefault("Metadata", {})][index % 3]
        target[key or "k"] = value
    flow = Flow.from_dict(doc)
    bound = upper_bound(flow)
    assert bound is None or bound >= exact(flow)


# What makes the compact JSON longer than the text it was read from: short numbers written long,
# a Version that is not a string (kept as its str(), where Python escapes characters it cannot
# print), keys the model adds for absent ones.
# Many of them, so that they and not the rest of the flow make the size.
_LONGER = st.tuples(st.sampled_from([1e15, 1e22, -0.0, "\U000e0001", "\u200b", "\x85", {"a": [1e15, "\U000e0001"]}]),
                    st.integers(min_value=1, max_value=3000)).map(
    lambda pair: [pair[0] * pair[1]] if isinstance(pair[0], str) else [pair[0]] * pair[1])


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_BUILT[:1]), st.lists(st.tuples(st.integers(min_value=0), _TEXT, st.one_of(_VALUES, _LONGER, _LONGER)),
                                             min_size=1, max_size=4), st.booleans())
def test_the_text_size_bound_is_never_below_the_exact_size(base: dict[str, Any], additions: list[tuple[int, str, Any]], compact: bool) -> None:
    doc = copy.deepcopy(base)
    for index, key, value in additions:
        action = doc["Actions"][index % len(doc["Actions"])]
        branch = (action.get("Transitions", {}).get("Conditions") or [{}])[0]
        where = index % 6
        if where == 3:
            doc["Version"] = value
        elif where == 4:
            branch.setdefault("Condition", {})["Operands"] = value if isinstance(value, (str, list)) else str(value)
        elif where == 5:
            action.pop(key or "Identifier", None)  # the model writes an absent Identifier or Type back
        else:
            [action["Parameters"], action, doc.setdefault("Metadata", {})][where][key or "k"] = value
    try:
        text = json.dumps(doc, separators=(",", ":") if compact else None, ensure_ascii=False)
        flow = parse_flow(text)
    except (ValueError, TypeError):  # NaN, a lone surrogate: no flow to bound
        return
    assert text_bound(flow, len(text)) >= exact(flow)


@pytest.mark.parametrize("where", ["Version", "Parameters"])
def test_the_text_size_bound_holds_where_the_json_grows_most(where: str) -> None:
    doc = copy.deepcopy(next(d for d in _BUILT if any(a["Transitions"].get("Conditions") for a in d["Actions"])))
    if where == "Parameters":
        doc["Actions"][0]["Parameters"]["k"] = "@@"  # written as 1e15, read as 1000000000000000.0
    else:
        doc["Version"] = ["\U000e0001" * 3000]
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).replace('"@@"', "[" + ",".join(["1e15"] * 1000) + "]")
    flow = parse_flow(text)
    assert exact(flow) > (3 if where == "Version" else 1.5) * len(text)  # a case where the JSON grows
    assert text_bound(flow, len(text)) >= exact(flow)


def test_a_flow_near_the_limit_linted_from_its_text_is_measured_exactly() -> None:
    # Connect's content size, not the text's length: an indented text past the limit whose compact
    # JSON is within it has no size finding; one whose compact JSON is past it has the exact size.
    doc = _doc(FlowSettings(**EXAMPLE_SETTINGS), FlowKind.INBOUND_CHAT)
    doc["Metadata"]["sccac"] = {"notes": [[["x"] * 3] * 4000]}
    text = json.dumps(doc, indent=8)
    flow = parse_flow(text)
    assert len(text) > MAX_CONTENT_CHARS >= exact(flow)
    assert "SCCAC-FLOW-006" not in lint_text(text, FlowKind.INBOUND_CHAT).rule_ids()
    doc["Metadata"]["sccac"] = {"notes": "é" * 260_000}
    text = json.dumps(doc, ensure_ascii=True)
    findings = [f for f in lint_text(text, FlowKind.INBOUND_CHAT).findings if f.rule_id == "SCCAC-FLOW-006"]
    assert [f.message for f in findings] == [f"the flow content is {exact(parse_flow(text))} characters; Connect accepts at most {MAX_CONTENT_CHARS}"]


def test_the_size_bound_holds_for_the_real_exports() -> None:
    for path in sorted(REAL.glob("*.json")):
        if "legacy" not in path.name:
            flow = load_flow(path)
            assert (upper_bound(flow) or 0) >= exact(flow), path.name
            assert text_bound(flow, len(path.read_text(encoding="utf-8"))) >= exact(flow), path.name


def _with_text(settings: FlowSettings, text: str) -> Flow:
    doc = _doc(settings, FlowKind.INBOUND_CHAT)
    next(a for a in doc["Actions"] if a["Type"] == "MessageParticipant")["Parameters"]["Text"] = text
    return Flow.from_dict(doc)


def test_an_oversized_flow_is_reported_with_its_exact_size(settings: FlowSettings) -> None:
    flow = _with_text(settings, "\x01" * 50_000)  # 300,000 characters as JSON (\u0001 each)
    findings = [f for f in lint_flow(flow, FlowKind.INBOUND_CHAT).findings if f.rule_id == "SCCAC-FLOW-006"]
    assert [f.message for f in findings] == [f"the flow content is {exact(flow)} characters; Connect accepts at most {MAX_CONTENT_CHARS}"]


def test_a_flow_near_the_limit_is_measured_exactly_not_by_its_bound(settings: FlowSettings) -> None:
    flow = _with_text(settings, "a" * 240_000)  # the bound passes the limit, the content does not
    assert (upper_bound(flow) or 0) > MAX_CONTENT_CHARS >= exact(flow)
    assert "SCCAC-FLOW-006" not in lint_flow(flow, FlowKind.INBOUND_CHAT).rule_ids()
