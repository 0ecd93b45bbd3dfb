"""Queue mappings for the wiring: Omni-Queue developer name -> Connect queue name or ARN, create flag."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sccac.connect.errors import ConnectUsageError

QUEUE_ARN_RE = re.compile(
    r"^arn:aws[-a-z]*:connect:[a-z0-9-]+:\d{12}:instance/(?P<instance>[0-9a-f-]{36})/queue/(?P<queue>[0-9a-f-]{36})$"
)
_DEVELOPER_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,79}$")


@dataclass(frozen=True)
class QueueMapping:
    omni_queue: str  # Omni-Queue (Group) developer name
    connect_queue: str  # Connect queue name, or the ARN of an existing queue
    create: bool = True  # create the Connect queue when no queue has that name

    @property
    def is_arn(self) -> bool:
        return self.connect_queue.startswith("arn:")


def parse_mappings(data: Any, source: str) -> tuple[QueueMapping, ...]:
    """Validate the YAML document; every problem is reported at once, each naming the entry and the fix."""
    entries = data.get("mappings") if isinstance(data, dict) else data
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise ConnectUsageError(f"{source}: expected a list under 'mappings:' (- omni_queue: ..., connect_queue: ...)")
    problems: list[str] = []
    mappings: list[QueueMapping] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{source}: mapping {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected omni_queue and connect_queue keys")
            continue
        unknown = sorted(set(entry) - {"omni_queue", "connect_queue", "create"})
        omni, queue, create = entry.get("omni_queue"), entry.get("connect_queue"), entry.get("create", True)
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: omni_queue, connect_queue, create)")
        if not isinstance(omni, str) or not _DEVELOPER_NAME_RE.match(omni):
            problems.append(f"{where}: omni_queue {omni!r} is not an Omni-Queue developer name (letters, digits, _)")
        elif omni in seen:
            problems.append(f"{where}: Omni-Queue {omni} is mapped twice; keep one mapping per Omni-Queue")
        if not isinstance(queue, str) or not queue.strip() or len(queue) > 127 and not queue.startswith("arn:"):
            problems.append(f"{where}: connect_queue must be a Connect queue name (1-127 characters) or queue ARN")
        elif queue.startswith("arn:") and not QUEUE_ARN_RE.match(queue):
            problems.append(
                f"{where}: connect_queue {queue!r} is not a queue ARN "
                "(arn:aws:connect:<region>:<account>:instance/<uuid>/queue/<uuid>)"
            )
        if not isinstance(create, bool):
            problems.append(f"{where}: create must be true or false")
        if isinstance(omni, str):
            seen.add(omni)
        if not any(p.startswith(where + ":") for p in problems):
            mappings.append(QueueMapping(str(omni), str(queue), bool(create)))
    if problems:
        raise ConnectUsageError("; ".join(problems))
    return tuple(mappings)


def load_mappings(path: Path) -> tuple[QueueMapping, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConnectUsageError(f"cannot read the mapping file {path}: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ConnectUsageError(f"{path}: not valid YAML{where} ({problem}); fix the file") from None
    return parse_mappings(data, str(path))
