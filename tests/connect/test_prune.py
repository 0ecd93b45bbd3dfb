"""`sccac connect prune`: only what this project created and the mapping no longer names, listed first, deleted on request."""

from __future__ import annotations

import pytest

from sccac.connect.errors import StepFailed
from sccac.connect.prune import apply_prune, prune_plan
from sccac.testing.connect.harness import fake_world


def _names(items):
    return [item.label for item in items]


def test_unmapped_queues_and_their_quick_connects_are_listed_then_deleted_and_a_rerun_converges():
    world = fake_world()
    world.apply(world.desired(3))
    smaller = world.desired(1)
    snap = world.engine.read(smaller)
    items = prune_plan(smaller, snap)
    assert _names(items) == ["quick connect Queue 1", "quick connect Queue 2", "queue Queue 1", "queue Queue 2"]
    assert "BasicQueue" not in str(items)  # Connect's own queue carries no sccac tags
    apply_prune(world.engine.client, smaller.instance_id, items)
    assert sorted(q.name for q in world.instance.queues.values()) == ["BasicQueue", "Queue 0"]
    assert prune_plan(smaller, world.engine.read(smaller)) == []
    again = world.apply(smaller)
    assert again.stats.writes == 0


def test_resources_of_another_project_or_created_by_hand_are_never_candidates():
    world = fake_world()
    world.apply(world.desired(2, project="other-team"))
    hours = next(iter(world.instance.hours))
    world.backend.create_queue(world.instance.id, "Hand Made", hours)
    empty = world.desired(0)
    assert prune_plan(empty, world.engine.read(empty)) == []


def test_a_queue_still_in_use_stops_the_prune_naming_it():
    world = fake_world()
    world.apply(world.desired(2, routing_profile="Basic Routing Profile"))
    smaller = world.desired(1)
    items = [i for i in prune_plan(smaller, world.engine.read(smaller)) if i.kind == "queue"]
    with pytest.raises(StepFailed, match="delete queue 'Queue 1' failed: ResourceInUseException"):
        apply_prune(world.engine.client, smaller.instance_id, items)


def test_the_command_lists_first_and_deletes_only_with_yes(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sccac.cli import main
    from sccac.testing.connect import ConnectBackend, ConnectFake
    from sccac.testing.connect.deletes import Deletes
    from tests.connect.test_cli import FakeSession, args

    fake = ConnectFake(ConnectBackend(rate=1e9, burst=10**9))
    Deletes(fake)
    instance = fake.backend.create_instance(alias="sccac-dev")
    monkeypatch.setattr("sccac.connect.run.aws_session", lambda region, profile: FakeSession(fake))
    two = tmp_path / "two.yml"
    two.write_text("mappings:\n  - omni_queue: A\n    connect_queue: Qa\n    create: true\n"
                   "  - omni_queue: B\n    connect_queue: Qb\n    create: true\n", encoding="utf-8")
    one = tmp_path / "one.yml"
    one.write_text("mappings:\n  - omni_queue: A\n    connect_queue: Qa\n    create: true\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, args("apply", two, "--out", str(tmp_path / "w.json"))).exit_code == 0
    listed = runner.invoke(main, args("prune", one))
    assert listed.exit_code == 0, listed.output
    assert "- delete   quick connect Qb" in listed.output and "- delete   queue Qb" in listed.output
    assert "run again with --yes" in listed.output and any(q.name == "Qb" for q in instance.queues.values())
    deleted = runner.invoke(main, args("prune", one, "--yes"))
    assert deleted.exit_code == 0 and "deleted 2 resource(s)" in deleted.output
    assert not any(q.name == "Qb" for q in instance.queues.values())
    assert "nothing to delete" in runner.invoke(main, args("prune", one)).output
