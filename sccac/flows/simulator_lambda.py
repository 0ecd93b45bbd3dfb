"""The Lambda layer of the simulator: the Connect event, the invoker interface and two invokers.

A simulated Invoke AWS Lambda function block builds the same event Amazon Connect sends
(``{"Name": "ContactFlowEvent", "Details": {"ContactData": ..., "Parameters": ...}}``) and
hands it to a :class:`LambdaInvoker`. :class:`ScriptedInvoker` answers from a script (tests,
CLI, scenarios); :class:`HandlerInvoker` calls real handler functions ``handler(event,
context)`` with a context whose remaining time honours the block's InvocationTimeLimitSeconds,
which is how the offline mode runs the real Lambda code.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sccac.flows.simulator_contact import ContactState

SESSION_ROLE = "session"
ROUTING_ROLE = "routing"
ROLES = (SESSION_ROLE, ROUTING_ROLE)


class LambdaFailure(Exception):
    """The function raised, or Lambda could not run it: Connect takes the Error branch."""


class LambdaTimeout(LambdaFailure):
    """The function did not answer within InvocationTimeLimitSeconds."""


@dataclass(frozen=True)
class LambdaRequest:
    """One invocation as the simulator hands it to an invoker."""

    function_arn: str
    event: dict[str, Any]
    timeout_seconds: float
    role: str | None  # "session", "routing" or None when the function's role is unknown
    block_id: str
    attempt: int  # 1-based count of calls to this function ARN in this contact

    @property
    def function_name(self) -> str:
        return function_name(self.function_arn)


class LambdaInvoker(Protocol):
    """Answers a Lambda invocation with the function's result, or raises LambdaFailure."""

    def invoke(self, request: LambdaRequest) -> Any: ...


def function_name(arn: str) -> str:
    """``arn:aws:lambda:r:acct:function:Name[:alias]`` -> ``Name`` (anything else unchanged)."""
    parts = arn.split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        return parts[6]
    return arn


@dataclass(frozen=True)
class RoleMap:
    """Tells which SCC-AC function an ARN is: the session or the routing function.

    Explicit ARNs win; otherwise the block's inputs decide (``routingType`` is only passed to
    the routing function, ``channelAddressIdentifier`` only to the session function), then the
    function name (the SAM template names them ``...CreateMessagingSession...`` / ``...Routing...``).
    """

    session_arns: frozenset[str] = frozenset()
    routing_arns: frozenset[str] = frozenset()

    def role_of(self, arn: str, invocation_attributes: Mapping[str, Any]) -> str | None:
        if arn in self.session_arns:
            return SESSION_ROLE
        if arn in self.routing_arns:
            return ROUTING_ROLE
        if "routingType" in invocation_attributes:
            return ROUTING_ROLE
        if "channelAddressIdentifier" in invocation_attributes:
            return SESSION_ROLE
        name = function_name(arn).lower()
        if "session" in name:
            return SESSION_ROLE
        if "rout" in name:
            return ROUTING_ROLE
        return None


def build_connect_event(state: ContactState, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The event Amazon Connect sends a synchronous Lambda invoked from a flow block."""
    contact = state.contact
    queue = state.working_queue
    queue_data: dict[str, Any] | None = None
    if queue is not None and queue.kind == "queue":
        queue_data = {"ARN": queue.id, "Name": queue.name or queue.id.rsplit("/", 1)[-1], "OutboundCallerId": None}
    contact_data: dict[str, Any] = {
        "Attributes": dict(state.attributes),
        "Channel": contact.channel,
        "ContactId": contact.contact_id,
        "CustomerEndpoint": (
            {"Address": contact.customer_endpoint, "Type": contact.customer_endpoint_type or "TELEPHONE_NUMBER"}
            if contact.customer_endpoint
            else None
        ),
        "Description": contact.description,
        "InitialContactId": contact.initial_contact_id or contact.contact_id,
        "InitiationMethod": contact.initiation_method,
        "InstanceARN": contact.instance_arn,
        "LanguageCode": contact.language_code,
        "MediaStreams": {},
        "Name": contact.name,
        "PreviousContactId": contact.previous_contact_id or contact.contact_id,
        "Queue": queue_data,
        "References": dict(contact.references),
        "SegmentAttributes": {},
        "SystemEndpoint": {"Address": contact.system_endpoint, "Type": "TELEPHONE_NUMBER"} if contact.system_endpoint else None,
        "Tags": {},
    }
    return {
        "Details": {"ContactData": contact_data, "Parameters": dict(parameters)},
        "Name": "ContactFlowEvent",
    }


# --- scripted invoker ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScriptedResponse:
    """One scripted answer: a result map, an error, or a timeout."""

    returns: Any = None
    error: str | None = None
    timeout: bool = False

    def answer(self, request: LambdaRequest) -> Any:
        if self.timeout:
            raise LambdaTimeout(f"{request.function_name} did not answer within {request.timeout_seconds:g} s")
        if self.error is not None:
            raise LambdaFailure(self.error)
        return {} if self.returns is None else self.returns


@dataclass(frozen=True)
class LambdaScript:
    """Behaviour of one function over successive calls.

    Explicit ``calls`` are answered first, in order; then ``fail_first`` failures, then
    ``timeout_first`` timeouts, then ``returns`` for every later call.
    """

    returns: Any = None
    fail_first: int = 0
    timeout_first: int = 0
    error_message: str = "scripted failure"
    calls: tuple[ScriptedResponse, ...] = ()

    def response_for(self, call_number: int) -> ScriptedResponse:
        """The answer to the ``call_number``-th call (1-based) of this function."""
        if call_number <= len(self.calls):
            return self.calls[call_number - 1]
        n = call_number - len(self.calls)
        if n <= self.fail_first:
            return ScriptedResponse(error=f"{self.error_message} (call {call_number})")
        if n <= self.fail_first + self.timeout_first:
            return ScriptedResponse(timeout=True)
        return ScriptedResponse(returns=self.returns)


@dataclass
class ScriptedInvoker:
    """Answers each function from a script keyed by function ARN, role, or ``"*"`` (any).

    A function with no script answers ``{}`` (an empty result; Connect's Success branch).
    """

    scripts: dict[str, LambdaScript] = field(default_factory=dict)
    calls: list[LambdaRequest] = field(default_factory=list)

    def script_for(self, request: LambdaRequest) -> LambdaScript | None:
        for key in (request.function_arn, request.role, "*"):
            if key is not None and key in self.scripts:
                return self.scripts[key]
        return None

    def invoke(self, request: LambdaRequest) -> Any:
        self.calls.append(request)
        script = self.script_for(request)
        if script is None:
            return {}
        return script.response_for(request.attempt).answer(request)


# --- adapter for real handler functions ------------------------------------------------------


Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class SimulatedLambdaContext:
    """The parts of the AWS Lambda context object handlers use, with Connect's time limit.

    Connect stops waiting after InvocationTimeLimitSeconds, so that (not the function's own
    configured timeout) is the budget a handler must keep its HTTP calls inside.
    """

    function_arn: str
    timeout_seconds: float
    clock: Callable[[], float] = time.monotonic
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    memory_limit_in_mb: int = 256
    function_version: str = "$LATEST"
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = self.clock() + self.timeout_seconds

    @property
    def function_name(self) -> str:
        return function_name(self.function_arn)

    @property
    def invoked_function_arn(self) -> str:
        return self.function_arn

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "simulated"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - self.clock()) * 1000))


@dataclass
class HandlerInvoker:
    """Calls real ``handler(event, context)`` functions, keyed by function ARN, role or ``"*"``.

    A handler that raises takes the Error branch (as in Connect); one that returns after the
    block's time limit counts as a timeout, because Connect would have stopped waiting.
    """

    handlers: Mapping[str, Handler]
    clock: Callable[[], float] = time.monotonic
    calls: list[LambdaRequest] = field(default_factory=list)

    def invoke(self, request: LambdaRequest) -> Any:
        self.calls.append(request)
        handler = next(
            (self.handlers[k] for k in (request.function_arn, request.role, "*") if k is not None and k in self.handlers),
            None,
        )
        if handler is None:
            raise LambdaFailure(
                f"no handler for {request.function_arn} (role {request.role or 'unknown'}); "
                f"known keys: {', '.join(sorted(self.handlers)) or 'none'}"
            )
        context = SimulatedLambdaContext(request.function_arn, request.timeout_seconds, clock=self.clock)
        started = self.clock()
        try:
            result = handler(request.event, context)
        except LambdaFailure:
            raise
        except Exception as exc:  # any exception is a failed invocation to Connect
            raise LambdaFailure(f"{type(exc).__name__}: {exc}") from exc
        elapsed = self.clock() - started
        if elapsed > request.timeout_seconds:
            raise LambdaTimeout(
                f"{request.function_name} answered after {elapsed:.2f} s, over the {request.timeout_seconds:g} s limit"
            )
        return result
