"""`sccac connect plan|apply|pull` end to end against the fake; bad input is one line, exit 2, no traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sccac.cli import main
from sccac.testing.connect import ConnectBackend, ConnectFake
from sccac.testing.connect.harness import CHANNEL_ADDRESS, ROUTING_LAMBDA, SESSION_LAMBDA


class FakeSession:
    """Stands in for boto3's Session: the engine's Connect client is a real boto3 client answered by the fake."""

    def __init__(self, fake: ConnectFake) -> None:
        self.fake = fake

    def client(self, service: str, config: Any = None) -> Any:
        assert service == "connect"
        return self.fake.client(max_attempts=1)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> ConnectFake:
    fake = ConnectFake(ConnectBackend(rate=1e9, burst=10**9))  # the CLI paces on the real clock
    fake.backend.create_instance(alias="sccac-dev")
    monkeypatch.setattr("sccac.connect.run.aws_session", lambda region, profile: FakeSession(fake))
    return fake


def args(command: str, mapping: Path, *extra: str) -> list[str]:
    return [
        "connect", command, "--instance-id", "sccac-dev", "--mapping", str(mapping), "--skip-service-quotas",
        "--session-lambda-arn", SESSION_LAMBDA, "--routing-lambda-arn", ROUTING_LAMBDA,
        "--channel-address-identifier", CHANNEL_ADDRESS, "--rate", "1000", "--burst", "1000", *extra,
    ]


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "mappings.yaml"
    path.write_text("version: 1\nmappings:\n  - omni_queue: Support\n    connect_queue: Support Queue\n    create: true\n"
                    "  - omni_queue: Sales\n    connect_queue: BasicQueue\n")
    return path


def test_plan_json_apply_and_rerun(fake: ConnectFake, mapping: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    planned = runner.invoke(main, args("plan", mapping, "--format", "json"))
    assert planned.exit_code == 0, planned.output
    doc = json.loads(planned.output)
    actions = {(s["kind"], s["name"]): s["action"] for s in doc["steps"]}
    assert actions[("queue", "Support Queue")] == "create" and actions[("queue", "BasicQueue")] == "adopt"
    assert doc["writes"] == 2 + 1 + 6 + 2 and fake.backend.instances  # nothing written by plan
    inst = next(iter(fake.backend.instances.values()))
    assert len(inst.queues) == 1

    out = tmp_path / "wiring.json"
    applied = runner.invoke(main, args("apply", mapping, "--out", str(out)))
    assert applied.exit_code == 0, applied.output
    assert "created   queue Support Queue" in applied.output
    wiring = json.loads(out.read_text())
    assert [q["omni_queue"] for q in wiring["queues"]] == ["Support", "Sales"]
    assert wiring["task_routing_flow_id"] in inst.flows

    again = runner.invoke(main, args("plan", mapping))
    assert again.exit_code == 0 and "0 write call(s)" in again.output


def test_pull_writes_deployed_flows(fake: ConnectFake, mapping: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, args("apply", mapping, "--out", str(tmp_path / "w.json"))).exit_code == 0
    pulled = runner.invoke(main, args("pull", mapping, "--out", str(tmp_path / "deployed")))
    assert pulled.exit_code == 0, pulled.output
    assert pulled.output.count("same") == 6
    assert sorted(p.name for p in (tmp_path / "deployed").iterdir()) == [
        "agent_transfer.json", "disconnect_requeue.json", "inbound_chat.json", "queue_transfer.json", "task_routing.json",
        "transcription.json",
    ]


@pytest.mark.parametrize(
    ("mapping_text", "extra", "message"),
    [
        ("mappings:\n  - omni_queue: Support\n    connect_queue: Nope\n", [],
         "Connect queue 'Nope' does not exist and create is false"),
        ("mappings:\n  - omni_queue: 9bad\n    connect_queue: Q\n", [], ":2: (9bad) error: 'omni_queue' is not a queue API name"),
        ("mappings: [", [], "not valid YAML"),
        ("mappings: []\n", [], "no fallback queue: pass --fallback-queue"),
        ("mappings: []\n", ["--instance-id", "no-such-alias"], "not an instance id, ARN or alias"),
        ("mappings: []\n", ["--fallback-queue", "BasicQueue", "--channel-address-identifier", "x"],
         "--channel-address-identifier: 'x' is not a UUID"),
        ("mappings:\n  - omni_queue: Support\n    connect_queue: BasicQueue\n    routing_profile: Nope\n", [],
         "routing profile 'Nope' does not exist in the instance (it has: Basic Routing Profile)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(fake: ConnectFake, tmp_path: Path, mapping_text: str, extra: list[str], message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(mapping_text)
    result = CliRunner().invoke(main, args("plan", path, *extra))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_missing_mapping_file_is_a_usage_error(fake: ConnectFake, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, args("plan", tmp_path / "absent.yml"))
    assert result.exit_code == 2 and "absent.yml: error: no such file" in result.output


def test_unknown_instance_id_is_a_usage_error(fake: ConnectFake, mapping: Path) -> None:
    result = CliRunner().invoke(main, args("plan", mapping, "--instance-id", "00000000-0000-4000-8000-000000000000"))
    assert result.exit_code == 2
    assert "no such Amazon Connect instance in us-east-1" in result.output


def test_no_credentials_is_a_usage_error(tmp_path: Path, mapping: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    result = CliRunner().invoke(main, args("plan", mapping, "--region", "eu-west-2"))
    assert result.exit_code == 2, result.output
    assert "no AWS credentials for region eu-west-2" in result.output


def test_refused_apply_names_the_option(fake: ConnectFake, mapping: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, args("apply", mapping, "--out", str(tmp_path / "w.json"))).exit_code == 0
    inst = next(iter(fake.backend.instances.values()))
    flow = next(f for f in inst.flows.values() if f.name == "SCCAC Agent Transfer")
    fake.backend.console_edit_flow(inst.id, flow.name, flow.content.replace("Transfer", "Move"))
    result = runner.invoke(main, args("apply", mapping, "--out", str(tmp_path / "w.json")))
    assert result.exit_code == 2
    assert "flow SCCAC Agent Transfer: would overwrite console edits (--overwrite-console-edits" in result.output


def test_offline_apply_runs_without_aws_on_virtual_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sccac.connect.run.aws_session", lambda region, profile: pytest.fail("offline must not touch AWS"))
    path = tmp_path / "m.yml"
    path.write_text("mappings:\n" + "".join(f"  - omni_queue: Q{i}\n    connect_queue: Queue {i}\n    create: true\n" for i in range(20)))
    out = tmp_path / "wiring.json"
    argv = args("apply", path, "--offline", "--out", str(out))
    argv[argv.index("sccac-dev")] = "11111111-2222-4333-8444-555555555555"
    rate = argv.index("--rate")
    del argv[rate:rate + 4]  # Connect's real budget, 2/s burst 5: 47 writes, about 21 s of virtual time
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 0, result.output
    assert "offline: an in-memory Connect instance" in result.output
    doc = json.loads(out.read_text())
    assert doc["instance_id"] == "11111111-2222-4333-8444-555555555555" and len(doc["queues"]) == 20


def test_project_tag_names_the_owner_and_the_old_project_flag_still_works(fake: ConnectFake, mapping: Path,
                                                                          tmp_path: Path) -> None:
    runner = CliRunner()
    applied = runner.invoke(main, args("apply", mapping, "--project-tag", "team-a", "--out", str(tmp_path / "w.json")))
    assert applied.exit_code == 0, applied.output
    inst = next(iter(fake.backend.instances.values()))
    created = next(q for q in inst.queues.values() if q.name == "Support Queue")
    assert created.tags["sccac:project"] == "team-a"
    # Under another tag value (the default) none of it is sccac's: it would only be adopted.
    other = runner.invoke(main, args("plan", mapping))
    assert other.exit_code == 0 and "adopt     queue Support Queue  (exists, not created by sccac" in other.output
    # The old spelling, on every sub-command: a warning naming the new one, then the same run (team-a owns it all).
    for command in ("plan", "prune"):
        old = runner.invoke(main, args(command, mapping, "--project", "team-a"))
        assert old.exit_code == 0, old.output
        assert "warning: --project is deprecated; use --project-tag" in old.stderr
    owned = runner.invoke(main, args("plan", mapping, "--project=team-a")).output
    assert "unchanged queue Support Queue" in owned and "adopt     queue Support Queue" not in owned
    help_text = runner.invoke(main, ["connect", "apply", "--help"]).output
    assert "--project-tag" in help_text and "--project " not in help_text


def test_a_blank_project_tag_is_a_usage_error(fake: ConnectFake, mapping: Path) -> None:
    result = CliRunner().invoke(main, args("plan", mapping, "--project-tag", "  "))
    assert result.exit_code == 2
    assert "--project-tag (task option project_tag) must be a non-blank name" in result.output
