"""Fixtures: a key pair made at test time, the local Interaction Service over real HTTP,
a moto Secrets Manager holding the connected-app secret, and handler dependencies on a
virtual clock (deadlines, caches and waits move only when a test or a fake advances it)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
import requests
from moto import mock_aws

from sccac.clock import RealClock, VirtualClock
from sccac.lambdas import runtime
from sccac.lambdas.config import Settings
from sccac.testing.interaction_service import ChannelSetup, LocalInteractionService, ServiceConfig
from sccac.testing.keys import KeyPair, generate_key_pair

CHANNEL = "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
CHANNEL_BY_FLOW = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
CHANNEL_INACTIVE = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
QUEUE_MAPPED = "00G5g000001AbCdEAF"
QUEUE_UNMAPPED = "00G5g000001XyZwEAB"
FLOW_TO_MAPPED = "3005g000000Fl0wAAA"
FLOW_NO_ROUTE = "3005g000000N0RtAAA"
QUEUE_ARN = (
    "arn:aws:connect:us-east-1:123456789012:instance/"
    "11111111-2222-3333-4444-555555555555/queue/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
)
SECRET_NAME = "sccac/salesforce/test"
AUTH_CONTEXT = "SCCAC_Chat_Channel_Definition"


@pytest.fixture(scope="session")
def keys() -> KeyPair:
    # Generated per test run: no private key is ever committed.
    return generate_key_pair()


def service_config(keys: KeyPair, **overrides: Any) -> ServiceConfig:
    """The stand-in org every test uses; ``overrides`` change ServiceConfig fields."""
    values: dict[str, Any] = {
        "public_key_pem": keys.public_pem,
        "authorization_context": AUTH_CONTEXT,
        "channels": {
            CHANNEL: ChannelSetup(queue_id=QUEUE_MAPPED),
            CHANNEL_BY_FLOW: ChannelSetup(flow_id=FLOW_TO_MAPPED),
            CHANNEL_INACTIVE: ChannelSetup(queue_id=QUEUE_MAPPED, active=False),
        },
        "queues": {QUEUE_MAPPED: QUEUE_ARN, QUEUE_UNMAPPED: None},
        "flows": {FLOW_TO_MAPPED: QUEUE_MAPPED, FLOW_NO_ROUTE: None},
    }
    values.update(overrides)
    return ServiceConfig(**values)


@pytest.fixture
def service(keys: KeyPair) -> Iterator[LocalInteractionService]:
    # A test class can override this fixture (e.g. with strict_published_shapes=True).
    with LocalInteractionService(service_config(keys)) as svc:
        yield svc


def secret_json(keys: KeyPair, service: LocalInteractionService, **overrides: Any) -> str:
    data = {
        "consumerKey": service.config.consumer_key,
        "username": service.config.username,
        "privateKey": keys.private_pem,
        "orgId": service.config.org_id + "AAA",  # 18-char form; the OrgId header uses 15
        "loginUrl": service.base_url,
    }
    data.update(overrides)
    return json.dumps(data)


#: moto's reset API: a running mock answers it in-process and empties every backend.
MOTO_RESET_URL = "http://motoapi.amazonaws.com/moto-api/reset"


@pytest.fixture(scope="package")
def _moto() -> Iterator[Any]:
    """moto for this package, and one Secrets Manager client: starting a mock and creating a client are the slow
    parts, so each happens once here. Package scope, not session: the mock ends after the last test here, so a later
    package's own ``mock_aws()`` block is an outermost one and starts empty (a nested one shares this state)."""
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")


@pytest.fixture
def _moto_secrets(_moto: Any) -> Any:
    """Each test starts from one known AWS: moto's state reset, then the connected-app secret and nothing else, so
    nothing an earlier test wrote (a secret, a bucket, a secret's older values) is seen."""
    requests.post(MOTO_RESET_URL, timeout=5).raise_for_status()
    _moto.create_secret(Name=SECRET_NAME, SecretString="{}")
    return _moto


@pytest.fixture
def secrets_client(keys: KeyPair, service: LocalInteractionService, _moto_secrets: Any) -> Any:
    # Each test's secret points at its own service (loginUrl = its random port).
    _moto_secrets.put_secret_value(SecretId=SECRET_NAME, SecretString=secret_json(keys, service))
    return _moto_secrets


@pytest.fixture
def clock() -> VirtualClock:
    """The functions' clock in a test: it moves only when advanced (or slept on by a fake).

    It starts at the real time because the local service checks the JWT's expiry against real
    time, as Salesforce does; after that no test depends on how long anything really takes.
    """
    return VirtualClock(start=RealClock().time())


DepsFactory = Callable[..., runtime.Dependencies]


@pytest.fixture
def make_deps(service: LocalInteractionService, secrets_client: Any, clock: VirtualClock) -> DepsFactory:
    def make(**settings: Any) -> runtime.Dependencies:
        values: dict[str, Any] = {
            "scrt_base_url": service.base_url,
            "secret_name": SECRET_NAME,
            "authorization_context": AUTH_CONTEXT,
        }
        values.update(settings)
        return runtime.build(Settings(**values), secrets_client=secrets_client, clock=clock)

    return make


@pytest.fixture
def deps(make_deps: DepsFactory) -> runtime.Dependencies:
    return make_deps()


class FakeContext:
    """The part of the Lambda context the handlers use."""

    def __init__(self, remaining_ms: int = 8000) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def connect_event(
    contact_id: str = "c0ffee00-1111-4222-8333-444455556666",
    attributes: dict[str, str] | None = None,
    parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An Amazon Connect 'Invoke AWS Lambda function' event."""
    return {
        "Name": "ContactFlowEvent",
        "Details": {
            "ContactData": {
                "Attributes": attributes if attributes is not None else {},
                "Channel": "CHAT",
                "ContactId": contact_id,
                "InitialContactId": contact_id,
                "InitiationMethod": "API",
                "InstanceARN": "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555",
                "PreviousContactId": contact_id,
                "Queue": None,
            },
            "Parameters": parameters if parameters is not None else {},
        },
    }


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record at DEBUG: the functions' own logger (INFO by default, sccac/lambdas/log.py)
    and the root, so botocore/urllib3 loggers that inherit from it log at DEBUG too. The
    botocore loggers log.py pins at INFO stay pinned: that pin is what the tests check."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sccac.lambdas")
    return caplog
