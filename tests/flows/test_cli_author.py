"""`sccac flows build` and `sccac flows lint` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sccac.cli import main

REAL = Path(__file__).parent / "fixtures" / "real"
# The four org-specific values `build` requires (org-like, not the documented example values).
ORG_VALUES = [
    "--session-lambda-arn", "arn:aws:lambda:us-east-1:210987654321:function:acme-CreateMessagingSession",
    "--routing-lambda-arn", "arn:aws:lambda:us-east-1:210987654321:function:acme-Routing",
    "--channel-address-identifier", "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    "--fallback-queue-arn",
    "arn:aws:connect:us-east-1:210987654321:instance/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/queue/6e7f8a9b-0c1d-4e2f-a3b4-c5d6e7f8a9b0",
]  # fmt: skip


def _build(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["flows", "build", "--out", str(out), *ORG_VALUES, *extra])
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_six_deterministic_files(tmp_path: Path) -> None:
    out = _build(tmp_path)
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))  # .sccac-flow-files: what it wrote
    assert names == ["agent_transfer.json", "disconnect_requeue.json", "inbound_chat.json", "queue_transfer.json",
                     "task_routing.json", "transcription.json"]
    first = {n: (out / n).read_bytes() for n in names}
    again = _build(tmp_path)
    assert {n: (again / n).read_bytes() for n in names} == first


def test_build_options_reach_the_flows(tmp_path: Path) -> None:
    out = _build(tmp_path, "--retry-count", "5", "--name-prefix", "Acme")
    inbound = json.loads((out / "inbound_chat.json").read_text())
    assert inbound["Metadata"]["name"] == "Acme Inbound Chat"
    assert {a["Parameters"]["LoopCount"] for a in inbound["Actions"] if a["Type"] == "Loop"} == {"5"}


MODULE_ARN = ("arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
              "flow-module/77777777-2222-4333-8444-555555555555")
DISCONNECT_ARN = ("arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
                  "contact-flow/88888888-2222-4333-8444-555555555555")


def test_module_disconnect_flow_and_routing_options_reach_the_inbound_flow(tmp_path: Path) -> None:
    out = _build(tmp_path, "--transcription-module-arn", MODULE_ARN, "--disconnect-flow-arn", DISCONNECT_ARN,
                 "--salesforce-flow-id", "3015e000001AbCdEAF", "--salesforce-flow-fallback-queue-id", "00G5e000001AbCdEAF",
                 "--routing-attribute", "Tier=$.Attributes.tier")
    actions = {a["Type"]: a for a in json.loads((out / "inbound_chat.json").read_text())["Actions"]}
    assert actions["InvokeFlowModule"]["Parameters"] == {"FlowModuleId": MODULE_ARN}
    assert actions["UpdateContactEventHooks"]["Parameters"] == {"EventHooks": {"CustomerRemaining": DISCONNECT_ARN}}
    routing = [a for a in json.loads((out / "inbound_chat.json").read_text())["Actions"]
               if "routingType" in a["Parameters"].get("LambdaInvocationAttributes", {})][0]
    assert routing["Parameters"]["LambdaInvocationAttributes"]["salesforceFlowRoutingAttributes.Tier"] == "$.Attributes.tier"


def test_a_routing_attribute_without_a_flow_is_refused_naming_the_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["flows", "build", "--example", "--out", str(tmp_path / "x"),
                                        "--routing-attributes", "Tier=Gold"])
    assert result.exit_code == 2
    assert "--routing-attributes: routing attributes are sent with --salesforce-flow-id only" in result.output


def test_build_rejects_a_bad_option_naming_it(tmp_path: Path) -> None:
    values = [*ORG_VALUES[:5], "REPLACE_ME", *ORG_VALUES[6:]]
    result = CliRunner().invoke(main, ["flows", "build", "--out", str(tmp_path), *values])
    assert result.exit_code == 2
    assert "--channel-address-identifier" in result.output and "not a UUID" in result.output


def test_build_requires_the_org_values_unless_example(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["flows", "build", "--out", str(tmp_path / "a"), *ORG_VALUES[:4]])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "2 flow settings to fix" in result.output
    for flag in ("--channel-address-identifier", "--fallback-queue-arn"):
        assert f"{flag}: missing: give the org's real value (or --example" in result.output
    assert not (tmp_path / "a").exists()


def test_build_example_says_so_and_its_flows_fail_the_placeholder_rule(tmp_path: Path) -> None:
    out = tmp_path / "example"
    result = CliRunner().invoke(main, ["flows", "build", "--out", str(out), "--example"])
    assert result.exit_code == 0, result.output
    assert "example flows:" in result.stderr and "not for Connect" in result.stderr
    assert "example flows:" not in result.stdout
    lint = CliRunner().invoke(main, ["flows", "lint", str(out / "inbound_chat.json")])
    assert lint.exit_code == 1
    assert "SCCAC-FLOW-026" in lint.output and "documented example value" in lint.output
    assert "real ChannelAddressIdentifier of the Salesforce MessagingChannel" in lint.output


def test_built_files_lint_clean(tmp_path: Path) -> None:
    out = _build(tmp_path)
    result = CliRunner().invoke(main, ["flows", "lint", *sorted(str(p) for p in out.glob("*.json"))])
    assert result.exit_code == 0, result.output
    assert "6 file(s) linted: 0 error(s), 0 warning(s)" in result.output


def test_lint_exit_code_1_on_error_findings(tmp_path: Path) -> None:
    out = _build(tmp_path)
    doc = json.loads((out / "inbound_chat.json").read_text())
    doc["Actions"][0]["Parameters"]["Attributes"]["channelAddressIdentifier"] = "<channel address identifier>"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, indent=2))
    result = CliRunner().invoke(main, ["flows", "lint", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: error SCCAC-FLOW-026 [Set channelAddressIdentifier]" in result.output


def test_lint_exit_code_2_names_the_unparseable_file(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    result = CliRunner().invoke(main, ["flows", "lint", str(garbage), str(REAL / "chat-disconnect-legacy-export.json"), str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert f"{garbage}: error cannot lint: cannot read the flow: the file is not valid JSON" in result.output
    assert "legacy console export format" in result.output
    assert "missing.json: error cannot lint: cannot read the file" in result.output
    assert "Traceback" not in result.output


def test_lint_json_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["flows", "lint", "--format", "json", str(REAL / "chat-bot-console-export.json")])
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["exit_code"] == 0
    finding = data["files"][0]["findings"][0]
    assert set(finding) == {"rule_id", "severity", "block", "line", "message", "fix_hint"}
    assert finding["rule_id"] == "SCCAC-FLOW-012" and finding["line"] > 1


def test_lint_sarif_shape_and_output_file(tmp_path: Path) -> None:
    report = tmp_path / "lint.sarif"
    result = CliRunner().invoke(
        main, ["flows", "lint", "--kind", "queue_transfer", "--format", "sarif", "--out", str(report), str(REAL / "queue-transfer-describe-wrapper.json")]
    )
    assert result.exit_code == 1
    sarif = json.loads(report.read_text())
    assert sarif["$schema"].endswith("sarif-2.1.0.json") and sarif["version"] == "2.1.0"
    driver = sarif["runs"][0]["tool"]["driver"]
    rule_ids = {r["id"] for r in driver["rules"]}
    assert {"SCCAC-FLOW-001", "SCCAC-INBOUND-001", "SCCAC-QUEUE-001"} <= rule_ids
    assert all({"id", "shortDescription", "help", "defaultConfiguration"} <= set(r) for r in driver["rules"])
    results = sarif["runs"][0]["results"]
    assert results and all(r["ruleId"] in rule_ids and r["level"] in ("error", "warning", "note") for r in results)
    for r in results:
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith("queue-transfer-describe-wrapper.json")
        assert location["region"]["startLine"] >= 1


def test_lint_an_ordinary_transfer_flow_passes_unless_a_kind_is_forced() -> None:
    path = str(REAL / "queue-transfer-describe-wrapper.json")
    assert CliRunner().invoke(main, ["flows", "lint", path]).exit_code == 0
    assert CliRunner().invoke(main, ["flows", "lint", "--kind", "generic", path]).exit_code == 0
    forced = CliRunner().invoke(main, ["flows", "lint", "--kind", "queue_transfer", path])
    assert forced.exit_code == 1 and "SCCAC-QUEUE-001" in forced.output


def test_lint_kind_generic_skips_the_scc_ac_rules(tmp_path: Path) -> None:
    out = _build(tmp_path)
    doc = json.loads((out / "agent_transfer.json").read_text())
    for action in doc["Actions"]:
        if action["Type"] == "InvokeLambdaFunction":
            action["Parameters"]["InvocationTimeLimitSeconds"] = "5"
    bad = tmp_path / "agent.json"
    bad.write_text(json.dumps(doc))
    detected = CliRunner().invoke(main, ["flows", "lint", str(bad)])
    assert detected.exit_code == 1 and "SCCAC-AGENT-002" in detected.output
    generic = CliRunner().invoke(main, ["flows", "lint", "--kind", "generic", str(bad)])
    assert generic.exit_code == 0 and "SCCAC-AGENT" not in generic.output


def test_lint_takes_a_folder_as_its_task_does(tmp_path: Path) -> None:
    out = _build(tmp_path)
    result = CliRunner().invoke(main, ["flows", "lint", str(out)])
    assert result.exit_code == 0, result.output
    assert "6 file(s) linted: 0 error(s), 0 warning(s)" in result.output  # the build's record file is not a flow
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CliRunner().invoke(main, ["flows", "lint", str(empty)]).exit_code == 2


def test_every_flow_setting_is_a_flag_named_after_it(tmp_path: Path) -> None:
    from dataclasses import fields

    from sccac.flows.builders import FlowSettings
    from sccac.flows.cli_author import build

    flags = {opt for param in build.params for opt in param.opts}
    assert {"--" + f.name.replace("_", "-") for f in fields(FlowSettings)} <= flags
    out = _build(tmp_path, "--lambda-timeout-seconds", "5", "--failure-message", "We are closed.",
                 "--client-id", "$.Attributes.email", "--requeue-wait-seconds", "300", "--analytics-language", "de-DE")
    inbound = (out / "inbound_chat.json").read_text()
    assert '"InvocationTimeLimitSeconds": "5"' in inbound and "We are closed." in inbound and "$.Attributes.email" in inbound
    assert '"TimeLimitSeconds": "300"' in (out / "disconnect_requeue.json").read_text()
    assert "de-DE" in (out / "transcription.json").read_text()


def test_build_reports_every_bad_flag_at_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["flows", "build", "--out", str(tmp_path / "x"), *ORG_VALUES, "--retry-count", "0",
                                       "--lambda-timeout-seconds", "soon", "--salesforce-queue-id", "005000000000001AAA"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "3 flow settings to fix:" in result.stderr
    assert "--retry-count: 0 must be a whole number from 1 to 100" in result.stderr
    assert "--lambda-timeout-seconds: 'soon' is not a whole number" in result.stderr
    assert "--salesforce-queue-id: '005000000000001AAA' is not an Omni-Queue (Group) Id starting 00G" in result.stderr
    assert not (tmp_path / "x").exists()


def test_old_spellings_still_work_with_a_warning(tmp_path: Path) -> None:
    out = _build(tmp_path, "--salesforce-flow-id", "3015e000001AbCdEAF", "--salesforce-flow-fallback-queue-id",
                 "00G5e000001AbCdEAF", "--routing-attribute", "Tier=Gold")
    assert "salesforceFlowRoutingAttributes.Tier" in (out / "inbound_chat.json").read_text()
    report = tmp_path / "report.txt"
    old = CliRunner().invoke(main, ["flows", "lint", "--format", "human", "--output", str(report), str(out)])
    assert old.exit_code == 0, old.output
    assert "warning: --output is deprecated; use --out" in old.stderr and "warning: human is deprecated; use text" in old.stderr
    new = CliRunner().invoke(main, ["flows", "lint", "--format", "text", str(out)])
    assert new.stdout == report.read_text() and "deprecated" not in new.stderr
    assert "human" not in CliRunner().invoke(main, ["flows", "lint", "--help"]).output


def test_text_settings_that_are_not_utf8_are_refused_not_written(tmp_path: Path) -> None:
    # An argument that is not valid UTF-8 arrives with a lone surrogate; no flow file can hold it.
    result = CliRunner().invoke(main, ["flows", "build", "--example", "--out", str(tmp_path / "x"),
                                       "--failure-message", "closed \udcff", "--requeue-message", "left \udcff"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--failure-message: 'closed \\udcff' is not valid UTF-8 text" in result.stderr
    assert "--requeue-message: 'left \\udcff' is not valid UTF-8 text" in result.stderr
    assert not (tmp_path / "x").exists()
