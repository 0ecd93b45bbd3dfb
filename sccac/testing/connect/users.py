"""Users and routing profiles as an admin's script manages them: the Connect fake's side of agent staffing.

Adds to a :class:`~sccac.testing.connect.routing.ContactRouter` (which routes contacts to the users
made here) the operations the wiring engine calls for a staffing file, with Connect's rules:

- ListSecurityProfiles (the four profiles every instance has: Admin, Agent, CallCenterManager, QualityAnalyst);
- CreateUser: a password is required on a ``CONNECT_MANAGED`` instance (with Connect's complexity
  rule) and refused on a ``SAML`` one, which needs an email; usernames are at most 20 characters
  without SAML; the security and routing profiles must exist; duplicates are
  DuplicateResourceException; the users quota holds. The password itself is not kept, only its
  SHA-256 (so a test can prove the right one arrived);
- SearchUsers, DescribeUser, UpdateUserRoutingProfile, and TagResource for user ARNs;
- CreateRoutingProfile (tags, priority and delay per queue, duplicates, quota), SearchRoutingProfiles
  with MediaConcurrencies, ListRoutingProfileQueues, UpdateRoutingProfileQueues,
  DisassociateRoutingProfileQueues, UpdateRoutingProfileConcurrency and
  UpdateRoutingProfileDefaultOutboundQueue.

Attach with ``AgentDirectory(fake, router)`` after ``RoutingOperations`` (it answers CreateUser,
CreateRoutingProfile and DescribeUser in full instead).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from sccac.testing.connect.exceptions import (
    DuplicateResourceException,
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceNotFoundException,
)
from sccac.testing.connect.models import RoutingProfile, _check_tags
from sccac.testing.connect.responses import ConnectFake, _profile_body
from sccac.testing.connect.routing import ContactRouter

SECURITY_PROFILES = ("Admin", "Agent", "CallCenterManager", "QualityAnalyst")
_PASSWORD_RE = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$")
_BASIC_CONCURRENCY = {"VOICE": 1, "CHAT": 1, "TASK": 1}  # what the fake's Basic Routing Profile serves


@dataclass
class UserRecord:
    """What CreateUser keeps besides what routing needs (the router's Agent)."""

    security_profile_ids: list[str]
    identity_info: dict[str, str] = field(default_factory=dict)
    phone_config: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    password_sha256: str | None = None


class AgentDirectory:
    def __init__(self, fake: ConnectFake, router: ContactRouter) -> None:
        self.fake, self.router = fake, router
        self.instance = router.instance
        self.security_profiles = {name: f"{self.instance.id[:8]}-security-{name.lower()}" for name in SECURITY_PROFILES}
        self.users: dict[str, UserRecord] = {}  # user id ->
        for operation, handler in (
            ("ListSecurityProfiles", self._list_security_profiles),
            ("CreateUser", self._create_user),
            ("SearchUsers", self._search_users),
            ("DescribeUser", self._describe_user),
            ("UpdateUserRoutingProfile", self._update_user_routing_profile),
            ("TagResource", self._tag_resource),
            ("CreateRoutingProfile", self._create_routing_profile),
            ("SearchRoutingProfiles", self._search_routing_profiles),
            ("ListRoutingProfileQueues", self._list_routing_profile_queues),
            ("UpdateRoutingProfileQueues", self._update_routing_profile_queues),
            ("DisassociateRoutingProfileQueues", self._disassociate_routing_profile_queues),
            ("UpdateRoutingProfileConcurrency", self._update_routing_profile_concurrency),
            ("UpdateRoutingProfileDefaultOutboundQueue", self._update_default_outbound_queue),
        ):
            fake.register(operation, handler)

    # -- helpers --------------------------------------------------------------------------------

    def _check_instance(self, p: dict[str, Any]) -> None:
        if p["InstanceId"].rsplit("/", 1)[-1] != self.instance.id:
            raise ResourceNotFoundException(f"Instance not found: {p['InstanceId']}")

    def _profile(self, ref: str) -> RoutingProfile:
        key = ref.rsplit("/", 1)[-1]
        if key not in self.instance.routing_profiles:
            raise ResourceNotFoundException(f"Routing profile not found: {ref}")
        return self.instance.routing_profiles[key]

    def concurrency(self, profile: RoutingProfile) -> dict[str, int]:
        return self.router.concurrency.get(profile.id, _BASIC_CONCURRENCY if profile.is_default else {})

    def user_by_name(self, username: str) -> Any:
        return next((a for a in self.router.agents.values() if a.username == username), None)

    # -- security profiles and users ----------------------------------------------------------

    def _list_security_profiles(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        items = [{"Id": sid, "Arn": self.instance.arn_of("security-profile", sid), "Name": name}
                 for name, sid in self.security_profiles.items()]
        page, extra = self.fake._page("ListSecurityProfiles", p, items)
        return {"SecurityProfileSummaryList": page, **extra}

    def _create_user(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        username, identity = p["Username"], p.get("IdentityInfo") or {}
        saml = self.instance.identity_management == "SAML"
        password = p.get("Password")
        if saml and password is not None:
            raise InvalidRequestException("Password is not allowed when the instance uses SAML for identity management")
        if not saml:
            if password is None:
                raise InvalidRequestException("Password is required when Amazon Connect manages identities")
            if not _PASSWORD_RE.match(password):
                raise InvalidParameterException("Password does not meet the password requirements")
            if len(username) > 20:
                raise InvalidParameterException(f"Username {username} is longer than 20 characters")
        if not identity.get("FirstName") or not identity.get("LastName"):
            raise InvalidParameterException("IdentityInfo FirstName and LastName are required")
        if saml and not identity.get("Email"):
            raise InvalidParameterException("IdentityInfo Email is required when the instance uses SAML")
        unknown = [s for s in p["SecurityProfileIds"] if s not in self.security_profiles.values()]
        if unknown:
            raise ResourceNotFoundException(f"Security profile not found: {', '.join(unknown)}")
        if self.user_by_name(username) is not None:
            raise DuplicateResourceException(f"User with username {username} already exists")
        if len(self.router.agents) >= self.instance.quotas.users:
            raise LimitExceededException(f"The limit of {self.instance.quotas.users} users per instance has been reached")
        _check_tags(p.get("Tags"))
        agent = self.router.create_user(username, self._profile(p["RoutingProfileId"]).id)
        self.users[agent.id] = UserRecord(
            list(p["SecurityProfileIds"]), dict(identity), dict(p.get("PhoneConfig") or {}), dict(p.get("Tags") or {}),
            hashlib.sha256(password.encode()).hexdigest() if password else None,
        )
        return {"UserId": agent.id, "UserArn": agent.arn}

    def _user_body(self, agent: Any) -> dict[str, Any]:
        record = self.users.get(agent.id) or UserRecord([])
        body: dict[str, Any] = {"Id": agent.id, "Arn": agent.arn, "Username": agent.username,
                                "RoutingProfileId": agent.routing_profile_id, "SecurityProfileIds": record.security_profile_ids,
                                "IdentityInfo": record.identity_info, "PhoneConfig": record.phone_config}
        if record.tags:
            body["Tags"] = dict(record.tags)
        return body

    def _search_users(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        criteria = p.get("SearchCriteria") or {}
        agents = list(self.router.agents.values())
        if criteria:
            cond = criteria.get("StringCondition") or {}
            if cond.get("FieldName", "").lower() != "username" or cond.get("ComparisonType", "EXACT") != "EXACT":
                raise InvalidParameterException("the Connect fake searches users by exact Username only")
            agents = [a for a in agents if a.username == cond.get("Value")]
        page, extra = self.fake._page("SearchUsers", p, agents)
        return {"Users": [self._user_body(a) for a in page], "ApproximateTotalCount": len(agents), **extra}

    def _describe_user(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        return {"User": self._user_body(self.router.user(p["UserId"]))}

    def _update_user_routing_profile(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        agent = self.router.user(p["UserId"])
        agent.routing_profile_id = self._profile(p["RoutingProfileId"]).id
        return {}

    def _tag_resource(self, p: dict[str, Any]) -> dict[str, Any]:
        agent = next((a for a in self.router.agents.values() if a.arn == p["resourceArn"]), None)
        if agent is None:
            self.fake.backend.tag_resource(p["resourceArn"], p["tags"])
            return {}
        _check_tags(p["tags"])
        self.users.setdefault(agent.id, UserRecord([])).tags.update(p["tags"])
        return {}

    # -- routing profiles -----------------------------------------------------------------------

    def _create_routing_profile(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        name = p["Name"]
        if any(r.name == name for r in self.instance.routing_profiles.values()):
            raise DuplicateResourceException(f"Routing profile with name {name} already exists")
        if len(self.instance.routing_profiles) >= self.instance.quotas.routing_profiles:
            raise LimitExceededException(
                f"The limit of {self.instance.quotas.routing_profiles} routing profiles per instance has been reached")
        _check_tags(p.get("Tags"))
        concurrency = {m["Channel"]: m["Concurrency"] for m in p["MediaConcurrencies"]}
        configs = p.get("QueueConfigs", [])
        pairs = [(c["QueueReference"]["QueueId"], c["QueueReference"]["Channel"]) for c in configs]
        profile = self.router.add_routing_profile(name, pairs, concurrency, p["DefaultOutboundQueueId"], p["Description"])
        for c in configs:
            profile.queue_configs[(c["QueueReference"]["QueueId"], c["QueueReference"]["Channel"])] = (c["Priority"], c["Delay"])
        profile.tags = dict(p.get("Tags") or {})
        return {"RoutingProfileArn": profile.arn, "RoutingProfileId": profile.id}

    def _search_routing_profiles(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)

        def render(profile: RoutingProfile) -> dict[str, Any]:
            media = [{"Channel": c, "Concurrency": n} for c, n in self.concurrency(profile).items()]
            return {**_profile_body(profile), "MediaConcurrencies": media}

        return self.fake._search("SearchRoutingProfiles", p, "RoutingProfiles", list(self.instance.routing_profiles.values()), render)

    def _list_routing_profile_queues(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        profile = self._profile(p["RoutingProfileId"])
        items = []
        for (queue_id, channel), (priority, delay) in profile.queue_configs.items():
            queue = self.instance.queues[queue_id]
            items.append({"QueueId": queue.id, "QueueArn": queue.arn, "QueueName": queue.name, "Priority": priority,
                          "Delay": delay, "Channel": channel})
        page, extra = self.fake._page("ListRoutingProfileQueues", p, items)
        return {"RoutingProfileQueueConfigSummaryList": page, **extra}

    def _update_routing_profile_queues(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        profile = self._profile(p["RoutingProfileId"])
        for c in p["QueueConfigs"]:
            key = (c["QueueReference"]["QueueId"], c["QueueReference"]["Channel"])
            if key not in profile.queue_configs:
                raise InvalidRequestException(f"Queue {key[0]} on {key[1]} is not associated with routing profile {profile.id}")
            profile.queue_configs[key] = (c["Priority"], c["Delay"])
        return {}

    def _disassociate_routing_profile_queues(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        profile = self._profile(p["RoutingProfileId"])
        for ref in p.get("QueueReferences", []):
            profile.queue_configs.pop((ref["QueueId"], ref["Channel"]), None)
        return {}

    def _update_routing_profile_concurrency(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        profile = self._profile(p["RoutingProfileId"])
        concurrency = {m["Channel"]: m["Concurrency"] for m in p["MediaConcurrencies"]}
        served = {channel for _, channel in profile.queue_configs}
        if served - {c for c, n in concurrency.items()}:
            raise InvalidParameterException(f"routing profile {profile.name} serves {sorted(served)}; give each a concurrency")
        self.router.concurrency[profile.id] = {**self.concurrency(profile), **concurrency}
        return {}

    def _update_default_outbound_queue(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_instance(p)
        profile = self._profile(p["RoutingProfileId"])
        profile.default_outbound_queue_id = self.fake.backend.queue(self.instance, p["DefaultOutboundQueueId"]).id
        return {}
