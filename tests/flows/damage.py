"""Damaged copies of a flow document for the linter's property tests: one to four values replaced, removed,
rewired to another block's identifier or repeated (cycles, self loops, targets in odd places, wrong types)."""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from typing import Any


def json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value in a JSON document, the document itself first."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += json_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += json_paths(value, (*prefix, index))
    return found


def damaged(rng: random.Random, doc: Any, values: Sequence[Any]) -> Any:
    """A damaged deep copy of ``doc``; new values come from ``values``. The same seed gives the same copy."""
    doc = copy.deepcopy(doc)
    actions = doc.get("Actions") if isinstance(doc, dict) else None
    identifiers = [a.get("Identifier") for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []
    for _ in range(rng.randint(1, 4)):
        paths = json_paths(doc)[1:]
        if not paths:
            break
        path = rng.choice(paths)
        node = doc
        for step in path[:-1]:
            node = node[step]
        choice = rng.random()
        if choice < 0.25:
            del node[path[-1]]
        elif choice < 0.55 and identifiers:
            node[path[-1]] = rng.choice(identifiers)
        elif choice < 0.65 and isinstance(node, list):
            node.append(copy.deepcopy(node[path[-1]]))
        else:
            node[path[-1]] = copy.deepcopy(rng.choice(values))
    return doc
