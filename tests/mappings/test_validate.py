"""Validation of a mapping file against the org's Omni-Queues and the Connect instance, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from sccac.mappings.model import MappingEntry, MappingFile, MappingFileError
from sccac.mappings.validate import check_mapping_file, require_valid

from .conftest import BILLING_ARN, INSTANCE, OTHER_INSTANCE, SUPPORT_ARN

PATH = Path("unpackaged/config/queue_mappings.yml")


def _file(*entries: MappingEntry) -> MappingFile:
    return MappingFile(PATH, tuple(entries))


def _messages(problems) -> list[str]:
    return [f"{p.line} {p.entry} {p.severity}: {p.message}" for p in problems]


def test_a_good_file_has_no_problems(omni_queues, instance):
    mapping = _file(MappingEntry("Support", "Support", line=2), MappingEntry("Billing", BILLING_ARN, line=4),
                    MappingEntry("Support2", "New Queue", create=True, line=6))
    queues = dict(omni_queues, Support2=omni_queues["Support"])
    assert check_mapping_file(mapping, queues, instance) == []
    assert require_valid(mapping, queues, instance) == []


def test_unknown_queue_names_a_close_match(omni_queues):
    problems = check_mapping_file(_file(MappingEntry("support", "Support", line=3)), omni_queues)
    assert _messages(problems) == ["3 support error: no queue with this developer name in the org"]
    assert "Did you mean 'Support'?" in problems[0].fix


def test_queues_that_are_not_externally_routed_omni_queues(omni_queues):
    problems = check_mapping_file(_file(MappingEntry("Sales", "Sales", line=2), MappingEntry("Legacy", "Legacy", line=5)), omni_queues)
    assert _messages(problems) == [
        "2 Sales error: its routing configuration 'Sales_Omni' routes by MostAvailable, not External Routing",
        "5 Legacy error: the queue has no Omni-Channel routing configuration, so it is not an Omni-Queue",
    ]


def test_duplicates_and_shared_connect_queues(omni_queues):
    problems = check_mapping_file(_file(
        MappingEntry("Support", "Support", line=2), MappingEntry("Billing", "Support", line=4),
        MappingEntry("Support", "Other", line=6)), omni_queues)
    assert _messages(problems) == [
        "6 Support error: the Omni-Queue is already mapped on line 2",
        "2 Support warning: Connect queue 'Support' is mapped from more than one Omni-Queue",
        "4 Billing warning: Connect queue 'Support' is mapped from more than one Omni-Queue",
    ]


def test_arns_of_another_instance_or_malformed(instance):
    other = f"{OTHER_INSTANCE}/queue/2e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b42"
    other_region = SUPPORT_ARN.replace("eu-west-2", "us-east-1")
    mapping = _file(MappingEntry("Support", other, line=2), MappingEntry("Billing", other_region, line=4),
                    MappingEntry("Sales", "arn:aws:connect:eu-west-2:123:queue/x", line=6))
    messages = _messages(check_mapping_file(mapping, None, instance))
    assert messages[0].startswith(f"2 Support error: the queue ARN belongs to {OTHER_INSTANCE}, not to the instance being wired")
    assert messages[1].startswith("4 Billing error: the queue ARN belongs to arn:aws:connect:us-east-1")
    assert messages[2] == "6 Sales error: 'arn:aws:connect:eu-west-2:123:queue/x' is not an Amazon Connect queue ARN"


def test_arns_of_two_instances_without_reading_connect():
    other = f"{OTHER_INSTANCE}/queue/2e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b42"
    problems = check_mapping_file(_file(MappingEntry("Support", SUPPORT_ARN, line=2), MappingEntry("Billing", other, line=4)))
    assert _messages(problems) == ["4 Billing error: the queue ARN is in another instance than the ARN on line 2"]


def test_queues_and_profiles_missing_in_connect(instance):
    gone = f"{INSTANCE}/queue/9e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b49"
    mapping = _file(MappingEntry("Support", "Tier 2", line=2), MappingEntry("Billing", gone, line=4),
                    MappingEntry("Sales", "Support", routing_profile="Night Shift", line=6),
                    MappingEntry("Legacy", SUPPORT_ARN, create=True, line=8))
    assert _messages(check_mapping_file(mapping, None, instance)) == [
        "2 Support error: the Connect instance has no queue named 'Tier 2'",
        "4 Billing error: no queue with this ARN in the Connect instance",
        "6 Sales error: the Connect instance has no routing profile named 'Night Shift'",
        "8 Legacy error: 'create: true' with a queue ARN",
    ]


def test_require_valid_raises_with_every_error_and_returns_warnings(omni_queues):
    with pytest.raises(MappingFileError) as caught:
        require_valid(_file(MappingEntry("Nope", "X", line=2), MappingEntry("Legacy", "Y", line=4)), omni_queues)
    assert [p.line for p in caught.value.problems] == [2, 4]
    assert str(caught.value).startswith(f"{PATH}:2: (Nope) error: no queue with this developer name in the org.")
    warnings = require_valid(_file(MappingEntry("Support", "Q", line=2), MappingEntry("Billing", "Q", line=4)), omni_queues)
    assert [p.severity for p in warnings] == ["warning", "warning"]
