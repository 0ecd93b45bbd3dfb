"""The Robot suites' org set-up: deploy_robot_config and create_robot_agents against a fake org, twice.

The org is a StrictFakeOrg behind simple-salesforce's real HTTP (fields checked against the sObject
schema, deploys against the Metadata API schema); ``sf org create user`` is replaced by adding the user the CLI would create.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from cumulusci.core.config import OrgConfig
from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.core.keychain import BaseProjectKeychain
from cumulusci.tasks.salesforce.tests.util import create_task
from cumulusci.tests.util import create_project_config
from lxml import etree

from python_tasks.robot_org import CreateRobotAgents, DeployRobotConfig
from sccac.checks.source import unpackaged_bundles
from sccac.offline.staffing import read_staffing
from tests.robot_suites.strict_org import serve_strict_org
from tests.salesforce.fake_org import FakeOrg

ROOT = Path(__file__).resolve().parents[2]
ORG_ID = "00D5g00000ABCDEFGH"
STAFFING = ROOT / "robot/SCCAC/resources/offline/staffing.yml"
MAPPING = ROOT / "robot/SCCAC/resources/offline/queue_mappings.yml"
OFFERS_SUITE = ROOT / "robot/SCCAC/tests/offers/omni_channel_offers.robot"
MD = "{http://soap.sforce.com/2006/04/metadata}"


STANDARD_USER = "00e000000000001AAA"  # the Profile every org has, and sf's default for a new user


@pytest.fixture
def org(monkeypatch):
    """An org that refuses a field its object does not have (StrictFakeOrg), so a typo in the tasks' SOQL fails here."""
    for fake in serve_strict_org(monkeypatch):
        fake.add("Profile", Id=STANDARD_USER, Name="Standard User")
        yield fake


def scratch_org(scratch: bool = True) -> OrgConfig:
    project = create_project_config("TestRepo", "TestOwner")
    config = OrgConfig({"instance_url": "https://example.my.salesforce.com", "access_token": "TOKEN", "org_id": ORG_ID,
                        "username": "admin@scratch.example", "scratch": scratch}, "feature",
                       keychain=BaseProjectKeychain(project, None))
    config.refresh_oauth_token = mock.Mock()
    return config


def robot_bundle(org: FakeOrg) -> None:
    """What deploy_robot_config leaves in the org."""
    org.add("PermissionSet", Id="0PS000000000001AAA", Name="SCCAC_Robot_Agent")
    org.add("ServicePresenceStatus", Id="0N5000000000001AAA", DeveloperName="SCCAC_Available")
    org.add("PresenceUserConfig", Id="0Nd000000000001AAA", DeveloperName="SCCAC_Robot_Agents")


def fake_sf_create_user(org: FakeOrg, created: list[dict[str, Any]]):
    """What ``sf org create user`` does: a user with the Profile the definition's profileName names (none: it fails)."""
    def create(task: CreateRobotAgents, definition: dict[str, Any]) -> None:
        profiles = [p for p in org.tables["Profile"] if p["Name"] == definition["profileName"]]
        if not profiles:
            raise CumulusCIFailure(f"sf org create user {definition['Username']} failed: no Profile "
                                   f"{definition['profileName']!r}")
        created.append(definition)
        org.add("User", Id=f"005{len(created):015d}", Username=definition["Username"], Alias=definition["Alias"],
                IsActive=True, ProfileId=profiles[0]["Id"])
    return create


def user_profiles(org: FakeOrg) -> dict[str, str]:
    """Alias -> the Name of the user's Profile, of every user in the org."""
    names = {p["Id"]: p["Name"] for p in org.tables["Profile"]}
    return {u["Alias"]: names[u["ProfileId"]] for u in org.tables["User"]}


def test_deploy_robot_config_names_the_orgs_case_channel_in_the_presence_status(org):
    org.add("ServiceChannel", Id="0N9000000000001AAA", DeveloperName="Case_Channel_7", RelatedEntity="Case")
    create_task(DeployRobotConfig, {"path": str(ROOT / "unpackaged/config/robot")}, org_config=scratch_org())()
    files = org.deploys[-1]
    status = etree.fromstring(files["servicePresenceStatuses/SCCAC_Available.servicePresenceStatus"])
    assert [c.text for c in status.iter(f"{MD}channel")] == ["sfdc_livemessage", "Case_Channel_7"]
    assert org.last_deploy_problems == []  # every file passes the Metadata API schema
    assert {"queues/SCCAC_Billing.queue", "queues/SCCAC_Back_Office.queue", "permissionsets/SCCAC_Robot_Agent.permissionset",
            "presenceUserConfigs/SCCAC_Robot_Agents.presenceUserConfig"} <= set(files)


def test_deploy_robot_config_without_a_case_channel_says_what_to_add(org):
    with pytest.raises(CumulusCIFailure, match=r"no Case ServiceChannel.*Setup > Service Channels"):
        create_task(DeployRobotConfig, {"path": str(ROOT / "unpackaged/config/robot")}, org_config=scratch_org())()
    assert org.deploys == []


def test_create_robot_agents_creates_the_fixtures_agents_once(org, monkeypatch):
    robot_bundle(org)
    org.add("UserLicense", Id="100000000000001AAA", Name="Salesforce", TotalLicenses=10, UsedLicenses=1)
    created: list[dict[str, Any]] = []
    monkeypatch.setattr(CreateRobotAgents, "_sf_create_user", fake_sf_create_user(org, created))
    task = create_task(CreateRobotAgents, {"staffing": str(STAFFING)}, org_config=scratch_org())
    task()
    names = [a.name for a in read_staffing(STAFFING).agents]
    assert [d["Alias"] for d in created] == names == ["maria", "li", "sam"]
    assert created[0]["Username"] == f"maria.{ORG_ID.lower()}@sccac.example"
    assert created[0]["UserPermissionsSupportUser"] is True
    assert task.return_values["agents"] == {d["Alias"]: d["Username"] for d in created}
    written = [(sobject, fields) for sobject, fields in org.inserts]
    assert ("SetupEntityAccess", {"ParentId": "0PS000000000001AAA", "SetupEntityId": "0N5000000000001AAA"}) in written
    for number in range(1, 4):
        user = f"005{number:015d}"
        assert ("PermissionSetAssignment", {"AssigneeId": user, "PermissionSetId": "0PS000000000001AAA"}) in written
        assert ("PresenceUserConfigUser", {"PresenceUserConfigId": "0Nd000000000001AAA", "UserId": user}) in written

    assert user_profiles(org) == {"maria": "Standard User", "li": "Standard User", "sam": "Standard User"}

    # A second run changes nothing.
    inserts = len(org.inserts)
    again = create_task(CreateRobotAgents, {"staffing": str(STAFFING)}, org_config=scratch_org())
    again()
    assert len(created) == 3 and len(org.inserts) == inserts
    assert again.return_values["changes"] == []


def create_agents_with_support_profile(org, monkeypatch, option: str) -> None:
    """Run create_robot_agents with the Profile "Custom: Support Profile" given by ``option``."""
    robot_bundle(org)
    org.add("Profile", Id="00e000000000002AAA", Name="Custom: Support Profile")
    monkeypatch.setattr(CreateRobotAgents, "_sf_create_user", fake_sf_create_user(org, []))
    create_task(CreateRobotAgents, {"staffing": str(STAFFING), option: "Custom: Support Profile"}, org_config=scratch_org())()


def test_user_profile_is_the_profile_of_the_new_users(org, monkeypatch, caplog):
    create_agents_with_support_profile(org, monkeypatch, "user_profile")
    assert user_profiles(org) == {"maria": "Custom: Support Profile", "li": "Custom: Support Profile",
                                  "sam": "Custom: Support Profile"}
    assert "deprecated" not in caplog.text


def test_the_old_profile_option_still_names_the_users_profile_and_warns(org, monkeypatch, caplog):
    # profile is the AWS profile everywhere else; here it was the new users' Salesforce Profile.
    create_agents_with_support_profile(org, monkeypatch, "profile")
    assert set(user_profiles(org).values()) == {"Custom: Support Profile"} and len(user_profiles(org)) == 3
    assert "Option profile is deprecated; use user_profile" in caplog.text
    with pytest.raises(TaskOptionsError, match="Options profile and user_profile are the same option"):
        create_task(CreateRobotAgents, {"staffing": str(STAFFING), "profile": "A", "user_profile": "B"},
                    org_config=scratch_org())


def test_too_few_licenses_stop_the_agents_before_any_user_is_created(org, monkeypatch):
    robot_bundle(org)
    # A Developer Edition scratch org: two Salesforce licenses, one used by the admin.
    org.add("UserLicense", Id="100000000000001AAA", Name="Salesforce", TotalLicenses=2, UsedLicenses=1)
    created: list[dict[str, Any]] = []
    monkeypatch.setattr(CreateRobotAgents, "_sf_create_user", fake_sf_create_user(org, created))
    with pytest.raises(CumulusCIFailure, match=r"3 agent user\(s\) to create \(maria, li, sam\) but the org has 1 free "
                                               r"Salesforce license\(s\): use an Enterprise Edition scratch org"):
        create_task(CreateRobotAgents, {"staffing": str(STAFFING)}, org_config=scratch_org())()
    assert created == []


def test_create_robot_agents_needs_the_robot_bundle_first(org):
    with pytest.raises(CumulusCIFailure, match="Permission set SCCAC_Robot_Agent is missing in the org: run deploy_robot_config"):
        create_task(CreateRobotAgents, {"staffing": str(STAFFING)}, org_config=scratch_org())()


def test_create_robot_agents_creates_users_only_in_scratch_orgs(org):
    robot_bundle(org)
    with pytest.raises(TaskOptionsError, match="no active user with Alias maria .* only in scratch orgs"):
        create_task(CreateRobotAgents, {"staffing": str(STAFFING)}, org_config=scratch_org(scratch=False))()


def test_two_users_with_the_agents_alias_are_refused_by_name(org):
    robot_bundle(org)
    org.add("User", Id="005000000000001AAA", Username="a@x.example", Alias="maria", IsActive=True)
    org.add("User", Id="005000000000002AAA", Username="b@x.example", Alias="maria", IsActive=True)
    with pytest.raises(CumulusCIFailure, match=r"2 active users have Alias maria \(a@x.example, b@x.example\)"):
        create_task(CreateRobotAgents, {"staffing": str(STAFFING)}, org_config=scratch_org())()


def test_an_agent_name_too_long_for_an_alias_is_an_options_error(tmp_path):
    staffing = tmp_path / "staffing.yml"
    staffing.write_text(STAFFING.read_text(encoding="utf-8").replace("name: maria", "name: mariagabriela"), encoding="utf-8")
    with pytest.raises(TaskOptionsError, match="mariagabriela cannot be a user Alias"):
        create_task(CreateRobotAgents, {"staffing": str(staffing)}, org_config=scratch_org())


def test_the_org_set_up_matches_the_offline_fixtures():
    """Offline and org agree: every Omni-Queue the fixtures and the offers suite name is deployed by a bundle."""
    deployed = {p.name.split(".")[0] for bundle in unpackaged_bundles(ROOT) for p in (bundle / "queues").glob("*.queue")}
    mapped = {entry["omni_queue"] for entry in yaml.safe_load(MAPPING.read_text(encoding="utf-8"))["mappings"]}
    named = set(__import__("re").findall(r"\bSCCAC_\w+", OFFERS_SUITE.read_text(encoding="utf-8")))
    assert mapped | named <= deployed
    agents = {a.name for a in read_staffing(STAFFING).agents}
    for agent in ("maria", "li", "sam"):
        assert agent in agents and f"    {agent}" in OFFERS_SUITE.read_text(encoding="utf-8")
