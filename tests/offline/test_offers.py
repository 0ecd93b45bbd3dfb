"""Offers in the offline system: Connect's routing to agents and the AgentWork Omni-Channel shows for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sccac.mappings.reader import parse_mapping_text
from sccac.offline.staffing import DEFAULT_STAFFING, AgentSpec, RoutingProfileSpec, Staffing, StaffingError, read_staffing
from sccac.offline.system import OfflineConfig, OfflineSystem
from sccac.testing import omni
from sccac.testing.connect.exceptions import InvalidParameterException

CHAT = "0f6b1c2e-0000-4000-8000-0000000000c{}"


def statuses(system: OfflineSystem, work_item: str) -> list[tuple[str, str]]:
    names = {system.salesforce_user_id(a.name): a.name for a in system.staffing.agents}
    return [(names[w.user_id], w.status) for w in system.org.work_for(work_item)]


def test_longest_idle_agent_gets_the_chat_and_capacity_makes_the_next_wait():
    staffing = Staffing((RoutingProfileSpec("Support Agents", ("Support",), {"CHAT": 1}),),
                        (AgentSpec("maria", "maria.agent", "Support Agents", "maria@x.example"),
                         AgentSpec("li", "li.agent", "Support Agents", "li@x.example")))
    with OfflineSystem(staffing=staffing) as system:
        system.set_agent_status("li", "Available")
        system.set_agent_status("maria", "Available")
        first = system.chat(CHAT.format(1))
        second = system.chat(CHAT.format(2))
        third = system.chat(CHAT.format(3))
        assert statuses(system, first.attributes["workItemId"]) == [("li", "Assigned")]  # idle longest
        assert statuses(system, second.attributes["workItemId"]) == [("maria", "Assigned")]
        assert statuses(system, third.attributes["workItemId"]) == []  # both at CHAT concurrency 1
        system.accept(first.contact_id)
        system.close(first.contact_id)  # li's slot frees up: the waiting chat is offered to li
        assert statuses(system, first.attributes["workItemId"]) == [("li", "Closed")]
        assert statuses(system, third.attributes["workItemId"]) == [("li", "Assigned")]


def test_decline_and_miss_go_to_the_next_agent_and_never_back():
    with OfflineSystem() as system:
        system.set_agent_status("maria", "Available")
        system.set_agent_status("li", "Available")
        chat = system.chat(CHAT.format(4))
        work_item = chat.attributes["workItemId"]
        system.decline(chat.contact_id)
        assert statuses(system, work_item) == [("maria", "Declined"), ("li", "Assigned")]
        system.wait(system.routing.offer_timeout_s)
        assert statuses(system, work_item) == [("maria", "Declined"), ("li", "DeclinedOnPushTimeout")]
        assert system.routing.user("li.agent").status == "Missed"  # Connect's status after a missed contact
        assert [w.contact_id for w in system.routing.waiting] == [chat.contact_id]  # waits for a third agent
        assert work_item in system.org.psrs  # the work still needs a rep


def test_accepting_deletes_the_pending_service_routing_and_a_retry_adds_no_offer():
    with OfflineSystem() as system:
        system.set_agent_status("maria", "Available")
        chat = system.chat(CHAT.format(5), {"clientId": "jane@example.com"})
        work_item = chat.attributes["workItemId"]
        assert system.org.psrs[work_item].routing_model == "ExternalRouting"
        system.chat(CHAT.format(5), {"clientId": "jane@example.com"})  # Connect runs the flow again
        system.accept(chat.contact_id)
        assert statuses(system, work_item) == [("maria", "Opened")]
        assert work_item not in system.org.psrs


def test_agent_transfer_offers_only_the_target_agent_and_marks_the_old_work_transferred():
    with OfflineSystem() as system:
        for agent in ("maria", "li", "sam"):
            system.set_agent_status(agent, "Available")
        chat = system.chat(CHAT.format(6))
        work_item = chat.attributes["workItemId"]
        system.accept(chat.contact_id)
        system.transfer_to_agent(chat, "sam.agent")  # sam's profile does not serve Support: the agent queue does
        assert statuses(system, work_item) == [("maria", "Transferred"), ("sam", "Assigned")]


def test_a_connect_user_without_a_routing_map_entry_gets_no_agent_work_and_says_why():
    with OfflineSystem() as system:
        user = system.routing.user("maria.agent")
        del system.org.routing_map[user.arn]
        system.set_agent_status("maria", "Available")
        chat = system.chat(CHAT.format(7))
        assert system.org.work_for(chat.attributes["workItemId"]) == []
        assert system.offer_errors == [
            f"Connect user {user.arn} has no CallCenterRoutingMap entry: Omni-Channel cannot show the offer of "
            f"{chat.attributes['workItemId']} to any Salesforce user. Map the Connect user to its Salesforce user."]


def test_salesforce_down_means_no_queue_and_no_offer():
    with OfflineSystem() as system:
        system.set_agent_status("maria", "Available")
        assert system.service is not None
        system.service.inject("/api/v1/interactions", status=503, count=3)
        chat = system.chat(CHAT.format(8))
        assert chat.outcome is not None and chat.outcome.kind.value == "disconnected"
        assert system.org.agent_work == [] and system.routing.offers == []


def test_case_offer_is_agent_work_on_the_case():
    with OfflineSystem() as system:
        system.set_agent_status("sam", "Available")
        billing = system.config.omni_queue("SCCAC_Billing").omni_queue_id
        system.case_task("500000000000201AAA", billing)
        [work] = system.org.work_for("500000000000201AAA")
        assert (work.status, work.service_channel, work.user_id) == (omni.ASSIGNED, "Case", system.salesforce_user_id("sam"))
        assert system.org.psrs["500000000000201AAA"].queue_id == billing


def test_routing_profile_and_staffing_errors_name_the_entry(tmp_path: Path):
    with OfflineSystem() as system:
        with pytest.raises(InvalidParameterException, match="routing profile Big: CHAT concurrency 11 is outside 0..10"):
            system.routing.create_routing_profile("Big", ["Support"], {"CHAT": 11})
    bad = tmp_path / "staffing.yml"
    bad.write_text("routing_profiles:\n  - name: A\n    queues: [Support]\nagents:\n"
                   "  - name: maria\n    connect_user: m\n    routing_profile: B\n    salesforce_user: m@x\n")
    with pytest.raises(StaffingError, match=r"staffing.yml: agents\[0\] \(maria\): routing_profile 'B' is not a routing "
                                            r"profile of the file \(it has: A\)"):
        read_staffing(bad)
    bad.write_text("routing_profiles: []\nagents: []\n")
    with pytest.raises(StaffingError, match="staffing.yml: routing_profiles: must be a non-empty list"):
        read_staffing(bad)


def test_a_mapping_naming_an_omni_queue_the_offline_org_lacks_is_refused():
    mapping = parse_mapping_text("mappings:\n  - omni_queue: SCCAC_Sales\n    connect_queue: Sales\n", Path("m.yml"))
    with pytest.raises(ValueError, match="m.yml:2: Omni-Queue SCCAC_Sales is not in the offline org"):
        OfflineConfig().with_mapping(mapping)


def test_the_robot_fixture_staffs_the_same_contact_center_as_the_demo():
    fixture = Path(__file__).resolve().parents[2] / "robot/SCCAC/resources/offline/staffing.yml"
    assert read_staffing(fixture) == DEFAULT_STAFFING


def test_an_offer_that_ends_unanswered_is_canceled():
    with OfflineSystem() as system:
        system.set_agent_status("maria", "Available")
        chat = system.chat(CHAT.format(9))
        system.close(chat.contact_id)  # the customer left before maria answered
        assert statuses(system, chat.attributes["workItemId"]) == [("maria", "Canceled")]
