"""Option values as the front ends hand them over: click's typed values, ``cci task run -o`` text, and YAML values
from cumulusci.yml. Read here once, so a value one front end accepts every other accepts too.

Each reader returns ``(value, None)`` or ``(None, what is wrong)``, so a caller can name every bad option at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sccac.flows.text import printable

Read = tuple[Any, str | None]

_YES = {"true", "yes", "1"}
_NO = {"false", "no", "0"}


def shown(value: Any) -> str:
    """A value quoted for an error message; text has its control characters escaped (it may end up in a log line)."""
    return repr(printable(value)) if isinstance(value, str) else repr(value)


def yes_or_no(value: Any) -> bool | None:
    """A yes/no option (None or "" count as no); None when the value is neither."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    return True if text in _YES else False if text in _NO | {""} else None


def read_flag(value: Any) -> Read:
    answer = yes_or_no(value)
    return (answer, None) if answer is not None else (None, f"{shown(value)} is not true or false")


def read_text(value: Any) -> Read:
    if isinstance(value, (str, int, float, Path)) and not isinstance(value, bool):
        return str(value).strip(), None
    return None, f"{shown(value)} is not text"


def read_path(value: Any) -> Read:
    text, problem = read_text(value)
    return (Path(text), None) if problem is None else (None, problem)


def read_whole(value: Any) -> Read:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    text = str(value).strip()
    if isinstance(value, str) and text.isascii() and text.isdigit():
        return int(text), None
    return None, f"{shown(value)} is not a whole number"


def read_number(value: Any) -> Read:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), None
    try:
        return float(str(value).strip()), None
    except ValueError:
        return None, f"{shown(value)} is not a number"


def read_pairs(value: Any) -> Read:
    """NAME=VALUE items: a YAML mapping, a list of items (a repeated flag), or one comma-separated string (-o)."""
    if isinstance(value, Mapping):
        return tuple((str(k).strip(), str(v).strip()) for k, v in value.items()), None
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        return None, f"{shown(value)} is not NAME=VALUE items"
    pairs: list[tuple[str, str]] = []
    bad: list[str] = []
    for item in items:
        name, sep, text = str(item).partition("=")
        if sep and name.strip():
            pairs.append((name.strip(), text.strip()))
        else:
            bad.append(str(item))
    if bad:
        return None, ", ".join(shown(b) for b in bad) + " is not NAME=VALUE"
    return tuple(pairs), None
