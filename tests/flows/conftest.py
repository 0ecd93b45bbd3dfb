"""Shared fixtures for the flow tests: example SCC-AC settings and the built flows."""

from __future__ import annotations

from pathlib import Path

import pytest

from sccac.flows.builders import FlowSettings

FIXTURES = Path(__file__).parent / "fixtures"
REAL_FIXTURES = FIXTURES / "real"

EXAMPLE_SETTINGS = FlowSettings(
    session_lambda_arn="arn:aws:lambda:us-east-1:123456789012:function:sccac-CreateMessagingSession",
    routing_lambda_arn="arn:aws:lambda:us-east-1:123456789012:function:sccac-Routing",
    channel_address_identifier="3f6c1b2a-8d4e-4f7a-9b0c-5e2d7a1c9f84",
    fallback_queue_arn=(
        "arn:aws:connect:us-east-1:123456789012:instance/"
        "11111111-2222-4333-8444-555555555555/queue/66666666-7777-4888-9999-aaaaaaaaaaaa"
    ),
)


@pytest.fixture
def settings() -> FlowSettings:
    """Example settings (account 123456789012); stable: other test modules rely on them."""
    return EXAMPLE_SETTINGS
