"""Read and write what the SCC-AC setup needs in an org, through simple-salesforce.

Inside a CumulusCI task pass the task's own ``self.sf``; elsewhere :func:`connect_org` builds one from a
CumulusCI org config. Reads are one SOQL query per kind (``query_all`` follows the pages), so the cost
does not grow with the number of queues.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from sccac.errors import SccacUsageError
from sccac.mappings.sides import OmniQueue
from sccac.mappings.status import RoutingMapEntry
from sccac.salesforce.render import QueueMapping


class SalesforceClient(Protocol):
    """The part of ``simple_salesforce.Salesforce`` used here (so tests can pass a fake)."""

    def query_all(self, query: str, include_deleted: bool = False, **kwargs: Any) -> dict[str, Any]: ...


class OrgSetupError(SccacUsageError):
    """The org lacks something the setup needs; the message names it and where to set it up."""


def soql_quote(value: str) -> str:
    """A SOQL string literal: backslashes and quotes escaped (SOQL has no bind variables over REST)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _records(sf: SalesforceClient, query: str) -> list[dict[str, Any]]:
    return list(sf.query_all(query).get("records", []))


def read_omni_queues(sf: SalesforceClient) -> list[OmniQueue]:
    """Every queue with its Omni-Channel routing configuration (None when the queue has none)."""
    configs = {
        r["Id"]: (r["DeveloperName"], r.get("RoutingModel"))
        for r in _records(sf, "SELECT Id, DeveloperName, RoutingModel FROM QueueRoutingConfig")
    }
    queues = []
    for r in _records(sf, "SELECT Id, DeveloperName, Name, QueueRoutingConfigId FROM Group WHERE Type = 'Queue'"):
        config = configs.get(r.get("QueueRoutingConfigId") or "")
        queues.append(OmniQueue(
            id=r["Id"], developer_name=r["DeveloperName"], name=r.get("Name") or "",
            routing_config=config[0] if config else None, routing_model=config[1] if config else None,
        ))
    return queues


def read_deployed_mappings(sf: SalesforceClient) -> list[QueueMapping]:
    """The Connect_Queue_Mapping__mdt records the org holds."""
    query = "SELECT Omni_Queue__c, Connect_Queue_Arn__c, Connect_Queue_Name__c, Active__c FROM Connect_Queue_Mapping__mdt"
    return [
        QueueMapping(r["Omni_Queue__c"], r.get("Connect_Queue_Arn__c") or "", r.get("Connect_Queue_Name__c") or "",
                     bool(r.get("Active__c")))
        for r in _records(sf, query)
    ]


def find_contact_center(sf: SalesforceClient, internal_name: str | None = None) -> str | None:
    """Id of the org's Amazon Connect contact center (CallCenter), or None when there is none.

    ``internal_name`` picks one when the org has several; without it, one contact center is used and
    several is an error, since the mapping would be mirrored into the wrong one.
    """
    where = f" WHERE InternalName = {soql_quote(internal_name)}" if internal_name else ""
    centers = _records(sf, f"SELECT Id, InternalName FROM CallCenter{where}")
    if not centers:
        if internal_name:
            raise OrgSetupError(f"the org has no contact center (CallCenter) named '{internal_name}'; "
                                "check the name in Setup > Contact Centers")
        return None
    if len(centers) > 1:
        names = ", ".join(sorted(c["InternalName"] for c in centers))
        raise OrgSetupError(f"the org has several contact centers ({names}); name the one to mirror the mapping into")
    return str(centers[0]["Id"])


def read_routing_map(sf: SalesforceClient, call_center_id: str) -> list[RoutingMapEntry]:
    """The contact center's queue routing map (CallCenterRoutingMap rows)."""
    query = ("SELECT Id, ReferenceRecordId, ExternalId, QuickConnect FROM CallCenterRoutingMap "
             f"WHERE CallCenterId = {soql_quote(call_center_id)}")
    return [RoutingMapEntry(r["ReferenceRecordId"], r.get("ExternalId") or "", r.get("QuickConnect"), r.get("Id"))
            for r in _records(sf, query)]


def read_channel_address_identifier(sf: SalesforceClient, channel_developer_name: str) -> str:
    """The ChannelAddressIdentifier Salesforce gave the MessagingChannel when it was deployed."""
    return read_messaging_channel(sf, channel_developer_name)[1]


def omni_queue_ids(queues: Iterable[OmniQueue]) -> dict[str, str]:
    return {q.developer_name: q.id for q in queues}


class RoutingTarget(NamedTuple):
    """One row the contact center's routing map should have: a Salesforce queue or user (``reference_id``) and the
    contact center's id for it (``external_id``: the Connect queue or user ARN), with the queue's quick connect."""

    reference_id: str
    key: str  # the row's DeveloperName before "_<call center id>": the queue's name or the user's id
    external_id: str
    quick_connect: str | None = None
    label: str = ""  # the row's MasterLabel (default: the key)

    @classmethod
    def for_queue(cls, queue: OmniQueue, arn: str, quick_connect: str | None) -> RoutingTarget:
        return cls(queue.id, queue.developer_name, arn, quick_connect)

    @classmethod
    def for_user(cls, user_id: str, label: str, arn: str) -> RoutingTarget:
        return cls(user_id, user_id, arn, None, label)


def routing_map_changes(
    call_center_id: str, wanted: Sequence[RoutingTarget], current: Sequence[RoutingMapEntry]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """What mirrors ``wanted`` into the contact center's routing map: CallCenterRoutingMap records to create, and
    field updates by record id for rows that map the queue or user elsewhere. Both empty when the map already
    agrees, so a re-run writes nothing."""
    by_reference = {r.reference_record_id: r for r in current}
    creates: list[dict[str, Any]] = []
    updates: dict[str, dict[str, Any]] = {}
    for target in wanted:
        row = by_reference.get(target.reference_id)
        if row is None:
            creates.append({
                "CallCenterId": call_center_id, "ReferenceRecordId": target.reference_id,
                "ExternalId": target.external_id, "QuickConnect": target.quick_connect,
                # Salesforce's own naming: <queue developer name or user id>_<call center id>.
                "DeveloperName": f"{target.key}_{call_center_id}"[:80], "MasterLabel": (target.label or target.key)[:80],
            })
        elif (row.external_id, row.quick_connect or None) != (target.external_id, target.quick_connect) and row.id:
            updates[row.id] = {"ExternalId": target.external_id, "QuickConnect": target.quick_connect}
    return creates, updates


def mirror_routing_map(sf: Any, call_center_id: str, wanted: Sequence[RoutingTarget]) -> tuple[int, int]:
    """Make the contact center's routing map agree with ``wanted``; returns (created, updated)."""
    creates, updates = routing_map_changes(call_center_id, wanted, read_routing_map(sf, call_center_id))
    for fields in creates:
        sf.CallCenterRoutingMap.create(fields)
    for record_id, fields in updates.items():
        sf.CallCenterRoutingMap.update(record_id, fields)
    return len(creates), len(updates)


def ensure_custom_msg_channel(sf: Any, messaging_channel_id: str, channel_definition_id: str) -> bool:
    """Link the MessagingChannel to its ConversationChannelDefinition (a CustomMsgChannel record, API 63+)
    unless the link exists; True when it was created now."""
    rows = _records(sf, "SELECT Id, ChannelDefinitionId FROM CustomMsgChannel "
                        f"WHERE MessagingChannelId = {soql_quote(messaging_channel_id)}")
    if any(r.get("ChannelDefinitionId") == channel_definition_id for r in rows):
        return False
    if rows:
        raise OrgSetupError(f"messaging channel {messaging_channel_id} is linked to another channel definition "
                            f"({rows[0].get('ChannelDefinitionId')}); unlink it in Setup before linking it to this one")
    sf.CustomMsgChannel.create({"MessagingChannelId": messaging_channel_id, "ChannelDefinitionId": channel_definition_id})
    return True


def read_messaging_channel(sf: SalesforceClient, channel_developer_name: str) -> tuple[str, str]:
    """(record Id, ChannelAddressIdentifier) of the deployed MessagingChannel."""
    rows = _records(sf, "SELECT Id, ChannelAddressIdentifier FROM MessagingChannel "
                        f"WHERE DeveloperName = {soql_quote(channel_developer_name)}")
    if not rows:
        raise OrgSetupError(f"the org has no messaging channel '{channel_developer_name}'; deploy it first "
                            "(cci task run deploy_messaging_channel)")
    identifier = rows[0].get("ChannelAddressIdentifier")
    if not identifier:
        raise OrgSetupError(f"messaging channel '{channel_developer_name}' has no ChannelAddressIdentifier yet; "
                            "check that it is active in Setup > Messaging Settings")
    return str(rows[0]["Id"]), str(identifier)


def find_channel_definition(sf: SalesforceClient, developer_name: str | None = None, label: str | None = None) -> tuple[str, str] | None:
    """(Id, DeveloperName) of a ConversationChannelDefinition by developer name or label; None when absent."""
    where = (f"DeveloperName = {soql_quote(developer_name)}" if developer_name
             else f"MasterLabel = {soql_quote(label or '')}")
    rows = _records(sf, f"SELECT Id, DeveloperName FROM ConversationChannelDefinition WHERE {where}")
    return (str(rows[0]["Id"]), str(rows[0]["DeveloperName"])) if rows else None


def has_connected_app(sf: SalesforceClient, developer_name: str) -> bool:
    """Whether the org has the connected app (ConnectedApplication carries its name, not the developer name's
    label; the package's app has the same name and developer name but for underscores)."""
    label = developer_name.replace("_", " ")
    rows = _records(sf, f"SELECT Id FROM ConnectedApplication WHERE Name IN ({soql_quote(label)}, {soql_quote(developer_name)})")
    return bool(rows)


def credential_principals(sf: Any, external_credential: str) -> dict[str, str] | None:
    """Each principal of an External Credential with its authentication status (``Configured`` once its AWS keys
    or role are set in Setup), from the Connect REST API; None when the org has no such External Credential."""
    from simple_salesforce.exceptions import SalesforceResourceNotFound

    try:
        answer = sf.restful(f"named-credentials/external-credentials/{external_credential}")
    except SalesforceResourceNotFound:
        return None
    return {str(p.get("principalName")): str(p.get("authenticationStatus")) for p in answer.get("principals") or []}
