"""Instance quotas: Amazon Connect's defaults, or the account's values from Service Quotas when readable."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError


@dataclass(frozen=True)
class Quotas:
    queues: int = 50
    contact_flows: int = 100
    flow_modules: int = 100
    quick_connects: int = 100
    lambda_functions: int = 50
    routing_profiles: int = 100
    users: int = 500
    source: str = "Amazon Connect defaults"


# Service Quotas names (ServiceCode "connect") -> field; matched case-insensitively.
_QUOTA_NAMES = {
    "queues per instance": "queues",
    "contact flows per instance": "contact_flows",
    "flows per instance": "contact_flows",
    "modules per instance": "flow_modules",
    "flow modules per instance": "flow_modules",
    "quick connects per instance": "quick_connects",
    "lambda functions per instance": "lambda_functions",
    "routing profiles per instance": "routing_profiles",
    "users per instance": "users",
}


def quotas_from_service_quotas(client: Any) -> Quotas:
    """Read the applied values; fall back to the defaults (and say why) when the caller may not read them."""
    found: dict[str, int] = {}
    try:
        for page in client.get_paginator("list_service_quotas").paginate(ServiceCode="connect"):
            for quota in page.get("Quotas", []):
                name = _QUOTA_NAMES.get(str(quota.get("QuotaName", "")).strip().lower())
                if name and quota.get("Value") is not None:
                    found[name] = int(quota["Value"])
    except ClientError as exc:
        return Quotas(source=f"Amazon Connect defaults (Service Quotas: {exc.response['Error']['Code']})")
    except BotoCoreError as exc:
        return Quotas(source=f"Amazon Connect defaults (Service Quotas: {type(exc).__name__})")
    if not found:
        return Quotas(source="Amazon Connect defaults (Service Quotas listed no Connect instance quotas)")
    return replace(Quotas(), **found, source="Service Quotas")


def quota_fields() -> list[str]:
    return [f.name for f in fields(Quotas) if f.name != "source"]
