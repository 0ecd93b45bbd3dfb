"""The staffing file as the wiring reads it: routing profiles and agent users to create in Connect.

The same file the offline system staffs its contact center from (``sccac/offline/staffing.py``,
fixture ``robot/SCCAC/resources/offline/staffing.yml``), checked here for what Connect accepts; a
queue entry may also give its routing priority and delay, an agent its first and last name and email::

    routing_profiles:
      - name: Support Agents
        queues: [Support, {queue: BasicQueue, priority: 2, delay: 30}]
        concurrency: {CHAT: 2, TASK: 1}
    agents:
      - name: maria
        connect_user: maria.agent
        routing_profile: Support Agents
        salesforce_user: maria@sccac.example

Every problem of the file is reported at once, each naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sccac.connect.errors import ConnectUsageError

CHANNELS = ("CHAT", "TASK")  # what the wiring routes (chats and Case tasks)
MAX_CONCURRENCY = 10  # MediaConcurrency.Concurrency max (botocore model)
MAX_PRIORITY, MAX_DELAY = 99, 9999  # RoutingProfileQueueConfig Priority 1..99, Delay 0..9999 (botocore model)
# CreateUser Username: "up to 64 characters from [a-zA-Z0-9_-.\@]+" (SAML); 20 without SAML (checked by the planner).
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PROFILE_KEYS = {"name", "queues", "concurrency"}
_AGENT_KEYS = {"name", "connect_user", "routing_profile", "salesforce_user", "first_name", "last_name", "email"}


@dataclass(frozen=True)
class QueueConfig:
    queue: str  # Connect queue name
    priority: int = 1
    delay: int = 0


@dataclass(frozen=True)
class ProfileSpec:
    name: str
    queues: tuple[QueueConfig, ...]
    concurrency: tuple[tuple[str, int], ...]  # (channel, contacts at once), CHAT and TASK
    where: str  # "<file>: routing_profiles[i] (<name>)"

    @property
    def channels(self) -> tuple[str, ...]:
        """Channels the profile's queues serve: those with a concurrency above 0."""
        return tuple(channel for channel, count in self.concurrency if count > 0)


@dataclass(frozen=True)
class AgentSpec:
    name: str
    username: str  # the Connect username (connect_user)
    routing_profile: str
    salesforce_user: str
    first_name: str
    last_name: str
    email: str | None
    where: str  # "<file>: agents[i] (<name>)"


@dataclass(frozen=True)
class ConnectStaffing:
    path: Path
    profiles: tuple[ProfileSpec, ...]
    agents: tuple[AgentSpec, ...]

    def profile(self, name: str) -> ProfileSpec:
        return next(p for p in self.profiles if p.name == name)


def load_staffing(path: Path) -> ConnectStaffing:
    """Read and check the file; a :class:`ConnectUsageError` lists every problem (file, entry, field, fix)."""
    data = _read(path)
    problems: list[str] = []
    found = [_profile(path, i, e, problems) for i, e in enumerate(_entries(path, data, "routing_profiles", problems))]
    profiles = tuple(p for p in found if p)
    people = [_agent(path, i, e, problems) for i, e in enumerate(_entries(path, data, "agents", problems))]
    agents = tuple(a for a in people if a)
    _cross_check(path, profiles, agents, problems)
    if problems:
        raise ConnectUsageError("; ".join(problems))
    return ConnectStaffing(path, profiles, agents)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConnectUsageError(f"{path}: cannot read the staffing file ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise ConnectUsageError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConnectUsageError(f"{path}: expected the keys routing_profiles and agents (see docs/connect.md, Agents)")
    return data


def _cross_check(path: Path, profiles: tuple[ProfileSpec, ...], agents: tuple[AgentSpec, ...], problems: list[str]) -> None:
    """Unique names and usernames; each agent's routing profile is one of the file's."""
    _unique(problems, path, "routing_profiles", "name", [p.name for p in profiles])
    _unique(problems, path, "agents", "name", [a.name for a in agents])
    _unique(problems, path, "agents", "connect_user", [a.username for a in agents])
    names = {p.name for p in profiles}
    for agent in agents:
        if agent.routing_profile not in names:
            problems.append(f"{agent.where}: routing_profile {agent.routing_profile!r} is not a routing profile of the "
                            f"file (it has: {', '.join(sorted(names)) or 'none'}); name one of them")


def _entries(path: Path, data: dict[str, Any], key: str, problems: list[str]) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        problems.append(f"{path}: {key}: must be a non-empty list")
        return []
    return value


def _unique(problems: list[str], path: Path, key: str, field: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            problems.append(f"{path}: {key}: {field} {value!r} appears twice; each must be unique")
        seen.add(value)


def _text(entry: dict[str, Any], key: str, where: str, problems: list[str], required: bool = True) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: {key}: {'missing or ' if required else ''}not text")
        return ""
    return value.strip()


def _unknown(entry: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(entry) - allowed, key=str):
        problems.append(f"{where}: {key}: unknown field (known: {', '.join(sorted(allowed))})")


def _named(entry: Any, where: str, expected: str, keys: set[str], problems: list[str]) -> tuple[str, str] | None:
    """An entry's name, and where it is with that name; its unknown fields reported. None (reported) when
    the entry is no mapping."""
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected {expected}")
        return None
    name = _text(entry, "name", where, problems)
    where = f"{where} ({name})" if name else where
    _unknown(entry, keys, where, problems)
    return name, where


def _profile(path: Path, index: int, entry: Any, problems: list[str]) -> ProfileSpec | None:
    named = _named(entry, f"{path}: routing_profiles[{index}]", "name, queues and concurrency", _PROFILE_KEYS, problems)
    if named is None:
        return None
    name, where = named
    raw_queues = entry.get("queues")
    queues: list[QueueConfig] = []
    if not isinstance(raw_queues, list) or not raw_queues:
        problems.append(f"{where}: queues: must list Connect queue names (or {{queue, priority, delay}})")
    else:
        for number, item in enumerate(raw_queues):
            config = _queue(item, f"{where}: queues[{number}]", problems)
            if config and any(q.queue == config.queue for q in queues):
                problems.append(f"{where}: queues[{number}]: queue {config.queue!r} is listed twice")
            elif config:
                queues.append(config)
    concurrency = _concurrency(entry.get("concurrency", {"CHAT": 1, "TASK": 1}), where, problems)
    if concurrency is not None and not any(count for _, count in concurrency):
        problems.append(f"{where}: concurrency: every channel is 0; give CHAT or TASK at least 1")
    if not name or concurrency is None or not queues:
        return None
    return ProfileSpec(name, tuple(queues), concurrency, where)


def _queue(item: Any, where: str, problems: list[str]) -> QueueConfig | None:
    if isinstance(item, str) and item.strip():
        return QueueConfig(item.strip())
    if not isinstance(item, dict):
        problems.append(f"{where}: a Connect queue name, or {{queue: <name>, priority: 1, delay: 0}}")
        return None
    _unknown(item, {"queue", "priority", "delay"}, where, problems)
    queue = _text(item, "queue", where, problems)
    priority, delay = item.get("priority", 1), item.get("delay", 0)
    ok = True
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= MAX_PRIORITY:
        problems.append(f"{where}: priority: {priority!r} is not a whole number from 1 to {MAX_PRIORITY}")
        ok = False
    if isinstance(delay, bool) or not isinstance(delay, int) or not 0 <= delay <= MAX_DELAY:
        problems.append(f"{where}: delay: {delay!r} is not a number of seconds from 0 to {MAX_DELAY}")
        ok = False
    return QueueConfig(queue, priority, delay) if queue and ok else None


def _concurrency(value: Any, where: str, problems: list[str]) -> tuple[tuple[str, int], ...] | None:
    if not isinstance(value, dict) or not value:
        problems.append(f"{where}: concurrency: maps a channel (CHAT, TASK) to how many contacts an agent takes at once")
        return None
    counts: dict[str, int] = {}
    for key, count in value.items():
        channel = str(key).upper()
        if channel not in CHANNELS:
            problems.append(f"{where}: concurrency: channel {key!r} is not routed by SCC-AC; use {' or '.join(CHANNELS)}")
        elif isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_CONCURRENCY:
            problems.append(f"{where}: concurrency: {channel} {count!r} is not a whole number from 0 to {MAX_CONCURRENCY}")
        else:
            counts[channel] = count
    if len(counts) != len(value):
        return None
    return tuple((channel, counts.get(channel, 0)) for channel in CHANNELS)


def _agent(path: Path, index: int, entry: Any, problems: list[str]) -> AgentSpec | None:
    named = _named(entry, f"{path}: agents[{index}]", "name, connect_user, routing_profile and salesforce_user", _AGENT_KEYS, problems)
    if named is None:
        return None
    name, where = named
    count = len(problems)
    username = _text(entry, "connect_user", where, problems)
    if username and not USERNAME_RE.match(username):
        problems.append(f"{where}: connect_user: {username!r} is not a Connect username (up to 64 of A-Z a-z 0-9 _ - . @)")
    elif "@" in username and not EMAIL_RE.match(username):
        # CreateUser: "@ only if used in an email format".
        problems.append(f"{where}: connect_user: {username!r} has an @ but is not an email address; Connect takes @ "
                        "only in an email-shaped username")
    profile = _text(entry, "routing_profile", where, problems)
    salesforce_user = _text(entry, "salesforce_user", where, problems)
    first = _text(entry, "first_name", where, problems, required=False) or name
    last = _text(entry, "last_name", where, problems, required=False) or "Agent"
    email = _text(entry, "email", where, problems, required=False) or None
    if email and not EMAIL_RE.match(email):
        problems.append(f"{where}: email: {email!r} is not an email address")
    if not name or len(problems) != count:
        return None
    if email is None and EMAIL_RE.match(salesforce_user):
        email = salesforce_user  # a Salesforce username has the form of an email address
    return AgentSpec(name, username, profile, salesforce_user, first, last, email, where)
