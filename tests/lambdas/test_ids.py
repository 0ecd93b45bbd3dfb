"""One shape per id: the flow builders, the render validation and the Routing function agree
on which Connect queue ARNs and UUIDs they accept (sccac/lambdas/ids.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sccac.flows.builders import FlowSettings, FlowSettingsError
from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.event import parse_session_request
from sccac.lambdas.routing import route
from sccac.salesforce import validation
from sccac.salesforce.validation import RenderOptionError
from sccac.testing.interaction_service import LocalInteractionService
from tests.lambdas.conftest import (
    CHANNEL,
    QUEUE_ARN,
    QUEUE_MAPPED,
    SECRET_NAME,
    FakeContext,
    connect_event,
    secret_json,
    service_config,
)

UPPER_ARN = QUEUE_ARN.replace("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE")
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:sccac-Routing"


def flow_settings(arn: str = QUEUE_ARN, channel: str = CHANNEL) -> FlowSettings:
    return FlowSettings(session_lambda_arn=LAMBDA, routing_lambda_arn=LAMBDA, channel_address_identifier=channel,
                        fallback_queue_arn=arn)


def render_option(arn: str) -> str:
    return validation.queue_arn("fallback_queue_arn", arn)


CHECKS: dict[str, tuple[Callable[[str], object], type[Exception]]] = {
    "flow builders": (flow_settings, FlowSettingsError),
    "salesforce render": (render_option, RenderOptionError),
}


@pytest.mark.parametrize("part", sorted(CHECKS))
def test_every_part_accepts_the_lowercase_arn_connect_writes(part):
    check, _ = CHECKS[part]
    check(QUEUE_ARN)


@pytest.mark.parametrize("part", sorted(CHECKS))
@pytest.mark.parametrize("arn", [UPPER_ARN, QUEUE_ARN.replace("/queue/", "/contact-flow/"), QUEUE_ARN.replace("us-east-1", "useast1")])
def test_every_part_refuses_an_arn_connect_never_writes(part, arn):
    check, error = CHECKS[part]
    with pytest.raises(error):
        check(arn)


@pytest.mark.parametrize(("mapped_arn", "status"), [(QUEUE_ARN, "MAPPED_QUEUE"), (UPPER_ARN, "NO_MAPPED_QUEUE")])
def test_routing_function_agrees(keys, secrets_client, make_deps, mapped_arn, status):
    with LocalInteractionService(service_config(keys, queues={QUEUE_MAPPED: mapped_arn})) as service:
        # This service is both the Interaction Service and the token endpoint.
        secrets_client.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service))
        deps = make_deps(scrt_base_url=service.base_url)
        attributes = {"channelAddressIdentifier": CHANNEL}
        attributes.update(create_messaging_session(connect_event(attributes=attributes), FakeContext(), deps))
        result = route(connect_event(attributes=attributes, parameters={"routingType": "Initial"}), FakeContext(), deps)
    assert result["routingStatus"] == status


def test_a_uuid_pasted_in_uppercase_is_read_as_the_same_uuid():
    upper = CHANNEL.upper()
    event = connect_event(attributes={"channelAddressIdentifier": upper})
    assert parse_session_request(event).channel_address_identifier == CHANNEL
    assert flow_settings(channel=upper).channel_address_identifier == upper  # accepted, as before
    assert validation.uuid("instance_id", upper) == CHANNEL
    with pytest.raises(FlowSettingsError):
        flow_settings(channel=CHANNEL + "\n")


def test_digits_of_other_scripts_are_not_account_or_region_digits():
    from sccac.lambdas.ids import CONNECT_INSTANCE_ARN_RE, CONNECT_QUEUE_ARN_RE

    uuid = "0e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b40"
    arabic_indic = "\u0661" * 12
    assert CONNECT_QUEUE_ARN_RE.match(f"arn:aws:connect:us-east-1:123456789012:instance/{uuid}/queue/{uuid}")
    assert not CONNECT_QUEUE_ARN_RE.match(f"arn:aws:connect:us-east-1:{arabic_indic}:instance/{uuid}/queue/{uuid}")
    assert not CONNECT_QUEUE_ARN_RE.match(f"arn:aws:connect:us-east-\u0661:123456789012:instance/{uuid}/queue/{uuid}")
    assert CONNECT_INSTANCE_ARN_RE.match(f"arn:aws:connect:us-east-1:123456789012:instance/{uuid}")
    assert not CONNECT_INSTANCE_ARN_RE.match(f"arn:aws:connect:us-east-1:{arabic_indic}:instance/{uuid}")


def test_render_refuses_an_account_id_with_other_digits():
    import pytest

    from sccac.salesforce.validation import RenderOptionError, aws_account_id

    with pytest.raises(RenderOptionError, match="12-digit AWS account id"):
        aws_account_id("aws_account_id", "12345678901\u0661")


def test_the_15_character_form_is_made_in_one_place_and_refuses_non_ids():
    from sccac.lambdas.ids import id15

    # The 15-character form keeps the case-sensitive part; the 3-character suffix only makes it case-safe.
    assert id15("0Mw000000000001CAA") == "0Mw000000000001" == id15("0Mw000000000001")
    with pytest.raises(ValueError):
        id15("0Mw 00000000001CAA")
