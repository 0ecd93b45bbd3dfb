"""Org access through simple-salesforce: the real client's HTTP answered by a small fake org."""

from __future__ import annotations

import pytest
import responses

from sccac.mappings.sides import OmniQueue
from sccac.salesforce.org import (
    OrgSetupError,
    ensure_custom_msg_channel,
    find_contact_center,
    RoutingTarget,
    mirror_routing_map,
    read_channel_address_identifier,
    read_deployed_mappings,
    read_omni_queues,
    soql_quote,
)

from .fake_org import FakeOrg

ARN = "arn:aws:connect:eu-west-2:123456789012:instance/5f1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f80/queue/0e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b40"


@pytest.fixture
def org():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeOrg(mock)


def test_omni_queues_with_their_routing_configuration_across_pages(org):
    org.page_size = 2
    org.add("QueueRoutingConfig", Id="0K7000000000001", DeveloperName="Support_External", RoutingModel="ExternalRouting")
    org.add("Group", Id="00G1", DeveloperName="Support", Name="Support", QueueRoutingConfigId="0K7000000000001", Type="Queue")
    org.add("Group", Id="00G2", DeveloperName="Plain", Name="Plain", QueueRoutingConfigId=None, Type="Queue")
    org.add("Group", Id="00G3", DeveloperName="Third", Name="Third", QueueRoutingConfigId=None, Type="Queue")
    queues = read_omni_queues(org.sf)
    assert queues == [
        OmniQueue("00G1", "Support", "Support", "Support_External", "ExternalRouting"),
        OmniQueue("00G2", "Plain", "Plain", None, None),
        OmniQueue("00G3", "Third", "Third", None, None),
    ]
    assert queues[0].routes_externally and not queues[1].routes_externally


def test_deployed_mapping_records(org):
    org.add("Connect_Queue_Mapping__mdt", Omni_Queue__c="Support", Connect_Queue_Arn__c=ARN, Connect_Queue_Name__c="Support", Active__c=True)
    [record] = read_deployed_mappings(org.sf)
    assert (record.omni_queue, record.connect_queue_arn, record.connect_queue_name, record.active) == ("Support", ARN, "Support", True)


def test_channel_address_identifier_is_read_back_or_the_missing_piece_is_named(org):
    with pytest.raises(OrgSetupError, match="no messaging channel 'SCCAC_Chat'; deploy it first"):
        read_channel_address_identifier(org.sf, "SCCAC_Chat")
    org.add("MessagingChannel", Id="0Mj1", DeveloperName="SCCAC_Chat", ChannelAddressIdentifier=None)
    with pytest.raises(OrgSetupError, match="has no ChannelAddressIdentifier yet"):
        read_channel_address_identifier(org.sf, "SCCAC_Chat")
    org.tables["MessagingChannel"][0]["ChannelAddressIdentifier"] = "2f6f6f7e-4b0a-4c59-9b8e-0c1d2e3f4a5b"
    assert read_channel_address_identifier(org.sf, "SCCAC_Chat") == "2f6f6f7e-4b0a-4c59-9b8e-0c1d2e3f4a5b"


def test_names_with_quotes_cannot_change_the_query(org):
    assert soql_quote("O'Brien\\") == "'O\\'Brien\\\\'"
    with pytest.raises(OrgSetupError):
        read_channel_address_identifier(org.sf, "x' OR DeveloperName != '")
    assert org.queries[-1].endswith("WHERE DeveloperName = 'x\\' OR DeveloperName != \\''")


def test_link_record_is_created_once(org):
    assert ensure_custom_msg_channel(org.sf, "0Mj1", "0cd1") is True
    assert ensure_custom_msg_channel(org.sf, "0Mj1", "0cd1") is False
    assert org.inserts == [("CustomMsgChannel", {"MessagingChannelId": "0Mj1", "ChannelDefinitionId": "0cd1"})]
    with pytest.raises(OrgSetupError, match="linked to another channel definition"):
        ensure_custom_msg_channel(org.sf, "0Mj1", "0cd2")


def test_contact_center_none_one_or_several(org):
    assert find_contact_center(org.sf) is None
    org.add("CallCenter", Id="04v1", InternalName="SCCAC")
    assert find_contact_center(org.sf) == "04v1"
    org.add("CallCenter", Id="04v2", InternalName="Other")
    with pytest.raises(OrgSetupError, match=r"several contact centers \(Other, SCCAC\)"):
        find_contact_center(org.sf)
    assert find_contact_center(org.sf, "Other") == "04v2"
    with pytest.raises(OrgSetupError, match="no contact center .* named 'Nope'"):
        find_contact_center(org.sf, "Nope")


def test_routing_map_mirror_creates_updates_and_then_writes_nothing(org):
    support = OmniQueue("00G1", "Support", "Support", "cfg", "ExternalRouting")
    billing = OmniQueue("00G2", "Billing", "Billing", "cfg", "ExternalRouting")
    org.add("CallCenterRoutingMap", Id="0hn1", CallCenterId="04v1", ReferenceRecordId="00G2", ExternalId="old-arn", QuickConnect=None)
    quick = "arn:aws:connect:eu-west-2:123456789012:instance/5f1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f80/transfer-destination/q1"
    wanted = [RoutingTarget.for_queue(support, ARN, quick), RoutingTarget.for_queue(billing, ARN, None)]
    assert mirror_routing_map(org.sf, "04v1", wanted) == (1, 1)
    assert org.inserts == [("CallCenterRoutingMap", {
        "CallCenterId": "04v1", "ReferenceRecordId": "00G1", "ExternalId": ARN, "QuickConnect": quick,
        "DeveloperName": "Support_04v1", "MasterLabel": "Support",
    })]
    assert org.updates == [("CallCenterRoutingMap", "0hn1", {"ExternalId": ARN, "QuickConnect": None})]
    assert mirror_routing_map(org.sf, "04v1", wanted) == (0, 0)
    assert len(org.inserts) == 1 and len(org.updates) == 1
