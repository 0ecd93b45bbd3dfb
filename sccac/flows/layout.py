"""Console-style canvas layout for generated flows: columns by graph depth, rows in order.

The flow designer reads ``Metadata.entryPointPosition`` and
``Metadata.ActionMetadata[<Identifier>].position``; without them every block lands on top of
the others. Blocks are placed left to right by their shortest distance from the start
action, so a flow reads like the happy path with its branches fanning out below.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from sccac.flows.designer import designer_metadata
from sccac.flows.model import Action

ENTRY_POINT = {"x": 40, "y": 40}
FIRST_COLUMN_X = 240
COLUMN_WIDTH = 280
ROW_HEIGHT = 200
TOP_Y = 40


def depths(actions: list[Action], start: str | None) -> dict[str, int]:
    """Shortest number of edges from the start action; unreachable blocks go one past the deepest."""
    by_id = {a.identifier: a for a in actions}
    depth: dict[str, int] = {}
    if start in by_id:
        depth[start] = 0
        queue: deque[str] = deque([start])
        while queue:
            current = queue.popleft()
            for _label, target in by_id[current].transitions.targets():
                if target in by_id and target not in depth:
                    depth[target] = depth[current] + 1
                    queue.append(target)
    orphan_column = max(depth.values(), default=-1) + 1
    for action in actions:
        depth.setdefault(action.identifier, orphan_column)
    return depth


def positions(actions: list[Action], start: str | None) -> dict[str, dict[str, int]]:
    """``{Identifier: {"x": .., "y": ..}}`` with rows in the order the actions are listed."""
    depth = depths(actions, start)
    rows: dict[int, int] = {}
    placed: dict[str, dict[str, int]] = {}
    for action in actions:
        column = depth[action.identifier]
        row = rows.get(column, 0)
        rows[column] = row + 1
        placed[action.identifier] = {"x": FIRST_COLUMN_X + column * COLUMN_WIDTH, "y": TOP_Y + row * ROW_HEIGHT}
    return placed


def canvas_metadata(
    actions: list[Action], start: str | None, *, name: str, description: str, console_type: str
) -> dict[str, Any]:
    """The ``Metadata`` object the console writes: positions and the designer's markers for every action."""
    by_id = {a.identifier: a for a in actions}
    return {
        "entryPointPosition": dict(ENTRY_POINT),
        "ActionMetadata": {
            ident: {"position": pos, **designer_metadata(by_id[ident], name)}
            for ident, pos in positions(actions, start).items()
        },
        "name": name,
        "description": description,
        "type": console_type,
        "status": "published",
        "hash": {},
    }
