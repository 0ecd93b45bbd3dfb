"""setup_interaction_auth: the connected app and its key pair, the key only in Secrets Manager, idempotent."""

from __future__ import annotations

import json
import logging

import boto3
import pytest
from cumulusci.core.config import OrgConfig
from cumulusci.tasks.salesforce.tests.util import create_task
from moto import mock_aws

from python_tasks.interaction_auth import SetUpInteractionServiceAuth

ORG_ID = "00D000000000001EAA"


@pytest.fixture
def org_config():
    return OrgConfig({"instance_url": "https://acme.my.salesforce.com", "org_id": ORG_ID, "username": "admin@acme.example",
                      "access_token": "00D!token", "email_address": "admin@acme.example"}, "dev")


@pytest.fixture
def aws(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        # A session-wide moto mock (tests/lambdas) keeps moto's state across tests: start without the secret.
        if client.list_secrets(Filters=[{"Key": "name", "Values": [f"sccac/{ORG_ID}"]}])["SecretList"]:
            client.delete_secret(SecretId=f"sccac/{ORG_ID}", ForceDeleteWithoutRecovery=True)
        yield client


def _run(org_config, tmp_path, **options):
    task = create_task(SetUpInteractionServiceAuth, {"out": str(tmp_path / "app"), **options}, org_config=org_config)
    task()
    return task


def test_first_run_deploys_the_app_and_keeps_the_key_only_in_the_secret(tmp_path, aws, org, org_config, caplog):
    caplog.set_level(logging.DEBUG)
    task = _run(org_config, tmp_path)
    task_records = list(caplog.records)  # before the test's own Secrets Manager read below
    assert task.return_values == {"secret_name": f"sccac/{ORG_ID}", "scrt_domain": "acme.my.salesforce-scrt.com",
                                  "connected_app": "SCCAC_Interaction_Service", "secret": "created"}
    secret = json.loads(aws.get_secret_value(SecretId=f"sccac/{ORG_ID}")["SecretString"])
    assert secret["username"] == "admin@acme.example" and secret["orgId"] == ORG_ID
    assert secret["loginUrl"] == "https://acme.my.salesforce.com" and secret["privateKey"].startswith("-----BEGIN PRIVATE KEY")
    app = (tmp_path / "app" / "connectedApps" / "SCCAC_Interaction_Service.connectedApp").read_text()
    assert f"<consumerKey>{secret['consumerKey']}</consumerKey>" in app and secret["certificate"].strip() in app
    key_body = secret["privateKey"].splitlines()[1]
    assert all(key_body not in p.read_text() for p in (tmp_path / "app").rglob("*") if p.is_file())
    leaks = [(r.name, r.levelname) for r in task_records if key_body in r.getMessage() or "PRIVATE KEY" in r.getMessage()]
    assert leaks == []
    assert org.deployed == [tmp_path / "app"]


def test_a_rerun_changes_nothing_and_rotate_makes_a_new_key(tmp_path, aws, org, org_config):
    _run(org_config, tmp_path)
    first = aws.get_secret_value(SecretId=f"sccac/{ORG_ID}")["SecretString"]
    org.add("ConnectedApplication", Id="0H41", Name="SCCAC Interaction Service")
    task = _run(org_config, tmp_path)
    assert task.return_values["secret"] == "unchanged" and len(org.deployed) == 1
    assert aws.get_secret_value(SecretId=f"sccac/{ORG_ID}")["SecretString"] == first
    task = _run(org_config, tmp_path, rotate="True")
    assert task.return_values["secret"] == "updated" and len(org.deployed) == 2
    assert json.loads(aws.get_secret_value(SecretId=f"sccac/{ORG_ID}")["SecretString"])["privateKey"] != json.loads(first)["privateKey"]


def test_skipped_with_one_line_without_aws_credentials(tmp_path, org, org_config, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    task = _run(org_config, tmp_path, region="us-east-1")
    assert "no AWS credentials" in task.return_values["skipped"] and org.deployed == []


def test_domains_come_from_my_domain():
    from sccac.errors import SccacUsageError
    from sccac.provision.domains import scrt_domain

    assert scrt_domain("https://acme--uat.sandbox.my.salesforce.com") == "acme--uat.sandbox.my.salesforce-scrt.com"
    with pytest.raises(SccacUsageError, match="not a My Domain URL"):
        scrt_domain("https://na1.salesforce.com")
