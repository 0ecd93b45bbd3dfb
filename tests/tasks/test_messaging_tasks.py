"""deploy_messaging_channel and deploy_connect_credentials: render, deploy, link, read back; options checked first."""

from __future__ import annotations

import pytest
from cumulusci.core.exceptions import TaskOptionsError
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks.messaging import DeployConnectCredentials, DeployMessagingChannel

IDENTIFIER = "2f6f6f7e-4b0a-4c59-9b8e-0c1d2e3f4a5b"


def _channel_appears_on_deploy(org):
    """What the deploy makes: the channel with the identifier Salesforce assigns, and the package's definition."""
    real_deployed = org.deployed

    class Recorder(list):
        def append(self, path):
            super().append(path)
            if (path / "messagingChannels").is_dir():
                org.add("MessagingChannel", Id="0Mj1", DeveloperName="SCCAC_Amazon_Connect_Chat", ChannelAddressIdentifier=IDENTIFIER)
            if (path / "conversationChannelDefinitions").is_dir():
                org.add("ConversationChannelDefinition", Id="0cd1", DeveloperName="SCCAC_Chat_Definition", MasterLabel="SCCAC Chat Channel Definition")

    org.deployed = Recorder(real_deployed)


def test_channel_is_deployed_linked_once_and_its_identifier_returned(tmp_path, org, monkeypatch):
    _channel_appears_on_deploy(org)
    monkeypatch.setattr("python_tasks.support.deploy_folder", lambda task, path: org.deployed.append(path))
    task = create_task(DeployMessagingChannel, {"out": str(tmp_path / "render")})
    task()
    assert task.return_values == {"channel_address_identifier": IDENTIFIER, "channel_id": "0Mj1",
                                  "channel_definition": "SCCAC_Chat_Definition"}
    assert org.deployed == [tmp_path / "render"]
    assert (tmp_path / "render" / "messagingChannels" / "SCCAC_Amazon_Connect_Chat.messagingChannel").is_file()
    assert org.inserts == [("CustomMsgChannel", {"MessagingChannelId": "0Mj1", "ChannelDefinitionId": "0cd1"})]
    create_task(DeployMessagingChannel, {"out": str(tmp_path / "render")})()
    assert len(org.inserts) == 1  # a re-run links nothing twice


def test_the_orgs_sccac_definition_is_used_when_present(tmp_path, org, monkeypatch):
    org.add("ConversationChannelDefinition", Id="0cdS", DeveloperName="SCCAC_Chat", MasterLabel="Chat Channel Definition AWS SCC")
    org.add("MessagingChannel", Id="0Mj1", DeveloperName="SCCAC_Amazon_Connect_Chat", ChannelAddressIdentifier=IDENTIFIER)
    task = create_task(DeployMessagingChannel, {"out": str(tmp_path / "render")})
    task()
    assert task.return_values["channel_definition"] == "SCCAC_Chat"
    assert not (tmp_path / "render" / "conversationChannelDefinitions").exists()
    assert org.inserts == [("CustomMsgChannel", {"MessagingChannelId": "0Mj1", "ChannelDefinitionId": "0cdS"})]


def test_a_channel_without_identifier_names_the_missing_piece(tmp_path, org):
    org.add("ConversationChannelDefinition", Id="0cd1", DeveloperName="SCCAC_Chat_Definition", MasterLabel="x")
    with pytest.raises(TaskOptionsError, match="no messaging channel 'SCCAC_Amazon_Connect_Chat'; deploy it first"):
        create_task(DeployMessagingChannel, {"out": str(tmp_path / "render")})()


@pytest.mark.parametrize(("options", "named"), [
    ({"queue": "Not A Name"}, "queue"), ({"routing": "flow"}, "flow"), ({"channel_name": "9bad"}, "channel_developer_name"),
    ({"channel_label": "bad\x07label"}, "channel_label"),
])
def test_bad_channel_options_fail_before_anything_is_deployed(tmp_path, org, options, named):
    with pytest.raises(TaskOptionsError, match=named):
        create_task(DeployMessagingChannel, {"out": str(tmp_path / "render"), **options})
    assert org.deployed == [] and not (tmp_path / "render").exists()


def test_credentials_are_rendered_for_the_region_and_deployed(tmp_path, org):
    task = create_task(DeployConnectCredentials, {"region": "eu-west-2", "out": str(tmp_path / "creds")})
    task()
    assert task.return_values == {"named_credential": "Amazon_Connect_eu_west_2", "region": "eu-west-2"}
    assert org.deployed == [tmp_path / "creds"]
    text = (tmp_path / "creds" / "namedCredentials" / "Amazon_Connect_eu_west_2.namedCredential").read_text()
    assert "https://connect.eu-west-2.amazonaws.com" in text
    with pytest.raises(TaskOptionsError, match="region"):
        create_task(DeployConnectCredentials, {"region": "mars-1"})
