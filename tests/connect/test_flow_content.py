"""What the Connect fake says about flow content that names resources the instance lacks."""

from __future__ import annotations

import json

from sccac.testing.connect.models import ConnectBackend, flow_content_problems

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:sccac-Routing"


def _flow(*parameters: dict[str, object]) -> str:
    actions = [{"Identifier": f"a{i}", "Type": "X", "Parameters": p} for i, p in enumerate(parameters, start=1)]
    return json.dumps({"Version": "2019-10-30", "StartAction": "a1", "Actions": actions})


def test_every_missing_reference_is_named_with_its_action_and_kind():
    backend = ConnectBackend()
    inst = backend.create_instance()
    missing_queue = inst.arn_of("queue", "nope")
    content = _flow(
        {"LambdaFunctionARN": LAMBDA},
        {"QueueId": missing_queue},
        {"Nested": {"FlowModuleId": "no-module"}},
        {"ContactFlowId": "no-flow"},
    )

    assert flow_content_problems(inst, content) == [
        f"Action a1: Lambda function {LAMBDA} is not associated with the instance",
        f"Action a2: queue {missing_queue} does not exist in the instance",
        "Action a3: flow module no-module does not exist in the instance",
        "Action a4: contact flow no-flow does not exist in the instance",
    ]


def test_references_the_instance_has_run_time_paths_and_queue_ids_pass():
    backend = ConnectBackend()
    inst = backend.create_instance()
    backend.associate_lambda_function(inst.id, LAMBDA)
    queue = next(iter(inst.queues.values()))
    content = _flow(
        {"LambdaFunctionARN": LAMBDA},
        {"QueueId": queue.arn},
        {"QueueId": "not-an-arn"},  # Connect checks queue ARNs only
        {"ContactFlowId": "$.Attributes.flow"},  # resolved when the contact runs
        {"Text": 42},
    )

    assert flow_content_problems(inst, content) == []


def test_content_that_is_not_a_flow_is_refused_with_one_reason():
    inst = ConnectBackend().create_instance()

    assert flow_content_problems(inst, "{") == ["Content is not valid JSON"]
    assert flow_content_problems(inst, json.dumps({"Actions": []})) == [
        "Content is not a flow-language document (Version, StartAction, Actions)"]
