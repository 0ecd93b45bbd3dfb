"""Read the mapping file (YAML) into entries, keeping each entry's line for error messages."""

from __future__ import annotations

from pathlib import Path

import yaml

from sccac.mappings.model import MappingEntry, MappingFile, MappingFileError, Problem
from sccac.salesforce.validation import DEVELOPER_NAME_RE

#: A mapping file is a few kilobytes per hundred queues; anything far larger is not one.
MAX_FILE_BYTES = 2_000_000
_KEYS = ("omni_queue", "connect_queue", "create", "quick_connect", "routing_profile", "active")
_REQUIRED_KEYS = ("omni_queue", "connect_queue")
_BOOLEAN_KEYS = ("create", "quick_connect", "active")
_BOOLEAN_DEFAULTS = {"create": False, "quick_connect": True, "active": True}
_EXAMPLE = "mappings:\n  - omni_queue: Support\n    connect_queue: Support"


def read_mapping_file(path: Path) -> MappingFile:
    """Parse ``path``; raise :class:`MappingFileError` naming every problem with its line and fix."""
    return parse_mapping_text(_read_text(path), path)


def parse_mapping_text(text: str, path: Path) -> MappingFile:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise MappingFileError([Problem(path, line, None, f"not valid YAML: {exc.problem}", "Fix the YAML syntax.")]) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise MappingFileError([Problem(path, 0, None, f"not valid YAML: {type(exc).__name__}", "Fix the YAML syntax.")]) from None
    return _file_from_node(root, path)


def _read_text(path: Path) -> str:
    def fail(message: str, fix: str) -> MappingFileError:
        return MappingFileError([Problem(path, 0, None, message, fix)])

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise fail("no such file", "Create it (see docs/mappings.md) or pass the path of your mapping file.") from None
    except IsADirectoryError:
        raise fail("is a folder, not a file", "Pass the path of the mapping file itself.") from None
    except OSError as exc:
        raise fail(f"cannot read the file ({exc.strerror or exc})", "Check the path and its permissions.") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"larger than {MAX_FILE_BYTES} bytes", "A mapping file holds one short entry per Omni-Queue.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("not UTF-8 text", "Save the file as UTF-8.") from None


def _file_from_node(root: yaml.Node | None, path: Path) -> MappingFile:
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1 if root is not None else 0
        raise MappingFileError([Problem(path, line, None, "the file has no 'mappings' list", f"Start from:\n{_EXAMPLE}")])
    top = _pairs(root)
    problems: list[Problem] = []
    for key, node in top.items():
        if key not in ("mappings", "version"):
            problems.append(Problem(path, _line(node), None, f"unknown key '{key}'", "Use 'mappings' (and optionally 'version: 1')."))
    if "version" in top and _scalar(top["version"]) != "1":
        problems.append(Problem(path, _line(top["version"]), None, "unsupported version", "Use 'version: 1'."))
    mappings = top.get("mappings")
    entries: list[MappingEntry] = []
    if not isinstance(mappings, yaml.SequenceNode):
        where = _line(mappings) if mappings is not None else _line(root)
        problems.append(Problem(path, where, None, "'mappings' is not a list", f"Start from:\n{_EXAMPLE}"))
    else:
        for index, node in enumerate(mappings.value, start=1):
            entry = _entry(node, index, path, problems)
            if entry is not None:
                entries.append(entry)
    if problems:
        raise MappingFileError(problems)
    return MappingFile(path, tuple(entries))


def _entry(node: yaml.Node, index: int, path: Path, problems: list[Problem]) -> MappingEntry | None:
    label = f"mappings[{index}]"
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, _line(node), label, "is not a mapping of keys", f"Write it as:\n{_EXAMPLE}"))
        return None
    pairs = _pairs(node)
    omni = _scalar(pairs["omni_queue"]) if "omni_queue" in pairs else None
    name = omni or label
    before = len(problems)
    # The order of the checks is the order the problems are reported in.
    problems += _shape_problems(node, pairs, name, path)
    flags = {key: _boolean(pairs, key, name, path, problems) for key in _BOOLEAN_KEYS}
    problems += _value_problems(pairs, omni, name, path)
    if len(problems) > before:
        return None
    return _checked_entry(node, pairs, flags)


def _shape_problems(node: yaml.MappingNode, pairs: dict[str, yaml.Node], name: str, path: Path) -> list[Problem]:
    """Unknown keys, keys without one value, and missing required keys."""
    problems = []
    for key, value in pairs.items():
        if key not in _KEYS:
            problems.append(Problem(path, _line(value), name, f"unknown key '{key}'", f"Use only: {', '.join(_KEYS)}."))
        elif not _single_value(key, value):
            problems.append(Problem(path, _line(value), name, f"'{key}' has no single value", "Give one value on the same line."))
    for key in _REQUIRED_KEYS:
        if key not in pairs:
            problems.append(Problem(path, _line(node), name, f"'{key}' is missing", f"Add '{key}: <value>' to the entry."))
    return problems


def _single_value(key: str, value: yaml.Node) -> bool:
    # Only routing_profile may be left empty (null): it then means "no routing profile".
    is_null = value.tag == "tag:yaml.org,2002:null"
    return isinstance(value, yaml.ScalarNode) and not (is_null and key != "routing_profile")


def _value_problems(pairs: dict[str, yaml.Node], omni: str | None, name: str, path: Path) -> list[Problem]:
    """Required keys given empty, and an Omni-Queue named by something other than its API name."""
    problems = []
    for key in _REQUIRED_KEYS:
        if key in pairs and isinstance(pairs[key], yaml.ScalarNode) and not _scalar(pairs[key]).strip():
            problems.append(Problem(path, _line(pairs[key]), name, f"'{key}' is empty", f"Give '{key}' a value."))
    if omni and omni.strip() and not DEVELOPER_NAME_RE.match(omni.strip()):
        problems.append(Problem(path, _line(pairs["omni_queue"]), name, "'omni_queue' is not a queue API name",
                                "Use the queue's developer name (Setup > Queues > the queue > Queue Name), not its label."))
    return problems


def _checked_entry(node: yaml.Node, pairs: dict[str, yaml.Node], flags: dict[str, bool | None]) -> MappingEntry:
    """The entry of an item that passed every check; flags left out take their defaults."""
    value = {key: _BOOLEAN_DEFAULTS[key] if flag is None else flag for key, flag in flags.items()}
    profile = _scalar(pairs["routing_profile"]).strip() if "routing_profile" in pairs else ""
    return MappingEntry(
        omni_queue=_scalar(pairs["omni_queue"]).strip(),
        connect_queue=_scalar(pairs["connect_queue"]).strip(),
        create=value["create"],
        quick_connect=value["quick_connect"],
        routing_profile=profile or None,
        active=value["active"],
        line=_line(node),
    )


def _boolean(pairs: dict[str, yaml.Node], key: str, name: str, path: Path, problems: list[Problem]) -> bool | None:
    node = pairs.get(key)
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag != "tag:yaml.org,2002:bool":
        problems.append(Problem(path, _line(node), name, f"'{key}' is '{node.value}', not true or false", f"Write '{key}: true' or '{key}: false'."))
        return None
    return node.value.lower() in ("true", "yes", "on", "y")


def _pairs(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {str(key.value): value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _scalar(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
