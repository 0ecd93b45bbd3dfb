"""deploy_lambdas: sam build and deploy without prompts, parameters from the org and the Connect instance."""

from __future__ import annotations

import pytest
from cumulusci.core.config import OrgConfig
from cumulusci.core.exceptions import CumulusCIFailure
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks.lambdas import DeployLambdas
from sccac.testing.connect import ConnectBackend, ConnectFake


class FakeSession:
    region_name = "us-east-1"

    def __init__(self, fake):
        self.fake = fake

    def client(self, service, config=None):
        assert service == "connect"
        return self.fake.client(max_attempts=1)


@pytest.fixture
def connect(monkeypatch):
    fake = ConnectFake(ConnectBackend(rate=1e9, burst=10**9))
    instance = fake.backend.create_instance(alias="sccac-dev")
    monkeypatch.setattr("python_tasks.lambdas.missing_aws_setup", lambda region, profile: None)
    monkeypatch.setattr("python_tasks.lambdas.aws_session", lambda region, profile: FakeSession(fake))
    return instance


@pytest.fixture
def runs(monkeypatch):
    calls = []

    class Done:
        returncode = 0

    monkeypatch.setattr("python_tasks.lambdas.subprocess.run", lambda command, **kw: calls.append((command, kw)) or Done())
    monkeypatch.setattr("python_tasks.lambdas.sam_executable", lambda root: "sam")
    return calls


def _task(**options):
    org_config = OrgConfig({"instance_url": "https://acme.my.salesforce.com", "org_id": "00D000000000001EAA",
                            "access_token": "t"}, "dev")
    return create_task(DeployLambdas, {"instance_id": "sccac-dev", **options}, org_config=org_config)


def test_sam_runs_without_prompts_with_the_orgs_parameters(org, connect, runs):
    org.add("ConversationChannelDefinition", Id="0cdS", DeveloperName="SCCAC_Chat", MasterLabel="Chat Channel Definition AWS SCC")
    task = _task()
    task()
    (build, _), (deploy, kw) = runs
    assert build[1:3] == ["build", "-t"]
    assert deploy[1] == "deploy" and "--no-confirm-changeset" in deploy and "--no-fail-on-empty-changeset" in deploy
    overrides = deploy[deploy.index("--parameter-overrides") + 1: deploy.index("--region")]
    assert overrides == ["SalesforceScrtDomain=acme.my.salesforce-scrt.com", "SalesforceSecretName=sccac/00D000000000001EAA",
                         "AuthorizationContext=SCCAC_Chat", f"ConnectInstanceArn={connect.arn}"]
    assert kw["env"]["SAM_CLI_TELEMETRY"] == "0"
    assert task.return_values["sam_stack"] == "sccac"


def test_a_failed_sam_run_fails_the_task(org, connect, monkeypatch):
    class Failed:
        returncode = 1

    monkeypatch.setattr("python_tasks.lambdas.subprocess.run", lambda command, **kw: Failed())
    monkeypatch.setattr("python_tasks.lambdas.sam_executable", lambda root: "sam")
    with pytest.raises(CumulusCIFailure, match="`.* build` failed with exit 1"):
        _task()()


def test_skipped_without_an_instance(org, runs):
    task = _task(instance_id="")
    task()
    assert task.return_values["skipped"].startswith("no instance_id") and runs == []
