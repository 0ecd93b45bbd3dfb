"""The SAM template is cfn-lint clean and grants each function only logs + one secret (ContactDisconnected:
also this instance's contact attributes and chat transcripts), and the event rule matches only ended chats."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATE = Path(__file__).resolve().parents[2] / "aws" / "template.yaml"


def _cfn_lint() -> str:
    # The console script installed next to this interpreter (the project venv), else PATH.
    beside = Path(sys.executable).parent / "cfn-lint"
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    assert found, "cfn-lint is not installed: pip install cfn-lint (it is in the test extras)"
    return found


def test_template_is_cfn_lint_clean():
    result = subprocess.run([_cfn_lint(), str(TEMPLATE)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def template() -> dict:
    from cfnlint.decode import decode

    data, errors = decode(str(TEMPLATE))
    assert not errors, errors
    return data


def _statements(role: dict) -> tuple[list[dict], list[dict]]:
    """The role's plain statements and the ones inside an Fn::If (condition, statement)."""
    plain: list[dict] = []
    conditional: list[dict] = []
    for policy in role["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            if "Fn::If" in statement:
                condition, when_true, when_false = statement["Fn::If"]
                assert when_false == {"Ref": "AWS::NoValue"}
                conditional.append({"_if": condition, **when_true})
            else:
                plain.append(statement)
    return plain, conditional


def _actions(statements: list[dict]) -> set[str]:
    return {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}


FLOW_ROLE_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue"}
TRANSCRIPT_ACTIONS = {"connect:GetContactAttributes", "connect:UpdateContactAttributes",
                      "connect:ListInstanceStorageConfigs", "s3:ListBucket", "s3:GetObject"}


def test_each_function_role_only_writes_logs_and_reads_the_one_secret(template):
    resources = template["Resources"]
    roles = [name for name, r in resources.items() if r["Type"] == "AWS::IAM::Role"]
    assert sorted(roles) == ["ContactDisconnectedRole", "CreateMessagingSessionRole", "RoutingRole"]
    for name in roles:
        statements, conditional = _statements(resources[name])
        extra = TRANSCRIPT_ACTIONS if name == "ContactDisconnectedRole" else set()
        assert _actions(statements) == FLOW_ROLE_ACTIONS | extra
        for statement in statements + conditional:
            assert statement["Resource"] != "*"
            assert "*" not in str(statement["Action"])
        secret = next(s for s in statements if s["Action"] == "secretsmanager:GetSecretValue")
        assert "${SalesforceSecretName}-??????" in str(secret["Resource"])


def test_kms_decrypt_only_on_the_given_key_and_only_when_it_is_given(template):
    parameter = template["Parameters"]["SecretKmsKeyArn"]
    assert parameter["Default"] == "" and parameter["AllowedPattern"].startswith("^$|")
    assert template["Conditions"]["HasSecretKmsKey"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "SecretKmsKeyArn"}, ""]}]}
    for name in ("CreateMessagingSessionRole", "RoutingRole", "ContactDisconnectedRole"):
        _, conditional = _statements(template["Resources"][name])
        [kms] = [c for c in conditional if c["_if"] == "HasSecretKmsKey"]
        assert kms["_if"] == "HasSecretKmsKey"
        assert kms["Action"] == "kms:Decrypt" and kms["Resource"] == {"Ref": "SecretKmsKeyArn"}
        # Decrypt only through Secrets Manager in this region.
        via = kms["Condition"]["StringEquals"]["kms:ViaService"]
        assert via == {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}


def test_no_explicit_function_or_log_group_names_so_long_stack_names_deploy(template):
    resources = template["Resources"]
    for name, resource in resources.items():
        if resource["Type"] == "AWS::Serverless::Function":
            props = resource["Properties"]
            # "${AWS::StackName}-CreateMessagingSession" exceeds Lambda's 64 characters past 41-char stack names.
            assert "FunctionName" not in props, name
            log_group = props["LoggingConfig"]["LogGroup"]["Ref"]
            assert resources[log_group]["Type"] == "AWS::Logs::LogGroup"
            assert "LogGroupName" not in resources[log_group]["Properties"]


def test_only_connect_from_the_given_instance_may_invoke_the_functions(template):
    permissions = [r["Properties"] for r in template["Resources"].values()
                   if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] != "events.amazonaws.com"]
    assert len(permissions) == 2
    for p in permissions:
        assert p["Principal"] == "connect.amazonaws.com"
        assert p["SourceArn"] == {"Ref": "ConnectInstanceArn"}


def test_the_optional_warm_up_schedule_may_invoke_only_through_its_own_rule(template):
    rule = template["Resources"]["WarmUpRule"]
    assert rule["Condition"] == "HasWarmUp" and template["Parameters"]["WarmUpSchedule"]["Default"] == ""
    warm = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Permission" and "Condition" in r]
    assert len(warm) == 2 and len(rule["Properties"]["Targets"]) == 2
    for r in warm:
        assert r["Condition"] == "HasWarmUp"
        assert r["Properties"]["Principal"] == "events.amazonaws.com"
        assert r["Properties"]["SourceArn"] == {"Fn::GetAtt": ["WarmUpRule", "Arn"]}


def test_functions_point_at_the_real_handlers(template):
    import importlib

    functions = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::Serverless::Function"]
    assert len(functions) == 3
    for f in functions:
        module, attr = f["Handler"].rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), attr))
    assert template["Globals"]["Function"]["Timeout"] <= 8


def test_contact_disconnected_reads_only_this_instances_contacts_and_the_transcript_folder(template):
    statements, conditional = _statements(template["Resources"]["ContactDisconnectedRole"])
    by_action = {a: s for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert by_action["connect:GetContactAttributes"]["Resource"] == {"Fn::Sub": "${ConnectInstanceArn}/contact/*"}
    assert by_action["connect:ListInstanceStorageConfigs"]["Resource"] == {"Ref": "ConnectInstanceArn"}
    assert by_action["s3:GetObject"]["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:s3:::${ChatTranscriptBucket}/${ChatTranscriptPrefix}*"}
    assert by_action["s3:ListBucket"]["Condition"] == {"StringLike": {"s3:prefix": {"Fn::Sub": "${ChatTranscriptPrefix}*"}}}
    [kms] = [c for c in conditional if c["_if"] == "HasTranscriptKmsKey"]
    assert kms["Resource"] == {"Ref": "ChatTranscriptKmsKeyArn"}
    assert kms["Condition"]["StringEquals"]["kms:ViaService"] == {"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"}


def test_the_event_rule_runs_contact_disconnected_for_ended_chats_of_this_instance_only(template):
    resources = template["Resources"]
    rule = resources["ContactDisconnectedRule"]["Properties"]
    assert rule["EventPattern"] == {
        "source": ["aws.connect"],
        "detail-type": ["Amazon Connect Contact Event"],
        "detail": {"eventType": ["DISCONNECTED"], "channel": ["CHAT"], "instanceArn": [{"Ref": "ConnectInstanceArn"}]},
    }
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["ContactDisconnectedFunction", "Arn"]}
    [permission] = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"
                    and r["Properties"]["FunctionName"] == {"Fn::GetAtt": ["ContactDisconnectedFunction", "Arn"]}]
    assert permission["Principal"] == "events.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["ContactDisconnectedRule", "Arn"]}
    function = resources["ContactDisconnectedFunction"]["Properties"]
    assert function["Environment"]["Variables"]["CALL_CENTER_ID"] == {"Ref": "CallCenterId"}
    assert 30 <= function["Timeout"] <= 900  # room for the looks at the transcript, not a flow block
