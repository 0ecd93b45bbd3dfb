"""The org backend's keywords against responses-backed Salesforce answers and the Connect fake.

Every SOQL field, sObject field and boto3 parameter the org backend sends is checked here: the
StrictFakeOrg rejects a field the object does not have, botocore rejects a parameter the Connect
or Participant Service model does not have.
"""

from __future__ import annotations

import pytest
import responses
from botocore.exceptions import ParamValidationError
from simple_salesforce.exceptions import SalesforceMalformedRequest

from ContactCenter import ContactCenter
from tests.robot_suites.org_world import OrgWorld
from tests.robot_suites.strict_org import SOBJECT_JAR


@pytest.fixture
def world():
    if not SOBJECT_JAR.exists():
        pytest.skip(f"{SOBJECT_JAR.name} (the sObject schema) is installed by `make setup` (npm ci)")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield OrgWorld(mock)


@pytest.fixture
def center(world):
    library = ContactCenter(backend="org", poll_interval=0)
    library._backend = world.backend()
    library._backend.start()
    return library


def test_chat_offer_accept_through_the_org_backend(world, center):
    center.agent_goes_available("maria")
    contact = center.start_chat_as_customer("jane@example.com")
    chat = world.participant.connections[f"connection-{contact}"]
    assert chat.messages == ["Hello from the sccac Robot suite"]  # the customer's first message went through
    assert world.connect_backend.instances[world.instance_id].contacts[-1].attributes == {"clientId": "jane@example.com"}

    session = world.inbound_flow_runs(contact)
    center.chat_contact_should_carry("workItemId", session)
    center.chat_should_be_queued_in("Support")
    center.chat_should_wait_for_an_agent()
    center.agent_should_be_offered_the_chat("maria")
    center.agent_accepts_the_offer("maria")
    assert [r["Status"] for r in world.agent_work()] == ["Opened"]
    assert world.agent_work()[0]["WorkItemId"] == session
    center.customer_should_have_one_messaging_session()

    center.stop_contact_center()
    assert chat.disconnected  # the suite ends the chats it started
    assert ("maria", "Offline") in world.browser.clicks


def test_declined_offer_goes_to_the_next_agent_and_the_keywords_see_it(world, center):
    center.agent_goes_available("maria")
    center.agent_goes_available("li")
    contact = center.start_chat_as_customer("olu@example.com")
    world.inbound_flow_runs(contact)
    center.agent_should_be_offered_the_chat("maria")
    center.agent_declines_the_offer("maria")
    center.offer_to_agent_should_have_status("maria", "Declined")
    center.agent_should_be_offered_the_chat("li")
    with pytest.raises(AssertionError, match="offered to maria"):
        center.agent_should_be_offered_the_chat("maria")


def test_nobody_offered_while_every_agent_is_offline(world, center):
    contact = center.start_chat_as_customer("ken@example.com")
    world.inbound_flow_runs(contact)
    center.nobody_should_be_offered_the_chat()
    center.agent_goes_available("li")
    center.agent_should_be_offered_the_chat("li")
    with pytest.raises(AssertionError, match="expected no open offer"):
        center.nobody_should_be_offered_the_chat()


def test_case_on_a_mapped_queue_and_its_teardown(world, center):
    center.agent_goes_available("maria")
    case_id = center.assign_case_to_queue("SCCAC_Support")
    assert world.org.inserts == [("Case", {"Subject": "sccac robot: Omni-Channel offer", "Origin": "Web",
                                           "OwnerId": "00G000000000001EAA"})]
    world.case_trigger_runs(case_id)
    center.task_contact_should_carry("workItemId", case_id)
    center.task_contact_should_not_carry("queueId")
    center.case_should_be_queued_in("Support")
    center.agent_should_be_offered_the_case("maria")
    center.stop_contact_center()
    assert world.org.deletes == [("Case", case_id)]


def test_case_routing_failure_is_reported_with_the_cases_error(world, center):
    case_id = center.assign_case_to_queue("SCCAC_Support")
    world.org.tables["Case"][-1].update(Connect_Routing_Status__c="Failed", Connect_Routing_Error__c="AccessDeniedException")
    with pytest.raises(AssertionError, match=f"Case {case_id} routing failed: AccessDeniedException"):
        center.task_contact_should_carry("workItemId", case_id)


def test_case_assigned_to_an_agents_user_is_owned_by_that_user(world, center):
    case_id = center.assign_case_to_user("li")
    assert world.org.tables["Case"][-1] == {"attributes": {"type": "Case"}, "Id": case_id, "Subject": "sccac robot: Omni-Channel offer",
                                             "Origin": "Web", "OwnerId": world.users["li.agent"]}


def test_unknown_omni_queue_names_the_fix(center):
    with pytest.raises(AssertionError, match="no Omni-Queue SCCAC_Nowhere in the org: deploy unpackaged/config/omni"):
        center.assign_case_to_queue("SCCAC_Nowhere")


def test_a_typo_in_a_soql_field_or_a_boto3_parameter_fails_here(world):
    with pytest.raises(SalesforceMalformedRequest, match="No such column 'Statuss' on entity 'AgentWork'"):
        world.org.sf.query("SELECT Id, Statuss FROM AgentWork WHERE WorkItemId = '0Mw000000000001AAA'")
    with pytest.raises(SalesforceMalformedRequest, match="No such column 'WorkItem' on entity 'PendingServiceRouting'"):
        world.org.sf.query("SELECT Id FROM PendingServiceRouting WHERE WorkItem = '0Mw000000000001AAA'")
    with pytest.raises(ParamValidationError, match="ContactFlowID"):
        world.fake.client().start_chat_contact(InstanceId=world.instance_id, ContactFlowID=world.flow.id,
                                               ParticipantDetails={"DisplayName": "x"})


def test_transfers_and_outages_skip_against_a_real_org(world, center):
    from robot.api import SkipExecution

    contact = center.start_chat_as_customer("rae@example.com")
    world.inbound_flow_runs(contact)
    for action in (lambda: center.transfer_the_chat_to_agent("li"), lambda: center.transfer_the_chat_to_queue("Billing"),
                   center.salesforce_stops_answering, center.connect_retries_the_chat,
                   lambda: center.lambda_should_have_been_called("session", 1)):
        with pytest.raises(SkipExecution):
            action()


def test_agents_variable_parses_and_names_a_bad_entry():
    from org_backend import parse_agents

    assert parse_agents("maria=maria@acme.com;li=li@acme.com") == {"maria": "maria@acme.com", "li": "li@acme.com"}
    with pytest.raises(ValueError, match="'li' is not name=username"):
        parse_agents("maria=maria@acme.com;li")


def test_the_offer_must_also_show_in_the_agents_omni_widget(world, center):
    """An AgentWork the agent's widget does not show (e.g. a presence status without the channel) fails the offer check."""
    contact = center.start_chat_as_customer("ida@example.com")
    session = world.inbound_flow_runs(contact)
    world.org.add("AgentWork", Id="0Bz000000000099AAA", WorkItemId=session, UserId=world.users["maria.agent"], Status="Assigned",
                  PendingServiceRoutingId=None)
    with pytest.raises(AssertionError, match="the widget of maria shows no offer"):
        center.agent_should_be_offered_the_chat("maria")


def test_teardown_closes_the_accepted_work_and_deletes_what_the_suite_made(world, center):
    center.agent_goes_available("maria")
    contact = center.start_chat_as_customer("joe@example.com")
    session = world.inbound_flow_runs(contact)
    center.agent_should_be_offered_the_chat("maria")
    center.agent_accepts_the_offer("maria")
    center.stop_contact_center()
    assert ("maria", "close work") in world.browser.clicks
    assert [r["Status"] for r in world.agent_work()] == ["Closed"]  # closed in the console, before going Offline
    assert ("MessagingSession", session) in world.org.deletes
    assert world.participant.connections[f"connection-{contact}"].disconnected


def test_teardown_stops_the_task_contact_of_a_case_it_created(world, center):
    case_id = center.assign_case_to_queue("SCCAC_Support")
    task = world.case_trigger_runs(case_id)
    center.stop_contact_center()
    assert world.org.deletes == [("Case", case_id)]
    described = world.fake.client(max_attempts=1).describe_contact(InstanceId=world.instance_id, ContactId=task)["Contact"]
    assert "DisconnectTimestamp" in described


def test_teardown_reports_what_it_could_not_delete_and_goes_on(world, center, monkeypatch):
    from simple_salesforce.api import SFType
    from simple_salesforce.exceptions import SalesforceResourceNotFound

    warnings: list[str] = []
    monkeypatch.setattr("org_backend.logger.warn", warnings.append)
    first = center.assign_case_to_queue("SCCAC_Support")
    second = center.assign_case_to_queue("SCCAC_Support")
    real_delete = SFType.delete

    def delete(self, record_id, *args, **kwargs):
        if record_id == first:
            raise SalesforceResourceNotFound("url", 404, "Case", "entity is deleted")
        return real_delete(self, record_id, *args, **kwargs)

    monkeypatch.setattr(SFType, "delete", delete)
    center.stop_contact_center()
    assert world.org.deletes == [("Case", second)]  # the second Case is deleted although the first one failed
    assert len(warnings) == 1 and f"Case {first} (SalesforceResourceNotFound" in warnings[0]


def test_agents_come_from_the_staffing_fixture_and_are_found_by_alias(world):
    from org_backend import DEFAULT_STAFFING, staffed_agents

    agents = staffed_agents(DEFAULT_STAFFING)
    assert agents == {"maria": None, "li": None, "sam": None}
    library = ContactCenter(backend="org", poll_interval=0)
    library._backend = world.backend({"maria": None, "li": None})
    library._backend.start()
    library.agent_goes_available("li")
    contact = library.start_chat_as_customer("kim@example.com")
    world.inbound_flow_runs(contact)
    library.agent_should_be_offered_the_chat("li")
    assert any("Alias = 'li'" in q for q in world.org.queries)
    world.org.tables["User"] = [u for u in world.org.tables["User"] if u["Alias"] != "maria"]
    fresh = world.backend({"maria": None})
    with pytest.raises(AssertionError, match="agent maria: 0 active users with Alias maria.*create_robot_agents"):
        fresh.assign_case_to_user("maria")


def test_connect_ids_come_from_wire_connects_output(tmp_path):
    from org_backend import wiring_values

    assert wiring_values(tmp_path / "missing.json") == {}
    wiring = tmp_path / "wiring.json"
    wiring.write_text('{"instance_id": "i-1", "inbound_chat_flow_id": "f-1", "queues": {}}', encoding="utf-8")
    assert wiring_values(wiring) == {"CONNECT_INSTANCE_ID": "i-1", "CONNECT_CHAT_FLOW_ID": "f-1"}
    wiring.write_text("{not json", encoding="utf-8")
    with pytest.raises(AssertionError, match="wiring.json: cannot read wire_connect's output"):
        wiring_values(wiring)


def test_agent_status_is_the_presence_the_widget_leaves_in_the_org(world, center):
    center.agent_goes_available("maria")
    center.agent_should_be("maria", "Available")
    with pytest.raises(AssertionError, match="li is Offline, expected Available"):
        center.agent_should_be("li", "Available")
    center.agent_goes_offline("maria")
    center.agent_should_be("maria", "Offline")
    assert any(q.startswith("SELECT Id, ServicePresenceStatusId FROM UserServicePresence") for q in world.org.queries)


def test_teardown_deletes_the_session_of_a_chat_no_keyword_looked_at(world, center):
    contact = center.start_chat_as_customer("lou@example.com")
    session = world.inbound_flow_runs(contact)
    center.stop_contact_center()
    assert world.org.deletes == [("MessagingSession", session)]
