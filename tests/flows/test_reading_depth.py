"""The nesting check from the JSON text's brackets agrees with the tree: never says "within the
limit" for a document nested past it, whatever its strings hold (brackets, quotes, escapes)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings as hypothesis_settings, strategies as st

from sccac.flows import builders as b
from sccac.flows.builders import FlowSettings
from sccac.flows.files import EXAMPLE_SETTINGS
from sccac.flows.reading import MAX_DEPTH, DocumentError, _shallow_text, check_tree, parse_json, surely_within_limits


def _depth(value: Any) -> int:
    """The depth of the deepest container (the top one is 1), 0 for a scalar."""
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _nest(value: Any, levels: int, shapes: str) -> Any:
    for index in range(levels):
        value = [value] if shapes[index % len(shapes)] == "[" else {"k": value}
    return value


_TEXT = st.text(alphabet='ab[]{}"\\\n/é', max_size=8)
_VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=10,
)


@hypothesis_settings(max_examples=150, deadline=None)
@given(_VALUES, st.integers(min_value=0, max_value=70), st.sampled_from(["[", "{", "[{", "{[["]), st.booleans())
def test_the_text_says_within_only_when_the_tree_is(inner: Any, levels: int, shapes: str, indent: bool) -> None:
    data = _nest(inner, levels, shapes)
    text = json.dumps(data, indent=1 if indent else None, ensure_ascii=False)
    if _shallow_text(text):
        assert _depth(data) < MAX_DEPTH
    if surely_within_limits(text, json.loads(text)):
        check_tree(json.loads(text))  # raises DocumentError if the quick answer was wrong


def test_the_text_decides_for_the_built_flows_and_near_the_limit() -> None:
    for built in b.build_all(FlowSettings(**EXAMPLE_SETTINGS)):
        assert _shallow_text(built.flow.to_json())  # no walk of the tree for the usual flow
    for shapes in ("[", "{", "{["):  # exact at the limit, whatever the kinds of brackets
        assert _shallow_text(json.dumps(_nest(1, MAX_DEPTH - 1, shapes)))
        check_tree(_nest(1, MAX_DEPTH - 1, shapes))
        assert not _shallow_text(json.dumps(_nest(1, MAX_DEPTH, shapes)))
    # Brackets in neighbouring strings could pair up as if they were containers: left to the walk.
    assert not _shallow_text(json.dumps(["[", "]", {"k": "}{"}]))
    # Escaped quotes and backslashes do not end strings; brackets in strings are not nesting (the
    # text leaves those to the tree walk).
    assert _shallow_text(json.dumps({"a": 'x\\"y\\', "b": ['"\\"', "\\\\"]}))
    deep_looking = json.dumps({"a": "[" * 100 + '\\"' + "{" * 100, "b": ['"]]]\\']})
    assert not _shallow_text(deep_looking)
    assert surely_within_limits(deep_looking, json.loads(deep_looking))


def test_a_document_nested_past_the_limit_is_refused_by_name() -> None:
    text = json.dumps({"Actions": _nest("x", MAX_DEPTH, "[")})
    try:
        parse_json(text, "flow.json")
    except DocumentError as exc:
        assert f"nested more than {MAX_DEPTH} levels" in str(exc)
    else:
        raise AssertionError("a document nested past the limit was accepted")
