"""Property: from any mix of resources already there (ours, half-done or someone else's), apply converges."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sccac.connect.desired import MANAGED_TAG, PROJECT_TAG
from sccac.testing.connect.harness import fake_world

OURS = {MANAGED_TAG: "true", PROJECT_TAG: "sccac"}


@settings(max_examples=10, deadline=None)
@given(queues=st.integers(0, 6), existing=st.lists(st.sampled_from(["ours", "theirs", "missing"]), min_size=6, max_size=6),
       lambdas=st.integers(0, 2))
def test_apply_converges_from_any_starting_point(queues: int, existing: list[str], lambdas: int) -> None:
    world = fake_world()
    hours = next(iter(world.instance.hours))
    theirs = set()
    for i in range(queues):
        if existing[i] != "missing":
            q = world.backend.create_queue(world.instance.id, f"Queue {i}", hours, tags=OURS if existing[i] == "ours" else None)
            if existing[i] == "ours":
                q.description = "SCC-AC queue managed by sccac (project sccac)"
            else:
                theirs.add(q.id)
    desired = world.desired(queues)
    for arn in desired.flows.lambda_arns[:lambdas]:
        world.backend.associate_lambda_function(world.instance.id, arn)
    missing_queues = sum(1 for i in range(queues) if existing[i] == "missing")
    first = world.apply(desired)
    assert first.stats.writes == 2 - lambdas + missing_queues + queues + 6
    assert first.result.outcomes["adopted"] == len(theirs)
    assert sorted(q.name for q in world.instance.queues.values()) == sorted(["BasicQueue", *(f"Queue {i}" for i in range(queues))])
    assert all(not world.instance.queues[qid].tags for qid in theirs)  # never tagged or changed
    assert world.apply(desired).stats.writes == 0
