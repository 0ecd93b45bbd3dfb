"""`sccac flows simulate`: scenarios, shorthands, exit codes; the shipped example scenarios hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sccac.flows.builders import FlowKind, FlowSettings, build_all
from sccac.flows.cli import flows

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "scenarios"
SIM = Path(__file__).parent / "sim_fixtures"
KIND_BY_PREFIX = {
    "inbound-chat": FlowKind.INBOUND_CHAT,
    "agent-transfer": FlowKind.AGENT_TRANSFER,
    "queue-transfer": FlowKind.QUEUE_TRANSFER,
    "task-routing": FlowKind.TASK_ROUTING,
    "transcription": FlowKind.TRANSCRIPTION,
    "disconnect-requeue": FlowKind.DISCONNECT_REQUEUE,
}


@pytest.fixture
def built(tmp_path: Path, settings: FlowSettings) -> dict[FlowKind, Path]:
    paths = {}
    for item in build_all(settings):
        path = tmp_path / f"{item.kind.value}.json"
        path.write_text(item.flow.to_json(), encoding="utf-8")
        paths[item.kind] = path
    return paths


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(flows, ["simulate", *args])
    return result.exit_code, result.stdout, result.stderr


def kind_of(example: Path) -> FlowKind:
    return next(kind for prefix, kind in KIND_BY_PREFIX.items() if example.name.startswith(prefix))


EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_there_are_examples_for_every_flow() -> None:
    assert {kind_of(p) for p in EXAMPLE_FILES} == set(KIND_BY_PREFIX.values())


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_scenarios_meet_their_expectations(example: Path, built: dict[FlowKind, Path]) -> None:
    code, out, err = run(str(built[kind_of(example)]), "--scenario", str(example))
    assert code == 0, out + err
    assert "expectation: met" in out


def test_expected_outcome_differs_exits_1_and_says_why(built: dict[FlowKind, Path], tmp_path: Path) -> None:
    scenario = tmp_path / "wrong.yaml"
    scenario.write_text("lambdas:\n  session: {fail_first: 100}\nexpect:\n  outcome: transferred_to_queue\n  lambda_calls: {session: 1}\n")
    code, out, _ = run(str(built[FlowKind.INBOUND_CHAT]), "--scenario", str(scenario))
    assert code == 1
    assert "expected outcome transferred_to_queue, got disconnected" in out
    assert "expected 1 Lambda call(s) to session, got 3" in out


def test_shorthands_attribute_and_lambda_fails(built: dict[FlowKind, Path], settings: FlowSettings) -> None:
    queue = settings.fallback_queue_arn.replace("66666666", "77777777")
    code, out, _ = run(
        str(built[FlowKind.TASK_ROUTING]), "--channel", "TASK", "--attribute", f"queueId={queue}", "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["outcome"]["queue"] == queue
    code, out, _ = run(str(built[FlowKind.INBOUND_CHAT]), "--lambda-fails", "5", "--format", "json")
    data = json.loads(out)
    assert code == 0  # no expectation: a completed run is success
    assert data["outcome"]["kind"] == "disconnected"
    assert len(data["lambda_calls"]) == settings.retry_count


def test_lambda_result_shorthand_per_role(built: dict[FlowKind, Path]) -> None:
    code, out, _ = run(str(built[FlowKind.INBOUND_CHAT]), "--lambda-result", "routing:externalQueueId=arn:q:1", "--format", "json")
    assert code == 0
    assert json.loads(out)["outcome"]["queue"] == "arn:q:1"


def test_queue_arn_shorthand_is_the_working_queue_the_transfer_goes_to(built: dict[FlowKind, Path]) -> None:
    queue = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/queue/cc-dd"
    code, out, err = run(str(built[FlowKind.QUEUE_TRANSFER]), "--queue-arn", queue)
    assert code == 0 and err == ""
    assert f"outcome: transferred to queue {queue}" in out
    # Without it the flow has no working queue: the contact is told so and disconnected.
    code, out, _ = run(str(built[FlowKind.QUEUE_TRANSFER]))
    assert "no working queue is set" in out and "outcome: disconnected" in out


@pytest.mark.parametrize("spelling", [["--queue", "arn:q:old"], ["--queue=arn:q:old"]])
def test_the_old_queue_flag_still_sets_the_working_queue_and_warns(built: dict[FlowKind, Path], spelling: list[str]) -> None:
    # `--queue` of `sccac salesforce render messaging` is an Omni-Queue developer name; here it was the ARN.
    code, out, err = run(str(built[FlowKind.QUEUE_TRANSFER]), *spelling, "--format", "json")
    assert code == 0
    assert json.loads(out)["outcome"]["queue"] == "arn:q:old"
    assert "warning: --queue is deprecated; use --queue-arn" in err
    help_text = CliRunner().invoke(flows, ["simulate", "--help"]).output
    assert "--queue-arn" in help_text and "--queue " not in help_text


def test_agent_shorthand(built: dict[FlowKind, Path]) -> None:
    code, out, _ = run(str(built[FlowKind.AGENT_TRANSFER]), "--agent", "ana")
    assert code == 0
    assert "outcome: transferred to agent queue of ana" in out


def test_a_stuck_run_exits_3_without_expect_and_1_against_another_expectation(tmp_path: Path) -> None:
    code, out, err = run(str(SIM / "endless.json"), "--max-steps", "20")
    assert code == 3 and "stuck: step budget of 20" in out
    assert "the run ended stuck" in err and "endless.json" in err
    code, _, _ = run(str(SIM / "endless.json"), "--max-steps", "20", "--format", "json")
    assert code == 3
    scenario = tmp_path / "s.yaml"
    scenario.write_text("max_steps: 20\nexpect: {outcome: disconnected}\n")
    code, out, _ = run(str(SIM / "endless.json"), "--scenario", str(scenario))
    assert code == 1


def test_a_scenario_that_expects_stuck_exits_0(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("max_steps: 20\nexpect: {outcome: stuck}\n")
    code, out, _ = run(str(SIM / "endless.json"), "--scenario", str(scenario))
    assert code == 0 and "expectation: met" in out


def test_unreadable_flow_exits_2_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    code, _, err = run(str(missing))
    assert code == 2 and str(missing) in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, _, err = run(str(broken))
    assert code == 2 and str(broken) in err and "not valid JSON" in err


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        ("contact: [1, 2]\n", "contact", "must be a mapping"),
        ("contatc: {}\n", "", "unknown key(s) contatc"),
        ("contact: {channel: FAX}\n", "contact.channel", "'FAX' is not one of"),
        ("contact: {attributes: {n: 3}}\n", "contact.attributes.n", "must be a string"),
        ("lambdas: {session: {fail_first: -1}}\n", "lambdas.session.fail_first", "whole number"),
        ("lambdas: {session: {calls: [{error: x, timeout: true}]}}\n", "lambdas.session.calls[0]", "exactly one"),
        ("expect: {outcome: queued}\n", "expect.outcome", "'queued' is not one of"),
        ("key: [unclosed\n", "", "not valid YAML"),
    ],
)
def test_bad_scenario_exits_2_naming_file_and_field(tmp_path: Path, content: str, field: str, message: str) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(content)
    code, _, err = run(str(SIM / "endless.json"), "--scenario", str(scenario))
    assert code == 2
    assert f"{scenario}: {field}" in err
    assert message in err


def test_missing_scenario_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run(str(SIM / "endless.json"), "--scenario", str(tmp_path / "none.yaml"))
    assert code == 2 and "none.yaml" in err and "cannot read" in err


def test_scenario_modules_are_resolved_relative_to_the_scenario(tmp_path: Path) -> None:
    module_id = json.loads((SIM / "invokes_module.json").read_text())["Actions"][0]["Parameters"]["FlowModuleId"]
    (tmp_path / "module.json").write_text((SIM / "module.json").read_text())
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"modules": {module_id: "module.json"}, "expect": {"attributes": {"inModule": "yes"}}}))
    code, out, _ = run(str(SIM / "invokes_module.json"), "--scenario", str(scenario))
    assert code == 0, out


def test_module_shorthand_runs_the_transcription_module(tmp_path: Path, settings: FlowSettings) -> None:
    from dataclasses import replace

    from sccac.flows.builders import build_inbound_chat, build_transcription_module

    module_arn = (
        "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
        "flow-module/99999999-8888-4777-8666-555555555555"
    )
    with_module = replace(settings, transcription_module_arn=module_arn)
    inbound = tmp_path / "inbound.json"
    inbound.write_text(build_inbound_chat(with_module).to_json())
    module = tmp_path / "module.json"
    module.write_text(build_transcription_module(with_module).to_json())
    code, out, _ = run(str(inbound), "--module", f"{module_arn}={module}", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["recording"]["chat_analytics_modes"] == ["ContactLens"]
    assert any(step["flow"] == module_arn for step in data["steps"])
    code, out, _ = run(str(inbound), "--module", f"{module_arn}={tmp_path / 'absent.json'}")
    assert code == 2 and "absent.json" in out + _
