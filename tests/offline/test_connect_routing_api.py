"""Agents set up and routed through a real boto3 Connect client: routing profiles, users, status, offers."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from sccac.clock import VirtualClock
from sccac.testing.connect.contacts import ContactOperations
from sccac.testing.connect.models import ConnectBackend
from sccac.testing.connect.responses import ConnectFake
from sccac.testing.connect.routing import ContactRouter
from sccac.testing.connect.routing_responses import RoutingOperations

FLOW = '{"Version": "2019-10-30", "StartAction": "a", "Actions": []}'


def test_an_admin_script_staffs_the_instance_and_a_chat_reaches_the_available_agent():
    backend = ConnectBackend(clock=VirtualClock(), rate=100.0, burst=100)
    fake = ConnectFake(backend)
    inst = backend.create_instance("routing-api")
    router = ContactRouter(backend, inst.id)
    RoutingOperations(fake, router)
    contacts = ContactOperations(fake, router)
    client = fake.client(max_attempts=1)
    hours = client.list_hours_of_operations(InstanceId=inst.id)["HoursOfOperationSummaryList"][0]["Id"]
    support = client.create_queue(InstanceId=inst.id, Name="Support", HoursOfOperationId=hours)["QueueId"]
    profile = client.create_routing_profile(
        InstanceId=inst.id, Name="Support Agents", Description="chat agents", DefaultOutboundQueueId=support,
        MediaConcurrencies=[{"Channel": "CHAT", "Concurrency": 2}],
        QueueConfigs=[{"QueueReference": {"QueueId": support, "Channel": "CHAT"}, "Priority": 1, "Delay": 0}])
    user = client.create_user(InstanceId=inst.id, Username="maria.agent", SecurityProfileIds=["agent"],
                              RoutingProfileId=profile["RoutingProfileId"], PhoneConfig={"PhoneType": "SOFT_PHONE"})
    statuses = {s["Name"]: s["Id"] for s in client.list_agent_statuses(InstanceId=inst.id)["AgentStatusSummaryList"]}
    flow = backend.create_contact_flow(inst.id, "Inbound", "CONTACT_FLOW", FLOW)
    chat = client.start_chat_contact(InstanceId=inst.id, ContactFlowId=flow.id, ParticipantDetails={"DisplayName": "Jane"})

    contacts.flow_queued(chat["ContactId"], "Support")
    assert router.offers == []  # maria is Offline: the chat waits
    client.put_user_status(InstanceId=inst.id, UserId=user["UserId"], AgentStatusId=statuses["Available"])
    assert [(o.contact_id, o.agent_id, o.state) for o in router.offers] == [(chat["ContactId"], user["UserId"], "offered")]
    router.accept(chat["ContactId"])
    described = client.describe_contact(InstanceId=inst.id, ContactId=chat["ContactId"])["Contact"]
    assert described["AgentInfo"]["Id"] == user["UserId"] and described["QueueInfo"]["Id"] == support
    assert client.describe_user(InstanceId=inst.id, UserId=user["UserId"])["User"]["RoutingProfileId"] == profile["RoutingProfileId"]

    with pytest.raises(ClientError, match="TASK, which has no concurrency"):
        client.create_routing_profile(
            InstanceId=inst.id, Name="Tasks", Description="task agents", DefaultOutboundQueueId=support,
            MediaConcurrencies=[{"Channel": "CHAT", "Concurrency": 1}],
            QueueConfigs=[{"QueueReference": {"QueueId": support, "Channel": "TASK"}, "Priority": 1, "Delay": 0}])
    with pytest.raises(ClientError, match="is not an agent status"):
        client.put_user_status(InstanceId=inst.id, UserId=user["UserId"], AgentStatusId="on-a-break")
