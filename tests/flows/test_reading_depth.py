"""The quick nesting check (values gathered a level at a time in C) agrees with the tree: it never
says "within the limit" for a document check_tree refuses, and it says so for every usual one,
whichever reader made the values and whatever the strings hold (brackets, quotes, escapes)."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from sccac.flows import builders as b
from sccac.flows.builders import FlowSettings
from sccac.flows.files import EXAMPLE_SETTINGS
from sccac.flows.reading import MAX_DEPTH, DocumentError, _shallow_tree, check_tree, parse_json, surely_within_limits

READERS = [json.loads, msgspec.json.Decoder().decode]


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


def _accepted(data: Any) -> bool:
    try:
        check_tree(data)
    except DocumentError:
        return False
    return True


_TEXT = st.text(alphabet='ab[]{}"\\\n/é', max_size=8)
_VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans(), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=10,
)


@hypothesis_settings(max_examples=200, deadline=None)
@given(_VALUES, st.integers(min_value=0, max_value=70), st.sampled_from(["[", "{", "[{", "{[["]), st.sampled_from(READERS))
def test_within_only_when_the_tree_is_and_always_well_below_the_limit(inner: Any, levels: int, shapes: str, read: Any) -> None:
    data = read(json.dumps(_nest(inner, levels, shapes), ensure_ascii=False))
    depth = _depth(data)
    if _shallow_tree(data):
        assert depth < MAX_DEPTH and _accepted(data)
    if depth <= MAX_DEPTH - 2:
        assert _shallow_tree(data)  # no walk in Python for a document within the limit by a level


@pytest.mark.parametrize("read", READERS)
def test_the_quick_check_decides_for_the_built_flows_and_near_the_limit(read: Any) -> None:
    for built in b.build_all(FlowSettings(**EXAMPLE_SETTINGS)):
        text = built.flow.to_json()
        assert surely_within_limits(text, read(text))
    for shapes in ("[", "{", "{["):
        assert _shallow_tree(read(json.dumps(_nest(1, MAX_DEPTH - 2, shapes))))
        # At the limit the quick check may leave it to check_tree; parse_json answers as check_tree does.
        at_limit = json.dumps(_nest(1, MAX_DEPTH - 1, shapes))
        assert parse_json(at_limit) == json.loads(at_limit)
        past = json.dumps(_nest(1, MAX_DEPTH, shapes))
        assert not _shallow_tree(read(past))
        with pytest.raises(DocumentError, match=f"nested more than {MAX_DEPTH} levels"):
            parse_json(past)
    # Brackets, quotes and backslashes in strings are not nesting.
    deep_looking = json.dumps({"a": "[" * 100 + '\\"' + "{" * 100, "b": ['"]]]\\']})
    assert surely_within_limits(deep_looking, read(deep_looking))


def test_empty_containers_at_any_depth_count_as_containers() -> None:
    for empty in ([], {}):
        assert not _shallow_tree(_nest(empty, MAX_DEPTH - 1, "["))  # the empty one is at depth MAX_DEPTH
        assert not _accepted(_nest([empty], MAX_DEPTH - 1, "{"))


def test_a_document_nested_past_the_limit_is_refused_by_name() -> None:
    text = json.dumps({"Actions": _nest("x", MAX_DEPTH, "[")})
    with pytest.raises(DocumentError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_json(text, "flow.json")
