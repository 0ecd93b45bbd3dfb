"""The dev_org setup steps after the deploy, end to end: the org behind simple-salesforce's HTTP (responses),
Secrets Manager behind moto, the Connect instance behind the fake; then a chat and a Case through the flows
as deployed; a second run changes nothing."""

from __future__ import annotations

import json

import boto3
import pytest
from cumulusci.core.config import OrgConfig
from cumulusci.core.exceptions import TaskOptionsError
from cumulusci.tasks.salesforce.tests.util import create_task
from moto import mock_aws

from python_tasks.connect import WireConnect
from python_tasks.interaction_auth import SetUpInteractionServiceAuth
from python_tasks.mappings import DeployQueueMappings, QueueMappingStatus, ValidateQueueMappings
from python_tasks.messaging import DeployConnectCredentials, DeployMessagingChannel
from python_tasks.routing import ConfigureCaseRouting
from sccac.flows.model import parse_flow
from sccac.flows.simulator import Contact, simulate
from sccac.flows.simulator_lambda import LambdaScript, ScriptedInvoker
from sccac.testing.connect import ConnectBackend, ConnectFake

IDENTIFIER = "2f6f6f7e-4b0a-4c59-9b8e-0c1d2e3f4a5b"
SESSION = "arn:aws:lambda:us-east-1:123456789012:function:sccac-CreateMessagingSession"
ROUTING = "arn:aws:lambda:us-east-1:123456789012:function:sccac-Routing"


class FakeSession:
    region_name = "us-east-1"

    def __init__(self, fake):
        self.fake = fake

    def client(self, service, config=None):
        if service != "connect":
            return boto3.client(service, region_name=self.region_name)  # moto answers
        return self.fake.client(max_attempts=1)

    def get_credentials(self):
        return object()


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        fake = ConnectFake(ConnectBackend(rate=1e9, burst=10**9))
        instance = fake.backend.create_instance(alias="sccac-dev")
        monkeypatch.setattr("sccac.connect.run.aws_session", lambda region, profile: FakeSession(fake))
        yield fake, instance


def _org(org):
    org.add("QueueRoutingConfig", Id="0K71", DeveloperName="SCCAC_External_Routing", RoutingModel="ExternalRouting")
    org.add("Group", Id="00G000000000001AAA", DeveloperName="SCCAC_Support", Name="SCCAC Support", QueueRoutingConfigId="0K71", Type="Queue")
    org.add("CallCenter", Id="04v1", InternalName="SCCAC")

    def made_by_deploy(files):
        """What the org holds after a deploy of these files (the Metadata API checked them already)."""
        names = set(files)
        if any(n.startswith("messagingChannels/") for n in names) and not org.tables.get("MessagingChannel"):
            org.add("MessagingChannel", Id="0Mj1", DeveloperName="SCCAC_Amazon_Connect_Chat", ChannelAddressIdentifier=IDENTIFIER)
            org.add("ConversationChannelDefinition", Id="0cd1", DeveloperName="SCCAC_Chat_Definition", MasterLabel="SCCAC Chat")
        if any(n.startswith("connectedApps/") for n in names) and not org.tables.get("ConnectedApplication"):
            org.add("ConnectedApplication", Id="0H41", Name="SCCAC Interaction Service")
        for name, data in sorted(files.items()):
            if name.startswith("customMetadata/Connect_Queue_Mapping."):
                fields = _values(data)
                org.tables["Connect_Queue_Mapping__mdt"] = [
                    r for r in org.tables.get("Connect_Queue_Mapping__mdt", []) if r["Omni_Queue__c"] != fields["Omni_Queue__c"]]
                org.add("Connect_Queue_Mapping__mdt", **fields)

    org.on_deploy.append(made_by_deploy)


def _values(data):
    """A deployed custom metadata record's field values, as SOQL on the type returns them."""
    from lxml import etree

    ns = {"md": "http://soap.sforce.com/2006/04/metadata"}
    tree = etree.ElementTree(etree.fromstring(data))
    values = {v.findtext("md:field", namespaces=ns): v.findtext("md:value", namespaces=ns) for v in tree.iterfind("md:values", ns)}
    values["Active__c"] = values.get("Active__c") == "true"
    return values


def _run_chain(tmp_path, org_config, mapping):
    out = tmp_path / "out"
    steps = [
        (DeployMessagingChannel, {"out": str(out / "messaging")}),
        (SetUpInteractionServiceAuth, {"out": str(out / "app")}),
        (DeployConnectCredentials, {"region": "us-east-1", "out": str(out / "creds")}),
        (ValidateQueueMappings, {"mapping": str(mapping)}),
        (WireConnect, {"instance_id": "sccac-dev", "region": "us-east-1", "mapping": str(mapping),
                       "session_lambda_arn": SESSION, "routing_lambda_arn": ROUTING, "out": str(out / "wiring.json"),
                       "skip_service_quotas": "True"}),
        (DeployQueueMappings, {"mapping": str(mapping), "wiring": str(out / "wiring.json"), "out": str(out / "records")}),
        (ConfigureCaseRouting, {"wiring": str(out / "wiring.json"), "out": str(out / "settings")}),
        (QueueMappingStatus, {}),
    ]
    results = {}
    for cls, options in steps:
        task = create_task(cls, options, org_config=org_config)
        task()
        results[cls.__name__] = task.return_values
    return results


@pytest.fixture
def org_config():
    return OrgConfig({"instance_url": "https://acme.my.salesforce.com", "org_id": "00D000000000002EAA",
                      "username": "admin@acme.example", "access_token": "t", "email_address": "admin@acme.example"}, "dev")


def test_the_chain_wires_both_sides_runs_contacts_and_converges(tmp_path, world, org, org_config, monkeypatch):
    fake, instance = world
    _org(org)
    mapping = tmp_path / "queue_mappings.yml"
    mapping.write_text("mappings:\n  - omni_queue: SCCAC_Support\n    connect_queue: SCCAC Support\n    create: true\n", encoding="utf-8")

    first = _run_chain(tmp_path, org_config, mapping)
    doc = json.loads((tmp_path / "out" / "wiring.json").read_text())
    support_arn = doc["queues"][0]["queue_arn"]
    assert first["QueueMappingStatus"] == {"states": {"SCCAC_Support": "ok"}}
    assert first["ConfigureCaseRouting"]["Contact_Flow_Id__c"] == doc["task_routing_flow_id"]
    secret = json.loads(boto3.client("secretsmanager", region_name="us-east-1").get_secret_value(SecretId="sccac/00D000000000002EAA")["SecretString"])
    assert secret["consumerKey"] and secret["privateKey"]

    # A chat through the inbound flow as deployed: the session Lambda gets the org's identifier, routing names the
    # mapped queue, and the contact is transferred there.
    flows = {f.name: parse_flow(f.content) for f in instance.flows.values()}
    invoker = ScriptedInvoker({
        SESSION: LambdaScript(returns={"conversationIdentifier": "c0ffee00-0000-4000-8000-000000000001",
                                       "workItemId": "0Mw000000000001AAA", "source": "SCCAC"}),
        ROUTING: LambdaScript(returns={"externalQueueId": support_arn, "psrId": "0JR000000000001AAA"}),
    })
    chat = simulate(flows["SCCAC Inbound Chat"], Contact(contact_id="c-1", channel="CHAT", instance_arn=instance.arn), invoker)
    assert chat.outcome is not None and chat.outcome.queue == support_arn
    assert any(IDENTIFIER in json.dumps(c.event) for c in invoker.calls if c.function_arn == SESSION)
    # A Case task contact with the attributes the Apex sends (queueId = the mapped queue's ARN).
    task = simulate(flows["SCCAC Task Routing"], Contact(contact_id="t-1", channel="TASK", instance_arn=instance.arn,
                                                         attributes={"queueId": support_arn, "workItemId": "500000000000001AAA"}))
    assert task.outcome is not None and task.outcome.queue == support_arn

    writes = [name for name in fake.backend.calls if not name.startswith(("Search", "List", "Describe", "Get"))]
    inserts, deploys = len(org.inserts), len(org.deployed)
    second = _run_chain(tmp_path, org_config, mapping)
    writes_again = [name for name in fake.backend.calls if not name.startswith(("Search", "List", "Describe", "Get"))]
    assert writes_again == writes  # the Connect side: no write
    assert len(org.inserts) == inserts  # no second link record, no second routing map row
    assert second["SetUpInteractionServiceAuth"]["secret"] == "unchanged"
    assert second["DeployQueueMappings"]["routing_map_created"] == 0
    assert second["WireConnect"] == first["WireConnect"]
    assert len(org.deployed) - deploys <= 5  # metadata deploys re-send the same files (a deploy of unchanged metadata changes nothing)


@pytest.mark.parametrize("text, expected", [
    ("mappings: [", "not valid YAML"),
    ("- a\n", "no 'mappings' list"),
    ("mappings: x\n", "'mappings' is not a list"),
    ("version: 9\nmappings: []\n", "unsupported version"),
    ("mappings:\n  - omni_queue: SCCAC_Support\n", "'connect_queue' is missing"),
    ("mappings:\n  - omni_queue: SCCAC Support\n    connect_queue: X\n", "not a queue API name"),
    ("mappings:\n  - omni_queue: SCCAC_Support\n    connect_queue: X\n    create: maybe\n", "not true or false"),
    ("mappings:\n  - omni_queue: SCCAC_Support\n    connect_queue: X\n    colour: red\n", "unknown key 'colour'"),
    ("mappings:\n  - omni_queue: SCCAC_Support\n    connect_queue: arn:aws:connect:x\n", "not an Amazon Connect queue ARN"),
    ("mappings:\n  - omni_queue: SCCAC_Support\n    connect_queue: A\n  - omni_queue: SCCAC_Support\n    connect_queue: B\n",
     "already mapped on line 2"),
    ("mappings:\n  - omni_queue: SCCAC_Support\n    connect_queue: Missing Queue\n", r"m.yml:2: \(SCCAC_Support\): Connect queue 'Missing Queue' does not exist and create is false"),
])
def test_bad_mapping_files_stop_the_wiring_before_any_write(tmp_path, world, org, org_config, text, expected):
    fake, _ = world
    _org(org)
    org.add("MessagingChannel", Id="0Mj1", DeveloperName="SCCAC_Amazon_Connect_Chat", ChannelAddressIdentifier=IDENTIFIER)
    mapping = tmp_path / "m.yml"
    mapping.write_text(text, encoding="utf-8")
    task = create_task(WireConnect, {"instance_id": "sccac-dev", "region": "us-east-1", "mapping": str(mapping),
                                     "session_lambda_arn": SESSION, "routing_lambda_arn": ROUTING, "skip_service_quotas": "True",
                                     "out": str(tmp_path / "wiring.json")}, org_config=org_config)
    with pytest.raises(TaskOptionsError, match=expected):
        task()
    assert not any(not name.startswith(("Search", "List", "Describe", "Get")) for name in fake.backend.calls)
    assert not (tmp_path / "wiring.json").exists()
