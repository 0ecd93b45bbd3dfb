"""Mapping status per Omni-Queue, and the export that writes the file back from the org."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sccac.mappings.export import dump_mapping_file, entries_from_records
from sccac.mappings.model import MappingEntry
from sccac.mappings.reader import parse_mapping_text, read_mapping_file
from sccac.mappings.status import MappingState, RoutingMapEntry, mapping_status
from sccac.salesforce.render import QueueMapping

from .conftest import BILLING_ARN, INSTANCE, SUPPORT_ARN

GONE_ARN = f"{INSTANCE}/queue/9e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b49"


def _states(rows):
    return {r.omni_queue: r.state for r in rows}


def test_each_state_is_reported(omni_queues, instance):
    queues = list(omni_queues.values())
    deployed = [
        QueueMapping("Support", SUPPORT_ARN, "Support"),
        QueueMapping("Legacy", BILLING_ARN, "Billing"),
        QueueMapping("Sales", GONE_ARN, "Old"),
        QueueMapping("Sales", BILLING_ARN, "Billing"),
        QueueMapping("Ghost", BILLING_ARN, "Billing"),
        QueueMapping("Billing", BILLING_ARN, "Billing", active=False),
    ]
    rows = mapping_status(queues, deployed, instance)
    assert _states(rows) == {
        "Billing": MappingState.UNMAPPED,  # its only record is inactive
        "Ghost": MappingState.UNKNOWN_QUEUE,
        "Legacy": MappingState.MISSING_ROUTING_CONFIGURATION,
        "Sales": MappingState.DUPLICATE,
        "Support": MappingState.OK,
    }
    assert [r.omni_queue for r in rows] == sorted(r.omni_queue for r in rows)
    assert next(r for r in rows if r.omni_queue == "Billing").advice.startswith("add the queue to the mapping file")


def test_stale_only_when_connect_was_read(omni_queues, instance):
    deployed = [QueueMapping("Support", GONE_ARN, "Support")]
    assert _states(mapping_status(list(omni_queues.values()), deployed, instance))["Support"] == MappingState.STALE
    assert _states(mapping_status(list(omni_queues.values()), deployed, None))["Support"] == MappingState.OK


def test_not_mirrored_in_the_contact_center(omni_queues):
    deployed = [QueueMapping("Support", SUPPORT_ARN, "Support"), QueueMapping("Billing", BILLING_ARN, "Billing")]
    routing_map = [RoutingMapEntry(omni_queues["Support"].id, SUPPORT_ARN), RoutingMapEntry(omni_queues["Billing"].id, SUPPORT_ARN)]
    states = _states(mapping_status(list(omni_queues.values()), deployed, None, routing_map))
    assert states == {"Support": MappingState.OK, "Billing": MappingState.NOT_MIRRORED}


def test_export_of_a_deployed_file_gives_the_same_file(write):
    text = dump_mapping_file(list(parse_mapping_text(
        "mappings:\n"
        "  - omni_queue: Support\n    connect_queue: Support\n    create: true\n    routing_profile: Basic Routing Profile\n"
        "  - omni_queue: Billing\n    connect_queue: " + BILLING_ARN + "\n    quick_connect: false\n",
        write("x").parent / "x").entries))
    path = write(text)
    current = read_mapping_file(path)
    deployed = [QueueMapping("Support", SUPPORT_ARN, "Support"), QueueMapping("Billing", BILLING_ARN, "Billing")]
    exported = dump_mapping_file(sorted(entries_from_records(deployed, current), key=lambda e: e.line or 0))
    assert {e.omni_queue: e for e in read_mapping_file(write(exported, "again.yml")).entries}.keys() == {"Support", "Billing"}
    assert sorted(text.splitlines()) == sorted(exported.splitlines())


def test_export_without_a_file_names_queues_and_keeps_inactive_ones():
    deployed = [QueueMapping("Support", SUPPORT_ARN, "Support"), QueueMapping("Billing", BILLING_ARN, "", active=False)]
    text = dump_mapping_file(entries_from_records(deployed))
    assert "  - omni_queue: Billing\n    connect_queue: " + BILLING_ARN + "\n    active: false\n" in text
    assert "  - omni_queue: Support\n    connect_queue: Support\n" in text


_names = st.from_regex(r"[A-Za-z](?:[A-Za-z0-9]|_(?!_)){0,20}[A-Za-z0-9]", fullmatch=True)
_queues = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_names, _queues, st.booleans(), st.booleans(), st.booleans()), max_size=6, unique_by=lambda t: t[0]))
def test_any_entries_survive_dump_and_read(tmp_path_factory, items):
    entries = [MappingEntry(omni, queue, create, quick, None, active) for omni, queue, create, quick, active in items]
    path = tmp_path_factory.mktemp("roundtrip") / "m.yml"
    path.write_text(dump_mapping_file(entries), encoding="utf-8")
    read = read_mapping_file(path).entries
    assert [(e.omni_queue, e.connect_queue, e.create, e.quick_connect, e.active) for e in read] == [
        (e.omni_queue, e.connect_queue, e.create, e.quick_connect, e.active) for e in entries
    ]


def test_invalid_arns_and_queues_omni_channel_routes_itself(omni_queues, instance):
    from .conftest import OTHER_INSTANCE

    queues = list(omni_queues.values())
    other = f"{OTHER_INSTANCE}/queue/2e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b42"
    deployed = [QueueMapping("Support", other, "Support"), QueueMapping("Billing", "arn:aws:connect:bad", "Billing"),
                QueueMapping("Sales", SUPPORT_ARN, "Support")]
    states = _states(mapping_status(queues, deployed, instance))
    assert states["Support"] == MappingState.INVALID_ARN and states["Billing"] == MappingState.INVALID_ARN
    assert states["Sales"] == MappingState.NOT_EXTERNAL_ROUTING
    # Without the instance read, a well-formed ARN of another instance cannot be told apart.
    assert _states(mapping_status(queues, deployed, None))["Support"] == MappingState.OK
