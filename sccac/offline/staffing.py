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

from sccac.connect.errors import ConnectUsageError
from sccac.connect.staffing import load_staffing


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
    """The staffing file, read and checked by the Connect wiring's reader (the one reader of the format), so a file
    the offline system accepts is one wire_connect can staff a real instance from."""
    try:
        staffing = load_staffing(path)
    except ConnectUsageError as exc:
        raise StaffingError(str(exc)) from None
    return Staffing(
        tuple(RoutingProfileSpec(p.name, tuple(q.queue for q in p.queues), dict(p.concurrency))
              for p in staffing.profiles),
        tuple(AgentSpec(a.name, a.username, a.routing_profile, a.salesforce_user) for a in staffing.agents),
    )
