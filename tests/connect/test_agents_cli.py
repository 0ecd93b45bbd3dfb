"""`sccac connect plan|apply --staffing` end to end; the agents' password never reaches logs, output or files."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sccac.cli import main
from sccac.connect.agents import PASSWORD_ENV
from sccac.testing.connect import ConnectBackend, ConnectFake
from sccac.testing.connect.harness import CHANNEL_ADDRESS, ROUTING_LAMBDA, SESSION_LAMBDA
from sccac.testing.connect.routing import ContactRouter
from sccac.testing.connect.routing_responses import RoutingOperations
from sccac.testing.connect.users import AgentDirectory
from tests.connect.test_cli import FakeSession

MARKER = "Marker-Pw-7f3c9e1d"
FIXTURES = Path("robot/SCCAC/resources/offline")


@pytest.fixture
def directory(monkeypatch: pytest.MonkeyPatch) -> AgentDirectory:
    fake = ConnectFake(ConnectBackend(rate=1e9, burst=10**9))  # the CLI paces on the real clock
    inst = fake.backend.create_instance(alias="sccac-dev")
    router = ContactRouter(fake.backend, inst.id)
    RoutingOperations(fake, router)
    monkeypatch.setattr("sccac.connect.run.aws_session", lambda region, profile: FakeSession(fake))
    return AgentDirectory(fake, router)


@pytest.fixture
def botocore_debug() -> Any:
    """botocore's request loggers at DEBUG, as a user debugging a run would have them (sccac.lambdas.log pins
    some at INFO for the Lambdas when imported)."""
    loggers = [logging.getLogger(n) for n in ("botocore.endpoint", "botocore.parsers", "botocore.hooks", "botocore.auth")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.NOTSET)
    yield
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)


def args(command: str, *extra: str) -> list[str]:
    return [
        "connect", command, "--instance-id", "sccac-dev", "--mapping", str(FIXTURES / "queue_mappings.yml"),
        "--fallback-queue", "BasicQueue", "--staffing", str(FIXTURES / "staffing.yml"), "--skip-service-quotas",
        "--session-lambda-arn", SESSION_LAMBDA, "--routing-lambda-arn", ROUTING_LAMBDA,
        "--channel-address-identifier", CHANNEL_ADDRESS, "--rate", "1000", "--burst", "1000", *extra,
    ]


def test_apply_creates_the_agents_and_the_password_appears_nowhere(
        directory: AgentDirectory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        botocore_debug: None) -> None:
    monkeypatch.setenv(PASSWORD_ENV, MARKER)
    caplog.set_level(logging.DEBUG)  # botocore logs request parameters at DEBUG: they must not carry the password
    runner = CliRunner()
    out = tmp_path / "wiring.json"
    plan = runner.invoke(main, args("plan"))
    assert plan.exit_code == 0, plan.output
    assert "+ create    agent user maria.agent  (routing profile Support Agents; password from" in plan.output
    applied = runner.invoke(main, args("apply", "--out", str(out)))
    assert applied.exit_code == 0, applied.output
    assert "+ created   agent routing profile Support Agents" in applied.output
    assert "+ created   agent user sam.agent" in applied.output
    doc = json.loads(out.read_text())
    assert [a["connect_user"] for a in doc["agents"]] == ["maria.agent", "li.agent", "sam.agent"]
    # The password did reach Connect ...
    digests = {record.password_sha256 for record in directory.users.values()}
    assert digests == {hashlib.sha256(MARKER.encode()).hexdigest()}
    assert any("Making request" in r.getMessage() for r in caplog.records)  # DEBUG logging was on
    # ... and nothing else: logs, output, files.
    texts = [caplog.text, plan.output, applied.output, *(p.read_text() for p in tmp_path.rglob("*") if p.is_file())]
    assert not [t for t in texts if MARKER in t]
    again = runner.invoke(main, args("apply", "--out", str(out)))
    assert again.exit_code == 0 and "+ created" not in again.output
    assert "= unchanged agent user maria.agent" in again.output


def test_bad_staffing_file_is_one_line_and_exit_2(directory: AgentDirectory, tmp_path: Path) -> None:
    bad = tmp_path / "staffing.yml"
    bad.write_text((FIXTURES / "staffing.yml").read_text().replace("concurrency: {CHAT: 2, TASK: 1}", "concurrency: {CHAT: two}"))
    result = CliRunner().invoke(main, args("plan") + ["--staffing", str(bad)])
    assert result.exit_code == 2, result.output
    assert f"{bad}: routing_profiles[0] (Support Agents): concurrency: CHAT 'two' is not a whole number" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_without_a_password_plan_says_so_and_apply_writes_nothing(
        directory: AgentDirectory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    runner = CliRunner()
    plan = runner.invoke(main, args("plan"))
    assert plan.exit_code == 0 and f"password from {PASSWORD_ENV} (not set: apply stops)" in plan.output
    applied = runner.invoke(main, args("apply", "--out", str(tmp_path / "w.json")))
    assert applied.exit_code == 2 and f"set {PASSWORD_ENV}" in applied.output
    assert not directory.router.agents and not directory.instance.lambda_functions  # stopped before any write
