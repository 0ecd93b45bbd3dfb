"""Which SCC-AC flow a document is, from Metadata.type and its contents (for rules by kind).

A transfer flow (Metadata.type agentTransfer/queueTransfer, API type AGENT_TRANSFER/QUEUE_TRANSFER)
is any admin's quick-connect flow; it counts as the SCC-AC kind only when it invokes a Lambda with a
``routingType`` parameter (the SCC-AC Routing function). Otherwise it is linted as a generic flow
(structural rules only); ``--kind`` can still force a kind, and ``--kind generic`` forces generic.
"""

from __future__ import annotations

from sccac.flows.builders import FlowKind
from sccac.flows.lint.context import contact_attributes, lambda_attributes
from sccac.flows.model import Flow

_API_TYPES = {"AGENT_TRANSFER": FlowKind.AGENT_TRANSFER, "QUEUE_TRANSFER": FlowKind.QUEUE_TRANSFER}
_CONSOLE_TYPES = {"agentTransfer": FlowKind.AGENT_TRANSFER, "queueTransfer": FlowKind.QUEUE_TRANSFER}

# `--kind generic`: lint with the structural rules only, whatever the flow looks like.
GENERIC = "generic"
KIND_CHOICES = (*(k.value for k in FlowKind), GENERIC)


def parse_kind(value: str | None) -> tuple[FlowKind | None, bool]:
    """A --kind value as (forced kind, generic); raises ValueError for an unknown value."""
    if not value:
        return None, False
    if value == GENERIC:
        return None, True
    return FlowKind(value), False


def invokes_scc_ac_routing(flow: Flow) -> bool:
    """SCC-AC evidence: an Invoke AWS Lambda block passes a routingType parameter."""
    return any(a.type == "InvokeLambdaFunction" and "routingType" in lambda_attributes(a) for a in flow.actions)


def detect_kind(flow: Flow) -> FlowKind | None:
    """The SCC-AC flow kind, or None for any other flow (then only structural rules apply)."""
    metadata = flow.metadata if isinstance(flow.metadata, dict) else {}
    console = metadata.get("type")
    routing = invokes_scc_ac_routing(flow)
    transfer = None
    if isinstance(console, str) and console in _CONSOLE_TYPES:
        transfer = _CONSOLE_TYPES[console]
    elif flow.connect_type in _API_TYPES:
        transfer = _API_TYPES[flow.connect_type]
    if transfer is not None:
        # An ordinary transfer flow is not ours: only the Routing Lambda makes it SCC-AC.
        return transfer if routing else None
    types = {a.type for a in flow.actions}
    if flow.is_module and types & {"UpdateContactRecordingBehavior", "UpdateContactRecordingAndAnalyticsBehavior"}:
        return FlowKind.TRANSCRIPTION
    session = any(a.type == "InvokeLambdaFunction" and "channelAddressIdentifier" in lambda_attributes(a)
                  for a in flow.actions)
    if session and "Wait" in types:
        # Waits for the customer's return, then creates a session: the disconnect flow with re-queue.
        return FlowKind.DISCONNECT_REQUEUE
    if session:
        return FlowKind.INBOUND_CHAT
    for action in flow.actions:
        if action.type == "UpdateContactAttributes" and "channelAddressIdentifier" in contact_attributes(action):
            return FlowKind.INBOUND_CHAT
    for action in flow.actions:
        if routing and action.type == "UpdateContactTargetQueue" and action.parameters.get("AgentId") == "$.Agent.UserName":
            return FlowKind.AGENT_TRANSFER
    for action in flow.actions:
        if action.type == "Compare" and action.parameters.get("ComparisonValue") == "$.Attributes.queueId":
            return FlowKind.TASK_ROUTING
    return None
