from __future__ import annotations

from pathlib import Path

import pytest

from sccac.mappings.sides import ConnectInstance, ConnectQueue, OmniQueue

INSTANCE = "arn:aws:connect:eu-west-2:123456789012:instance/5f1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f80"
OTHER_INSTANCE = "arn:aws:connect:eu-west-2:123456789012:instance/0a1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f81"
SUPPORT_ARN = f"{INSTANCE}/queue/0e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b40"
BILLING_ARN = f"{INSTANCE}/queue/1e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b41"


@pytest.fixture
def write(tmp_path: Path):
    def _write(text: str, name: str = "queue_mappings.yml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def omni_queues() -> dict[str, OmniQueue]:
    queues = [
        OmniQueue("00G000000000001AAA", "Support", "Support", "Support_External", "ExternalRouting"),
        OmniQueue("00G000000000002AAA", "Billing", "Billing", "Billing_External", "ExternalRouting"),
        OmniQueue("00G000000000003AAA", "Sales", "Sales", "Sales_Omni", "MostAvailable"),
        OmniQueue("00G000000000004AAA", "Legacy", "Legacy"),
    ]
    return {q.developer_name: q for q in queues}


@pytest.fixture
def instance() -> ConnectInstance:
    return ConnectInstance(
        INSTANCE,
        (ConnectQueue("Support", SUPPORT_ARN), ConnectQueue("Billing", BILLING_ARN)),
        ("Basic Routing Profile",),
    )
