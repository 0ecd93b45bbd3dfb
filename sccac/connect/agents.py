"""Agents in Connect from a staffing file: what a routing profile or a user should look like, and how it differs.

Pure functions shared by the planner (which counts the writes) and the applier (which makes them):
queues this run creates have no id yet when planning, so the planner passes a stand-in that no
existing configuration carries, and they count as queues to add.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sccac.connect.errors import ConnectUsageError
from sccac.connect.snapshot import Existing
from sccac.connect.staffing import AgentSpec, ProfileSpec

#: The security profile every instance has for agents (looked up by name with ListSecurityProfiles).
AGENT_SECURITY_PROFILE = "Agent"
#: Where the password of new agent users comes from on an instance that manages its own users.
PASSWORD_ENV = "SCCAC_CONNECT_AGENT_PASSWORD"
#: Tag on each agent user: the Salesforce user the staffing file maps it to (for the Salesforce side's routing map).
SALESFORCE_USER_TAG = "sccac:salesforce-user"
CONFIGS_PER_CALL = 10  # QueueConfigs of CreateRoutingProfile / Associate- / UpdateRoutingProfileQueues: max 10
CONNECT_MANAGED = "CONNECT_MANAGED"
MAX_CONNECT_MANAGED_USERNAME = 20  # CreateUser: "up to 20 characters" when Connect manages the users
# CreateUser Password (botocore model): 8-64 characters with a lower-case letter, an upper-case letter and a digit.
_PASSWORD_RE = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$")

QueueKey = tuple[str, str]  # (queue id, channel)


def profile_description(project: str) -> str:
    return f"SCC-AC agents' routing profile managed by sccac (project {project})"


def wanted_queues(spec: ProfileSpec, queue_ids: Mapping[str, str]) -> dict[QueueKey, tuple[int, int]]:
    """(queue id, channel) -> (priority, delay) for every queue of the profile on every channel it serves."""
    return {(queue_ids[q.queue], channel): (q.priority, q.delay) for q in spec.queues for channel in spec.channels}


def queue_config(key: QueueKey, value: tuple[int, int]) -> dict[str, Any]:
    return {"QueueReference": {"QueueId": key[0], "Channel": key[1]}, "Priority": value[0], "Delay": value[1]}


def media_concurrencies(spec: ProfileSpec, existing: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """The profile's CHAT and TASK concurrency; other channels an existing profile has are kept as they are."""
    wanted = dict(spec.concurrency)
    others = {c: n for c, n in (existing or {}).items() if c not in wanted}
    return [{"Channel": c, "Concurrency": n} for c, n in {**others, **wanted}.items()]


def create_writes(spec: ProfileSpec) -> int:
    """CreateRoutingProfile takes up to 10 queue configurations; AssociateRoutingProfileQueues the rest, 10 a call."""
    configs = len(spec.queues) * len(spec.channels)
    return 1 + math.ceil(max(0, configs - CONFIGS_PER_CALL) / CONFIGS_PER_CALL)


@dataclass(frozen=True)
class ProfileChanges:
    """What an existing routing profile lacks against its staffing entry."""

    add: dict[QueueKey, tuple[int, int]]
    update: dict[QueueKey, tuple[int, int]]  # priority or delay
    remove: tuple[QueueKey, ...]
    concurrency: bool
    default_outbound: bool

    @property
    def empty(self) -> bool:
        return not (self.add or self.update or self.remove or self.concurrency or self.default_outbound)

    @property
    def writes(self) -> int:
        calls = sum(math.ceil(len(part) / CONFIGS_PER_CALL) for part in (self.add, self.update, self.remove))
        return calls + self.concurrency + self.default_outbound

    @property
    def reason(self) -> str:
        parts = [f"{label} {len(part)} queue config(s)" for label, part in
                 (("add", self.add), ("update priority/delay of", self.update), ("remove", self.remove)) if part]
        parts += [label for label, changed in (("concurrency", self.concurrency),
                                               ("default outbound queue", self.default_outbound)) if changed]
        return ", ".join(parts)


def profile_changes(spec: ProfileSpec, existing: Existing, queue_ids: Mapping[str, str]) -> ProfileChanges:
    wanted = wanted_queues(spec, queue_ids)
    have: dict[QueueKey, tuple[int, int]] = dict(existing.config.get("queues", {}))
    concurrency = existing.config.get("concurrency", {})
    return ProfileChanges(
        add={k: v for k, v in wanted.items() if k not in have},
        update={k: v for k, v in wanted.items() if k in have and tuple(have[k]) != v},
        remove=tuple(k for k in have if k not in wanted),
        concurrency=any(concurrency.get(channel, 0) != count for channel, count in spec.concurrency),
        default_outbound=existing.config.get("default_outbound") != queue_ids[spec.queues[0].queue],
    )


def identity_info(agent: AgentSpec) -> dict[str, str]:
    info = {"FirstName": agent.first_name, "LastName": agent.last_name}
    if agent.email:
        info["Email"] = agent.email
    return info


def user_problems(agents: tuple[AgentSpec, ...], identity_management: str) -> list[str]:
    """What the instance's identity management refuses of the agents (checked before any write)."""
    problems = []
    for agent in agents:
        if identity_management == CONNECT_MANAGED and len(agent.username) > MAX_CONNECT_MANAGED_USERNAME:
            problems.append(f"{agent.where}: connect_user: {agent.username!r} is longer than {MAX_CONNECT_MANAGED_USERNAME} "
                            "characters, the limit of an instance that manages its own users; shorten it")
        if identity_management == "SAML" and not agent.email:
            problems.append(f"{agent.where}: email: a SAML instance needs each user's email; add email (or make "
                            "salesforce_user an email-shaped username)")
    return problems


def agent_password(environ: Mapping[str, str] = os.environ) -> str:
    """The password new agents get on a CONNECT_MANAGED instance; never logged, written or put in a message."""
    password = environ.get(PASSWORD_ENV, "")
    if not password:
        raise ConnectUsageError(
            f"the instance manages its own users (CONNECT_MANAGED): new agent users need a password; set {PASSWORD_ENV} "
            "(8-64 characters with a lower-case letter, an upper-case letter and a digit; store it as a CI secret)"
        )
    if not _PASSWORD_RE.match(password):
        raise ConnectUsageError(f"{PASSWORD_ENV} does not meet Connect's password rules (8-64 characters with a "
                                "lower-case letter, an upper-case letter and a digit); its value is not shown")
    return password


# botocore logs each request's parameters at DEBUG ("Making request for ... with params"), a
# CreateUser's password included: those loggers are switched off around the call.
_REQUEST_LOGGERS = ("botocore.endpoint", "botocore.parsers", "botocore.hooks", "botocore.retryhandler")


@contextlib.contextmanager
def no_request_logging() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in _REQUEST_LOGGERS]
    before = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, disabled in zip(loggers, before):
            logger.disabled = disabled
