"""Every lint rule is caught by a flow that breaks exactly that rule (mutations of built flows)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from sccac.flows import builders as b
from sccac.flows.builders import FlowKind, FlowSettings
from sccac.flows.lint import INTERNAL_RULE_ID, RULES, lint_flow
from sccac.flows.model import Flow

Doc = dict[str, Any]
K = FlowKind


def act(doc: Doc, ident: str) -> Doc:
    return next(a for a in doc["Actions"] if a["Identifier"] == ident)


def errors(action: Doc, error_type: str, target: str | None) -> None:
    """Point (or, with None, remove) an error branch."""
    branches = [e for e in action["Transitions"].get("Errors", []) if e["ErrorType"] != error_type]
    if target is not None:
        branches.append({"NextAction": target, "ErrorType": error_type})
    action["Transitions"]["Errors"] = branches


def loop_done(doc: Doc, loop: str, target: str) -> None:
    action = act(doc, loop)
    action["Transitions"]["NextAction"] = target
    for cond in action["Transitions"]["Conditions"]:
        if cond["Condition"]["Operands"] == ["DoneLooping"]:
            cond["NextAction"] = target


def add(doc: Doc, ident: str, action_type: str, parameters: Doc | None = None, transitions: Doc | None = None) -> None:
    doc["Actions"].append({"Parameters": parameters or {}, "Identifier": ident, "Type": action_type, "Transitions": transitions or {}})


def rename(doc: Doc, old: str, new: str) -> None:
    """Rename a block and every reference to it (StartAction, NextAction, branch targets)."""
    if doc["StartAction"] == old:
        doc["StartAction"] = new
    for action in doc["Actions"]:
        if action["Identifier"] == old:
            action["Identifier"] = new
        transitions = action["Transitions"]
        if transitions.get("NextAction") == old:
            transitions["NextAction"] = new
        for branch in transitions.get("Errors", []) + transitions.get("Conditions", []):
            if branch.get("NextAction") == old:
                branch["NextAction"] = new


def chain_before_start(doc: Doc, count: int) -> None:
    """Put ``count`` reachable Set logging behavior blocks in front of the StartAction."""
    first = doc["StartAction"]
    for i in reversed(range(count)):
        add(doc, f"extra {i}", "UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": "Enabled"}, {"NextAction": first, "Errors": [], "Conditions": []})
        first = f"extra {i}"
    doc["StartAction"] = first


def hours_with_one_condition(doc: Doc) -> None:
    """A reachable CheckHoursOfOperation in front of the task flow, with only the True condition."""
    check = doc["StartAction"]
    condition = {"NextAction": check, "Condition": {"Operator": "Equals", "Operands": ["True"]}}
    add(doc, "Hours", "CheckHoursOfOperation", {}, {"NextAction": check, "Conditions": [condition], "Errors": [{"NextAction": check, "ErrorType": "NoMatchingError"}]})
    doc["StartAction"] = "Hours"


def no_transfer(doc: Doc) -> None:
    transfer = act(doc, b.ID_TRANSFER)
    transfer["Type"], transfer["Transitions"] = "DisconnectParticipant", {}


def give_up_without_disconnect(doc: Doc) -> None:
    add(doc, "Give up", "EndFlowExecution")
    loop_done(doc, b.ID_ROUTING_LOOP, "Give up")


def swap_session_and_routing(doc: Doc) -> None:
    act(doc, b.ID_SET_CHANNEL)["Transitions"]["NextAction"] = b.ID_ROUTING_LOOP
    act(doc, b.ID_ROUTING_LAMBDA)["Transitions"]["NextAction"] = b.ID_SESSION_LOOP
    act(doc, b.ID_STORE_SESSION)["Transitions"]["NextAction"] = b.ID_QUEUE_FROM_ROUTING


def set_param(ident: str, path: list[str], value: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        target = act(doc, ident)["Parameters"]
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return mutate


_DELETE = object()

# Rules a mutation may fire besides its own, each with the reason it cannot be avoided.
# Every other case must produce exactly its rule among the error and warning findings.
ALSO_FIRES: dict[str, dict[str, str]] = {
    # With StartAction dangling nothing is reachable, so the flow's required transfer is not either.
    "SCCAC-FLOW-002": {"SCCAC-INBOUND-008": "no block is reachable, including the transfer the kind requires"},
    # In an inbound contact flow the only non-disconnect end the structural rules accept on an error
    # path is EndFlowExecution, which FLOW-012 warns about in contact flows.
    "SCCAC-INBOUND-010": {"SCCAC-FLOW-012": "the give-up path ends in EndFlowExecution, a warning in contact flows"},
    # Both keys set, one of them dynamic, and the built metadata marks neither: the designer cannot show it either.
    "SCCAC-FLOW-024": {"SCCAC-DESIGNER-001": "the added dynamic AgentId has no useDynamic marker"},
    # The fallback made dynamic by hand has no useDynamic marker in the built metadata.
    "SCCAC-INBOUND-007": {"SCCAC-DESIGNER-001": "the fallback queue made dynamic has no useDynamic marker"},
    # Sent straight to routing, the session Lambda (and its loop) are no longer reachable at all.
    "SCCAC-REQUEUE-002": {"SCCAC-FLOW-008": "the skipped session blocks are unreachable"},
    # The timeout's dead end is an EndFlowExecution, which FLOW-012 warns about in contact flows.
    "SCCAC-REQUEUE-003": {"SCCAC-FLOW-012": "the timeout path ends in EndFlowExecution"},
    # The older recording block is what these rules check, and DESIGNER-005 warns about it.
    "SCCAC-FLOW-027": {"SCCAC-DESIGNER-005": "the mutation uses the older recording block"},
    "SCCAC-TRANSCRIPTION-004": {"SCCAC-DESIGNER-005": "the mutation uses the older recording block"},
}


def legacy_recording(**parameters: Any) -> Callable[[Doc], None]:
    """Replace the module's recording block with the older UpdateContactRecordingBehavior."""
    def mutate(doc: Doc) -> None:
        block = act(doc, b.ID_RECORDING)
        block["Type"] = "UpdateContactRecordingBehavior"
        block["Parameters"] = {
            "RecordingBehavior": {"RecordedParticipants": ["Agent", "Customer"]},
            "AnalyticsBehavior": {"Enabled": "True", "AnalyticsLanguage": "en-US",
                                  "ChannelConfiguration": {"Chat": {"AnalyticsModes": ["ContactLens"]}}},
            **parameters,
        }
        errors(block, "ChannelMismatch", None)
        for key in [k for k, v in parameters.items() if v is _DELETE]:
            del block["Parameters"][key]
    return mutate


def metadata_of(ident: str) -> Callable[[Doc], Doc]:
    return lambda d: d["Metadata"]["ActionMetadata"][ident]

QUEUE = "00G5e000001AbCdEAF"
FLOW = "3015e000001AbCdEAF"


def routing_params(**extra: str) -> Callable[[Doc], None]:
    """Add block parameters to the Routing Lambda, as an admin would in the designer."""
    return lambda d: act(d, b.ID_ROUTING_LAMBDA)["Parameters"]["LambdaInvocationAttributes"].update(extra)


MUTATIONS: list[tuple[str, FlowKind, Callable[[Doc], None]]] = [
    ("SCCAC-FLOW-001", K.INBOUND_CHAT, lambda d: d.update(Version="2020-01-01")),
    ("SCCAC-FLOW-002", K.INBOUND_CHAT, lambda d: d.update(StartAction="nowhere")),
    ("SCCAC-FLOW-003", K.INBOUND_CHAT, lambda d: d["Actions"].append(copy.deepcopy(act(d, b.ID_DISCONNECT)))),
    ("SCCAC-FLOW-004", K.TASK_ROUTING, lambda d: rename(d, b.ID_DISCONNECT, "a" * 51)),
    ("SCCAC-FLOW-005", K.TASK_ROUTING, lambda d: chain_before_start(d, 250)),
    ("SCCAC-FLOW-006", K.TASK_ROUTING, lambda d: d["Metadata"].update(description="x" * 260_000)),
    ("SCCAC-FLOW-007", K.INBOUND_CHAT, lambda d: act(d, b.ID_TRANSFER)["Transitions"].update(NextAction="missing")),
    ("SCCAC-FLOW-008", K.INBOUND_CHAT, lambda d: add(d, "Orphan", "DisconnectParticipant")),
    ("SCCAC-FLOW-009", K.INBOUND_CHAT, lambda d: act(d, b.ID_FAILURE_MESSAGE)["Transitions"].pop("NextAction")),
    (
        "SCCAC-FLOW-010",
        K.TASK_ROUTING,
        lambda d: (add(d, "After", "DisconnectParticipant"), act(d, b.ID_DISCONNECT).update(Transitions={"NextAction": "After"})),
    ),
    ("SCCAC-FLOW-011", K.INBOUND_CHAT, lambda d: act(d, b.ID_FAILURE_MESSAGE).update(Type="PlayHologram")),
    ("SCCAC-FLOW-012", K.TASK_ROUTING, lambda d: act(d, b.ID_DISCONNECT).update(Type="EndFlowExecution")),
    ("SCCAC-FLOW-013", K.INBOUND_CHAT, lambda d: act(d, b.ID_FAILURE_MESSAGE).update(Parameters="Sorry")),
    ("SCCAC-FLOW-014", K.INBOUND_CHAT, lambda d: errors(act(d, b.ID_SESSION_LAMBDA), "QueueAtCapacity", b.ID_DISCONNECT)),
    ("SCCAC-FLOW-015", K.INBOUND_CHAT, lambda d: errors(act(d, b.ID_FALLBACK_QUEUE), "NoMatchingError", None)),
    ("SCCAC-FLOW-016", K.TASK_ROUTING, lambda d: errors(act(d, b.ID_TRANSFER), "QueueAtCapacity", None)),
    (
        "SCCAC-FLOW-017",
        K.INBOUND_CHAT,
        lambda d: (
            add(d, "Dead end", "TransferToFlow", {"ContactFlowId": "arn:aws:connect:x"}, {"Errors": []}),
            errors(act(d, b.ID_STORE_SESSION), "NoMatchingError", "Dead end"),
        ),
    ),
    ("SCCAC-FLOW-018", K.QUEUE_TRANSFER, lambda d: errors(act(d, b.ID_ROUTING_LAMBDA), "NoMatchingError", b.ID_ROUTING_LAMBDA)),
    (
        "SCCAC-FLOW-019",
        K.QUEUE_TRANSFER,
        lambda d: act(d, b.ID_ROUTING_LOOP)["Transitions"].update(Conditions=act(d, b.ID_ROUTING_LOOP)["Transitions"]["Conditions"][:1]),
    ),
    ("SCCAC-FLOW-020", K.QUEUE_TRANSFER, set_param(b.ID_ROUTING_LOOP, ["LoopCount"], "101")),
    (
        "SCCAC-FLOW-021",
        K.TASK_ROUTING,
        hours_with_one_condition,
    ),
    ("SCCAC-FLOW-022", K.QUEUE_TRANSFER, set_param(b.ID_ROUTING_LAMBDA, ["InvocationTimeLimitSeconds"], "9")),
    ("SCCAC-FLOW-023", K.QUEUE_TRANSFER, set_param(b.ID_ROUTING_LAMBDA, ["ResponseValidation", "ResponseType"], "XML")),
    ("SCCAC-FLOW-024", K.TASK_ROUTING, set_param(b.ID_FALLBACK_QUEUE, ["AgentId"], "$.Agent.UserName")),
    ("SCCAC-FLOW-025", K.TASK_ROUTING, lambda d: errors(act(d, b.ID_FALLBACK_QUEUE), "NoMatchingError", b.ID_TRANSFER)),
    ("SCCAC-FLOW-026", K.INBOUND_CHAT, set_param(b.ID_SET_CHANNEL, ["Attributes", "channelAddressIdentifier"], "REPLACE_ME")),
    ("SCCAC-FLOW-027", K.TRANSCRIPTION, legacy_recording(RecordingBehavior=_DELETE)),
    ("SCCAC-FLOW-028", K.INBOUND_CHAT, set_param(b.ID_FAILURE_MESSAGE, ["Text"], ["Sorry"])),
    ("SCCAC-FLOW-029", K.QUEUE_TRANSFER, lambda d: metadata_of(b.ID_TRANSFER)(d).update(sccac={"ignoreRules": "SCCAC-FLOW-016"})),
    ("SCCAC-INBOUND-001", K.INBOUND_CHAT, set_param(b.ID_SET_CHANNEL, ["Attributes"], {"clientId": "$.Attributes.email"})),
    (
        "SCCAC-INBOUND-002",
        K.INBOUND_CHAT,
        lambda d: act(d, b.ID_SESSION_LAMBDA)["Parameters"].update(
            LambdaFunctionARN="arn:aws:lambda:us-east-1:123456789012:function:Other", LambdaInvocationAttributes={}
        ),
    ),
    ("SCCAC-INBOUND-003", K.INBOUND_CHAT, set_param(b.ID_STORE_SESSION, ["Attributes", "source"], _DELETE)),
    ("SCCAC-INBOUND-004", K.INBOUND_CHAT, set_param(b.ID_ROUTING_LAMBDA, ["LambdaInvocationAttributes", "routingType"], "Transfer")),
    ("SCCAC-INBOUND-005", K.INBOUND_CHAT, swap_session_and_routing),
    ("SCCAC-INBOUND-006", K.INBOUND_CHAT, set_param(b.ID_QUEUE_FROM_ROUTING, ["QueueId"], "$.Attributes.queue")),
    ("SCCAC-INBOUND-007", K.INBOUND_CHAT, set_param(b.ID_FALLBACK_QUEUE, ["QueueId"], "$.Attributes.fallbackQueue")),
    ("SCCAC-INBOUND-008", K.INBOUND_CHAT, no_transfer),
    ("SCCAC-INBOUND-009", K.INBOUND_CHAT, lambda d: errors(act(d, b.ID_SESSION_LAMBDA), "NoMatchingError", b.ID_FAILURE_MESSAGE)),
    ("SCCAC-INBOUND-010", K.INBOUND_CHAT, give_up_without_disconnect),
    ("SCCAC-INBOUND-011", K.INBOUND_CHAT, set_param(b.ID_SESSION_LAMBDA, ["ResponseValidation"], _DELETE)),
    ("SCCAC-AGENT-001", K.AGENT_TRANSFER, set_param(b.ID_ROUTING_LAMBDA, ["LambdaInvocationAttributes", "routingType"], "Initial")),
    ("SCCAC-AGENT-002", K.AGENT_TRANSFER, set_param(b.ID_ROUTING_LAMBDA, ["InvocationTimeLimitSeconds"], "5")),
    ("SCCAC-AGENT-003", K.AGENT_TRANSFER, set_param(b.ID_QUEUE_BY_AGENT, ["AgentId"], "$.Attributes.agent")),
    ("SCCAC-AGENT-004", K.AGENT_TRANSFER, no_transfer),
    ("SCCAC-AGENT-005", K.AGENT_TRANSFER, give_up_without_disconnect),
    ("SCCAC-QUEUE-001", K.QUEUE_TRANSFER, set_param(b.ID_ROUTING_LAMBDA, ["LambdaInvocationAttributes", "routingType"], "Initial")),
    ("SCCAC-QUEUE-002", K.QUEUE_TRANSFER, no_transfer),
    ("SCCAC-QUEUE-003", K.QUEUE_TRANSFER, give_up_without_disconnect),
    (
        "SCCAC-TRANSCRIPTION-001",
        K.TRANSCRIPTION,
        set_param(b.ID_RECORDING, ["ChatBehavior", "ChatAnalyticsBehavior", "Enabled"], "False"),
    ),
    ("SCCAC-TRANSCRIPTION-002", K.TRANSCRIPTION, lambda d: act(d, b.ID_END_MODULE).update(Type="DisconnectParticipant")),
    ("SCCAC-TRANSCRIPTION-003", K.TRANSCRIPTION, lambda d: d.pop("Settings")),
    ("SCCAC-TRANSCRIPTION-004", K.TRANSCRIPTION, legacy_recording(RecordingBehavior={"RecordedParticipants": ["Agent"]})),
    ("SCCAC-REQUEUE-001", K.DISCONNECT_REQUEUE,
     lambda d: act(d, b.ID_WAIT_FOR_CUSTOMER)["Transitions"]["Conditions"][0]["Condition"].update(Operands=["Returned"])),
    ("SCCAC-REQUEUE-002", K.DISCONNECT_REQUEUE,
     lambda d: act(d, b.ID_WAIT_FOR_CUSTOMER)["Transitions"]["Conditions"][0].update(NextAction=b.ID_ROUTING_LOOP)),
    ("SCCAC-REQUEUE-003", K.DISCONNECT_REQUEUE,
     lambda d: (add(d, "Just end", "EndFlowExecution"), errors(act(d, b.ID_WAIT_FOR_CUSTOMER), "WaitCompleted", "Just end"))),
    ("SCCAC-DESIGNER-001", K.INBOUND_CHAT, lambda d: metadata_of(b.ID_QUEUE_FROM_ROUTING)(d).pop("useDynamic")),
    ("SCCAC-DESIGNER-002", K.TASK_ROUTING, lambda d: metadata_of(b.ID_CHECK_QUEUE_ID)(d).pop("conditionMetadata")),
    ("SCCAC-DESIGNER-003", K.QUEUE_TRANSFER, lambda d: metadata_of(b.ID_TRANSFER)(d).pop("isFriendlyName")),
    ("SCCAC-DESIGNER-004", K.TRANSCRIPTION, lambda d: d["Settings"]["Transitions"].pop()),
    ("SCCAC-DESIGNER-005", K.TRANSCRIPTION, legacy_recording()),
    ("SCCAC-TASK-001", K.TASK_ROUTING, set_param(b.ID_CHECK_QUEUE_ID, ["ComparisonValue"], "$.Attributes.queue")),
    (
        "SCCAC-TASK-002",
        K.TASK_ROUTING,
        set_param(b.ID_QUEUE_FROM_ATTRIBUTE, ["QueueId"], "$.Attributes.queue"),
    ),
    ("SCCAC-TASK-003", K.TASK_ROUTING, lambda d: errors(act(d, b.ID_CHECK_QUEUE_ID), "NoMatchingCondition", b.ID_QUEUE_FROM_ATTRIBUTE)),
    ("SCCAC-TASK-004", K.TASK_ROUTING, lambda d: errors(act(d, b.ID_QUEUE_FROM_ATTRIBUTE), "NoMatchingError", b.ID_DISCONNECT)),
    ("SCCAC-TASK-005", K.TASK_ROUTING, no_transfer),
    ("SCCAC-ROUTING-001", K.INBOUND_CHAT, routing_params(omniQueueId=QUEUE)),
    ("SCCAC-ROUTING-002", K.QUEUE_TRANSFER, routing_params(salesforceQueueID=QUEUE)),
    ("SCCAC-ROUTING-003", K.INBOUND_CHAT, routing_params(salesforceFlowId=FLOW)),
    ("SCCAC-ROUTING-004", K.INBOUND_CHAT, routing_params(salesforceQueueId=QUEUE, salesforceFlowId=FLOW,
                                                         salesforceFlowFallbackQueueId=QUEUE)),
    ("SCCAC-ROUTING-005", K.AGENT_TRANSFER, routing_params(salesforceFlowId=FLOW, salesforceFlowFallbackQueueId=QUEUE,
                                                           **{"salesforceFlowRoutingAttributes.Tier__c": "Gold"})),
    ("SCCAC-ROUTING-006", K.INBOUND_CHAT, routing_params(**{"salesforceFlowRoutingAttributes.Tier": "Gold"})),
]


def mutated(settings: FlowSettings, kind: FlowKind, mutate: Callable[[Doc], None]) -> Flow:
    doc = copy.deepcopy(b.BUILDERS[kind](settings).to_dict())
    mutate(doc)
    return Flow.from_dict(doc)


@pytest.mark.parametrize(("rule_id", "kind", "mutate"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutation_is_caught_by_its_rule(settings: FlowSettings, rule_id: str, kind: FlowKind, mutate: Callable[[Doc], None]) -> None:
    result = lint_flow(mutated(settings, kind, mutate), kind)
    shown = [(f.rule_id, f.message) for f in result.findings]
    assert rule_id in result.rule_ids(), shown
    # Exactly that rule: no other error or warning fires, beyond the justified ALSO_FIRES cases.
    fired = {f.rule_id for f in result.findings if f.severity in ("error", "warning") or f.rule_id == rule_id}
    assert fired == {rule_id} | set(ALSO_FIRES.get(rule_id, {})), shown
    assert INTERNAL_RULE_ID not in result.rule_ids()


@pytest.mark.parametrize("kind", list(FlowKind))
def test_unmutated_flow_is_clean(settings: FlowSettings, kind: FlowKind) -> None:
    result = lint_flow(b.BUILDERS[kind](settings), kind)
    assert [f for f in result.findings if f.severity in ("error", "warning")] == []


def test_every_registered_rule_has_a_mutation_case() -> None:
    assert sorted(RULES) == sorted(m[0] for m in MUTATIONS)


def test_rule_severity_and_hints_are_documented() -> None:
    for rule in RULES.values():
        assert rule.severity in ("error", "warning", "info")
        assert rule.title and rule.fix_hint.endswith(".")


def test_every_rule_is_in_the_docs_rules_table() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "flows.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"`{rule.rule_id}` | {rule.severity} |" in docs, f"{rule.rule_id} missing from docs/flows.md"


def test_old_parameter_names_are_reported_with_the_new_name_as_the_fix(settings: FlowSettings) -> None:
    flow = mutated(settings, K.INBOUND_CHAT, routing_params(omniFlowId=FLOW, omniQueueId=QUEUE))
    messages = {f.message for f in lint_flow(flow, K.INBOUND_CHAT).findings if f.rule_id == "SCCAC-ROUTING-001"}
    assert any("omniFlowId" in m and "rename it salesforceFlowId" in m for m in messages)
    # Next to a flow, the old omniQueueId was the flow's fallback queue.
    assert any("omniQueueId" in m and "rename it salesforceFlowFallbackQueueId" in m for m in messages)


def test_a_misspelt_parameter_gets_the_right_spelling(settings: FlowSettings) -> None:
    flow = mutated(settings, K.QUEUE_TRANSFER, routing_params(salesforceQueueID=QUEUE))
    [finding] = [f for f in lint_flow(flow, K.QUEUE_TRANSFER).findings if f.rule_id == "SCCAC-ROUTING-002"]
    assert "did you mean salesforceQueueId?" in finding.message


def test_a_valid_sccac_routing_block_is_clean(settings: FlowSettings) -> None:
    flow = mutated(settings, K.INBOUND_CHAT, routing_params(
        salesforceFlowId=FLOW, salesforceFlowFallbackQueueId=QUEUE,
        **{"salesforceFlowRoutingAttributes.Language_Code": "$.Attributes.language"}))
    assert not [f for f in lint_flow(flow, K.INBOUND_CHAT).findings if f.rule_id.startswith("SCCAC-ROUTING")]
