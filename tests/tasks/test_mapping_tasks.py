"""The mapping tasks: the org read through the task's own `self.sf`, errors as CumulusCI errors."""

from __future__ import annotations

import pytest
from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks.mappings import ExportQueueMappings, QueueMappingStatus, ValidateQueueMappings

ARN = "arn:aws:connect:eu-west-2:123456789012:instance/5f1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f80/queue/0e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b40"


@pytest.fixture(autouse=True)
def queues(org):
    org.add("QueueRoutingConfig", Id="0K71", DeveloperName="Ext", RoutingModel="ExternalRouting")
    org.add("Group", Id="00G1", DeveloperName="Support", Name="Support", QueueRoutingConfigId="0K71", Type="Queue")


def test_validate_passes_and_fails_on_the_org(tmp_path, org):
    good = tmp_path / "good.yml"
    good.write_text("mappings:\n  - omni_queue: Support\n    connect_queue: Support\n", encoding="utf-8")
    task = create_task(ValidateQueueMappings, {"mapping": str(good)})
    task()
    assert task.return_values == {"mappings": 1, "warnings": 0}
    bad = tmp_path / "bad.yml"
    bad.write_text("mappings:\n  - omni_queue: Sales\n    connect_queue: Sales\n", encoding="utf-8")
    with pytest.raises(CumulusCIFailure, match="1 mapping error"):
        create_task(ValidateQueueMappings, {"mapping": str(bad)})()


def test_unreadable_file_is_an_options_error(tmp_path, org):
    with pytest.raises(TaskOptionsError, match="no such file"):
        create_task(ValidateQueueMappings, {"mapping": str(tmp_path / "missing.yml")})()


def test_status_and_export(tmp_path, org):
    org.add("Connect_Queue_Mapping__mdt", Omni_Queue__c="Support", Connect_Queue_Arn__c=ARN, Connect_Queue_Name__c="Support", Active__c=True)
    task = create_task(QueueMappingStatus, {})
    task()
    assert task.return_values == {"states": {"Support": "ok"}}
    out = tmp_path / "exported.yml"
    create_task(ExportQueueMappings, {"out": str(out)})()
    assert "  - omni_queue: Support\n    connect_queue: Support\n" in out.read_text(encoding="utf-8")


def test_status_says_when_the_connect_credential_has_no_aws_keys(org):
    task = create_task(QueueMappingStatus, {"region": "eu-west-2"})
    task()
    assert task.return_values["credential"] == "missing"
    org.external_credentials["Amazon_Connect_eu_west_2_SigV4"] = [
        {"principalName": "Connect_Integration", "principalType": "NamedPrincipal", "authenticationStatus": "NotConfigured"}]
    task = create_task(QueueMappingStatus, {"region": "eu-west-2"})
    task()
    assert task.return_values["credential"] == "not configured"
    org.external_credentials["Amazon_Connect_eu_west_2_SigV4"][0]["authenticationStatus"] = "Configured"
    task = create_task(QueueMappingStatus, {"region": "eu-west-2"})
    task()
    assert task.return_values["credential"] == "configured"
