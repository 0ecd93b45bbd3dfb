"""The wiring engine against the Connect fake: first run, re-run, interruption, throttling, ownership, drift, quotas."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from sccac.connect.desired import MANAGED_TAG, DesiredState, FlowInputs
from sccac.connect.drift import pull
from sccac.connect.errors import ConnectUsageError, PlanRefused, QuotaExceeded, StepFailed
from sccac.connect.mapping import QueueMapping
from sccac.connect.planner import Action, Kind, PlanOptions
from sccac.testing.connect import Faults
from sccac.testing.connect.harness import CHANNEL_ADDRESS, ROUTING_LAMBDA, SESSION_LAMBDA, FakeWorld, fake_world


def lower_bound(queues: int) -> int:
    # 2 Lambda associations + one queue and one quick connect per queue + the module + 4 flows
    return 2 + 2 * queues + 6


def assert_complete(world: FakeWorld, queues: int) -> None:
    """Every resource exactly once, ours, and the flows naming real ARNs."""
    inst = world.instance
    names = Counter(q.name for q in inst.queues.values())
    assert all(names[f"Queue {i}"] == 1 for i in range(queues))
    assert len(inst.queues) == queues + 1  # + BasicQueue
    assert sorted(f.name for f in inst.flows.values()) == [
        "SCCAC Agent Transfer", "SCCAC Disconnect Re-queue", "SCCAC Inbound Chat", "SCCAC Queue Transfer",
        "SCCAC Task Routing",
    ]
    assert [m.name for m in inst.modules.values()] == ["SCCAC Transcription Module"]
    assert sorted(q.name for q in inst.quick_connects.values()) == sorted(f"Queue {i}" for i in range(queues))
    assert sorted(inst.lambda_functions) == sorted([SESSION_LAMBDA, ROUTING_LAMBDA])
    for resource in [*inst.flows.values(), *inst.modules.values(), *inst.quick_connects.values()]:
        assert resource.tags[MANAGED_TAG] == "true"
    inbound = next(f for f in inst.flows.values() if f.name == "SCCAC Inbound Chat")
    module = next(iter(inst.modules.values()))
    assert module.arn in inbound.content
    # The inbound flow's Set disconnect flow names the deployed disconnect flow with re-queue.
    requeue = next(f for f in inst.flows.values() if f.name == "SCCAC Disconnect Re-queue")
    assert f'"CustomerRemaining": "{requeue.arn}"' in inbound.content.replace('":"', '": "')
    assert "00000000-0000" not in inbound.content  # no validation placeholder reached Connect


@pytest.mark.parametrize("queues", [0, 1, 10, 500])
def test_first_run_creates_everything_and_rerun_writes_nothing(queues: int) -> None:
    world = fake_world(queue_quota=1000, quick_connect_quota=1000)
    desired = world.desired(queues)
    first = world.apply(desired)
    assert first.stats.writes == first.plan.writes == lower_bound(queues)
    assert first.result.outcomes["created"] == lower_bound(queues)
    assert first.stats.throttled == 0  # paced to the same budget the fake enforces
    assert first.seconds >= (first.stats.calls - 5) / 2  # the quota bound: 2 a second after a burst of 5
    assert_complete(world, queues)

    again = world.apply(desired)
    assert again.stats.writes == 0
    assert again.stats.calls <= 25
    assert set(again.result.outcomes) == {"unchanged"}
    assert again.output == first.output


def test_output_document_names_what_salesforce_needs_and_the_task_flow_starts_tasks() -> None:
    world = fake_world()
    run = world.apply(world.desired(2))
    doc = json.loads(json.dumps(run.output))
    queues = {q.name: q for q in world.instance.queues.values()}
    assert [(q["omni_queue"], q["queue_arn"]) for q in doc["queues"]] == [
        ("Omni_0", queues["Queue 0"].arn), ("Omni_1", queues["Queue 1"].arn),
    ]
    assert doc["instance_id"] == world.instance.id
    client = world.engine.client
    task = client.start_task_contact(InstanceId=world.instance.id, ContactFlowId=doc["task_routing_flow_id"], Name="Case 00001001",
                                     Attributes={"queueId": doc["queues"][0]["queue_arn"]})
    assert world.instance.contacts[-1].id == task["ContactId"]


@pytest.mark.parametrize("outage_at", [2, 9, 14, 27, 33])
def test_interrupted_run_converges_without_duplicates(outage_at: int) -> None:
    world = fake_world(faults=Faults(fail_from=outage_at), max_attempts=2)
    desired = world.desired(10)
    with pytest.raises(StepFailed) as failure:
        world.apply(desired)
    assert failure.value.code == "InternalServiceException"
    assert failure.value.resource  # names the resource
    world.backend.faults.fail_from = None
    rerun = world.apply(desired)
    assert rerun.stats.writes <= lower_bound(10)
    assert_complete(world, 10)
    assert world.apply(desired).stats.writes == 0


def test_a_create_whose_answer_timed_out_is_not_duplicated() -> None:
    # Call 10 is the first CreateQueue (7 reads and 2 Lambda associations before it), call 25 a
    # CreateContactFlow: Connect creates the resource, the answer is lost, botocore retries and
    # gets DuplicateResourceException; the engine finds its own resource by name and goes on.
    world = fake_world(faults=Faults(timeout_calls={10, 25}))
    run = world.apply(world.desired(10))
    assert (run.stats.by_operation["CreateQueue"], run.stats.by_operation["CreateContactFlow"]) == (11, 6)
    assert run.stats.by_operation["SearchQueues"] == 2 and run.stats.by_operation["SearchContactFlows"] == 2
    assert_complete(world, 10)
    assert world.apply(world.desired(10)).stats.writes == 0


def test_thirty_percent_throttling_still_completes() -> None:
    world = fake_world(faults=Faults(throttle_percent=30, seed=3), queue_quota=100)
    desired = world.desired(60)
    run = world.apply(desired)
    assert run.stats.throttled > 20
    assert_complete(world, 60)
    world.backend.faults.throttle_percent = 0
    assert world.apply(desired).stats.writes == 0


def test_existing_unowned_queue_is_adopted_and_never_changed() -> None:
    world = fake_world()
    hours = next(iter(world.instance.hours))
    theirs = world.backend.create_queue(world.instance.id, "Queue 0", hours, description="made by hand")
    run = world.apply(world.desired(2))
    step = next(s for s in run.plan.steps if s.kind is Kind.QUEUE and s.name == "Queue 0")
    assert step.action is Action.ADOPT
    assert (theirs.description, theirs.tags) == ("made by hand", {})
    assert run.output["queues"][0]["queue_arn"] == theirs.arn
    assert sum(q.name == "Queue 0" for q in world.instance.queues.values()) == 1


def test_unowned_flow_with_other_content_is_refused_until_take_ownership() -> None:
    world = fake_world()
    desired = world.desired(1)
    world.apply(desired)
    flow = next(f for f in world.instance.flows.values() if f.name == "SCCAC Task Routing")
    flow.tags.clear()  # as if someone else made it
    world.backend.console_edit_flow(world.instance.id, flow.name, flow.content.replace("Disconnect", "Hang up"))
    edited = flow.content
    with pytest.raises(PlanRefused, match="SCCAC Task Routing.*--take-ownership"):
        world.apply(desired)
    assert world.meter.stats.writes == 0 and flow.content == edited
    run = world.apply(desired, PlanOptions(take_ownership=True))
    assert run.result.outcomes["updated"] == 1
    assert flow.content != edited and flow.tags[MANAGED_TAG] == "true"
    assert world.apply(desired).stats.writes == 0


def test_console_edited_flow_is_reported_by_plan_and_pull_and_refused_by_apply(tmp_path) -> None:
    world = fake_world()
    desired = world.desired(1)
    world.apply(desired)
    flow = next(f for f in world.instance.flows.values() if f.name == "SCCAC Inbound Chat")
    edited = flow.content.replace("Sorry, we cannot connect you", "Hello from the console")
    world.backend.console_edit_flow(world.instance.id, flow.name, edited)

    planned = world.plan(desired).plan
    step = next(s for s in planned.steps if s.name == "SCCAC Inbound Chat")
    assert (step.action, step.reason.split(" (")[0]) == (Action.REFUSE, "would overwrite console edits")
    with pytest.raises(PlanRefused, match="--overwrite-console-edits"):
        world.apply(desired)
    assert world.meter.stats.writes == 0 and flow.content == edited

    snap = world.plan(desired).snapshot
    report = {d.kind: d for d in pull(desired, snap, tmp_path)}
    assert report["inbound_chat"].state == "console-edited"
    assert "+" in report["inbound_chat"].diff and "Hello from the console" in report["inbound_chat"].diff
    assert (tmp_path / "inbound_chat.json").read_text().count("Hello from the console") == 1
    assert report["task_routing"].state == "same"

    run = world.apply(desired, PlanOptions(overwrite_console_edits=True))
    assert run.result.outcomes["updated"] == 1 and "Hello from the console" not in flow.content
    assert world.apply(desired).stats.writes == 0


def test_quota_exceeded_is_reported_before_any_write() -> None:
    world = fake_world(queue_quota=50)
    with pytest.raises(QuotaExceeded, match=r"queues: 1 in the instance \+ 60 to create = 61 > quota 50"):
        world.apply(world.desired(60))
    assert world.meter.stats.writes == 0


def test_mapping_to_a_missing_queue_with_creation_off_is_a_usage_error() -> None:
    world = fake_world()
    inputs = FlowInputs(SESSION_LAMBDA, ROUTING_LAMBDA, CHANNEL_ADDRESS, fallback_queue="BasicQueue")
    desired = DesiredState(world.instance.id, (QueueMapping("Support", "Support Queue", create=False),), inputs)
    with pytest.raises(ConnectUsageError, match="'Support Queue' does not exist and create is false"):
        world.plan(desired)


def test_routing_profile_gets_the_mapped_queues_once() -> None:
    world = fake_world()
    desired = world.desired(7, routing_profile="Basic Routing Profile")
    run = world.apply(desired)
    profile = next(iter(world.instance.routing_profiles.values()))
    ids = {q.id for q in world.instance.queues.values()}
    assert {qid for qid, _ in profile.queue_configs} == ids
    assert run.stats.by_operation["AssociateRoutingProfileQueues"] == 2  # 14 configs, 10 a call
    assert world.apply(desired).stats.writes == 0


def test_a_flow_connect_rejects_stops_the_run_naming_step_resource_code_and_problems() -> None:
    # A stale read (someone removed the association after it): the plan skips the association,
    # Connect refuses the flow that names the function, and the run stops there.
    from sccac.connect.applier import Applier
    from sccac.connect.planner import make_plan

    world = fake_world()
    desired = world.desired(1)
    snap = world.plan(desired).snapshot
    snap.lambda_functions.update(desired.flows.lambda_arns)
    plan = make_plan(desired, snap, world.quotas())
    with pytest.raises(StepFailed) as failure:
        Applier(world.engine.client, desired, snap).apply(plan)
    assert (failure.value.step, failure.value.resource, failure.value.code) == (
        "create flow", "SCCAC Disconnect Re-queue", "InvalidContactFlowException")
    assert f"Lambda function {SESSION_LAMBDA} is not associated with the instance" in str(failure.value)
    assert [q.name for q in world.instance.queues.values()] == ["BasicQueue", "Queue 0"]  # earlier steps stay applied
    world.apply(desired)
    assert_complete(world, 1)


def test_content_the_service_returns_reformatted_is_neither_a_change_nor_a_console_edit(tmp_path) -> None:
    """Connect may hand content back with other key order and whitespace than it was sent with: a re-run
    must still make no write, and pull must not call the flows edited."""
    from sccac.connect.drift import pull

    world = fake_world()
    world.backend.reformat_content = True
    desired = world.desired(2)
    world.apply(desired)
    inbound = next(f for f in world.instance.flows.values() if f.name == "SCCAC Inbound Chat")
    assert inbound.content.startswith("{\n")  # stored as the service would return it, not as sent
    again = world.apply(desired)
    assert again.stats.writes == 0 and set(again.result.outcomes) == {"unchanged"}
    snap = world.engine.read(desired)
    assert {d.state for d in pull(desired, snap, tmp_path)} == {"same"}
