"""FakeOrg that answers like an org with the real schema: a SOQL or insert naming a field the object lacks fails.

Field names come from the Salesforce sObject types apex-ls ships (``sobject-types`` jar, installed with
the project's npm tools), the package's own Case fields in force-app, and, for the Omni-Channel
objects that jar leaves out (AgentWork, PendingServiceRouting, UserServicePresence, the presence set-up), the Salesforce Object Reference.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse


import pytest
import responses

from tests.salesforce.fake_org import FakeOrg

ROOT = Path(__file__).resolve().parents[2]
SOBJECT_JAR = ROOT / "node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib/sobject-types-65.0.0.jar"
CASE_FIELDS = ROOT / "force-app/main/default/objects/Case/fields"
# Salesforce Object Reference (API 63.0): AgentWork and PendingServiceRouting fields.
_AUDIT = ("CreatedById", "CreatedDate", "IsDeleted", "LastModifiedById", "LastModifiedDate", "SystemModstamp")
REFERENCE_FIELDS = {
    "AgentWork": {
        "Id", "Name", "AcceptDateTime", "ActiveTime", "AssignedDateTime", "CapacityPercentage", "CapacityWeight",
        "CloseDateTime", "CreatedById", "CreatedDate", "DeclineDateTime", "DeclineReason", "HandleTime", "IsDeleted",
        "IsPreferredUserRequired", "LastModifiedById", "LastModifiedDate", "OriginalGroupId", "OriginalQueueId",
        "OwnerId", "PendingServiceRoutingId", "PreferredUserId", "PushTimeout", "PushTimeoutDateTime",
        "RequestDateTime", "RoutingModel", "RoutingPriority", "RoutingType", "ServiceChannelId", "SpeedToAnswer",
        "Status", "SystemModstamp", "UserId", "WorkItemId",
    },
    # The Omni-Channel set-up objects create_robot_agents and deploy_robot_config read and write.
    "ServiceChannel": {"Id", "DeveloperName", "MasterLabel", "Language", "NamespacePrefix", "RelatedEntity",
                       "SecRoutingPriorityField", *_AUDIT},
    "ServicePresenceStatus": {"Id", "DeveloperName", "MasterLabel", "Language", "NamespacePrefix", *_AUDIT},
    "PresenceUserConfig": {"Id", "DeveloperName", "MasterLabel", "Language", "NamespacePrefix", "Capacity",
                           "IsAllowedDeclineRequest", "IsAutoAcceptEnabled", "IsDeclineReasonEnabled",
                           "IsDisconnectSoundEnabled", "IsRequestSoundEnabled", *_AUDIT},
    "PresenceUserConfigUser": {"Id", "PresenceUserConfigId", "UserId", *_AUDIT},
    "UserServicePresence": {
        "Id", "AtCapacityDuration", "AverageCapacity", "ConfiguredCapacity", "CreatedById", "CreatedDate", "IdleDuration",
        "IsAway", "IsCurrentState", "IsDeleted", "LastModifiedById", "LastModifiedDate", "Name", "OwnerId",
        "ServicePresenceStatusId", "StatusDuration", "StatusEndDate", "StatusStartDate", "SystemModstamp", "UserId",
    },
    "PendingServiceRouting": {
        "Id", "CapacityPercentage", "CapacityWeight", "CreatedById", "CreatedDate", "CustomRequestedDateTime",
        "DropAdditionalSkillsTimeout", "GroupId", "IsDeleted", "IsPreferredUserRequired", "IsPushAttempted",
        "IsPushed", "IsReadyForRouting", "IsTransfer", "LastDeclinedAgentSession", "LastModifiedById",
        "LastModifiedDate", "PreferredUserId", "PushTimeout", "QueueId", "RoutingModel", "RoutingPriority",
        "RoutingType", "SecondaryRoutingPriority", "ServiceChannelId", "SystemModstamp", "WorkItemId",
    },
}
_FIELDS = re.compile(r"^SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<object>\w+)(?:\s+WHERE\s+(?P<where>.+))?$", re.I | re.S)
_WHERE_FIELD = re.compile(r"(\w+)\s*=\s*'")
_ORDER_BY = re.compile(r"\s+ORDER\s+BY\s+(\w+)", re.I)


@lru_cache(maxsize=None)
def sobject_fields(sobject: str) -> frozenset[str]:
    if sobject in REFERENCE_FIELDS:
        return frozenset(REFERENCE_FIELDS[sobject])
    with zipfile.ZipFile(SOBJECT_JAR) as jar:
        data = jar.read(f"com/nawforce/runforce/SObjects/{sobject}.class")
    names = {m.decode() for m in re.findall(rb"[A-Z][A-Za-z0-9_]+", data)}
    if sobject == "Case":
        names |= {p.name.split(".")[0] for p in CASE_FIELDS.glob("*.field-meta.xml")}
    return frozenset(names)


def _invalid(message: str) -> tuple[int, dict[str, str], str]:
    return 400, {}, json.dumps([{"errorCode": "INVALID_FIELD", "message": message}])


class StrictFakeOrg(FakeOrg):
    """FakeOrg whose SOQL and inserts are checked against the objects' real fields first."""

    def _query(self, request: Any) -> tuple[int, dict[str, str], str]:
        soql = parse_qs(urlparse(request.url).query)["q"][0].strip()
        match = _FIELDS.match(soql)
        if match:
            known = sobject_fields(match["object"])
            where = match["where"] or ""
            named = [f.strip() for f in match["fields"].split(",")] + _WHERE_FIELD.findall(where) + _ORDER_BY.findall(where)
            for name in named:
                if name not in known:
                    return _invalid(f"No such column '{name}' on entity '{match['object']}'")
        return super()._query(request)

    def _insert(self, request: Any) -> tuple[int, dict[str, str], str]:
        sobject = urlparse(request.url).path.rstrip("/").rsplit("/", 1)[-1]
        for name in json.loads(request.body):
            if name not in sobject_fields(sobject):
                return _invalid(f"No such column '{name}' on sobject of type {sobject}")
        return super()._insert(request)


def serve_strict_org(monkeypatch: Any) -> Iterator[StrictFakeOrg]:
    """A StrictFakeOrg every CumulusCI task's ``self.sf`` talks to (a pytest fixture's body: ``yield from``)."""
    if not SOBJECT_JAR.exists():
        pytest.skip(f"{SOBJECT_JAR.name} (the sObject schema) is installed by `make setup` (npm ci)")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        fake = StrictFakeOrg(mocked)
        monkeypatch.setattr("cumulusci.tasks.salesforce.BaseSalesforceApiTask._init_api", lambda self, base_url=None: fake.sf)
        monkeypatch.setattr("cumulusci.tasks.salesforce.BaseSalesforceTask._update_credentials", lambda self: None)
        monkeypatch.setattr("cumulusci.salesforce_api.metadata.time.sleep", lambda seconds: None)
        yield fake
