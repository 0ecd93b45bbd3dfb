"""Flow JSON is read by msgspec's C reader where it can: the values and errors must be json.loads's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from sccac.flows.reading import DocumentError, check_tree, load_json, parse_json

# Every JSON value json.dumps can write: huge integers, NaN and infinities (json writes and reads them),
# -0.0, any character including lone surrogates (json writes them as \ud800 escapes, or raw).
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(codec=None))
)
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(st.characters(codec=None), max_size=6), inner, max_size=4),
    max_leaves=20,
)


def _outcome(read: Any, text: str) -> tuple[str, str]:
    # repr tells 1 from 1.0, -0.0 from 0.0, NaN from NaN-less values and shows key order.
    try:
        return "value", repr(read(text))
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


@hypothesis_settings(max_examples=400, deadline=None)
@given(_VALUES, st.booleans(), st.sampled_from([None, 1]))
def test_any_document_reads_as_json_loads_reads_it(value: Any, ascii_only: bool, indent: int | None) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    assert _outcome(load_json, text) == _outcome(json.loads, text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "b": 2, "a": 3}',  # a repeated key: the last value, at the first place
        "[1e400, -1e400, 1e-400, 5e-324, 0.30000000000000004, 1.00000000000000000000000001]",
        "[18446744073709551616, -9223372036854775809, 123456789012345678901234567890]",
        "[NaN, Infinity, -Infinity, -0, -0.0, 1E2, 0e0]",
        '["\\ud800", "\\udc00x", "\\ud83d\\ude00"]',  # lone surrogate escapes, and a pair
        '["\ud800"]',  # a lone surrogate character in the text itself
        "\ufeff[1]",  # a byte-order mark json refuses
        '{"a": [1, 2,]}',
        '{"a": 1} x',
        '{"a": "b',
        "",
        "[" * 5000 + "]" * 5000,  # deeper than either reader goes
        "[1" + "0" * 5000 + "]",  # more digits than Python turns into an int
        ' \t\n[true, false, null] \r\n',
    ],
)
def test_odd_texts_give_json_loads_value_or_error(text: str) -> None:
    assert _outcome(load_json, text) == _outcome(json.loads, text)


def test_invalid_json_is_reported_with_json_line_and_column() -> None:
    with pytest.raises(DocumentError, match=r"the file is not valid JSON \(line 2, column 7: Expecting value\)"):
        parse_json('{"a": 1,\n "b": }')


def _the_long_way(text: str) -> Any:
    """What parse_json answered before msgspec: json.loads, then every value checked."""
    data = json.loads(text)
    check_tree(data, "the file")
    return data


@hypothesis_settings(max_examples=400, deadline=None)
@given(_VALUES, st.booleans())
def test_parse_json_accepts_and_refuses_what_the_long_way_does(value: Any, ascii_only: bool) -> None:
    # Lone surrogates, raw or escaped, are refused with the message naming their place: msgspec
    # refuses them, so parse_json skips its own surrogate search on what msgspec read.
    text = json.dumps(value, ensure_ascii=ascii_only)
    expected: tuple[str, str]
    try:
        expected = "value", repr(_the_long_way(text))
    except DocumentError as exc:
        expected = "refused", str(exc)
    try:
        answer: tuple[str, str] = "value", repr(parse_json(text))
    except DocumentError as exc:
        answer = "refused", str(exc)
    assert answer == expected
