"""settings_from_options: the one reader of flow settings options (the CLI's strings, cumulusci.yml's YAML values),
the "required unless example" rule, and every bad option reported at once, spelled the caller's way."""

from __future__ import annotations

import dataclasses

import pytest

from sccac.errors import SccacUsageError
from sccac.flows.builders import FlowSettings, FlowSettingsError
from sccac.flows.files import EXAMPLE_SETTINGS
from sccac.flows.settings import (
    SETTING_NAMES,
    FlowSettingsOptionsError,
    cli_flag,
    example_filled,
    settings_from_options,
)

ORG = {
    "session_lambda_arn": "arn:aws:lambda:us-east-1:210987654321:function:acme-CreateMessagingSession",
    "routing_lambda_arn": "arn:aws:lambda:us-east-1:210987654321:function:acme-Routing",
    "channel_address_identifier": "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    "fallback_queue_arn": "arn:aws:connect:us-east-1:210987654321:instance/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/"
                          "queue/6e7f8a9b-0c1d-4e2f-a3b4-c5d6e7f8a9b0",
}
FLOW = {"salesforce_flow_id": "3015e000001AbCdEAF", "salesforce_flow_fallback_queue_id": "00G5e000001AbCdEAF"}


def test_every_field_of_the_settings_is_an_option():
    assert set(SETTING_NAMES) == {f.name for f in dataclasses.fields(FlowSettings)}


def test_defaults_are_the_settings_defaults_and_blank_means_not_given():
    assert settings_from_options({**ORG, "retry_count": "", "client_id": None}) == FlowSettings(**ORG)


@pytest.mark.parametrize("attributes", [
    {"Tier": "$.Attributes.tier", "Lang": "fr"},            # a YAML mapping (cumulusci.yml)
    ["Tier=$.Attributes.tier", "Lang=fr"],                  # the CLI's repeated flag, or a YAML list
    "Tier=$.Attributes.tier, Lang=fr",                      # one -o value, comma-separated
])
def test_routing_attributes_in_every_form_a_front_end_gives_them(attributes):
    settings = settings_from_options({**ORG, **FLOW, "routing_attributes": attributes})
    assert settings.routing_attributes == (("Tier", "$.Attributes.tier"), ("Lang", "fr"))


def test_numbers_from_yaml_or_text_and_nothing_else():
    assert settings_from_options({**ORG, "retry_count": 5, "requeue_wait_seconds": " 60 "}).requeue_wait_seconds == 60
    with pytest.raises(FlowSettingsOptionsError) as info:
        settings_from_options({**ORG, "retry_count": True, "lambda_timeout_seconds": "٣"})  # a bool; an Arabic-Indic 3
    assert [name for name, _ in info.value.problems] == ["retry_count", "lambda_timeout_seconds"]


def test_every_bad_option_at_once_in_option_order_spelled_the_callers_way():
    options = {"session_lambda_arn": "nope", "retry_count": "x", "failure_message": " ", "salesforce_flow_id": "3015e000001AbCdEAF",
               "routing_attributes": ["Tier"], "channel_address_identifier": ORG["channel_address_identifier"]}
    with pytest.raises(FlowSettingsOptionsError) as info:
        settings_from_options(options, cli_flag)
    error = info.value
    assert isinstance(error, SccacUsageError) and error.exit_code == 2
    assert [name for name, _ in error.problems] == [
        "session_lambda_arn", "routing_lambda_arn", "fallback_queue_arn", "retry_count",
        "salesforce_flow_fallback_queue_id", "routing_attributes", "failure_message"]
    lines = str(error).splitlines()
    assert lines[0] == "7 flow settings to fix:"
    assert "  --routing-lambda-arn: missing: give the org's real value (or --example for example flows that are not for Connect)" in lines
    assert "  --salesforce-flow-fallback-queue-id: --salesforce-flow-id needs a fallback Omni-Queue" in lines
    assert "  --routing-attributes: 'Tier' is not NAME=VALUE" in lines


def test_the_task_spelling_is_the_field_name():
    with pytest.raises(FlowSettingsOptionsError, match="(?m)^  salesforce_flow_id: a fallback queue needs salesforce_flow_id$"):
        settings_from_options({**ORG, "salesforce_flow_fallback_queue_id": "00G5e000001AbCdEAF"})


def test_example_fills_only_the_missing_org_values():
    options = {"example": "True", "routing_lambda_arn": ORG["routing_lambda_arn"]}
    settings = settings_from_options(options)
    assert settings.routing_lambda_arn == ORG["routing_lambda_arn"]
    assert settings.session_lambda_arn == EXAMPLE_SETTINGS["session_lambda_arn"]
    assert example_filled(options) == ("session_lambda_arn", "channel_address_identifier", "fallback_queue_arn")
    assert example_filled({**options, "example": "False"}) == ()
    with pytest.raises(FlowSettingsOptionsError, match="example: 'maybe' is not true or false"):
        settings_from_options({**ORG, "example": "maybe"})


def test_building_settings_directly_still_names_the_first_field_and_keeps_them_all():
    with pytest.raises(FlowSettingsError) as info:
        FlowSettings(**{**ORG, "retry_count": 0, "failure_message": ""})
    assert info.value.field == "retry_count"
    assert [name for name, _ in info.value.problems] == ["retry_count", "failure_message"]
    assert isinstance(info.value, SccacUsageError) and isinstance(info.value, ValueError)
