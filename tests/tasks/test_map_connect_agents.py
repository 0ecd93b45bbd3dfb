"""map_connect_agents: the Connect agents wire_connect created become contact-center users with routing-map rows.

The org is a StrictFakeOrg (SOQL and inserts checked against the objects' real fields) behind simple-salesforce's
real HTTP; the wiring document has the shape the Connect wiring writes (tests/connect/test_agents.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cumulusci.core.exceptions import TaskOptionsError
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks.mappings import DeployQueueMappings, MapConnectAgents
from tests.robot_suites.strict_org import serve_strict_org

INSTANCE = "arn:aws:connect:eu-west-2:123456789012:instance/5f1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f80"
AGENTS = [("maria", "maria.agent", "maria@sccac.example"), ("li", "li.agent", "li@sccac.example"),
          ("sam", "sam.agent", "sam@sccac.example")]


def arn(connect_user: str) -> str:
    return f"{INSTANCE}/agent/{connect_user.replace('.', '-')}"


@pytest.fixture
def org(monkeypatch):
    for fake in serve_strict_org(monkeypatch):
        fake.add("CallCenter", Id="04v000000000001AAA", InternalName="SCCAC")
        yield fake


@pytest.fixture
def wiring(tmp_path: Path) -> Path:
    path = tmp_path / "wiring.json"
    agents = [{"name": name, "connect_user": user, "user_id": user, "user_arn": arn(user), "routing_profile": "Support",
               "salesforce_user": username} for name, user, username in AGENTS]
    path.write_text(json.dumps({"instance_id": "i", "queues": [], "agents": agents}), encoding="utf-8")
    return path


def add_users(org, **extra) -> dict[str, str]:
    ids = {}
    for number, (name, _, username) in enumerate(AGENTS, start=1):
        ids[name] = f"005{number:015d}"
        # Scratch-org agents carry generated usernames; their Alias is the agent's name.
        org.add("User", Id=ids[name], Username=f"{name}.00d5g@sccac.example", Alias=name, IsActive=True,
                CallCenterId=None, **extra)
    return ids


def run(wiring: Path, **options) -> MapConnectAgents:
    task = create_task(MapConnectAgents, {"wiring": str(wiring), **options})
    task()
    return task


def routing_rows(org) -> dict[str, str]:
    return {fields["ReferenceRecordId"]: fields["ExternalId"] for sobject, fields in org.inserts
            if sobject == "CallCenterRoutingMap"}


def test_agents_join_the_contact_center_and_its_routing_map_then_a_rerun_writes_nothing(org, wiring):
    ids = add_users(org)
    task = run(wiring, match_users_by="alias")
    assert routing_rows(org) == {ids[name]: arn(user) for name, user, _ in AGENTS}
    # Salesforce's naming for user rows: <user id>_<call center id>; the agent's name is only the label.
    names = {f["ReferenceRecordId"]: (f["DeveloperName"], f["MasterLabel"]) for s, f in org.inserts if s == "CallCenterRoutingMap"}
    assert names[ids["maria"]] == (f"{ids['maria']}_04v000000000001AAA", "maria")
    assert sorted(u for s, u, f in org.updates if s == "User" and f == {"CallCenterId": "04v000000000001AAA"}) == \
        sorted(ids.values())
    assert task.return_values == {"agents": 3, "added_to_contact_center": 3, "routing_map_created": 3,
                                  "routing_map_updated": 0}
    writes = (len(org.inserts), len(org.updates))
    again = run(wiring, match_users_by="alias")
    assert (len(org.inserts), len(org.updates)) == writes
    assert again.return_values["routing_map_created"] == again.return_values["added_to_contact_center"] == 0


def test_by_default_an_agent_is_the_user_named_in_the_staffing_file(org, wiring):
    for number, (name, _, username) in enumerate(AGENTS, start=1):
        org.add("User", Id=f"005{number:015d}", Username=username, Alias=name[:2], IsActive=True,
                CallCenterId="04v000000000001AAA")
    run(wiring)
    assert routing_rows(org) == {f"005{n:015d}": arn(user) for n, (_, user, _) in enumerate(AGENTS, start=1)}
    assert [u for u in org.updates if u[0] == "User"] == []  # already members of the contact center


def test_a_moved_connect_user_updates_its_row(org, wiring):
    ids = add_users(org)
    run(wiring, match_users_by="alias")
    document = json.loads(wiring.read_text())
    document["agents"][0]["user_arn"] = arn("maria.new")
    wiring.write_text(json.dumps(document))
    run(wiring, match_users_by="alias")
    assert [f for s, _, f in org.updates if s == "CallCenterRoutingMap"] == [{"ExternalId": arn("maria.new"),
                                                                          "QuickConnect": None}]
    assert ids["maria"] in routing_rows(org)


def test_agents_that_cannot_be_mapped_are_all_named_and_nothing_is_written(org, wiring):
    org.add("User", Id="005000000000000001", Username="m@x.example", Alias="maria", IsActive=True,
            CallCenterId="04v000000000009AAA")
    org.add("User", Id="005000000000000002", Username="l1@x.example", Alias="li", IsActive=True, CallCenterId=None)
    org.add("User", Id="005000000000000003", Username="l2@x.example", Alias="li", IsActive=True, CallCenterId=None)
    with pytest.raises(TaskOptionsError) as error:
        run(wiring, match_users_by="alias")
    message = str(error.value)
    assert "3 agent(s) cannot be mapped, nothing written" in message
    assert "agent maria: user m@x.example belongs to another contact center (04v000000000009AAA)" in message
    assert "agent li: 2 active users with Alias 'li'; make the Alias unique" in message
    assert "agent sam: no active user with Alias 'sam'; create the user" in message
    assert org.inserts == [] and org.updates == []


def test_without_a_contact_center_the_task_says_so_and_writes_nothing(org, wiring, caplog):
    org.tables["CallCenter"].clear()
    add_users(org)
    task = run(wiring, match_users_by="alias")
    assert task.return_values == {"agents": 0, "skipped": "no contact center"}
    assert "no Amazon Connect contact center" in caplog.text
    assert org.inserts == [] and org.updates == []


@pytest.mark.parametrize("content, expected", [
    ("{not json", "cannot read the Connect wiring's output"),
    ("[1, 2]", "not the Connect wiring's output"),
    ('{"agents": {"maria": 1}}', "'agents' is not a list of agents"),
    ('{"agents": [{"name": "maria"}]}', "agents[0] lacks name, connect_user, user_arn or salesforce_user"),
])
def test_a_bad_wiring_document_is_named_with_what_to_do(org, tmp_path, content, expected):
    path = tmp_path / "wiring.json"
    path.write_text(content)
    with pytest.raises(TaskOptionsError, match="run wire_connect again") as error:
        run(path, match_users_by="alias")
    assert str(path) in str(error.value) and expected in str(error.value)


def test_options_are_checked(org, tmp_path, wiring):
    with pytest.raises(TaskOptionsError, match="match_users_by: 'email' is not one of username, alias"):
        run(wiring, match_users_by="email")
    with pytest.raises(TaskOptionsError, match="no Connect wiring output; run wire_connect with a staffing file"):
        run(tmp_path / "missing.json")


def test_deploy_queue_mappings_names_an_unreadable_wiring_document(org, tmp_path):
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("mappings:\n  - omni_queue: Support\n    connect_queue: Support\n")
    wiring = tmp_path / "wiring.json"
    wiring.write_text("{truncated")
    with pytest.raises(TaskOptionsError, match=f"{wiring}: cannot read the Connect wiring's output"):
        create_task(DeployQueueMappings, {"mapping": str(mapping), "wiring": str(wiring)})()
