"""`sccac flows lint|simulate|diagram|build` on inputs that used to crash them, and on unusable output paths.

Each unusable flow is "cannot read" with exit code 2 and no traceback; one among several files does not
lose the others' reports; bad option values are usage errors; text from a flow is printed with its
control characters escaped; an output path that cannot be written is one line and exit 2, and no
input file is ever overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sccac.flows.builders import FlowSettings, build_inbound_chat
from sccac.cli import main

SIM = Path(__file__).parent / "sim_fixtures"
DEVZERO = Path("/dev/zero")

BAD_FLOWS = {
    "deep": '{"Actions":' + "[" * 100_000 + "]" * 100_000 + "}",
    "wrapper-content-list": json.dumps({"ContactFlow": {"Content": [1, 2], "Type": "CONTACT_FLOW"}}),
    "wrapper-content-string-number": json.dumps({"ContactFlow": {"Content": "42"}}),
    "digits": '{"Version": "2019-10-30", "StartAction": "a", "Actions": [{"Identifier": "a", "Type": "Compare", '
    '"Parameters": {"ComparisonValue": ' + "9" * 5000 + "}}]}",
    "surrogate": '{"Version": "2019-10-30", "StartAction": "\\ud800", "Actions": [{"Identifier": "\\ud800", '
    '"Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}]}',
}
CONTROL_FLOW = {
    "Version": "2019-10-30",
    "StartAction": "hello\x1b[2Jworld",
    "Actions": [
        {
            "Identifier": "hello\x1b[2Jworld",
            "Type": "MessageParticipant",
            "Parameters": {"Text": "hi\x1b[31m"},
            "Transitions": {"NextAction": "bye\nfake line"},
        },
        {"Identifier": "bye\nfake line", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
    ],
}


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, ["flows", *args])  # through main: it turns library errors into exit codes
    assert result.exception is None or isinstance(result.exception, SystemExit), (result.exception, result.output)
    assert "Traceback" not in result.output
    return result


def _bad(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(BAD_FLOWS[name], encoding="utf-8")
    return path


@pytest.fixture
def good(tmp_path: Path, settings: FlowSettings) -> Path:
    path = tmp_path / "inbound.json"
    path.write_text(build_inbound_chat(settings).to_json(), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(BAD_FLOWS))
@pytest.mark.parametrize("command", ["simulate", "diagram"])
def test_unreadable_flows_are_cannot_read_with_exit_2(tmp_path: Path, name: str, command: str) -> None:
    path = _bad(tmp_path, name)
    result = invoke(command, str(path))
    assert result.exit_code == 2
    assert f"{path}: cannot read the flow" in result.stderr


@pytest.mark.parametrize("name", sorted(BAD_FLOWS))
def test_one_bad_file_among_several_keeps_the_others_reports(tmp_path: Path, good: Path, name: str) -> None:
    bad = _bad(tmp_path, name)
    result = invoke("lint", str(good), str(bad), str(SIM / "dangling.json"))
    assert result.exit_code == 2
    assert f"{bad}: error cannot lint: cannot read the flow" in result.output
    assert "dangling.json: error" in result.output, "the file after the bad one is still linted"
    assert "3 file(s) linted" in result.output and "1 file(s) could not be read" in result.output


@pytest.mark.skipif(not DEVZERO.exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", ["lint", "simulate", "diagram"])
def test_endless_input_stops_at_the_size_limit(command: str) -> None:
    result = invoke(command, str(DEVZERO))
    assert result.exit_code == 2
    assert "cannot read the file: it is larger than 4 MB" in result.output


def test_text_from_a_flow_is_printed_with_controls_escaped(tmp_path: Path) -> None:
    path = tmp_path / "controls.json"
    path.write_text(json.dumps(CONTROL_FLOW), encoding="utf-8")
    for args in (["lint", str(path)], ["simulate", str(path)]):
        result = invoke(*args)
        assert "\x1b" not in result.output, args
        assert "hello\\x1b[2Jworld" in result.output, args
        assert not any(line.startswith("fake line") for line in result.output.splitlines()), "a newline in a value cannot start a line"
    assert "sent 'hi\\x1b[31m'" in invoke("simulate", str(path)).output


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--attribute", "novalue"], "--attribute"),
        (["--attribute", "=x"], "--attribute"),
        (["--lambda-result", "nokey"], "--lambda-result"),
        (["--lambda-result", ":status=ok"], "--lambda-result"),
        (["--lambda-result", "session:=ok"], "--lambda-result"),
        (["--module", "nofile"], "--module"),
        (["--module", "mod=does-not-exist.json"], "--module"),
        (["--attribute", "k=\udcff"], "--attribute"),
        (["--max-steps", "100001"], "--max-steps"),
        (["--max-steps", "0"], "--max-steps"),
    ],
)
def test_bad_option_values_are_usage_errors(good: Path, args: list[str], option: str) -> None:
    result = invoke("simulate", str(good), *args)
    assert result.exit_code == 2
    assert option in result.output
    assert "the simulator cannot run this flow" not in result.output


def test_the_largest_step_budget_is_accepted(tmp_path: Path) -> None:
    result = invoke("simulate", str(SIM / "endless.json"), "--max-steps", "100000")
    assert result.exit_code == 3 and "step budget of 100000 used up" in result.output  # accepted; the run is stuck


def test_lint_output_and_diagram_out_never_overwrite_an_input(good: Path) -> None:
    before = good.read_bytes()
    for args in (["lint", str(good), "--out", str(good)], ["diagram", str(good), "--out", str(good)],
                 ["diagram", str(good), "--out", str(good.parent / "." / good.name)]):
        result = invoke(*args)
        assert result.exit_code == 2, args
        assert "is also an input file" in result.stderr
        assert good.read_bytes() == before


@pytest.mark.parametrize("command", ["lint-output", "diagram-out"])
def test_unusable_file_outputs_are_one_line_and_exit_2(tmp_path: Path, good: Path, command: str) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("mine")
    cases = {
        tmp_path: "is a folder; give the name of a file",
        tmp_path / "missing" / "report.txt": "does not exist; create it first",
        a_file / "report.txt": "is a file, not a folder",
    }
    for target, message in cases.items():
        args = ["lint", str(good), "--out", str(target)] if command == "lint-output" else ["diagram", str(good), "--out", str(target)]
        result = invoke(*args)
        assert result.exit_code == 2, (target, result.output)
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert a_file.read_text() == "mine"


def test_build_out_that_is_a_file_or_under_a_file_is_one_line(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("mine")
    for target, message in ((a_file, "is a file; give a folder"), (a_file / "sub", "is a file, not a folder")):
        result = invoke("build", "--example", "--out", str(target))
        assert result.exit_code == 2
        assert f"error: --out {target}" in result.stderr and message in result.stderr
    assert a_file.read_text() == "mine"


def test_build_creates_missing_parent_folders(tmp_path: Path) -> None:
    result = invoke("build", "--example", "--out", str(tmp_path / "a" / "b"))
    assert result.exit_code == 0
    assert len(list((tmp_path / "a" / "b").glob("*.json"))) == 6


def test_read_only_folder_is_reported_before_any_work(tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permission bits do not stop root (CI containers): ask the check what a read-only folder answers.
    import sccac.flows.outputs as outputs

    monkeypatch.setattr(outputs, "_writable", lambda path: False)
    result = invoke("lint", str(good), "--out", str(tmp_path / "report.txt"))
    assert result.exit_code == 2 and "permission denied" in result.stderr
    assert not (tmp_path / "report.txt").exists()
    result = invoke("build", "--example", "--out", str(tmp_path / "flows"))
    assert result.exit_code == 2 and "permission denied" in result.stderr


def test_build_rejects_a_name_prefix_with_control_characters(tmp_path: Path) -> None:
    result = invoke("build", "--example", "--name-prefix", "Acme\x1b[2J", "--out", str(tmp_path / "flows"))
    assert result.exit_code == 2 and "has control characters" in result.output
    assert not (tmp_path / "flows").exists()


@pytest.mark.skipif(not DEVZERO.exists(), reason="needs /dev/zero")
def test_a_module_that_is_not_a_regular_file_is_a_usage_error(good: Path) -> None:
    result = invoke("simulate", str(good), "--module", f"mod={DEVZERO}")
    assert result.exit_code == 2 and "is not a regular file" in result.output


def _chain(blocks: int, errors_per_block: int) -> dict[str, object]:
    actions: list[dict[str, object]] = [
        {
            "Identifier": f"b{i}",
            "Type": "UpdateContactAttributes",
            "Parameters": {"Attributes": {"k": "v"}},
            "Transitions": {
                "NextAction": f"b{i + 1}",
                "Errors": [{"NextAction": f"b{(i + j) % blocks}", "ErrorType": "NoMatchingError"} for j in range(errors_per_block)],
            },
        }
        for i in range(blocks)
    ]
    actions.append({"Identifier": f"b{blocks}", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}})
    return {"Version": "2019-10-30", "StartAction": "b0", "Actions": actions}


@pytest.mark.parametrize(("blocks", "errors"), [(1_200, 1), (249, 40)], ids=["many-blocks", "many-branches"])
def test_flows_past_what_lint_checks_get_the_size_rules_only(tmp_path: Path, blocks: int, errors: int) -> None:
    # Before: the error-path rule walked the graph once per branch; these took minutes.
    path = tmp_path / "large.json"
    path.write_text(json.dumps(_chain(blocks, errors)), encoding="utf-8")
    result = invoke("lint", str(path))
    assert result.exit_code == 1
    assert "SCCAC-LINT-000" in result.output and "more than lint checks" in result.output
    assert "SCCAC-FLOW-017" not in result.output


def test_file_names_that_are_not_utf8_are_reported_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "flow\udcff.json"  # how Python hands over the file name bytes b"flow\xff.json"
    Path(name).write_bytes((SIM / "dangling.json").read_bytes())
    sarif = json.loads(invoke("lint", "--format", "sarif", name).output)
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "flow%FF.json"
    assert "flow\\udcff.json" in invoke("lint", name).output


def test_a_byte_order_mark_is_not_part_of_the_flow(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + good.read_bytes())
    assert invoke("simulate", str(path)).exit_code == 0


def test_build_never_replaces_a_flow_file_it_did_not_write(tmp_path):
    from click.testing import CliRunner

    from sccac.cli import main

    out = tmp_path / "flows"
    out.mkdir()
    mine = out / "inbound_chat.json"
    mine.write_text("my own flow", encoding="utf-8")
    result = CliRunner().invoke(main, ["flows", "build", "--example", "--out", str(out)])
    assert result.exit_code == 2 and f"{mine} was not written by this command" in result.output
    assert mine.read_text(encoding="utf-8") == "my own flow" and sorted(p.name for p in out.iterdir()) == ["inbound_chat.json"]  # nothing written
    assert CliRunner().invoke(main, ["flows", "build", "--example", "--out", str(out), "--force"]).exit_code == 0
    assert mine.read_text(encoding="utf-8") != "my own flow"
    assert CliRunner().invoke(main, ["flows", "build", "--example", "--out", str(out)]).exit_code == 0  # its own files
