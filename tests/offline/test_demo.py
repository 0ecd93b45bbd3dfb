"""The offline mode runs the whole system and shows each contact ending where SCC-AC says."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sccac.cli import main
from sccac.flows.builders import FlowKind
from sccac.offline.system import OfflineSystem

CONTRACT = Path(__file__).resolve().parents[2] / "force-app/main/default/staticresources/SCCAC_Task_Contract.json"


def test_demo_command_prints_each_step_and_writes_artefacts(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "--no-svg"])
    assert result.exit_code == 0, result.output
    assert "0 lint findings" in result.output
    assert "transferred to queue 'Support'" in result.output
    assert "transferred to queue 'Billing'" in result.output
    assert "Salesforce keeps failing (3 attempts)\n      -> disconnected" in result.output
    assert "transferred to agent queue of maria.agent" in result.output
    assert "All contacts ended where SCC-AC says they should." in result.output
    assert "maria declines: the chat goes to li; AgentWork: maria Declined, li Assigned" in result.output
    assert "Case on SCCAC_Billing: task contact in Billing, AgentWork: sam Assigned" in result.output
    for kind in FlowKind:
        assert (out / "flows" / f"{kind.value}.json").exists()
        assert (out / "diagrams" / f"{kind.value}.mmd").exists()
    traces = json.loads((out / "traces.json").read_text())
    assert traces["chat"]["outcome"]["kind"] == "transferred_to_queue"


def test_chat_reaches_the_queue_mapped_to_the_channel_queue_with_one_round_trip_per_lambda_when_warm():
    with OfflineSystem() as system:
        system.chat("0f6b1c2e-0000-4000-8000-0000000000f1")  # cold: fetches the token too
        before = system.salesforce_round_trips
        trace = system.chat("0f6b1c2e-0000-4000-8000-0000000000f2")
        assert trace.outcome is not None and trace.outcome.queue == system.config.queue_arn("Support")
        assert system.salesforce_round_trips - before == 2  # one per Lambda invocation
        assert trace.attributes["source"] == "SCCAC"


def test_case_task_attributes_stand_in_follows_the_contract_the_apex_tests_check():
    """The static resource SCCAC_Task_Contract is what ConnectTaskRequestBuilderTest asserts in the org."""
    contract = json.loads(CONTRACT.read_text())
    with OfflineSystem() as system:
        mapped = system.config.omni_queue("SCCAC_Billing")
        unmapped = system.config.omni_queue("SCCAC_Back_Office")
        owners = {"mapped queue": mapped.omni_queue_id, "unmapped queue": unmapped.omni_queue_id, "user": "005000000000001AAA"}
        service_channel = "0N9000000000001CAA"
        for case in contract["cases"]:
            owner_id = owners[case["owner"]]
            attributes = system.case_task_attributes("500000000000009AAA", owner_id, service_channel)
            values = {
                "$case.id": "500000000000009AAA",
                "$case.ownerId": owner_id,
                "$serviceChannel.id": service_channel,
                "$mapping.connectQueueArn": system.config.mapped_queue_arn(owner_id),
            }
            expected = {
                key: values[source] if source.startswith("$") else source
                for key, source in contract["attributes"].items()
                if key in case["attributes"]
            }
            assert attributes == expected, case["owner"]


def test_case_client_token_stand_in_follows_the_contract_the_apex_tests_check():
    """ConnectTaskRequestBuilderTest checks the Apex ClientToken against the same template."""
    template = json.loads(CONTRACT.read_text())["clientToken"]
    expected = template.replace("$case.assignmentNumber", "3").replace("$case.id", "500000000000009AAA")
    assert OfflineSystem.case_client_token("500000000000009AAA", 3) == expected


def test_case_task_is_the_same_contact_for_one_assignment_whoever_owns_the_case():
    with OfflineSystem() as system:
        billing = system.config.omni_queue("SCCAC_Billing").omni_queue_id
        queued = system.case_task("500000000000003AAA", billing)
        accepted = system.case_task("500000000000003AAA", "005000000000001AAA")  # an agent took the work: same assignment
        reassigned = system.case_task("500000000000003AAA", billing, assignment_number=2)
        assert queued.contact_id == accepted.contact_id
        assert reassigned.contact_id != queued.contact_id


def test_case_task_attributes_stand_in_follows_the_unified_routing_contract():
    with OfflineSystem() as system:
        billing = system.config.omni_queue("SCCAC_Billing").omni_queue_id
        attributes = system.case_task_attributes("500000000000001AAA", billing)
        assert attributes == {
            "workItemId": "500000000000001AAA",
            "serviceChannelId": "0N9000000000001CAA",
            "externalRouting": "true",
            "groupId": billing,
            "queueId": system.config.queue_arn("Billing"),
        }
        assert "queueId" not in system.case_task_attributes("500000000000002AAA", "005000000000001AAA")


def test_transfers_route_the_existing_conversation_with_routing_type_transfer():
    with OfflineSystem() as system:
        chat = system.chat("0f6b1c2e-0000-4000-8000-0000000000f3")
        agent = system.transfer_to_agent(chat, "maria.agent")
        assert agent.outcome is not None and (agent.outcome.queue_kind, agent.outcome.queue) == ("agent", "maria.agent")
        queue = system.transfer_to_queue(chat, "Billing")
        assert queue.outcome is not None and queue.outcome.queue == system.config.queue_arn("Billing")
        calls = agent.lambda_calls + queue.lambda_calls
        assert [c.parameters["routingType"] for c in calls] == ["Transfer", "Transfer"]
        assert all(c.status == "ok" for c in calls)
        assert system.service is not None and len(system.service.sessions()) == 1  # no new session for a transfer
        routed = [(r.routing_type, r.work_item_id) for r in system.service.routings]
        work_item = chat.attributes["workItemId"]
        assert routed == [("Initial", work_item), ("Transfer", work_item), ("Transfer", work_item)]


def test_demo_out_paths_that_cannot_be_written_are_one_line_before_the_demo_runs(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("mine")
    blocked = tmp_path / "blocked"
    (blocked / "flows").parent.mkdir()
    (blocked / "flows").write_text("a file where the demo writes a folder")
    cases = {
        a_file: "is a file; give a folder",
        a_file / "demo": "is a file, not a folder",
        blocked: "flows is a file where the demo writes a folder",
    }
    for out, message in cases.items():
        result = CliRunner().invoke(main, ["demo", "--out", str(out), "--no-svg"])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "sccac offline demo" not in result.output
        assert result.stderr.count("\n") == 1 and message in result.stderr
    assert a_file.read_text() == "mine"
    assert (blocked / "flows").read_text() == "a file where the demo writes a folder"
