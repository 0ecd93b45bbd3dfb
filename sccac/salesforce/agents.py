"""The Salesforce side of the Connect agents: each agent the Connect wiring created (its output document's
``agents``) becomes a member of the contact center (User.CallCenterId) and a row of its routing map
(CallCenterRoutingMap: ReferenceRecordId = the Salesforce user, ExternalId = the Connect user ARN), which is how
Omni-Channel finds the Salesforce user an externally routed offer is for.

Everything is checked before anything is written, so a bad staffing entry leaves the org as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sccac.errors import SccacUsageError
from sccac.salesforce.org import RoutingTarget, SalesforceClient, mirror_routing_map, soql_quote

#: How an agent is found among the org's users: by the staffing file's ``salesforce_user`` (a Username), or by
#: ``Alias`` = the agent's name (the users create_robot_agents makes in a scratch org carry generated usernames).
MATCH_BY = {"username": "Username", "alias": "Alias"}


class AgentMappingError(SccacUsageError):
    """Agents that cannot be mapped; the message lists each with what to do."""


@dataclass(frozen=True)
class WiredAgent:
    name: str
    connect_user: str
    user_arn: str
    salesforce_user: str


@dataclass(frozen=True)
class AgentPlan:
    """What mapping the agents writes: users to add to the contact center, and the routing map's rows."""

    add_to_center: tuple[str, ...]  # User ids
    targets: tuple[RoutingTarget, ...]


def wired_agents(wiring: Mapping[str, Any], source: str) -> list[WiredAgent]:
    """The agents of a wiring output document; those the wiring has not created yet (no user ARN) are left out."""
    agents = wiring.get("agents", [])
    if not isinstance(agents, list) or not all(isinstance(a, dict) for a in agents):
        raise AgentMappingError(f"{source}: 'agents' is not a list of agents; run wire_connect again to rewrite it")
    found = []
    for index, agent in enumerate(agents):
        fields = [agent.get(key) for key in ("name", "connect_user", "user_arn", "salesforce_user")]
        if not all(isinstance(value, str) for value in fields):
            raise AgentMappingError(f"{source}: agents[{index}] lacks name, connect_user, user_arn or salesforce_user; "
                                    "run wire_connect again to rewrite it")
        if fields[2]:
            found.append(WiredAgent(*fields))
    return found


def _key(agent: WiredAgent, match_by: str) -> str:
    return agent.salesforce_user if match_by == "username" else agent.name


def read_agent_users(sf: SalesforceClient, agents: Sequence[WiredAgent], match_by: str) -> dict[str, list[dict[str, Any]]]:
    """The org's active users for each agent key (Username or Alias), one query for all agents."""
    field = MATCH_BY[match_by]
    keys = sorted({_key(agent, match_by) for agent in agents})
    if not keys:
        return {}
    query = (f"SELECT Id, Username, Alias, CallCenterId FROM User WHERE IsActive = true "
             f"AND {field} IN ({', '.join(soql_quote(k) for k in keys)})")
    rows = sf.query_all(query).get("records", [])
    users: dict[str, list[dict[str, Any]]] = {key: [] for key in keys}
    for row in rows:
        # SOQL compares Username and Alias without regard to case.
        for key in keys:
            if str(row.get(field, "")).lower() == key.lower():
                users[key].append(row)
    return users


def plan_agents(
    agents: Sequence[WiredAgent], users: Mapping[str, list[dict[str, Any]]], call_center_id: str, match_by: str
) -> AgentPlan:
    """The contact-center memberships and routing-map rows for ``agents``; raises :class:`AgentMappingError`
    naming every agent without exactly one user, or whose user belongs to another contact center."""
    field = MATCH_BY[match_by]
    problems: list[str] = []
    add: list[str] = []
    targets: list[RoutingTarget] = []
    for agent in agents:
        matches = users.get(_key(agent, match_by), [])
        if len(matches) != 1:
            how = "no active user" if not matches else f"{len(matches)} active users"
            problems.append(f"agent {agent.name}: {how} with {field} '{_key(agent, match_by)}'; "
                            + ("create the user" if not matches else f"make the {field} unique"))
            continue
        user = matches[0]
        center = user.get("CallCenterId")
        if center and center != call_center_id:
            problems.append(f"agent {agent.name}: user {user.get('Username')} belongs to another contact center "
                            f"({center}); remove them from it in Setup > Contact Centers first")
            continue
        if not center:
            add.append(str(user["Id"]))
        targets.append(RoutingTarget.for_user(str(user["Id"]), agent.name, agent.user_arn))
    if problems:
        raise AgentMappingError(f"{len(problems)} agent(s) cannot be mapped, nothing written:\n  " + "\n  ".join(problems))
    return AgentPlan(tuple(add), tuple(targets))


def map_agents(sf: Any, agents: Sequence[WiredAgent], call_center_id: str, match_by: str = "username") -> dict[str, int]:
    """Add the agents' users to the contact center and mirror them into its routing map; a re-run writes nothing."""
    plan = plan_agents(agents, read_agent_users(sf, agents, match_by), call_center_id, match_by)
    for user_id in plan.add_to_center:
        sf.User.update(user_id, {"CallCenterId": call_center_id})
    created, updated = mirror_routing_map(sf, call_center_id, plan.targets)
    return {"agents": len(plan.targets), "added_to_contact_center": len(plan.add_to_center),
            "routing_map_created": created, "routing_map_updated": updated}
