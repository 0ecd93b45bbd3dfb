"""wire_connect, deploy_queue_mappings and configure_case_routing: the chain from the mapping file to the org's records."""

from __future__ import annotations

import json

import pytest
from cumulusci.core.exceptions import TaskOptionsError
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks.connect import WireConnect
from python_tasks.mappings import DeployQueueMappings
from python_tasks.routing import ConfigureCaseRouting
from sccac.connect.errors import ConnectUsageError
from sccac.connect.stack import lambda_arns_from_stack

IDENTIFIER = "2f6f6f7e-4b0a-4c59-9b8e-0c1d2e3f4a5b"
SESSION = "arn:aws:lambda:us-east-1:123456789012:function:sccac-CreateMessagingSession"
ROUTING = "arn:aws:lambda:us-east-1:123456789012:function:sccac-Routing"
INSTANCE = "11111111-2222-4333-8444-555555555555"


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "queue_mappings.yml"
    path.write_text("mappings:\n  - omni_queue: Support\n    connect_queue: Support Queue\n    create: true\n"
                    "  - omni_queue: Billing\n    connect_queue: Billing Queue\n    create: true\n    quick_connect: false\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def omni(org):
    org.add("QueueRoutingConfig", Id="0K71", DeveloperName="Ext", RoutingModel="ExternalRouting")
    org.add("Group", Id="00G1", DeveloperName="Support", Name="Support", QueueRoutingConfigId="0K71", Type="Queue")
    org.add("Group", Id="00G2", DeveloperName="Billing", Name="Billing", QueueRoutingConfigId="0K71", Type="Queue")
    org.add("MessagingChannel", Id="0Mj1", DeveloperName="SCCAC_Amazon_Connect_Chat", ChannelAddressIdentifier=IDENTIFIER)
    return org


def _wire(tmp_path, mapping, **options):
    task = create_task(WireConnect, {"instance_id": INSTANCE, "offline": "True", "mapping": str(mapping),
                                     "session_lambda_arn": SESSION, "routing_lambda_arn": ROUTING,
                                     "out": str(tmp_path / "wiring.json"), **options})
    task()
    return task


def test_wiring_reads_the_channel_from_the_org_and_writes_the_document(tmp_path, mapping, omni):
    task = _wire(tmp_path, mapping)
    doc = json.loads((tmp_path / "wiring.json").read_text())
    assert doc == task.return_values
    assert doc["instance_id"] == INSTANCE and doc["task_routing_flow_id"]
    assert [q["omni_queue"] for q in doc["queues"]] == ["Support", "Billing"]
    assert all(q["queue_arn"].startswith("arn:aws:connect:") for q in doc["queues"])
    assert "quick_connect_arn" in doc["queues"][0] and "quick_connect_arn" not in doc["queues"][1]
    assert any("MessagingChannel" in q for q in omni.queries)


def test_wiring_is_skipped_with_one_line_without_instance_or_credentials(tmp_path, mapping, omni, monkeypatch, caplog):
    task = create_task(WireConnect, {"mapping": str(mapping)})
    task()
    assert task.return_values["skipped"].startswith("no instance_id")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    task = create_task(WireConnect, {"instance_id": INSTANCE, "region": "us-east-1", "mapping": str(mapping)})
    task()
    assert "no AWS credentials" in task.return_values["skipped"]
    assert not (tmp_path / "wiring.json").exists()


def test_wiring_options_are_checked(tmp_path, mapping, omni):
    with pytest.raises(TaskOptionsError, match="sam_stack or the two Lambda ARNs"):
        create_task(WireConnect, {"instance_id": INSTANCE, "sam_stack": "s", "session_lambda_arn": SESSION})
    with pytest.raises(TaskOptionsError, match="routing_lambda_arn"):
        _wire(tmp_path, mapping, routing_lambda_arn="")
    bad = tmp_path / "bad.yml"
    bad.write_text("mappings:\n  - omni_queue: Support\n", encoding="utf-8")
    with pytest.raises(TaskOptionsError, match="'connect_queue' is missing"):
        _wire(tmp_path, bad)


def test_lambda_arns_come_from_the_sam_stack_outputs():
    class CloudFormation:
        def __init__(self, outputs):
            self.outputs = outputs

        def describe_stacks(self, StackName):  # noqa: N803 - boto3 naming
            return {"Stacks": [{"StackName": StackName, "Outputs": self.outputs}]}

    outputs = [{"OutputKey": "CreateMessagingSessionFunctionArn", "OutputValue": SESSION},
               {"OutputKey": "RoutingFunctionArn", "OutputValue": ROUTING}]
    assert lambda_arns_from_stack(CloudFormation(outputs), "sccac") == (SESSION, ROUTING)
    with pytest.raises(ConnectUsageError, match="no output RoutingFunctionArn"):
        lambda_arns_from_stack(CloudFormation(outputs[:1]), "sccac")


def test_mapping_records_carry_the_wired_arns_and_mirror_the_routing_map(tmp_path, mapping, omni):
    _wire(tmp_path, mapping)
    omni.add("CallCenter", Id="04v1", InternalName="SCCAC")
    options = {"mapping": str(mapping), "wiring": str(tmp_path / "wiring.json"), "out": str(tmp_path / "records")}
    task = create_task(DeployQueueMappings, options)
    task()
    doc = json.loads((tmp_path / "wiring.json").read_text())
    support_arn = doc["queues"][0]["queue_arn"]
    record = (tmp_path / "records" / "customMetadata" / "Connect_Queue_Mapping.Support.md").read_text()
    assert support_arn in record and "Support Queue" in record
    assert omni.deployed == [tmp_path / "records"]
    assert task.return_values == {"deployed": 2, "unresolved": [], "routing_map_created": 2, "routing_map_updated": 0}
    created = {fields["ReferenceRecordId"]: fields for sobject, fields in omni.inserts if sobject == "CallCenterRoutingMap"}
    assert created["00G1"]["ExternalId"] == support_arn and created["00G1"]["QuickConnect"] == doc["queues"][0]["quick_connect_arn"]
    assert created["00G2"]["QuickConnect"] is None
    create_task(DeployQueueMappings, options)()
    assert len([1 for sobject, _ in omni.inserts if sobject == "CallCenterRoutingMap"]) == 2  # a re-run mirrors nothing twice


def test_mappings_without_wiring_deploy_what_has_an_arn(tmp_path, omni):
    arn = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/queue/0e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b40"
    path = tmp_path / "m.yml"
    path.write_text(f"mappings:\n  - omni_queue: Support\n    connect_queue: {arn}\n  - omni_queue: Billing\n    connect_queue: Billing\n",
                    encoding="utf-8")
    task = create_task(DeployQueueMappings, {"mapping": str(path), "wiring": str(tmp_path / "none.json"),
                                             "out": str(tmp_path / "records")})
    task()
    assert task.return_values["deployed"] == 1 and task.return_values["unresolved"] == ["Billing"]
    assert task.return_values["routing_map_created"] == 0


def test_case_routing_settings_take_the_wired_instance_and_flow(tmp_path, mapping, omni):
    task = create_task(ConfigureCaseRouting, {"wiring": str(tmp_path / "wiring.json")})
    task()
    assert "skipped" in task.return_values and omni.deployed == []
    _wire(tmp_path, mapping)
    doc = json.loads((tmp_path / "wiring.json").read_text())
    task = create_task(ConfigureCaseRouting, {"wiring": str(tmp_path / "wiring.json"), "out": str(tmp_path / "settings")})
    task()
    assert task.return_values == {"Connect_Instance_Id__c": INSTANCE, "Contact_Flow_Id__c": doc["task_routing_flow_id"],
                                  "Named_Credential__c": "Amazon_Connect_us_east_1", "Region__c": "us-east-1"}
    record = (tmp_path / "settings" / "customMetadata" / "Connect_Routing_Setting.Default.md").read_text()
    assert f'<value xsi:type="xsd:string">{doc["task_routing_flow_id"]}</value>' in record
    assert omni.deployed == [tmp_path / "settings"]


def test_rendered_settings_record_passes_the_metadata_schema(tmp_path):
    from sccac.checks.schema import validate_file
    from sccac.salesforce.routing_settings import render_routing_settings

    folder = render_routing_settings({"Connect_Instance_Id__c": INSTANCE, "Region__c": "us-east-1"}, tmp_path / "s")
    assert validate_file(folder / "customMetadata" / "Connect_Routing_Setting.Default.md") == []
    with pytest.raises(ValueError, match="no field Nope__c"):
        render_routing_settings({"Nope__c": "x"}, tmp_path / "t")


def test_the_channel_identifier_read_back_is_in_the_deployed_inbound_flow(tmp_path, mapping, omni, monkeypatch):
    import python_tasks.connect as connect_task

    runs = []
    real_open = connect_task.open_run
    monkeypatch.setattr(connect_task, "open_run", lambda options: runs.append(real_open(options)) or runs[-1])
    task = _wire(tmp_path, mapping)
    run = runs[0]
    inbound_id = task.return_values["inbound_chat_flow_id"]
    content = run.client.describe_contact_flow(InstanceId=INSTANCE, ContactFlowId=inbound_id)["ContactFlow"]["Content"]
    assert IDENTIFIER in content


def test_create_queues_creates_what_the_entries_do_not_ask_for(tmp_path, omni):
    path = tmp_path / "m.yml"
    path.write_text("mappings:\n  - omni_queue: Support\n    connect_queue: New Queue\n", encoding="utf-8")
    with pytest.raises(TaskOptionsError, match="does not exist and create is false"):
        _wire(tmp_path, path)
    task = _wire(tmp_path, path, create_queues="True")
    assert task.return_values["queues"][0]["connect_queue"] == "New Queue" and task.return_values["queues"][0]["queue_arn"]


def test_wiring_with_staffing_creates_the_agents_without_logging_their_password(tmp_path, mapping, omni, monkeypatch, caplog):
    marker = "Marker-Pw-7f3c9e1d"
    monkeypatch.setenv("SCCAC_CONNECT_AGENT_PASSWORD", marker)
    staffing = tmp_path / "staffing.yml"
    staffing.write_text("routing_profiles:\n  - name: Support Agents\n    queues: [Support Queue]\n    concurrency: {CHAT: 2, TASK: 1}\n"
                        "agents:\n  - name: maria\n    connect_user: maria.agent\n    routing_profile: Support Agents\n"
                        "    salesforce_user: maria@sccac.example\n", encoding="utf-8")
    caplog.set_level("DEBUG")
    task = _wire(tmp_path, mapping, staffing=str(staffing))
    [agent] = task.return_values["agents"]
    assert agent["connect_user"] == "maria.agent" and agent["user_arn"].startswith("arn:aws:connect:")
    assert agent["salesforce_user"] == "maria@sccac.example"
    assert any(r.getMessage() == "created agent user maria.agent" for r in caplog.records)  # one progress line per resource
    assert marker not in caplog.text and marker not in (tmp_path / "wiring.json").read_text()


def test_wiring_with_a_bad_staffing_file_names_file_entry_and_field(tmp_path, mapping, omni):
    staffing = tmp_path / "staffing.yml"
    staffing.write_text("routing_profiles:\n  - name: Support Agents\n    queues: [Support Queue]\n"
                        "agents:\n  - name: maria\n    routing_profile: Support Agents\n    salesforce_user: m@x.example\n",
                        encoding="utf-8")
    with pytest.raises(TaskOptionsError, match=r"staffing.yml: agents\[0\] \(maria\): connect_user: missing or not text"):
        _wire(tmp_path, mapping, staffing=str(staffing))


def test_scratch_org_ci_wires_the_robot_staffing_fixture():
    import yaml
    from pathlib import Path

    flows = yaml.safe_load(Path("cumulusci.yml").read_text(encoding="utf-8"))["flows"]
    fixture = "robot/SCCAC/resources/offline/staffing.yml"
    assert flows["ci_feature"]["steps"][3]["options"]["wire_connect"]["staffing"] == fixture
    step = next(s for s in flows["robot_org_setup"]["steps"].values() if s.get("task") == "wire_connect")
    assert step["options"]["staffing"] == fixture and Path(fixture).is_file()


def test_wire_connect_reads_the_cli_s_options_by_the_same_names(tmp_path):
    from sccac.connect.run import WiringOptions

    options = {"instance_id": "acme", "offline": "True", "session_lambda_arn": "arn:s", "routing_lambda_arn": "arn:r",
               "channel_address_identifier": "c", "retry_count": "5", "name_prefix": "Acme", "transcription": "False",
               "quick_connects": "False", "hours_of_operation": "Office", "project_tag": "p1", "rate": "1.5", "burst": "3",
               "retry_mode": "adaptive", "max_attempts": "4", "out": str(tmp_path / "w.json")}
    wiring = create_task(WireConnect, options)._wiring_options()
    assert wiring == WiringOptions(instance_id="acme", offline=True, session_lambda_arn="arn:s", routing_lambda_arn="arn:r",
                                   channel_address_identifier="c", retry_count=5, name_prefix="Acme", transcription=False,
                                   quick_connects=False, hours_of_operation="Office", project="p1", rate=1.5, burst=3,
                                   retry_mode="adaptive", max_attempts=4)


def test_wire_connect_still_takes_the_old_project_option_with_a_warning(tmp_path, caplog):
    from sccac.connect.run import WiringOptions

    base = {"instance_id": "acme", "offline": "True", "session_lambda_arn": "arn:s", "routing_lambda_arn": "arn:r",
            "channel_address_identifier": "c"}
    old = create_task(WireConnect, {**base, "project": "team-a"})
    assert old._wiring_options() == WiringOptions(instance_id="acme", offline=True, session_lambda_arn="arn:s",
                                                  routing_lambda_arn="arn:r", channel_address_identifier="c",
                                                  project="team-a")
    assert "Option project is deprecated; use project_tag" in caplog.text
    with pytest.raises(TaskOptionsError, match="Options project and project_tag are the same option"):
        create_task(WireConnect, {**base, "project": "team-a", "project_tag": "team-b"})
