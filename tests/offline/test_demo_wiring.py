"""The offline system starts from the mapping file: validated, wired into the Connect fake, flows run as deployed."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sccac.cli import main
from sccac.flows.builders import FlowKind
from sccac.mappings.reader import read_mapping_file
from sccac.offline.demo import SAMPLE_MAPPING
from sccac.offline.system import OfflineConfig, OfflineSystem


def test_flows_and_queue_arns_come_from_the_wired_instance():
    config = OfflineConfig().with_mapping(read_mapping_file(SAMPLE_MAPPING))
    with OfflineSystem(config) as system:
        instance = system.connect.instance(system.config.instance_id)
        queues = {q.name: q.arn for q in instance.queues.values()}
        assert system.config.queue_arn("Support") == queues["Support"]
        deployed = {f.name: json.loads(f.content) for f in instance.flows.values()}
        inbound = system.flow(FlowKind.INBOUND_CHAT)
        assert json.loads(inbound.to_json()) == deployed["SCCAC Inbound Chat"]
        assert system.wiring is not None and "0 updated" in system.wiring.summary
        trace = system.chat("c-1", {"clientId": "jane@example.com"})
        assert trace.outcome is not None and trace.outcome.queue == queues["Support"]


def test_a_mapping_of_the_back_office_queue_routes_its_cases_there(tmp_path):
    path = tmp_path / "m.yml"
    path.write_text("mappings:\n  - omni_queue: SCCAC_Support\n    connect_queue: Support\n"
                    "  - omni_queue: SCCAC_Back_Office\n    connect_queue: Back Office\n    create: true\n", encoding="utf-8")
    config = OfflineConfig().with_mapping(read_mapping_file(path))
    with OfflineSystem(config) as system:
        back_office = system.config.omni_queue("SCCAC_Back_Office").omni_queue_id
        trace = system.case_task("500000000000001AAA", back_office)
        instance = system.connect.instance(system.config.instance_id)
        assert trace.outcome is not None
        assert trace.outcome.queue == next(q.arn for q in instance.queues.values() if q.name == "Back Office")


def test_demo_prints_the_wiring_and_stops_on_a_bad_mapping(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "ok"), "--no-svg"])
    assert result.exit_code == 0, result.output
    assert "0. Mapping file" in result.output and "+ create    queue Support  (for Omni-Queue SCCAC_Support)" in result.output
    assert "applied: Connect wiring: 11 created" in result.output
    bad = tmp_path / "bad.yml"
    bad.write_text("mappings:\n  - omni_queue: SCCAC_Nope\n    connect_queue: X\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "bad"), "--mapping", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2: (SCCAC_Nope) error: no queue with this developer name in the org" in result.output
    assert not (tmp_path / "bad").exists()


def test_demo_never_replaces_a_file_it_did_not_write(tmp_path):
    out = tmp_path / "d1"
    (out / "flows").mkdir(parents=True)
    mine = out / "flows" / "inbound_chat.json"
    mine.write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "--no-svg"])
    assert result.exit_code == 2 and f"{mine} was not written by this command" in result.output
    assert mine.read_text(encoding="utf-8") == "mine"
    mine.unlink()
    assert CliRunner().invoke(main, ["demo", "--out", str(out), "--no-svg"]).exit_code == 0
    assert CliRunner().invoke(main, ["demo", "--out", str(out), "--no-svg"]).exit_code == 0  # its own files: replaced
    mine.write_text("mine again", encoding="utf-8")
    assert CliRunner().invoke(main, ["demo", "--out", str(out), "--no-svg", "--force"]).exit_code == 0
    assert mine.read_text(encoding="utf-8") != "mine again"
