"""The Connect fake checked against botocore's model: operations round-trip, and each error code comes from its situation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from sccac.testing.connect import ConnectFake, Faults
from sccac.testing.connect.exceptions import ALL_ERRORS
from sccac.testing.connect.harness import ROUTING_LAMBDA, fake_world
from sccac.testing.connect.models import ConnectBackend, Quotas

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
FLOW = '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"%s","Parameters":{"%s":"%s"},"Transitions":{}}]}'


def world_client(**backend: Any) -> tuple[ConnectFake, Any, str, str]:
    fake = ConnectFake(ConnectBackend(rate=1e9, burst=10**9, **backend))
    inst = fake.backend.create_instance(quotas=Quotas(queues=3, lambda_functions=1))
    client = fake.client(max_attempts=1)
    return fake, client, inst.id, next(iter(inst.hours))


def code_of(call: Any) -> tuple[str, int, dict[str, Any]]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response


def test_every_operation_the_engine_uses_is_answered_and_in_the_model() -> None:
    world = fake_world()
    world.apply(world.desired(3, routing_profile="Basic Routing Profile"))
    used = set(world.backend.calls)
    model = world.engine.client.meta.service_model
    assert used <= set(world.fake.operations)
    assert used <= set(model.operation_names)
    assert {"SearchQueues", "SearchContactFlows", "CreateQueue", "CreateContactFlow", "CreateQuickConnect",
            "AssociateLambdaFunction", "AssociateRoutingProfileQueues", "CreateContactFlowModule"} <= used


def test_every_error_class_has_the_status_of_the_model() -> None:
    model = fake_world().engine.client.meta.service_model
    for cls in ALL_ERRORS:
        shape = model.shape_for(cls.code)
        assert shape.metadata["error"]["httpStatusCode"] == cls.status, cls.code


def test_ids_and_arns_have_the_service_formats() -> None:
    _, client, iid, hours = world_client()
    created = client.create_queue(InstanceId=iid, Name="Q", HoursOfOperationId=hours)
    assert re.fullmatch(UUID, created["QueueId"])
    assert re.fullmatch(rf"arn:aws:connect:us-east-1:\d{{12}}:instance/{iid}/queue/{created['QueueId']}", created["QueueArn"])


def test_pagination_uses_next_token_and_the_model_limits_page_size() -> None:
    fake, client, iid, hours = world_client()
    fake.backend.instances[iid].quotas.queues = 1000
    for i in range(7):
        client.create_queue(InstanceId=iid, Name=f"Q{i}", HoursOfOperationId=hours)
    first = client.search_queues(InstanceId=iid, MaxResults=5)
    second = client.search_queues(InstanceId=iid, MaxResults=5, NextToken=first["NextToken"])
    assert len(first["Queues"]) == 5 and len(second["Queues"]) == 3 and "NextToken" not in second
    with pytest.raises(ParamValidationError):  # botocore checks the model's minimum
        client.search_queues(InstanceId=iid, MaxResults=0)
    # ... and the fake the maximum, from the same model (SearchQueues: 500, SearchContactFlows: 100)
    assert code_of(lambda: client.search_queues(InstanceId=iid, MaxResults=501))[:2] == ("InvalidParameterException", 400)
    assert code_of(lambda: client.search_contact_flows(InstanceId=iid, MaxResults=101))[0] == "InvalidParameterException"
    client.search_contact_flows(InstanceId=iid, MaxResults=100)
    code, status, _ = code_of(lambda: client.search_queues(InstanceId=iid, NextToken="bm90LWEtdG9rZW4="))
    assert (code, status) == ("InvalidParameterException", 400)


def test_duplicate_name_and_unknown_instance() -> None:
    _, client, iid, hours = world_client()
    client.create_queue(InstanceId=iid, Name="Q", HoursOfOperationId=hours)
    assert code_of(lambda: client.create_queue(InstanceId=iid, Name="Q", HoursOfOperationId=hours))[:2] == ("DuplicateResourceException", 409)
    assert code_of(lambda: client.describe_instance(InstanceId="00000000-0000-4000-8000-000000000000"))[:2] == ("ResourceNotFoundException", 404)


@pytest.mark.parametrize(
    ("action", "key", "value", "problem"),
    [
        ("InvokeLambdaFunction", "LambdaFunctionARN", "arn:aws:lambda:us-east-1:123456789012:function:other", "is not associated"),
        ("UpdateContactTargetQueue", "QueueId", "arn:aws:connect:us-east-1:123456789012:instance/x/queue/y", "queue .* does not exist"),
        ("InvokeFlowModule", "FlowModuleId", "arn:aws:connect:us-east-1:123456789012:instance/x/flow-module/y", "flow module .* does not exist"),
    ],
)
def test_flow_content_naming_missing_resources_is_invalid_with_problems(action: str, key: str, value: str, problem: str) -> None:
    _, client, iid, _ = world_client()
    code, status, response = code_of(
        lambda: client.create_contact_flow(InstanceId=iid, Name="F", Type="CONTACT_FLOW", Content=FLOW % (action, key, value))
    )
    assert (code, status) == ("InvalidContactFlowException", 400)
    assert re.search(problem, response["problems"][0]["message"])  # parsed by botocore from the modelled error shape


def test_associated_lambda_makes_the_same_flow_valid() -> None:
    _, client, iid, _ = world_client()
    client.associate_lambda_function(InstanceId=iid, FunctionArn=ROUTING_LAMBDA)
    created = client.create_contact_flow(InstanceId=iid, Name="F", Type="CONTACT_FLOW",
                                         Content=FLOW % ("InvokeLambdaFunction", "LambdaFunctionARN", ROUTING_LAMBDA))
    found = client.search_contact_flows(InstanceId=iid)["ContactFlows"]
    assert [f["Id"] for f in found] == [created["ContactFlowId"]] and found[0]["FlowContentSha256"] == created["FlowContentSha256"]


def test_quotas_give_the_modelled_codes() -> None:
    _, client, iid, hours = world_client()
    client.create_queue(InstanceId=iid, Name="Q1", HoursOfOperationId=hours)
    client.create_queue(InstanceId=iid, Name="Q2", HoursOfOperationId=hours)  # BasicQueue + 2 = quota 3
    assert code_of(lambda: client.create_queue(InstanceId=iid, Name="Q3", HoursOfOperationId=hours))[:2] == ("LimitExceededException", 429)
    client.associate_lambda_function(InstanceId=iid, FunctionArn=ROUTING_LAMBDA)
    assert code_of(lambda: client.associate_lambda_function(InstanceId=iid, FunctionArn=ROUTING_LAMBDA))[0] == "ResourceConflictException"
    other = ROUTING_LAMBDA.replace("Routing", "Other")
    assert code_of(lambda: client.associate_lambda_function(InstanceId=iid, FunctionArn=other))[:2] == ("ServiceQuotaExceededException", 402)


def test_rate_limit_is_a_token_bucket_on_the_virtual_clock() -> None:
    fake = ConnectFake(ConnectBackend(rate=2.0, burst=5))
    iid = fake.backend.create_instance().id
    client = fake.client(max_attempts=1)
    for _ in range(5):
        client.list_lambda_functions(InstanceId=iid)
    assert code_of(lambda: client.list_lambda_functions(InstanceId=iid))[:2] == ("ThrottlingException", 429)
    fake.backend.clock.sleep(0.5)  # type: ignore[attr-defined]
    client.list_lambda_functions(InstanceId=iid)  # one token back after half a second
    assert fake.backend.throttled == 1


def test_injected_faults() -> None:
    _, client, iid, _ = world_client(faults=Faults(fail_calls={2}, fail_code="InvalidRequestException"))
    client.describe_instance(InstanceId=iid)
    assert code_of(lambda: client.describe_instance(InstanceId=iid))[0] == "InvalidRequestException"
    client.describe_instance(InstanceId=iid)


def test_contacts_start_from_a_contact_flow_only() -> None:
    world = fake_world()
    run = world.apply(world.desired(1))
    client, iid = world.engine.client, world.instance.id
    chat = client.start_chat_contact(InstanceId=iid, ContactFlowId=run.output["inbound_chat_flow_id"],
                                     ParticipantDetails={"DisplayName": "Ada"}, Attributes={"channel": "web"})
    assert chat["ContactId"] == world.instance.contacts[-1].id and chat["ParticipantToken"]
    transfer = run.output["flows"]["queue_transfer"]["id"]
    assert code_of(lambda: client.start_task_contact(InstanceId=iid, ContactFlowId=transfer, Name="t"))[0] == "InvalidRequestException"


def test_attaching_twice_answers_once() -> None:
    fake, client, iid, hours = world_client()
    fake.attach(client)
    before = len(fake.backend.calls)
    client.create_queue(InstanceId=iid, Name="Once", HoursOfOperationId=hours)
    assert fake.backend.calls[before:] == ["CreateQueue"]


def test_an_instance_can_have_a_given_id() -> None:
    fake = ConnectFake(ConnectBackend(rate=1e9, burst=10**9))
    inst = fake.backend.create_instance(instance_id="11111111-2222-4333-8444-555555555555")
    described = fake.client().describe_instance(InstanceId=inst.id)["Instance"]
    assert described["Arn"].endswith("instance/11111111-2222-4333-8444-555555555555")
    assert [q.name for q in inst.queues.values()] == ["BasicQueue"]


def test_module_content_naming_a_missing_resource_is_an_invalid_module() -> None:
    _, client, iid, _ = world_client()
    content = FLOW % ("InvokeLambdaFunction", "LambdaFunctionARN", ROUTING_LAMBDA)
    code, status, response = code_of(lambda: client.create_contact_flow_module(InstanceId=iid, Name="M", Content=content))
    assert (code, status) == ("InvalidContactFlowModuleException", 400)
    assert "is not associated" in response["Problems"][0]["message"]


def test_every_answer_the_engine_reads_has_the_models_output_shape() -> None:
    """botocore parses whatever the fake sends; this checks each parsed answer against the operation's output
    shape (member names, types, nesting), as the real service's answers are, for a first run and a re-run."""
    from botocore.validate import ParamValidator

    world = fake_world()
    checked: dict[str, int] = {}
    problems: list[str] = []

    def check(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.output_shape is None or "Error" in parsed:
            return
        body = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
        report = ParamValidator().validate(body, model.output_shape)
        if report.has_errors():
            problems.append(f"{model.name}: {report.generate_report()}")
        checked[model.name] = checked.get(model.name, 0) + 1

    world.engine.client.meta.events.register("after-call.connect", check)
    desired = world.desired(3, routing_profile="Basic Routing Profile")
    world.apply(desired)
    world.apply(desired)
    assert problems == []
    assert {"SearchQueues", "SearchContactFlows", "SearchQuickConnects", "SearchRoutingProfiles", "ListLambdaFunctions",
            "CreateQueue", "CreateContactFlow", "CreateQuickConnect", "DescribeInstance"} <= set(checked)
