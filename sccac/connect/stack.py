"""The Lambda ARNs from the SAM stack that deployed them (aws/template.yaml's outputs), so nobody copies them by hand."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from sccac.connect.errors import ConnectUsageError

SESSION_OUTPUT = "CreateMessagingSessionFunctionArn"
ROUTING_OUTPUT = "RoutingFunctionArn"


def lambda_arns_from_stack(cloudformation: Any, stack_name: str) -> tuple[str, str]:
    """(CreateMessagingSession ARN, Routing ARN) from the stack's outputs; one DescribeStacks call."""
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        raise ConnectUsageError(f"sam_stack {stack_name}: {exc.response.get('Error', {}).get('Message', exc)}; "
                                "deploy the Lambdas first (sam deploy, see docs/lambdas.md) or give the ARNs") from None
    outputs = {o["OutputKey"]: o["OutputValue"] for o in (stacks[0].get("Outputs") or [])} if stacks else {}
    missing = [key for key in (SESSION_OUTPUT, ROUTING_OUTPUT) if key not in outputs]
    if missing:
        raise ConnectUsageError(f"sam_stack {stack_name}: no output {', '.join(missing)}; is it the stack of aws/template.yaml?")
    return outputs[SESSION_OUTPUT], outputs[ROUTING_OUTPUT]
