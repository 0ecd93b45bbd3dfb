"""Agents from a staffing file against the Connect fake: create, re-run, drift, dry run, ownership, passwords, bad files."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from sccac.connect.agents import PASSWORD_ENV, SALESFORCE_USER_TAG
from sccac.connect.desired import MANAGED_TAG, DesiredState
from sccac.connect.errors import ConnectUsageError, PlanRefused, QuotaExceeded
from sccac.connect.mapping import QueueMapping
from sccac.connect.planner import Action, Kind, PlanOptions
from sccac.connect.staffing import load_staffing
from sccac.testing.connect import Faults
from sccac.testing.connect.harness import FakeWorld, fake_world
from sccac.testing.connect.routing import AVAILABLE
from sccac.testing.connect.users import AgentDirectory

FIXTURE = Path("robot/SCCAC/resources/offline/staffing.yml")
PASSWORD = "Marker-Pw-7f3c9e1d"
STAFFING = """\
routing_profiles:
  - name: Support Agents
    queues: [Support, {queue: BasicQueue, priority: 2, delay: 30}]
    concurrency: {CHAT: 2, TASK: 1}
  - name: Billing Agents
    queues: [Billing]
    concurrency: {CHAT: 1}
agents:
  - name: maria
    connect_user: maria.agent
    routing_profile: Support Agents
    salesforce_user: maria@sccac.example
  - name: sam
    connect_user: sam.agent
    routing_profile: Billing Agents
    salesforce_user: sam@sccac.example
    first_name: Sam
    last_name: Lee
"""


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


@pytest.fixture
def staffing_file(tmp_path: Path) -> Path:
    path = tmp_path / "staffing.yml"
    path.write_text(STAFFING, encoding="utf-8")
    return path


def staffed(world: FakeWorld, path: Path) -> DesiredState:
    mappings = (QueueMapping("SCCAC_Support", "Support"), QueueMapping("SCCAC_Billing", "Billing"))
    return dataclasses.replace(world.desired(0), mappings=mappings, staffing=load_staffing(path))


def directory(world: FakeWorld) -> AgentDirectory:
    assert world.directory is not None
    return world.directory


def profile(world: FakeWorld, name: str):  # type: ignore[no-untyped-def]
    return next(p for p in world.instance.routing_profiles.values() if p.name == name)


def user(world: FakeWorld, username: str):  # type: ignore[no-untyped-def]
    assert world.router is not None
    return world.router.user(username)


def queue_id(world: FakeWorld, name: str) -> str:
    return next(q.id for q in world.instance.queues.values() if q.name == name)


def test_first_run_creates_routing_profiles_and_agents_and_a_rerun_writes_nothing(staffing_file: Path) -> None:
    world = fake_world()
    desired = staffed(world, staffing_file)
    first = world.apply(desired)
    assert first.stats.writes == first.plan.writes
    assert first.stats.by_operation["CreateRoutingProfile"] == 2 and first.stats.by_operation["CreateUser"] == 2

    support = profile(world, "Support Agents")
    s, b = queue_id(world, "Support"), queue_id(world, "BasicQueue")
    assert support.queue_configs == {(s, "CHAT"): (1, 0), (s, "TASK"): (1, 0), (b, "CHAT"): (2, 30), (b, "TASK"): (2, 30)}
    assert world.router is not None and world.router.concurrency[support.id] == {"CHAT": 2, "TASK": 1}
    assert support.default_outbound_queue_id == s and support.tags[MANAGED_TAG] == "true"
    billing = profile(world, "Billing Agents")
    assert set(billing.queue_configs) == {(queue_id(world, "Billing"), "CHAT")}  # TASK 0: no task queue config

    maria = user(world, "maria.agent")
    record = directory(world).users[maria.id]
    assert maria.routing_profile_id == support.id
    assert record.security_profile_ids == [directory(world).security_profiles["Agent"]]
    assert record.phone_config["PhoneType"] == "SOFT_PHONE"
    assert record.identity_info == {"FirstName": "maria", "LastName": "Agent", "Email": "maria@sccac.example"}
    assert directory(world).users[user(world, "sam.agent").id].identity_info["LastName"] == "Lee"
    assert record.tags[SALESFORCE_USER_TAG] == "maria@sccac.example" and record.tags[MANAGED_TAG] == "true"
    assert record.password_sha256 == hashlib.sha256(PASSWORD.encode()).hexdigest()
    agents = {a["connect_user"]: a for a in first.output["agents"]}
    assert agents["maria.agent"]["user_arn"] == maria.arn and agents["maria.agent"]["salesforce_user"] == "maria@sccac.example"

    again = world.apply(desired)
    assert again.stats.writes == 0 and again.plan.counts() == {"unchanged": len(again.plan.steps)}
    assert again.output["agents"] == first.output["agents"]


def test_a_new_salesforce_user_in_the_staffing_file_retags_the_connect_user(staffing_file: Path) -> None:
    world = fake_world()
    world.apply(staffed(world, staffing_file))
    staffing_file.write_text(staffing_file.read_text().replace("salesforce_user: maria@sccac.example",
                                                               "salesforce_user: maria.rossi@sccac.example"))
    desired = staffed(world, staffing_file)
    plan = world.plan(desired).plan
    assert {s.label: s.reason for s in plan.steps if s.action is Action.UPDATE} == {
        "agent user maria.agent": "Salesforce user maria.rossi@sccac.example"}
    fixed = world.apply(desired)
    assert fixed.stats.writes == 1  # a tag, not the routing profile again
    assert directory(world).users[user(world, "maria.agent").id].tags["sccac:salesforce-user"] == "maria.rossi@sccac.example"
    assert world.apply(desired).stats.writes == 0


def test_created_agents_are_offered_contacts_of_their_queues(staffing_file: Path) -> None:
    world = fake_world()
    world.apply(staffed(world, staffing_file))
    router = world.router
    assert router is not None
    router.set_status("sam.agent", AVAILABLE)
    assert router.enqueue("chat-1", "CHAT", queue="Support") == []  # sam's profile does not serve Support
    [offer] = router.set_status("maria.agent", AVAILABLE)
    assert offer.contact_id == "chat-1" and offer.agent_id == user(world, "maria.agent").id
    assert router.enqueue("task-1", "TASK", queue="Billing") == []  # Billing Agents take no tasks (TASK: 0)


def test_the_robot_fixture_staffs_the_instance() -> None:
    world = fake_world()
    run = world.apply(staffed(world, FIXTURE))
    assert sorted(a["connect_user"] for a in run.output["agents"]) == ["li.agent", "maria.agent", "sam.agent"]
    assert all(a["user_arn"].startswith(world.instance.arn + "/agent/") for a in run.output["agents"])


def test_drift_is_planned_and_put_back(staffing_file: Path) -> None:
    world = fake_world()
    desired = staffed(world, staffing_file)
    world.apply(desired)
    support, router = profile(world, "Support Agents"), world.router
    assert router is not None
    s, b = queue_id(world, "Support"), queue_id(world, "BasicQueue")
    # An admin edits the profile in the console and moves an agent to another profile.
    router.concurrency[support.id] = {"CHAT": 5, "TASK": 1}
    del support.queue_configs[(s, "TASK")]
    support.queue_configs[(b, "CHAT")] = (7, 0)
    support.queue_configs[(queue_id(world, "Billing"), "CHAT")] = (1, 0)
    support.default_outbound_queue_id = b
    maria = user(world, "maria.agent")
    maria.routing_profile_id = profile(world, "Basic Routing Profile").id

    plan = world.plan(desired).plan
    changed = {s.label: s.reason for s in plan.steps if s.action is Action.UPDATE}
    assert changed == {
        "agent routing profile Support Agents": "add 1 queue config(s), update priority/delay of 1 queue config(s), "
                                                "remove 1 queue config(s), concurrency, default outbound queue",
        "agent user maria.agent": "routing profile Support Agents",
    }
    fixed = world.apply(desired)
    assert fixed.stats.writes == fixed.plan.writes == 6
    assert support.queue_configs == {(s, "CHAT"): (1, 0), (s, "TASK"): (1, 0), (b, "CHAT"): (2, 30), (b, "TASK"): (2, 30)}
    assert router.concurrency[support.id] == {"CHAT": 2, "TASK": 1} and support.default_outbound_queue_id == s
    assert maria.routing_profile_id == support.id
    assert world.apply(desired).stats.writes == 0


def test_dry_run_lists_the_agents_and_writes_nothing(staffing_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    world = fake_world()
    run = world.plan(staffed(world, staffing_file), PlanOptions(agent_password_set=False))
    steps = {s.label: s for s in run.plan.steps if s.kind in (Kind.AGENT_PROFILE, Kind.AGENT_USER)}
    assert all(s.action is Action.CREATE for s in steps.values()) and len(steps) == 4
    assert f"password from {PASSWORD_ENV} (not set: apply stops)" in steps["agent user maria.agent"].reason
    assert run.stats.writes == 0 and not world.router.agents  # type: ignore[union-attr]


def test_apply_without_a_password_stops_before_any_write(staffing_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    world = fake_world()
    with pytest.raises(ConnectUsageError, match=f"set {PASSWORD_ENV}"):
        world.apply(staffed(world, staffing_file))
    assert world.meter.stats.writes == 0 and not world.instance.queues.keys() - {queue_id(world, "BasicQueue")}


def test_a_weak_password_is_refused_without_showing_it(staffing_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "weakpass1")
    world = fake_world()
    with pytest.raises(ConnectUsageError) as caught:
        world.apply(staffed(world, staffing_file))
    assert "password rules" in str(caught.value) and "weakpass1" not in str(caught.value)


def test_saml_instance_gets_users_without_a_password(staffing_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    world = fake_world()
    world.instance.identity_management = "SAML"
    world.apply(staffed(world, staffing_file))
    assert directory(world).users[user(world, "maria.agent").id].password_sha256 is None


def test_saml_instance_needs_an_email_per_agent(tmp_path: Path) -> None:
    path = tmp_path / "staffing.yml"
    path.write_text(STAFFING.replace("salesforce_user: sam@sccac.example", "salesforce_user: sam"), encoding="utf-8")
    world = fake_world()
    world.instance.identity_management = "SAML"
    with pytest.raises(ConnectUsageError, match=r"agents\[1\] \(sam\): email: a SAML instance needs"):
        world.plan(staffed(world, path))


@pytest.mark.parametrize("operation", ["CreateRoutingProfile", "CreateUser"])
def test_a_create_whose_answer_was_lost_is_not_made_twice(staffing_file: Path, operation: str) -> None:
    probe = fake_world()
    probe.apply(staffed(probe, staffing_file))
    world = fake_world(faults=Faults(timeout_calls={probe.backend.calls.index(operation) + 1}))
    run = world.apply(staffed(world, staffing_file))
    # The timed-out create was retried, answered Duplicate, found as ours and used.
    assert world.backend.calls.count(operation) == probe.backend.calls.count(operation) + 1
    assert len(world.instance.routing_profiles) == 3 and len(world.router.agents) == 2  # type: ignore[union-attr]
    assert all(a["user_id"] for a in run.output["agents"]) and all(p["id"] for p in run.output["routing_profiles"])
    assert world.apply(staffed(world, staffing_file)).stats.writes == 0


def test_same_name_resources_not_created_by_sccac(staffing_file: Path) -> None:
    world = fake_world()
    router = world.router
    assert router is not None
    other = router.create_routing_profile("Billing Agents", ["BasicQueue"], {"CHAT": 1, "TASK": 1})
    router.create_user("sam.agent", other.id)
    desired = staffed(world, staffing_file)
    with pytest.raises(PlanRefused, match=r"agent routing profile Billing Agents: exists, not created by sccac, differs"):
        world.apply(desired)
    taken = world.apply(desired, PlanOptions(take_ownership=True))
    assert {s.label: s.action for s in taken.plan.steps if s.kind is Kind.AGENT_PROFILE}["agent routing profile Billing Agents"] \
        is Action.UPDATE
    assert set(other.queue_configs) == {(queue_id(world, "Billing"), "CHAT")} and other.tags[MANAGED_TAG] == "true"
    assert router.user("sam.agent").routing_profile_id == other.id  # same profile: adopted, not changed
    assert world.apply(desired).stats.writes == 0


def test_profile_queues_must_exist_or_be_mapped(tmp_path: Path) -> None:
    path = tmp_path / "staffing.yml"
    path.write_text(STAFFING.replace("queues: [Billing]", "queues: [Refunds]"), encoding="utf-8")
    world = fake_world()
    with pytest.raises(ConnectUsageError, match=r"staffing.yml: routing_profiles\[1\] \(Billing Agents\): queues: "
                                                r"Connect queue 'Refunds' is not in the instance"):
        world.plan(staffed(world, path))


@pytest.mark.parametrize(("edit", "message"), [
    (("concurrency: {CHAT: 1}", "concurrency: {CHAT: 11}"),
     r"routing_profiles\[1\] \(Billing Agents\): concurrency: CHAT 11 is not a whole number from 0 to 10"),
    (("concurrency: {CHAT: 1}", "concurrency: {VOICE: 1}"),
     r"routing_profiles\[1\] \(Billing Agents\): concurrency: channel 'VOICE' is not routed by SCC-AC"),
    (("queues: [Billing]", "queues: [{queue: Billing, priority: 0}]"),
     r"routing_profiles\[1\] \(Billing Agents\): queues\[0\]: priority: 0 is not a whole number from 1 to 99"),
    (("queues: [Billing]", "queues: [{queue: Billing, priority: 100}]"),
     r"routing_profiles\[1\] \(Billing Agents\): queues\[0\]: priority: 100 is not a whole number from 1 to 99"),
    (("connect_user: sam.agent", "connect_user: sam@corp"),
     r"agents\[1\] \(sam\): connect_user: 'sam@corp' has an @ but is not an email address"),
    (("connect_user: sam.agent", "connect_user: sam agent"),
     r"agents\[1\] \(sam\): connect_user: 'sam agent' is not a Connect username"),
    (("connect_user: sam.agent", "connect_user: maria.agent"), r"agents: connect_user 'maria.agent' appears twice"),
    (("routing_profile: Billing Agents", "routing_profile: Sales"),
     r"agents\[1\] \(sam\): routing_profile 'Sales' is not a routing profile of the file"),
    (("    salesforce_user: sam@sccac.example\n", ""), r"agents\[1\] \(sam\): salesforce_user: missing or not text"),
    (("    first_name: Sam\n", "    first_name: Sam\n    phone: 1\n"), r"agents\[1\] \(sam\): phone: unknown field"),
])
def test_bad_staffing_files_name_file_entry_and_field(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    path = tmp_path / "staffing.yml"
    assert edit[0] in STAFFING
    path.write_text(STAFFING.replace(*edit), encoding="utf-8")
    with pytest.raises(ConnectUsageError, match=str(path).replace(".", r"\.") + ": " + message):
        load_staffing(path)


def test_connect_managed_usernames_are_at_most_20_characters(tmp_path: Path) -> None:
    path = tmp_path / "staffing.yml"
    path.write_text(STAFFING.replace("connect_user: sam.agent", "connect_user: sam.agent.of.the.billing.team"), encoding="utf-8")
    world = fake_world()
    with pytest.raises(ConnectUsageError, match=r"agents\[1\] \(sam\): connect_user: .* longer than 20 characters"):
        world.plan(staffed(world, path))


def test_unreadable_staffing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConnectUsageError, match="absent.yml: cannot read the staffing file"):
        load_staffing(tmp_path / "absent.yml")
    (tmp_path / "list.yml").write_text("- a\n", encoding="utf-8")
    with pytest.raises(ConnectUsageError, match="expected the keys routing_profiles and agents"):
        load_staffing(tmp_path / "list.yml")


def test_users_over_the_quota_stop_before_any_write(staffing_file: Path) -> None:
    world = fake_world()
    world.instance.quotas.users = 1
    with pytest.raises(QuotaExceeded, match=r"users: 0 in the instance \+ 2 to create = 2 > quota 1 .*'Users per instance'"):
        world.apply(staffed(world, staffing_file))
    assert world.meter.stats.writes == 0


def test_a_profile_in_both_the_staffing_file_and_the_mapping_is_refused(staffing_file: Path) -> None:
    world = fake_world()
    with pytest.raises(ConnectUsageError, match="routing profile.s. Support Agents: named by the staffing file"):
        dataclasses.replace(staffed(world, staffing_file), routing_profile="Support Agents")


def test_a_profile_with_more_than_ten_queue_configurations(tmp_path: Path) -> None:
    # CreateRoutingProfile takes at most 10 queue configurations (botocore's model refuses more): 6 queues x 2 channels.
    path = tmp_path / "staffing.yml"
    path.write_text("routing_profiles:\n  - name: Everything\n    queues: [Queue 0, Queue 1, Queue 2, Queue 3, Queue 4, Queue 5]\n"
                    "agents:\n  - name: li\n    connect_user: li.agent\n    routing_profile: Everything\n"
                    "    salesforce_user: li@sccac.example\n", encoding="utf-8")
    world = fake_world()
    desired = dataclasses.replace(world.desired(6), staffing=load_staffing(path))
    run = world.apply(desired)
    assert run.stats.by_operation["CreateRoutingProfile"] == 1 and run.stats.by_operation["AssociateRoutingProfileQueues"] == 1
    assert run.stats.writes == run.plan.writes
    assert len(profile(world, "Everything").queue_configs) == 12
    assert world.apply(desired).stats.writes == 0


def test_the_fake_refuses_a_value_above_its_model_maximum_as_connect_does() -> None:
    # botocore checks only a range's minimum before sending; the fake refuses the maximum as the service does.
    world = fake_world()
    client = world.fake.client()
    instance = world.instance.id
    queue = client.create_queue(InstanceId=instance, Name="Billing", HoursOfOperationId=next(iter(world.instance.hours)))["QueueId"]
    config = {"QueueReference": {"QueueId": queue, "Channel": "CHAT"}, "Priority": 100, "Delay": 0}
    with pytest.raises(client.exceptions.InvalidParameterException, match=r"QueueConfigs\[0\]\.Priority: 100 is above "
                                                                         r"the maximum 99"):
        client.create_routing_profile(InstanceId=instance, Name="Big", Description="d", DefaultOutboundQueueId=queue,
                                      QueueConfigs=[config], MediaConcurrencies=[{"Channel": "CHAT", "Concurrency": 1}])
