"""Bounded reading of the files users hand to the flow tools (flows, modules, scenarios).

Python's own readers fail in ways a user cannot act on: ``json.loads`` overflows the stack on very
deep nesting and refuses integers past ``sys.get_int_max_str_digits()``, ``\\ud800`` escapes give
strings that cannot be printed, YAML aliases can expand into millions of values, and reading
``/dev/zero`` never ends. Every such input becomes a :class:`DocumentError` saying what is wrong.
"""

from __future__ import annotations

import gc
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import yaml

#: Largest file read (bytes): 16 times Connect's 256,000-character flow content limit, room for
#: a DescribeContactFlow wrapper whose Content string escapes every quote.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Deepest nesting accepted. Real flows nest about 8 levels (Actions[].Transitions.Conditions[].Condition.Operands[]).
MAX_DEPTH = 64
#: Most values (strings, numbers, list items, ...) in one document, counted as a tree, so a YAML
#: alias counts once per use. A 250-block flow has about 10,000.
MAX_VALUES = 200_000


_fast_loads = msgspec.json.Decoder().decode
# What msgspec raises for a text it does not read (UnicodeEncodeError, for a lone surrogate in
# the str, is a ValueError); json.loads then reads it or says why not.
_FAST_REFUSALS = (msgspec.DecodeError, ValueError, RecursionError)

# libyaml's safe loader when PyYAML was built with it: the same documents, about ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentError(ValueError):
    """A file that cannot be read as a document; the message says why (without the file name)."""


def read_text(path: str | Path, limit: int = MAX_FILE_BYTES) -> str:
    """The file's UTF-8 text; at most ``limit`` bytes are read, so endless inputs end too."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise DocumentError(f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise DocumentError(f"cannot read the file: it is larger than {limit // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (Windows editors) is not part of the text
    except UnicodeDecodeError as exc:
        raise DocumentError(f"cannot read the file: it is not UTF-8 text (byte {exc.start + 1})") from None


def parse_json(text: str, what: str = "the file") -> Any:
    """``json.loads`` with every failure as a :class:`DocumentError` and the result checked by :func:`check_tree`.

    Read by msgspec's C reader when it can, as :func:`load_json` does.
    """
    try:
        data = _fast_loads(text)
    except _FAST_REFUSALS:
        return _checked(lambda: json.loads(text), what, "JSON", text)
    if not surely_within_limits(text, data, surrogates_refused=True):
        check_tree(data, what)
    return data


def load_json(text: str) -> Any:
    """What ``json.loads(text)`` gives, read by msgspec's C reader when it can (about half the time:
    lint reads every flow file). What msgspec refuses goes to ``json.loads``, which then gives its own
    value or error: invalid JSON (so the messages stay json's), numbers past a float's range, NaN and
    Infinity, lone surrogates, nesting past msgspec's limit. Where both read a text, they give equal
    values of the same types (tests compare them)."""
    try:
        return _fast_loads(text)
    except _FAST_REFUSALS:
        return json.loads(text)


def parse_yaml(text: str, what: str = "the file") -> Any:
    """``yaml.safe_load`` with every failure as a :class:`DocumentError` and the result checked by :func:`check_tree`."""
    return _checked(lambda: yaml.load(text, Loader=_SAFE_LOADER), what, "YAML")  # noqa: S506 (a safe loader)


def _checked(load: Callable[[], Any], what: str, language: str, json_text: str | None = None) -> Any:
    try:
        data = load()
    except json.JSONDecodeError as exc:
        raise DocumentError(f"{what} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except yaml.YAMLError as exc:
        # PyYAML's messages span lines (the problem, then where); one line reads better after "error:".
        raise DocumentError(f"{what} is not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise DocumentError(f"{what} is nested too deeply to read (more than {MAX_DEPTH} levels are not accepted)") from None
    except ValueError as exc:
        # int("9" * 5000): CPython refuses integers longer than sys.get_int_max_str_digits().
        if "integer string conversion" in str(exc):
            raise DocumentError(
                f"{what} has a number with more than {sys.get_int_max_str_digits()} digits; no flow or scenario value is that long"
            ) from None
        raise DocumentError(f"{what} is not usable {language}: {exc}") from None
    if json_text is None or not surely_within_limits(json_text, data):
        check_tree(data, what)
    return data


# A \uD800-\uDFFF escape in JSON text (a pair of them too: the cheap test only says "maybe").
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def surely_within_limits(text: str, data: Any, *, surrogates_refused: bool = False) -> bool:
    """True when ``data``, read from the JSON ``text``, certainly passes :func:`check_tree`.

    check_tree visits every value in Python, which took half the time of reading a flow. Most
    documents are far from every limit, and that shows from the text in C: each JSON value takes
    at least one character, so a text of at most MAX_VALUES characters holds at most MAX_VALUES
    values; a lone surrogate needs a surrogate character (then the text is not UTF-8 encodable)
    or a surrogate escape in the text; and the nesting shows from the values gathered a level at a
    time in C (:func:`_shallow_tree`). False means "maybe not": check_tree then runs and says
    exactly what is wrong.

    ``surrogates_refused``: the text was read by a reader that refuses lone surrogates, escaped
    or not (msgspec: tests show it), so it holds none and is UTF-8 encodable.
    """
    if not isinstance(text, str) or len(text) > MAX_VALUES:
        return False
    if surrogates_refused:
        return _shallow_tree(data)
    # A one-character test first: CPython finds one character with memchr, dozens of times faster
    # than a two-character substring (most flows have no backslash at all).
    if "\\" in text and "\\u" in text and _SURROGATE_ESCAPE.search(text):
        return False
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return _shallow_tree(data)


# The members of containers, gathered in C: a dict's values, a list's items (their tp_traverse).
_members = gc.get_referents


def _shallow_tree(data: Any) -> bool:
    """True when ``data`` (dicts, lists and scalars, as JSON is read) certainly nests within check_tree's limit."""
    return nests_within([data], MAX_DEPTH - 1)  # ``data`` is at depth 1


def nests_within(values: list[Any], levels: int) -> bool:
    """True when no value below ``values`` (dicts, lists and scalars, as JSON is read) is more than
    ``levels`` levels down: none is found ``levels`` levels down.

    A level at a time, each gathered by one C call: ``gc.get_referents`` of the values at one
    depth gives the values at the next (what a dict's and a list's tp_traverse visit: every value
    in CPython, and at least every container, which the garbage collector needs). Strings,
    numbers, booleans and None give none, so the levels run out past the deepest container. A
    third of the time of telling the nesting from the text's brackets (bytes.translate over every
    character), a tenth of a walk in Python. Not for other objects: an instance of a class of
    Python's visits its class, and so on through the interpreter.
    """
    level = values
    for _ in range(levels):
        level = _members(*level)
        if not level:
            return True
    return False  # values ``levels`` down: check_tree tells whether they are too deep


def check_tree(data: Any, what: str = "the file") -> None:
    """Reject what would crash later: nesting deeper than MAX_DEPTH, more than MAX_VALUES values,
    strings or keys holding lone surrogates (``"\\ud800"``, not Unicode text: printing them fails)."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    seen = 0
    while stack:
        value, depth, where = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise DocumentError(f"{what} holds more than {MAX_VALUES:,} values (YAML aliases count once per use)")
        if depth > MAX_DEPTH:
            raise DocumentError(f"{what} is nested more than {MAX_DEPTH} levels deep (at {where or 'the top'})")
        if isinstance(value, str):
            _check_text(value, where, what)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    _check_text(key, f"a key of {where or 'the top'}", what)
                name = _short(str(key))
                stack.append((item, depth + 1, f"{where}.{name}" if where else name))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                stack.append((item, depth + 1, f"{where}[{index}]"))


def _check_text(text: str, where: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = f"\\u{ord(text[exc.start]):04x}"
        raise DocumentError(
            f"{what} has a lone surrogate ({code}) in a string at {where or 'the top'}: not Unicode text; "
            "write the character itself or a valid surrogate pair"
        ) from None


def _short(name: str) -> str:
    return name if len(name) <= 40 else name[:37] + "..."
