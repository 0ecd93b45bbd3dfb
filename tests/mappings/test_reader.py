"""The mapping file reader: entries with their lines, and every problem at once with line and fix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sccac.mappings.model import MappingFileError
from sccac.mappings.reader import MAX_FILE_BYTES, parse_mapping_text, read_mapping_file


def test_entries_keep_their_values_defaults_and_lines(write):
    path = write(
        "version: 1\n"
        "mappings:\n"
        "  - omni_queue: Support\n"
        "    connect_queue: Support\n"
        "    create: true\n"
        "    routing_profile: Basic Routing Profile\n"
        "  - omni_queue: Billing\n"
        "    connect_queue: Billing\n"
        "    quick_connect: false\n"
    )
    mapping = read_mapping_file(path)
    support, billing = mapping.entries
    assert (support.omni_queue, support.connect_queue, support.create, support.quick_connect) == ("Support", "Support", True, True)
    assert support.routing_profile == "Basic Routing Profile" and support.line == 3
    assert (billing.create, billing.quick_connect, billing.active, billing.line) == (False, False, True, 7)


def test_an_empty_routing_profile_means_none_and_values_are_trimmed(write):
    path = write(
        "mappings:\n"
        "  - omni_queue: ' Support '\n"
        "    connect_queue: ' Support Queue '\n"
        "    routing_profile:\n"
        "    active: false\n"
        "  - omni_queue: Billing\n"
        "    connect_queue: Billing\n"
        "    routing_profile: '  '\n"
    )
    support, billing = read_mapping_file(path).entries
    assert (support.omni_queue, support.connect_queue, support.routing_profile) == ("Support", "Support Queue", None)
    assert (support.create, support.quick_connect, support.active) == (False, True, False)
    assert billing.routing_profile is None


def test_every_problem_is_reported_with_its_line_and_entry(write):
    path = write(
        "mappings:\n"
        "  - omni_queue: Support\n"
        "    create: maybe\n"
        "    colour: blue\n"
        "  - just text\n"
    )
    with pytest.raises(MappingFileError) as caught:
        read_mapping_file(path)
    lines = str(caught.value).splitlines()
    assert f"{path}:2: (Support) error: 'connect_queue' is missing. Add 'connect_queue: <value>' to the entry." in lines
    assert any(line.startswith(f"{path}:3: (Support) error: 'create' is 'maybe'") for line in lines)
    assert any(line.startswith(f"{path}:4: (Support) error: unknown key 'colour'") for line in lines)
    assert any(line.startswith(f"{path}:5: (mappings[2]) error: is not a mapping of keys") for line in lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mappings: [\n", "not valid YAML"),
        ("- a\n- b\n", "the file has no 'mappings' list"),
        ("mappings: Support\n", "'mappings' is not a list"),
        ("version: 2\nmappings: []\n", "unsupported version"),
        ("mappings:\n  - omni_queue: [A, B]\n    connect_queue: X\n", "'omni_queue' has no single value"),
        ("a: 1\n---\nb: 2\n", "not valid YAML"),
    ],
)
def test_malformed_files_name_the_problem(write, text, expected):
    with pytest.raises(MappingFileError, match=expected):
        read_mapping_file(write(text))


def test_missing_folder_binary_and_oversize_files_are_clear_errors(tmp_path, write):
    with pytest.raises(MappingFileError, match="no such file"):
        read_mapping_file(tmp_path / "absent.yml")
    with pytest.raises(MappingFileError, match="is a folder"):
        read_mapping_file(tmp_path)
    binary = tmp_path / "b.yml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(MappingFileError, match="not UTF-8"):
        read_mapping_file(binary)
    with pytest.raises(MappingFileError, match="larger than"):
        read_mapping_file(write("#" * (MAX_FILE_BYTES + 1)))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_mapping_or_the_documented_error(text):
    from pathlib import Path

    try:
        mapping = parse_mapping_text(text, Path("m.yml"))
    except MappingFileError as exc:
        assert exc.problems and all(str(p.path) == "m.yml" for p in exc.problems)
    else:
        assert all(e.omni_queue is not None for e in mapping.entries)


_FRAGMENTS = [
    "mappings:", "version: 1", "  - omni_queue: Support", "    connect_queue: Support", "    create: true",
    "    create: 7", "    quick_connect: no", "    routing_profile:", "    active: ~", "  - [a, b]", "  -", "    x: {",
    "  - omni_queue: &a Billing", "    connect_queue: *a", "mappings: 3", "\t- bad", "    connect_queue: arn:aws:connect",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=12))
def test_any_yamlish_lines_give_a_mapping_or_the_documented_error(lines):
    from pathlib import Path

    try:
        mapping = parse_mapping_text("\n".join(lines), Path("m.yml"))
    except MappingFileError as exc:
        assert exc.problems
    else:
        assert all(e.omni_queue and e.connect_queue for e in mapping.entries)


def test_empty_values_and_labels_instead_of_api_names_are_refused(write):
    path = write("mappings:\n  - omni_queue: ''\n    connect_queue: Support\n  - omni_queue: Tier 1 Support\n    connect_queue: ' '\n")
    with pytest.raises(MappingFileError) as caught:
        read_mapping_file(path)
    text = str(caught.value)
    assert f"{path}:2: (mappings[1]) error: 'omni_queue' is empty" in text
    assert f"{path}:4: (Tier 1 Support) error: 'omni_queue' is not a queue API name" in text
    assert f"{path}:5: (Tier 1 Support) error: 'connect_queue' is empty" in text
