"""`sccac mappings validate|status|export`: exit codes, messages with file and line, the org read through CumulusCI."""

from __future__ import annotations

import json

import pytest
import responses
from click.testing import CliRunner

from sccac.cli import main
from tests.salesforce.fake_org import FakeOrg

from .conftest import BILLING_ARN, SUPPORT_ARN


@pytest.fixture
def org(monkeypatch):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = FakeOrg(mock)
        fake.add("QueueRoutingConfig", Id="0K71", DeveloperName="Ext", RoutingModel="ExternalRouting")
        fake.add("Group", Id="00G1", DeveloperName="Support", Name="Support", QueueRoutingConfigId="0K71", Type="Queue")
        fake.add("Group", Id="00G2", DeveloperName="Billing", Name="Billing", QueueRoutingConfigId="0K71", Type="Queue")
        fake.add("Group", Id="00G3", DeveloperName="Plain", Name="Plain", QueueRoutingConfigId=None, Type="Queue")
        monkeypatch.setattr("sccac.salesforce.connection.org_client", lambda name: fake.sf)
        yield fake


def _run(*args: str):
    return CliRunner().invoke(main, ["mappings", *args])


def test_validate_a_good_file_without_an_org(write):
    path = write("mappings:\n  - omni_queue: Support\n    connect_queue: Support\n")
    result = _run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert f"{path}: 1 mappings, 0 errors, 0 warnings; file only" in result.output


def test_validate_takes_the_file_as_mapping_like_every_other_command(write, tmp_path):
    path = write("mappings:\n  - omni_queue: Support\n    connect_queue: Support\n")
    result = _run("validate", "--mapping", str(path))
    assert result.exit_code == 0, result.output
    assert f"{path}: 1 mappings" in result.output
    clash = _run("validate", "--mapping", str(path), str(tmp_path / "other.yml"))
    assert clash.exit_code == 2 and "two mapping files given" in clash.output


def test_validate_against_the_org_reports_each_error_with_line_and_exits_1(write, org):
    path = write("mappings:\n  - omni_queue: Support\n    connect_queue: Support\n"
                 "  - omni_queue: Plain\n    connect_queue: Plain\n  - omni_queue: Nope\n    connect_queue: X\n")
    result = _run("validate", str(path), "--org", "dev")
    assert result.exit_code == 1
    assert f"{path}:4: (Plain) error: the queue has no Omni-Channel routing configuration" in result.output
    assert f"{path}:6: (Nope) error: no queue with this developer name in the org" in result.output
    assert "2 errors, 0 warnings; against the org" in result.output


def test_unreadable_file_is_exit_2_without_traceback(tmp_path):
    result = _run("validate", str(tmp_path / "missing.yml"))
    assert result.exit_code == 2 and "no such file" in result.output and "Traceback" not in result.output
    bad = tmp_path / "bad.yml"
    bad.write_text("mappings: [", encoding="utf-8")
    result = _run("validate", str(bad))
    assert result.exit_code == 2 and f"{bad}:1: error: not valid YAML" in result.output


def test_status_lists_each_queue_state(org):
    org.add("Connect_Queue_Mapping__mdt", Omni_Queue__c="Support", Connect_Queue_Arn__c=SUPPORT_ARN,
            Connect_Queue_Name__c="Support", Active__c=True)
    result = _run("status", "--org", "dev", "--format", "json")
    assert result.exit_code == 0, result.output
    assert {r["omni_queue"]: r["state"] for r in json.loads(result.output)} == {"Support": "ok", "Billing": "unmapped"}
    text = _run("status", "--org", "dev").output
    assert text.splitlines()[0].split() == ["Omni-Queue", "Connect", "queue", "state"]
    assert "Billing" in text and "unmapped (add the queue to the mapping file" in text


def test_status_without_org_is_a_usage_error():
    result = _run("status")
    assert result.exit_code == 2 and "give --org" in result.output


def test_export_round_trips_the_deployed_file(write, org):
    text = ("version: 1\nmappings:\n  - omni_queue: Billing\n    connect_queue: Billing\n    create: true\n"
            "  - omni_queue: Support\n    connect_queue: " + SUPPORT_ARN + "\n    quick_connect: false\n")
    path = write(text)
    org.add("Connect_Queue_Mapping__mdt", Omni_Queue__c="Support", Connect_Queue_Arn__c=SUPPORT_ARN,
            Connect_Queue_Name__c="Support", Active__c=True)
    org.add("Connect_Queue_Mapping__mdt", Omni_Queue__c="Billing", Connect_Queue_Arn__c=BILLING_ARN,
            Connect_Queue_Name__c="Billing", Active__c=True)
    result = _run("export", "--org", "dev", "--out", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").split("version: 1\n", 1)[1] == text.split("version: 1\n", 1)[1]


def test_validate_and_status_against_the_connect_instance(write, org, monkeypatch):
    from sccac.testing.connect import ConnectBackend, ConnectFake
    from tests.connect.test_cli import FakeSession

    fake = ConnectFake(ConnectBackend(rate=1e9, burst=10**9))
    instance = fake.backend.create_instance(alias="sccac-dev")
    monkeypatch.setattr("sccac.connect.mapping.aws_session", lambda region, profile: FakeSession(fake))
    path = write("mappings:\n  - omni_queue: Support\n    connect_queue: BasicQueue\n"
                 "  - omni_queue: Billing\n    connect_queue: Billing Queue\n")
    result = _run("validate", str(path), "--org", "dev", "--instance-id", "sccac-dev")
    assert result.exit_code == 1, result.output
    assert f"{path}:4: (Billing) error: the Connect instance has no queue named 'Billing Queue'" in result.output
    assert "1 errors, 0 warnings; against the org and the Connect instance" in result.output
    gone = f"{instance.arn}/queue/9e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b49"
    org.add("Connect_Queue_Mapping__mdt", Omni_Queue__c="Support", Connect_Queue_Arn__c=gone,
            Connect_Queue_Name__c="Old", Active__c=True)
    result = _run("status", "--org", "dev", "--instance-id", "sccac-dev", "--format", "json")
    assert {r["omni_queue"]: r["state"] for r in json.loads(result.output)}["Support"] == "stale"
