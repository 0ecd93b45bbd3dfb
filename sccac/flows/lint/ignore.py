"""Ignoring lint rules by id prefix, as cfn-lint does: from the caller, and from the flow's own Metadata.

A prefix matches every rule whose id starts with it, case-insensitively: ``SCCAC-DESIGNER`` ignores
the five designer rules, ``SCCAC-FLOW-017`` that one rule. A flow can carry its own ignores, kept
by Connect with the rest of its Metadata::

    "Metadata": {
        "sccac": {"ignoreRules": ["SCCAC-DESIGNER"]},                    # the whole flow
        "ActionMetadata": {
            "Send failure message": {"sccac": {"ignoreRules": ["SCCAC-FLOW-017"]}}   # one block
        }
    }

``SCCAC-LINT-000`` (a file that could not be linted, a linter bug) is never ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sccac.flows.lint.findings import RULES
from sccac.flows.model import Flow
from sccac.flows.text import printable

#: The Metadata key (at flow level, and in a block's ActionMetadata entry) that holds lint settings.
SETTINGS_KEY = "sccac"
IGNORE_KEY = "ignoreRules"
#: Where the engine leaves a flow's FlowIgnores in the lint context, for SCCAC-FLOW-029.
DECLARED_IGNORES = "declared_ignores"


def normalise(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Prefixes in upper case without surrounding blanks; empty ones dropped (they would match every rule)."""
    if not prefixes:
        return ()
    return tuple(p for p in (prefix.strip().upper() for prefix in prefixes) if p)


def matches(rule_id: str, prefixes: tuple[str, ...]) -> bool:
    """True if ``rule_id`` starts with one of the (normalised) ``prefixes``."""
    return rule_id.upper().startswith(prefixes) if prefixes else False


def unknown(prefixes: Iterable[str]) -> list[str]:
    """The prefixes that match no registered rule (most likely a typo: they would ignore nothing)."""
    return [p for p in prefixes if not any(matches(rule_id, normalise([p])) for rule_id in RULES)]


@dataclass
class FlowIgnores:
    """The ignores a flow declares in its Metadata, and what is wrong with how it declares them."""

    flow: tuple[str, ...] = ()
    blocks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: list[tuple[str | None, str]] = field(default_factory=list)  # (block, message) for SCCAC-FLOW-029


def _read(holder: Any, where: str, block: str | None, problems: list[tuple[str | None, str]]) -> tuple[str, ...]:
    settings = holder.get(SETTINGS_KEY) if isinstance(holder, dict) else None
    if settings is None:
        return ()
    if not isinstance(settings, dict):
        problems.append((block, f"{where}.{SETTINGS_KEY} is not an object, so its lint settings are not read"))
        return ()
    raw = settings.get(IGNORE_KEY)
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        problems.append((block, f"{where}.{SETTINGS_KEY}.{IGNORE_KEY} is not a list of rule-id prefixes, so nothing is ignored"))
        return ()
    for prefix in unknown(raw):
        problems.append((block, f"{where}.{SETTINGS_KEY}.{IGNORE_KEY} entry {printable(prefix)!r} matches no lint rule"))
    return normalise(raw)


#: What a flow without lint settings declares (shared: lint reads it and never changes it).
NOTHING_DECLARED = FlowIgnores()


def _blocks_declare(described: Any) -> bool:
    """Some block's ActionMetadata entry has lint settings (a loop: lint asks this of every flow)."""
    if isinstance(described, dict):
        for entry in described.values():
            if isinstance(entry, dict) and SETTINGS_KEY in entry:
                return True
    return False


def from_metadata(flow: Flow) -> FlowIgnores:
    """The flow-level and per-block ignores of ``flow`` (tolerant: bad shapes become problems).

    A flow without any lint setting (the usual one) gets :data:`NOTHING_DECLARED`; callers must not change it.
    """
    metadata = flow.metadata if isinstance(flow.metadata, dict) else {}
    if not metadata:
        return NOTHING_DECLARED
    if SETTINGS_KEY not in metadata and not _blocks_declare(metadata.get("ActionMetadata")):
        return NOTHING_DECLARED
    problems: list[tuple[str | None, str]] = []
    ignores = FlowIgnores(flow=_read(metadata, "Metadata", None, problems), problems=problems)
    described = metadata.get("ActionMetadata")
    if isinstance(described, dict):
        for ident, entry in described.items():
            if isinstance(entry, dict) and SETTINGS_KEY in entry:
                prefixes = _read(entry, f"Metadata.ActionMetadata[{printable(ident)!r}]", ident, problems)
                if prefixes:
                    ignores.blocks[ident] = prefixes
    return ignores
