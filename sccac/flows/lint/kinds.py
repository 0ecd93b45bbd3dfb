"""Which SCC-AC flow a document is, from Metadata.type and its contents (for rules by kind).

A transfer flow (Metadata.type agentTransfer/queueTransfer, API type AGENT_TRANSFER/QUEUE_TRANSFER)
is any admin's quick-connect flow; it counts as the SCC-AC kind only when it invokes a Lambda with a
``routingType`` parameter (the SCC-AC Routing function). Otherwise it is linted as a generic flow
(structural rules only); ``--kind`` can still force a kind, and ``--kind generic`` forces generic.
"""

from __future__ import annotations

from sccac.flows.builders import AGENT_USER_NAME, ATTR_QUEUE_ID, FlowKind
from sccac.flows.lint.context import console_type
from sccac.flows.model import (
    Compare,
    Flow,
    InvokeLambdaFunction,
    UpdateContactAttributes,
    UpdateContactRecordingAndAnalyticsBehavior,
    UpdateContactRecordingBehavior,
    UpdateContactTargetQueue,
    Wait,
)

_API_TYPES = {"AGENT_TRANSFER": FlowKind.AGENT_TRANSFER, "QUEUE_TRANSFER": FlowKind.QUEUE_TRANSFER}
_CONSOLE_TYPES = {"agentTransfer": FlowKind.AGENT_TRANSFER, "queueTransfer": FlowKind.QUEUE_TRANSFER}

TASK_QUEUE_ID_PATH = f"$.Attributes.{ATTR_QUEUE_ID}"

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
    return any("routingType" in a.invocation_attributes for a in flow.actions_of(InvokeLambdaFunction))


def detect_kind(flow: Flow) -> FlowKind | None:
    """The SCC-AC flow kind, or None for any other flow (then only structural rules apply)."""
    routing = invokes_scc_ac_routing(flow)
    transfer = _transfer_kind(flow)
    if transfer is not None:
        # An ordinary transfer flow is not ours: only the Routing Lambda makes it SCC-AC.
        return transfer if routing else None
    return _kind_from_blocks(flow, routing)


def _transfer_kind(flow: Flow) -> FlowKind | None:
    """A quick-connect flow by its console type (Metadata.type) or its API type."""
    console = console_type(flow)
    if console is not None and console in _CONSOLE_TYPES:
        return _CONSOLE_TYPES[console]
    return _API_TYPES.get(flow.connect_type) if flow.connect_type is not None else None


def _kind_from_blocks(flow: Flow, routing: bool) -> FlowKind | None:
    """The kind the blocks show, most specific first."""
    types = {a.type for a in flow.actions}
    if flow.is_module and types & {UpdateContactRecordingBehavior.TYPE, UpdateContactRecordingAndAnalyticsBehavior.TYPE}:
        return FlowKind.TRANSCRIPTION
    session = any("channelAddressIdentifier" in a.invocation_attributes for a in flow.actions_of(InvokeLambdaFunction))
    if session:
        # Waits for the customer's return, then creates a session: the disconnect flow with re-queue.
        return FlowKind.DISCONNECT_REQUEUE if Wait.TYPE in types else FlowKind.INBOUND_CHAT
    if any("channelAddressIdentifier" in a.attributes for a in flow.actions_of(UpdateContactAttributes)):
        return FlowKind.INBOUND_CHAT
    if routing and any(a.agent_id == AGENT_USER_NAME for a in flow.actions_of(UpdateContactTargetQueue)):
        return FlowKind.AGENT_TRANSFER
    if any(a.comparison_value == TASK_QUEUE_ID_PATH for a in flow.actions_of(Compare)):
        return FlowKind.TASK_ROUTING
    return None
