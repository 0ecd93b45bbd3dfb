"""Which SCC-AC flow a document is, from Metadata.type and its contents (for rules by kind)."""

from __future__ import annotations

from sccac.flows.builders import FlowKind
from sccac.flows.lint.context import contact_attributes, lambda_attributes
from sccac.flows.model import Flow

_API_TYPES = {"AGENT_TRANSFER": FlowKind.AGENT_TRANSFER, "QUEUE_TRANSFER": FlowKind.QUEUE_TRANSFER}
_CONSOLE_TYPES = {"agentTransfer": FlowKind.AGENT_TRANSFER, "queueTransfer": FlowKind.QUEUE_TRANSFER}


def detect_kind(flow: Flow) -> FlowKind | None:
    """The SCC-AC flow kind, or None for any other flow (then only structural rules apply)."""
    metadata = flow.metadata if isinstance(flow.metadata, dict) else {}
    console = metadata.get("type")
    if isinstance(console, str) and console in _CONSOLE_TYPES:
        return _CONSOLE_TYPES[console]
    if flow.connect_type in _API_TYPES:
        return _API_TYPES[flow.connect_type]
    types = {a.type for a in flow.actions}
    if flow.is_module and types & {"UpdateContactRecordingBehavior", "UpdateContactRecordingAndAnalyticsBehavior"}:
        return FlowKind.TRANSCRIPTION
    for action in flow.actions:
        if action.type == "InvokeLambdaFunction" and "channelAddressIdentifier" in lambda_attributes(action):
            return FlowKind.INBOUND_CHAT
        if action.type == "UpdateContactAttributes" and "channelAddressIdentifier" in contact_attributes(action):
            return FlowKind.INBOUND_CHAT
    for action in flow.actions:
        if action.type == "UpdateContactTargetQueue" and action.parameters.get("AgentId") == "$.Agent.UserName":
            return FlowKind.AGENT_TRANSFER
    for action in flow.actions:
        if action.type == "Compare" and action.parameters.get("ComparisonValue") == "$.Attributes.queueId":
            return FlowKind.TASK_ROUTING
    return None
