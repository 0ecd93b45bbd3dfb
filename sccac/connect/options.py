"""Wiring options from option values: `sccac connect`'s flags and the wire_connect task's options become
:class:`WiringOptions` here, by the same names, with every unreadable value reported at once.

Values arrive typed from click or as text from ``cci task run -o`` (YAML values from cumulusci.yml); a name
the run does not know is left to the caller (the task's own options, such as ``sam_stack``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from sccac.connect.errors import ConnectUsageError
from sccac.connect.run import WiringOptions
from sccac.option_values import Read, read_flag, read_number, read_path, read_text, read_whole

#: Option name -> WiringOptions field, where they differ (the mapping file is `--mapping` / `mapping`, the
#: sccac:project tag's value `--project-tag` / `project_tag`).
_FIELDS = {"mapping": "mapping_path", "project_tag": "project"}

# By the field's annotation (a string: the module uses postponed annotations).
_READERS: dict[str, Callable[[Any], Read]] = {
    "str": read_text, "str | None": read_text, "int": read_whole, "float": read_number, "bool": read_flag,
    "Path": read_path, "Path | None": read_path,
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
