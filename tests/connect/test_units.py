"""The pure parts: mapping validation, plan order, quotas from Service Quotas, the token bucket, the virtual clock."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from sccac.clock import VirtualClock
from sccac.connect.errors import ConnectUsageError
from sccac.connect.desired import DesiredState, FlowInputs
from sccac.connect.mapping import QueueMapping, load_mappings
from sccac.connect.pacing import TokenBucket
from sccac.connect.planner import Action, Kind
from sccac.connect.quotas import quotas_from_service_quotas
from sccac.errors import SccacFailure, SccacUsageError
from sccac.connect.errors import QuotaExceeded, StepFailed, PlanRefused
from sccac.testing.connect.harness import CHANNEL_ADDRESS, ROUTING_LAMBDA, SESSION_LAMBDA, fake_world

ARN = "arn:aws:connect:us-east-1:123456789012:instance/5f1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f80/queue/0e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b40"


def test_mapping_file_problems_all_come_at_once_as_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_text("mappings:\n  - omni_queue: Support\n    connect_queue: Support\n"
                    "  - omni_queue: Support\n    connect_queue: Other\n"
                    "  - omni_queue: Billing\n    connect_queue: arn:aws:connect:bad\n")
    with pytest.raises(ConnectUsageError) as caught:
        load_mappings(path)
    message = str(caught.value)
    assert "m.yml:4: (Support) error: the Omni-Queue is already mapped on line 2" in message
    assert "m.yml:6: (Billing) error: 'arn:aws:connect:bad' is not an Amazon Connect queue ARN" in message


def test_mapping_file_entries_become_the_wiring_inputs_and_inactive_ones_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_text(f"version: 1\nmappings:\n  - omni_queue: A\n    connect_queue: Q\n    create: true\n    routing_profile: Agents\n"
                    f"  - omni_queue: B\n    connect_queue: {ARN}\n    quick_connect: false\n"
                    "  - omni_queue: C\n    connect_queue: Old\n    active: false\n")
    assert load_mappings(path) == (
        QueueMapping("A", "Q", create=True, routing_profile="Agents"),
        QueueMapping("B", ARN, create=False, quick_connect=False),
    )


def test_queue_options_per_entry_decide_quick_connects_and_routing_profiles() -> None:
    world = fake_world()
    inputs = FlowInputs(SESSION_LAMBDA, ROUTING_LAMBDA, CHANNEL_ADDRESS)
    desired = DesiredState(world.instance.id, (
        QueueMapping("A", "Queue A", routing_profile="Basic Routing Profile"),
        QueueMapping("B", "Queue B", quick_connect=False),
    ), inputs)
    world.apply(desired)
    assert [q.name for q in world.instance.quick_connects.values()] == ["Queue A"]
    profile = next(iter(world.instance.routing_profiles.values()))
    named = {world.instance.queues[qid].name for qid, _ in profile.queue_configs}
    assert named == {"BasicQueue", "Queue A"}
    assert world.apply(desired).stats.writes == 0


def test_plan_orders_steps_as_connect_needs_them() -> None:
    world = fake_world()
    plan = world.plan(world.desired(2, routing_profile="Basic Routing Profile")).plan
    kinds = [s.kind for s in plan.steps]
    assert kinds == [Kind.LAMBDA] * 2 + [Kind.QUEUE] * 2 + [Kind.MODULE] + [Kind.FLOW] * 5 + [Kind.QUICK_CONNECT] * 2 + [Kind.ROUTING]
    assert [s.name for s in plan.steps if s.kind is Kind.FLOW] == [
        "SCCAC Disconnect Re-queue", "SCCAC Inbound Chat", "SCCAC Agent Transfer", "SCCAC Queue Transfer",
        "SCCAC Task Routing",
    ]
    assert {s.action for s in plan.steps} == {Action.CREATE, Action.UPDATE}
    assert world.meter.stats.writes == 0  # planning only reads


def test_quotas_come_from_service_quotas_or_the_defaults_with_the_reason() -> None:
    client = boto3.client("service-quotas", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_response("list_service_quotas", {"Quotas": [
            {"QuotaName": "Queues per instance", "Value": 600.0},
            {"QuotaName": "Quick connects per instance", "Value": 700.0},
            {"QuotaName": "Users per instance", "Value": 500.0},
        ]}, {"ServiceCode": "connect"})
        quotas = quotas_from_service_quotas(client)
    assert (quotas.queues, quotas.quick_connects, quotas.contact_flows, quotas.source) == (600, 700, 100, "Service Quotas")
    with Stubber(client) as stub:
        stub.add_client_error("list_service_quotas", "AccessDeniedException", "no")
        denied = quotas_from_service_quotas(client)
    assert (denied.queues, denied.source) == (50, "Amazon Connect defaults (Service Quotas: AccessDeniedException)")


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    clock = VirtualClock()
    bucket = TokenBucket(clock, rate=2.0, burst=5)
    for _ in range(5):
        bucket.acquire()
    assert clock.monotonic() == 0.0
    for _ in range(4):
        bucket.acquire()
    assert clock.monotonic() == pytest.approx(2.0)


def test_virtual_clock_moves_only_when_slept() -> None:
    clock = VirtualClock(start=100.0)
    clock.sleep(2.5)
    assert (clock.time(), clock.monotonic(), clock.sleeps) == (102.5, 2.5, 1)
    with pytest.raises(ValueError):
        clock.sleep(-1)


def test_errors_split_into_usage_and_failure_with_exit_codes() -> None:
    assert issubclass(ConnectUsageError, SccacUsageError) and issubclass(PlanRefused, SccacUsageError)
    assert issubclass(StepFailed, SccacFailure) and issubclass(QuotaExceeded, SccacFailure)
    assert (SccacUsageError.exit_code, SccacFailure.exit_code) == (2, 1)
    failure = StepFailed("create queue", "Support", "AccessDeniedException", "not allowed")
    assert str(failure).startswith("create queue 'Support' failed: AccessDeniedException: not allowed")
