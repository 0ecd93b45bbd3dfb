"""Who works in the offline contact center: routing profiles and agents (a Connect user and its Salesforce user).

A staffing file (YAML) names them; without one the offline system uses :data:`DEFAULT_STAFFING`::

    routing_profiles:
      - name: Support Agents
        queues: [Support]              # Connect queue names
        concurrency: {CHAT: 2, TASK: 1}
    agents:
      - name: maria                    # what tests and the demo call the agent
        connect_user: maria.agent      # the Connect username
        routing_profile: Support Agents
        salesforce_user: maria@sccac.example   # the CallCenterRoutingMap target
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class RoutingProfileSpec:
    name: str
    queues: tuple[str, ...]
    concurrency: dict[str, int] = field(default_factory=lambda: {"CHAT": 1, "TASK": 1})


@dataclass(frozen=True)
class AgentSpec:
    name: str
    connect_user: str
    routing_profile: str
    salesforce_user: str


@dataclass(frozen=True)
class Staffing:
    routing_profiles: tuple[RoutingProfileSpec, ...]
    agents: tuple[AgentSpec, ...]

    def agent(self, name: str) -> AgentSpec:
        for agent in self.agents:
            if name in (agent.name, agent.connect_user, agent.salesforce_user):
                return agent
        raise KeyError(f"no agent {name!r}; staffed: {', '.join(a.name for a in self.agents) or 'none'}")


DEFAULT_STAFFING = Staffing(
    routing_profiles=(
        RoutingProfileSpec("Support Agents", ("Support",), {"CHAT": 2, "TASK": 1}),
        RoutingProfileSpec("Billing Agents", ("Billing", "BasicQueue"), {"CHAT": 1, "TASK": 1}),
    ),
    agents=(
        AgentSpec("maria", "maria.agent", "Support Agents", "maria@sccac.example"),
        AgentSpec("li", "li.agent", "Support Agents", "li@sccac.example"),
        AgentSpec("sam", "sam.agent", "Billing Agents", "sam@sccac.example"),
    ),
)


class StaffingError(ValueError):
    """The staffing file cannot be used: names the file, the entry and what to do."""


def read_staffing(path: Path) -> Staffing:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StaffingError(f"{path}: cannot read the staffing file ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise StaffingError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise StaffingError(f"{path}: expected the keys routing_profiles and agents (see sccac/offline/staffing.py)")
    profiles = tuple(_profile(path, i, p) for i, p in enumerate(_list(path, data, "routing_profiles")))
    agents = tuple(_agent(path, i, a) for i, a in enumerate(_list(path, data, "agents")))
    names = {p.name for p in profiles}
    for agent in agents:
        if agent.routing_profile not in names:
            raise StaffingError(f"{path}: agent {agent.name}: no routing profile {agent.routing_profile!r} "
                                f"(profiles: {', '.join(sorted(names)) or 'none'})")
    return Staffing(profiles, agents)


def _list(path: Path, data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise StaffingError(f"{path}: '{key}' must be a non-empty list")
    return value


def _text(path: Path, where: str, entry: Any, key: str) -> str:
    value = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise StaffingError(f"{path}: {where}: '{key}' is missing or not text")
    return value.strip()


def _profile(path: Path, index: int, entry: Any) -> RoutingProfileSpec:
    name = _text(path, f"routing_profiles[{index}]", entry, "name")
    queues = entry.get("queues")
    if not isinstance(queues, list) or not all(isinstance(q, str) for q in queues) or not queues:
        raise StaffingError(f"{path}: routing profile {name}: 'queues' must list Connect queue names")
    concurrency = entry.get("concurrency", {"CHAT": 1, "TASK": 1})
    if not isinstance(concurrency, dict) or not all(isinstance(v, int) for v in concurrency.values()):
        raise StaffingError(f"{path}: routing profile {name}: 'concurrency' maps a channel (CHAT, TASK) to a number")
    return RoutingProfileSpec(name, tuple(queues), {str(k).upper(): v for k, v in concurrency.items()})


def _agent(path: Path, index: int, entry: Any) -> AgentSpec:
    where = f"agents[{index}]"
    return AgentSpec(_text(path, where, entry, "name"), _text(path, where, entry, "connect_user"),
                     _text(path, where, entry, "routing_profile"), _text(path, where, entry, "salesforce_user"))
