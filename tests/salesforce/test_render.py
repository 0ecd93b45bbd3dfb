"""Renderer of org-specific Salesforce metadata: options validated, output schema-valid and deployable in shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from sccac.cli import main
from sccac.salesforce.render import (
    CredentialOptions,
    MessagingOptions,
    QueueMapping,
    render_credentials,
    render_messaging,
    render_queue_mappings,
)
from sccac.checks.schema import MD_NS, validate_file, validate_tree
from sccac.salesforce.validation import RenderOptionError

REPO = Path(__file__).resolve().parents[2]
NS = {"m": MD_NS}
ARN = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555/queue/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ARN2 = ARN.replace("aaaaaaaa", "bbbbbbbb")


def _xml(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def _text(path: Path, tag: str) -> list[str]:
    return [el.text for el in _xml(path).iter(f"{{{MD_NS}}}{tag}")]


def _package_members(directory: Path) -> dict[str, set[str]]:
    root = _xml(directory / "package.xml")
    return {
        t.findtext("m:name", namespaces=NS): {m.text for m in t.findall("m:members", NS)}
        for t in root.findall("m:types", NS)
    }


def test_messaging_without_existing_definition_deploys_own_definition_and_vendor_info(tmp_path: Path) -> None:
    result = render_messaging(MessagingOptions(queue="SCCAC_Support"), tmp_path / "m")
    assert result.channel_definition == "SCCAC_Chat_Definition"
    assert not result.uses_existing_definition
    assert result.custom_msg_channel == {"channel_definition": "SCCAC_Chat_Definition"}
    channel = tmp_path / "m/messagingChannels/SCCAC_Amazon_Connect_Chat.messagingChannel"
    assert _text(channel, "messagingChannelType") == ["Custom"]
    assert _text(channel, "sessionHandlerType") == ["Queue"]
    assert _text(channel, "sessionHandlerQueue") == ["SCCAC_Support"]
    assert _text(channel, "sessionHandlerFlow") == []
    definition = tmp_path / "m/conversationChannelDefinitions/SCCAC_Chat_Definition.ConversationChannelDefinition"
    assert _text(definition, "routingOwner") == ["Partner"]
    assert _text(definition, "conversationVendorInfo") == ["SCCAC_Amazon_Connect"]
    vendor = tmp_path / "m/ConversationVendorInformation/SCCAC_Amazon_Connect.ConversationVendorInformation"
    assert _text(vendor, "vendorType") == ["BringYourOwnContactCenter"]
    assert _package_members(tmp_path / "m") == {
        "MessagingChannel": {"SCCAC_Amazon_Connect_Chat"},
        "ConversationChannelDefinition": {"SCCAC_Chat_Definition"},
        "ConversationVendorInfo": {"SCCAC_Amazon_Connect"},
        "CustomObject": {"SCCAC_Conversation_Event__e"},
    }
    assert validate_tree(tmp_path / "m") == []


def test_messaging_with_existing_definition_and_flow_routing(tmp_path: Path) -> None:
    result = render_messaging(
        MessagingOptions(queue="Fallback", routing="flow", flow="Route_Chat", existing_definition="Chat_Channel_Definition_AWS_SCC"),
        tmp_path / "m",
    )
    assert result.uses_existing_definition
    assert result.channel_definition == "Chat_Channel_Definition_AWS_SCC"
    assert _package_members(tmp_path / "m") == {"MessagingChannel": {"SCCAC_Amazon_Connect_Chat"}}
    channel = tmp_path / "m/messagingChannels/SCCAC_Amazon_Connect_Chat.messagingChannel"
    assert _text(channel, "sessionHandlerType") == ["Flow"]
    assert _text(channel, "sessionHandlerFlow") == ["Route_Chat"]
    assert _text(channel, "sessionHandlerQueue") == ["Fallback"]
    assert not (tmp_path / "m/conversationChannelDefinitions").exists()


def test_rerender_replaces_stale_files(tmp_path: Path) -> None:
    render_messaging(MessagingOptions(queue="Q1"), tmp_path / "m")
    render_messaging(MessagingOptions(queue="Q1", existing_definition="Existing_Def"), tmp_path / "m")
    assert not (tmp_path / "m/conversationChannelDefinitions").exists()


def test_labels_are_xml_escaped(tmp_path: Path) -> None:
    render_messaging(MessagingOptions(queue="Q1", channel_label="Sales & <Support>"), tmp_path / "m")
    channel = tmp_path / "m/messagingChannels/SCCAC_Amazon_Connect_Chat.messagingChannel"
    assert _text(channel, "masterLabel") == ["Sales & <Support>"]


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-2", "ap-southeast-2"])
def test_credentials_per_region(tmp_path: Path, region: str) -> None:
    result = render_credentials(CredentialOptions(region=region), tmp_path / "c")
    suffix = region.replace("-", "_")
    ec = tmp_path / f"c/externalCredentials/Amazon_Connect_{suffix}_SigV4.externalCredential"
    nc = tmp_path / f"c/namedCredentials/Amazon_Connect_{suffix}.namedCredential"
    assert _text(ec, "authenticationProtocol") == ["AwsSv4"]
    values = dict(zip(_text(ec, "parameterName"), _text(ec, "parameterValue") + [None]))
    assert values["AwsService"] == "connect"
    assert values["AwsRegion"] == region
    assert f"https://connect.{region}.amazonaws.com" in _text(nc, "parameterValue")
    assert _text(nc, "externalCredential") == [f"Amazon_Connect_{suffix}_SigV4"]
    ps = tmp_path / "c/permissionsets/Connect_Routing_Integration.permissionset"
    assert _text(ps, "externalCredentialPrincipal") == [f"Amazon_Connect_{suffix}_SigV4-Connect_Integration"]
    # Users on minimum-access profiles need Read on User External Credentials for the callout.
    assert _text(ps, "object") == ["UserExternalCredential"]
    assert _text(ps, "allowRead") == ["true"]
    assert _text(ps, "allowEdit") == ["false"]
    psg = tmp_path / "c/permissionsetgroups/Connect_Routing_Administration.permissionsetgroup"
    # Least privilege: the routing subscriber's user holds the principal, admins do not.
    assert _text(psg, "permissionSets") == ["Connect_Routing_Admin"]
    assert _package_members(tmp_path / "c")["PermissionSetGroup"] == {"Connect_Routing_Administration"}
    assert len(result.files) == 5
    for path in (ps, psg):  # Salesforce stores at most 255 characters of a permission set (group) description
        assert len(_text(path, "description")[0]) <= 255, path.name
    assert validate_tree(tmp_path / "c") == []
    body = "".join(p.read_text() for p in result.files).lower()
    for secret_word in ("secret", "accesskey", "awsaccesskey"):
        assert secret_word not in body.replace("no keys in source", "")


def test_sts_role_credentials_need_an_account(tmp_path: Path) -> None:
    with pytest.raises(RenderOptionError, match="aws_account_id"):
        render_credentials(CredentialOptions(region="us-east-1", auth="sts_role"), tmp_path / "c")
    render_credentials(CredentialOptions(region="us-east-1", auth="sts_role", aws_account_id="123456789012"), tmp_path / "c")
    ec = tmp_path / "c/externalCredentials/Amazon_Connect_us_east_1_SigV4.externalCredential"
    assert "AwsSv4_STS" in _text(ec, "parameterValue")
    assert "123456789012" in _text(ec, "parameterValue")


@pytest.mark.parametrize(
    ("options", "option", "fix"),
    [
        (lambda: CredentialOptions(region="us-east-7"), "region", "Use one of: us-east-1"),
        (lambda: CredentialOptions(region=""), "region", "Give a value"),
        (lambda: CredentialOptions(region="us-east-1", auth="password"), "auth", "access_key, sts_role"),
        (lambda: CredentialOptions(region="us-east-1", named_credential="Amazon Connect"), "named_credential", "developer name"),
        (lambda: MessagingOptions(queue=""), "queue", "Give a value"),
        (lambda: MessagingOptions(queue="Support Queue"), "queue", "not the label"),
        (lambda: MessagingOptions(queue="Q", routing="flow"), "flow", "Give a value"),
        (lambda: MessagingOptions(queue="Q", routing="bot"), "routing", "queue, flow"),
        (lambda: MessagingOptions(queue="Q", channel_label="  "), "channel_label", "Give a value"),
        (lambda: MessagingOptions(queue="Q", channel_developer_name="Bad__Name"), "channel_developer_name", "developer name"),
    ],
)
def test_bad_options_fail_naming_the_option_and_the_fix(tmp_path: Path, options, option: str, fix: str) -> None:
    opts = options()
    render = render_credentials if isinstance(opts, CredentialOptions) else render_messaging
    with pytest.raises(RenderOptionError) as info:
        render(opts, tmp_path / "out")
    assert info.value.option == option
    assert fix in str(info.value)
    assert not (tmp_path / "out").exists(), "nothing is written when an option is bad"


def test_error_messages_name_the_cli_flag_too(tmp_path: Path) -> None:
    with pytest.raises(RenderOptionError) as info:
        render_credentials(CredentialOptions(region="us-east-1", auth="sts_role"), tmp_path / "c")
    assert info.value.flag == "--aws-account-id"
    assert "option 'aws_account_id' (--aws-account-id): is empty" in str(info.value)
    with pytest.raises(RenderOptionError) as info:
        render_messaging(MessagingOptions(queue="Q", channel_developer_name="Bad__Name"), tmp_path / "m")
    assert "(--channel-name)" in str(info.value)
    with pytest.raises(RenderOptionError) as info:
        render_credentials(CredentialOptions(region="us-east-1", principal="bad name"), tmp_path / "c")
    assert info.value.flag is None and "option 'principal':" in str(info.value), "no flag for Python-only options"
    runner = CliRunner()
    bad = runner.invoke(main, ["salesforce", "render", "credentials", "--region", "us-east-1", "--auth", "sts_role",
                               "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "--aws-account-id" in bad.output


def test_queue_names_longer_than_a_record_name(tmp_path: Path) -> None:
    """Queue developer names go up to 80 characters; custom metadata record names stop at 40."""
    long_queue = "Support_" + "Tier_Two_Escalations_" * 3 + "EMEA"
    assert 40 < len(long_queue) <= 80
    result = render_queue_mappings([QueueMapping(long_queue, ARN, "Escalations"), QueueMapping("Short", ARN2, "S")], tmp_path / "q")
    record_name = QueueMapping(long_queue, ARN, "Escalations").record_name
    assert len(record_name) <= 40 and record_name.startswith("Support_Tier_Two")
    record = tmp_path / f"q/customMetadata/Connect_Queue_Mapping.{record_name}.md"
    assert long_queue in _text(record, "value"), "Omni_Queue__c keeps the whole queue name"
    assert _package_members(tmp_path / "q")["CustomMetadata"] == {f"Connect_Queue_Mapping.{record_name}", "Connect_Queue_Mapping.Short"}
    assert len(result.files) == 3
    assert validate_tree(tmp_path / "q") == []
    with pytest.raises(RenderOptionError, match="is 81 characters long"):
        render_queue_mappings([QueueMapping("Q" * 81, ARN, "Q")], tmp_path / "q2")


def test_queue_mappings_render_and_validate(tmp_path: Path) -> None:
    render_queue_mappings(
        [QueueMapping("Support", ARN, "BasicQueue"), QueueMapping("Billing", ARN2, "Billing", active=False)],
        tmp_path / "q",
        region="us-east-1",
    )
    record = tmp_path / "q/customMetadata/Connect_Queue_Mapping.Billing.md"
    assert "false" in _text(record, "value")
    assert _package_members(tmp_path / "q") == {
        "CustomMetadata": {"Connect_Queue_Mapping.Support", "Connect_Queue_Mapping.Billing"}
    }
    assert validate_tree(tmp_path / "q") == []


@pytest.mark.parametrize(
    ("mappings", "region", "message"),
    [
        ([QueueMapping("Support", "arn:aws:connect:us-east-1:123:instance/x/queue/y", "Q")], None, "mappings[1].connect_queue_arn"),
        ([QueueMapping("Support", ARN.replace(":connect:", ":sqs:"), "Q")], None, "not an Amazon Connect queue ARN"),
        ([QueueMapping("Support", ARN, "Q")], "eu-west-2", "not eu-west-2"),
        ([QueueMapping("Support", ARN, "Q"), QueueMapping("Support", ARN2, "Q2")], None, "already mapped by mappings[1]"),
        ([QueueMapping("", ARN, "Q")], None, "mappings[1].omni_queue"),
        ([QueueMapping("Support", ARN, "")], None, "mappings[1].connect_queue_name"),
        (
            [QueueMapping("A", ARN, "Q"), QueueMapping("B", ARN2.replace("11111111", "22222222"), "Q")],
            None,
            "2 Connect instances",
        ),
        ([], None, "at least one"),
    ],
)
def test_bad_mappings_fail_clearly(tmp_path: Path, mappings, region, message: str) -> None:
    with pytest.raises(RenderOptionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        render_queue_mappings(mappings, tmp_path / "q", region=region)


def test_committed_config_is_the_default_render(tmp_path: Path) -> None:
    """unpackaged/config/messaging and connect_credentials are renders, never hand-edited copies."""
    render_messaging(MessagingOptions(queue="SCCAC_Support"), tmp_path / "messaging")
    render_credentials(CredentialOptions(region="us-east-1"), tmp_path / "connect_credentials")
    for name in ("messaging", "connect_credentials"):
        fresh = {p.relative_to(tmp_path / name): p.read_text() for p in (tmp_path / name).rglob("*") if p.is_file()}
        committed_dir = REPO / "unpackaged/config" / name
        committed = {p.relative_to(committed_dir): p.read_text() for p in committed_dir.rglob("*") if p.is_file()}
        assert committed == fresh, f"unpackaged/config/{name} differs from a fresh render: re-run sccac salesforce render"


def test_repo_metadata_matches_the_schema() -> None:
    findings = validate_tree(REPO / "force-app") + validate_tree(REPO / "unpackaged")
    assert findings == [], "\n".join(map(str, findings))


def test_schema_check_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "x.serviceChannel"
    path.write_text(f'<?xml version="1.0"?><ServiceChannel xmlns="{MD_NS}"><label>x</label><capacityModel>TabBased</capacityModel><relatedEntityType>Case</relatedEntityType></ServiceChannel>')
    assert validate_file(path), "capacityModel is newer than the 63.0 schema: reported"


def test_cli_renders_and_reports_bad_options(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["salesforce", "render", "messaging", "--queue", "SCCAC_Support", "--out", str(tmp_path / "m")])
    assert ok.exit_code == 0, ok.output
    assert "package's own" in ok.output
    ok = runner.invoke(main, ["salesforce", "render", "credentials", "--region", "eu-central-1", "--out", str(tmp_path / "c")])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "c/namedCredentials/Amazon_Connect_eu_central_1.namedCredential").exists()
    bad = runner.invoke(main, ["salesforce", "render", "credentials", "--region", "moon-1", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2
    assert "option 'region'" in bad.output and "us-east-1" in bad.output
    bad = runner.invoke(main, ["salesforce", "render", "messaging", "--queue", "Q", "--routing", "flow", "--out", str(tmp_path / "y")])
    assert bad.exit_code == 2 and "option 'flow'" in bad.output
