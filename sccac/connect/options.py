"""Wiring options from option values: `sccac connect`'s flags and the wire_connect task's options become
:class:`WiringOptions` here, by the same names, with every unreadable value reported at once.

Values arrive typed from click or as text from ``cci task run -o`` (YAML values from cumulusci.yml); a name
the run does not know is left to the caller (the task's own options, such as ``sam_stack``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from sccac.connect.errors import ConnectUsageError
from sccac.connect.run import WiringOptions

#: Option name -> WiringOptions field, where they differ (the mapping file is `--mapping` / `mapping`).
_FIELDS = {"mapping": "mapping_path"}
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, (str, int, float, Path)) and not isinstance(value, bool):
        return str(value).strip(), None
    return None, f"{value!r} is not text"


def _whole(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    text = str(value).strip()
    return (int(text), None) if isinstance(value, str) and text.isascii() and text.isdigit() else (
        None, f"{value!r} is not a whole number")


def _number(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), None
    try:
        return float(str(value).strip()), None
    except ValueError:
        return None, f"{value!r} is not a number"


def _flag(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    text = str(value).strip().lower()
    return (text in _TRUE, None) if text in _TRUE | _FALSE else (None, f"{value!r} is not true or false")


def _path(value: Any) -> tuple[Any, str | None]:
    text, problem = _text(value)
    return (Path(text), None) if problem is None else (None, problem)


# By the field's annotation (a string: the module uses postponed annotations).
_READERS: dict[str, Callable[[Any], tuple[Any, str | None]]] = {
    "str": _text, "str | None": _text, "int": _whole, "float": _number, "bool": _flag, "Path": _path,
}


def wiring_options_from(values: Mapping[str, Any]) -> WiringOptions:
    """WiringOptions from option values by their names (absent, None or "" = the default). Raises
    :class:`ConnectUsageError` naming every value that cannot be read; the run checks the rest (check_options)."""
    known = {f.name: str(f.type) for f in fields(WiringOptions)}
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    for name, given in values.items():
        field = _FIELDS.get(name, name)
        if field not in known or given is None or given == "":
            continue
        value, problem = _READERS[known[field]](given)
        if problem:
            problems.append(f"{name}: {problem}")
        else:
            kwargs[field] = value
    if "instance_id" not in kwargs:
        problems.insert(0, "instance_id: missing: give the Connect instance id, ARN or alias")
    if problems:
        raise ConnectUsageError("; ".join(problems))
    return WiringOptions(**kwargs)
