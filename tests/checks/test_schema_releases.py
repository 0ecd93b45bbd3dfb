"""Metadata from real orgs is one release ahead of the 63.0 schema: newer is a note naming the version, unknown an error.

The files below have the shape of org retrieves (elements in the order Salesforce writes them).
The later releases' model is the `@salesforce/types` the Salesforce CLI installs.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sccac.checks.cli import check
from sccac.checks.metadata_model import installed_types_models
from sccac.checks.schema import check_schema, validate_file
from tests.checks.conftest import REPO

CASE_CHANNEL = """<?xml version="1.0" encoding="UTF-8"?>
<ServiceChannel xmlns="http://soap.sforce.com/2006/04/metadata">
    <capacityModel>STATUS_BASED</capacityModel>
    <doesMinimizeWidgetOnAccept>false</doesMinimizeWidgetOnAccept>
    <hasAutoAcceptEnabled>false</hasAutoAcceptEnabled>
    <isInterruptible>false</isInterruptible>
    <label>Case</label>
    <relatedEntityType>Case</relatedEntityType>
    <serviceChannelStatusFieldMappings>
        <type>IN_PROGRESS</type>
        <value>Working</value>
    </serviceChannelStatusFieldMappings>
    <statusField>Status</statusField>
</ServiceChannel>
"""

SMS_CHANNEL = """<?xml version="1.0" encoding="UTF-8"?>
<MessagingChannel xmlns="http://soap.sforce.com/2006/04/metadata">
    <description>Support SMS</description>
    <masterLabel>Support SMS</masterLabel>
    <messagingChannelType>Text</messagingChannelType>
    <platformKey>+15555550100</platformKey>
    <sessionHandlerQueue>Support</sessionHandlerQueue>
    <sessionHandlerType>Queue</sessionHandlerType>
</MessagingChannel>
"""

EMBEDDED_CHANNEL = """<?xml version="1.0" encoding="UTF-8"?>
<MessagingChannel xmlns="http://soap.sforce.com/2006/04/metadata">
    <embeddedConfig>
        <allowedFileTypes>pdf,jpg,png</allowedFileTypes>
        <anonymousUserJwtExpirationTime>2</anonymousUserJwtExpirationTime>
        <authMode>UnAuth</authMode>
        <isAttachmentUploadEnabled>true</isAttachmentUploadEnabled>
        <isEstimatedWaitTimeEnabled>false</isEstimatedWaitTimeEnabled>
    </embeddedConfig>
    <masterLabel>Web Chat</masterLabel>
    <messagingChannelType>EmbeddedMessaging</messagingChannelType>
    <sessionHandlerQueue>Support</sessionHandlerQueue>
    <sessionHandlerType>Queue</sessionHandlerType>
</MessagingChannel>
"""


@pytest.fixture(scope="module")
def newer():
    models = installed_types_models(REPO)
    assert models, "the Salesforce CLI's @salesforce/types is expected in node_modules (make setup)"
    return models


def _write(project, relative, text):
    return project.add_file(f"unpackaged/config/omni/{relative}", text)


@pytest.mark.parametrize("text, what", [
    (CASE_CHANNEL, "<capacityModel> in ServiceChannel"),
    (SMS_CHANNEL, "<messagingChannelType> value 'Text'"),
    (EMBEDDED_CHANNEL, "<allowedFileTypes> in EmbeddedMessagingChannel"),
])
def test_org_metadata_newer_than_63_is_a_note_naming_the_version_to_move_to(project, newer, text, what):
    path = _write(project, "x/a.xml", text)
    problems = validate_file(path, newer, "63.0")
    assert problems, "the 63.0 schema alone rejects this file"
    assert all(p.severity == "note" for p in problems), [p.render() for p in problems]
    first = problems[0]
    assert first.message.startswith(what)
    assert "newer than the project's API version 63.0" in first.message
    assert "API version 64.0 or later" in first.message
    assert "@salesforce/types" in first.message


def test_the_case_channel_notes_every_newer_element_and_passes(project, newer):
    path = _write(project, "serviceChannels/Case.serviceChannel", CASE_CHANNEL)
    problems = validate_file(path, newer, "63.0")
    lines = sorted(p.line for p in problems)
    # capacityModel, serviceChannelStatusFieldMappings, statusField
    assert lines == [3, 9, 13]
    result = check_schema([project.root / "unpackaged"], REPO, "63.0")
    assert result.ok and len(result.notes) == 3


def test_element_order_is_still_checked_around_newer_elements(project, newer):
    swapped = CASE_CHANNEL.replace(
        "    <label>Case</label>\n    <relatedEntityType>Case</relatedEntityType>\n",
        "    <relatedEntityType>Case</relatedEntityType>\n    <label>Case</label>\n",
    )
    path = _write(project, "serviceChannels/Case.serviceChannel", swapped)
    (error,) = [p for p in validate_file(path, newer, "63.0") if p.severity == "error"]
    assert error.line == 7 and "Element 'relatedEntityType'" in error.message and "Expected is ( label )" in error.message
    assert "Check the element order" in error.message and "newer" not in error.message


def test_unknown_in_every_release_is_an_error(project, newer):
    path = _write(project, "serviceChannels/Case.serviceChannel",
                  CASE_CHANNEL.replace("<label>Case</label>", "<lable>Case</lable>"))
    errors = [p for p in validate_file(path, newer, "63.0") if p.severity == "error"]
    assert errors[0].line == 7
    assert errors[0].message.startswith("<lable> is not an element of ServiceChannel in any release this check knows")
    assert "Metadata API 63.0" in errors[0].message


def test_a_value_no_release_knows_is_an_error_with_the_allowed_values(project, newer):
    path = _write(project, "messagingChannels/Sms.messagingChannel", SMS_CHANNEL.replace(">Text<", ">Txt<"))
    errors = [p for p in validate_file(path, newer, "63.0") if p.severity == "error"]
    assert errors and all(p.line == 5 for p in errors)
    assert any("'Txt'" in p.message and "EmbeddedMessaging" in p.message for p in errors)
    assert any("no later release this check knows adds it" in p.message for p in errors)


def test_a_newer_element_with_a_bad_value_is_an_error(project, newer):
    path = _write(project, "serviceChannels/Case.serviceChannel", CASE_CHANNEL.replace("STATUS_BASED", "StatusBased"))
    errors = [p for p in validate_file(path, newer, "63.0") if p.severity == "error"]
    assert [p.line for p in errors] == [3]
    assert "'StatusBased' is not one of STATUS_BASED, TAB_BASED" in errors[0].message


def test_project_already_on_a_later_version_gets_no_move_to(project, newer):
    path = _write(project, "messagingChannels/Sms.messagingChannel", SMS_CHANNEL)
    (note,) = validate_file(path, newer, "66.0")
    assert "the project's API version 66.0 may include it" in note.message
    assert "64.0 or later" not in note.message


def test_sccac_check_prints_the_notes_and_passes(project):
    project.add_class("Fine", "public with sharing class Fine {}")
    _write(project, "messagingChannels/Sms.messagingChannel", SMS_CHANNEL)
    result = CliRunner().invoke(check, ["--project", str(project.root), "--checks", "schema"])
    assert result.exit_code == 0, result.output
    assert "PASS  metadata schema (Metadata API 63.0): 2 checked, no problems, 1 note(s)" in result.output
    assert "unpackaged/config/omni/messagingChannels/Sms.messagingChannel:5: [schema-newer] note:" in result.output


def test_json_output_marks_notes_by_severity(project):
    project.add_class("Fine", "public with sharing class Fine {}")
    _write(project, "serviceChannels/Case.serviceChannel", CASE_CHANNEL)
    result = CliRunner().invoke(check, ["--project", str(project.root), "--checks", "schema", "--format", "json"])
    assert result.exit_code == 0, result.output
    (schema_result,) = json.loads(result.stdout)
    assert schema_result["ok"] is True
    assert [p["severity"] for p in schema_result["problems"]] == ["note", "note", "note"]
