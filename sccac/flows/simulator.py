"""Run an Amazon Connect flow block by block for one contact, with injected Lambda behaviour.

    trace = simulate(flow, Contact(channel="CHAT"), ScriptedInvoker({"session": LambdaScript(...)}))
    trace.outcome.describe()  # "transferred to queue arn:...", "disconnected", "stuck: ..."

The semantics follow Amazon Connect (research notes, flow-language docs): dynamic values are
resolved from the contact's data, Lambda results replace ``$.External``, a failing Lambda
takes NoMatchingError, Loop counts per Identifier and resets after DoneLooping, Compare
evaluates its Conditions in order, a Set working queue whose dynamic value does not resolve
takes its Error branch, and a step budget turns an endless loop into a "stuck" outcome.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sccac.flows.model import (
    Action,
    CheckHoursOfOperation,
    Compare,
    Flow,
    InvokeFlowModule,
    InvokeLambdaFunction,
    Loop,
    MessageParticipant,
    TransferToFlow,
    UpdateContactAttributes,
    UpdateContactEventHooks,
    UpdateContactRecordingAndAnalyticsBehavior,
    UpdateContactRecordingBehavior,
    UpdateContactTargetQueue,
    UpdateFlowAttributes,
    UpdateFlowLoggingBehavior,
    Wait,
)
from sccac.flows.shape import FlowShapeError, require_shape
from sccac.flows.simulator_compare import UnknownOperatorError, evaluate
from sccac.flows.simulator_contact import Contact, ContactState, WorkingQueue
from sccac.flows.simulator_lambda import (
    LambdaFailure,
    LambdaInvoker,
    LambdaRequest,
    LambdaTimeout,
    RoleMap,
    ScriptedInvoker,
    build_connect_event,
)
from sccac.flows.simulator_trace import LambdaCall, Outcome, OutcomeKind, Step, Trace

__all__ = ["Contact", "FlowShapeError", "SimulationOptions", "Simulator", "simulate"]

DEFAULT_MAX_STEPS = 1000
#: Largest step budget accepted: a real contact takes tens of steps; a bigger budget only makes a loop run longer.
MAX_STEPS_LIMIT = 100_000
CONTACT_ATTRIBUTES_LIMIT_BYTES = 32 * 1024
DEFAULT_LAMBDA_TIMEOUT_SECONDS = 3.0
MAX_MODULE_DEPTH = 20  # the console's default when the block sets none

FlowResolver = Callable[[str], Flow | None]


@dataclass(frozen=True)
class SimulationOptions:
    max_steps: int = DEFAULT_MAX_STEPS
    roles: RoleMap = field(default_factory=RoleMap)
    # None: every queue id exists. A set: Set working queue to any other id takes the Error branch.
    known_queues: frozenset[str] | None = None
    # Transfer to queue into one of these takes QueueAtCapacity.
    at_capacity_queues: frozenset[str] = frozenset()
    hours_open: bool = True
    # Runs InvokeFlowModule / TransferToFlow targets by id; None: modules are skipped and a
    # TransferToFlow ends the run with "transferred_to_flow".
    resolver: FlowResolver | None = None
    # A Wait block for CustomerReturned: the customer replies in time (else the time limit passes).
    customer_returns: bool = True
    # After a transfer to a queue the agent leaves the chat once: the disconnect flow set with
    # "Set disconnect flow" (event hook CustomerRemaining) runs, when the resolver knows it.
    agent_leaves: bool = False


@dataclass(frozen=True)
class _Branch:
    """What one block decided: the branch name, why, and where to go (or how the run ends)."""

    branch: str | None
    reason: str
    target: str | None = None
    outcome: Outcome | None = None
    returned: bool = False  # EndFlowModuleExecution inside an invoked module
    notes: tuple[str, ...] = ()
    # A module to run (InvokeFlowModule) or a flow to continue in (TransferToFlow), after
    # this block's step is recorded so the trace reads in order.
    enter: tuple[Flow, str, bool] | None = None  # (flow, label, returns_here)


class _Stuck(Exception):
    def __init__(self, reason: str, block_id: str | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.block_id = block_id


class Simulator:
    """One simulated contact. Use :func:`simulate` unless you need the state afterwards."""

    def __init__(
        self,
        contact: Contact,
        invoker: LambdaInvoker | None = None,
        options: SimulationOptions | None = None,
    ) -> None:
        self.contact = contact
        self.invoker: LambdaInvoker = invoker if invoker is not None else ScriptedInvoker()
        self.options = options or SimulationOptions()
        self.state = ContactState.start(contact)
        self.trace = Trace(contact_id=contact.contact_id, channel=contact.channel)
        self._loop_counts: dict[tuple[str, str], int] = {}
        self._calls_per_arn: dict[str, int] = {}
        self._depth = 0
        self.event_hooks: dict[str, str] = {}  # UpdateContactEventHooks: hook name -> flow id

    # --- driving ---------------------------------------------------------------------------

    def run(self, flow: Flow) -> Trace:
        """Run ``flow``; a flow whose fields have the wrong JSON types raises :class:`FlowShapeError`."""
        require_shape(flow)
        try:
            outcome = self._run_flow(flow, "main")
            if outcome is None:  # a top-level module that ended normally
                outcome = Outcome(OutcomeKind.ENDED, reason="module ended")
            if outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE and self.options.agent_leaves:
                outcome = self._agent_left(outcome)
        except _Stuck as stuck:
            outcome = Outcome(OutcomeKind.STUCK, reason=stuck.reason, block_id=stuck.block_id)
        self.trace.outcome = outcome
        self.trace.final = self.state.snapshot()
        self.trace.recording = self.state.recording.to_dict()
        self.trace.messages = list(self.state.messages)
        return self.trace

    def _run_flow(self, flow: Flow, label: str) -> Outcome | None:
        """Run until a terminal outcome (returned) or a module's end (None)."""
        actions = flow.by_id
        if not flow.start_action:
            raise _Stuck(f"flow {label!r} has no StartAction", None)
        current: str | None = flow.start_action
        came_from = "StartAction"
        while True:
            assert current is not None
            action = actions.get(current)
            if action is None:
                raise _Stuck(f"{came_from} points to {current!r}, which is not an action in flow {label!r}", current)
            if len(self.trace.steps) >= self.options.max_steps:
                raise _Stuck(
                    f"step budget of {self.options.max_steps} used up at {action.identifier!r}: "
                    f"the flow loops without end ({_cycle_hint(self.trace.visited)})",
                    action.identifier,
                )
            before = self._before()
            decision = self._execute(action, label)
            step = self._record(action, label, decision, before)
            if decision.enter is not None:
                outcome = self._enter(*decision.enter)
                if outcome is not None:
                    return outcome
            if decision.outcome is not None:
                return decision.outcome
            if decision.returned:
                return None
            if decision.target is None:
                raise _Stuck(
                    f"{action.identifier!r} ({action.type}) took {decision.branch or 'Success'} but that branch has no NextAction",
                    action.identifier,
                )
            came_from = f"{action.identifier!r} ({step.branch or 'Success'})"
            current = decision.target

    def _agent_left(self, queued: Outcome) -> Outcome:
        """The agent leaves the chat: the CustomerRemaining flow runs, else the chat ends."""
        hook = self.event_hooks.get("CustomerRemaining")
        if hook is None:
            return Outcome(OutcomeKind.DISCONNECTED, reason="the agent left; no disconnect flow is set")
        resolver = self.options.resolver
        target = resolver(hook) if resolver is not None else None
        if target is None:
            return Outcome(OutcomeKind.TRANSFERRED_TO_FLOW, flow_id=hook,
                           reason="the agent left; the disconnect flow is not available to simulate")
        outcome = self._enter(target, f"disconnect flow {hook}", returns_here=False)
        assert outcome is not None  # a flow entered without return always ends with an outcome
        return outcome

    def _enter(self, flow: Flow, label: str, returns_here: bool) -> Outcome | None:
        """Run a module (back here when it ends) or a transferred-to flow (never back)."""
        require_shape(flow, f"flow {label}")
        saved_flow_attributes = self.state.flow_attributes
        self.state.flow_attributes = {}  # flow attributes are scoped to one flow
        if not returns_here:
            outcome = self._run_flow(flow, label)
            return outcome or Outcome(OutcomeKind.ENDED, reason=f"flow {label} ended")
        if self._depth >= MAX_MODULE_DEPTH:
            self.state.flow_attributes = saved_flow_attributes
            raise _Stuck(f"modules nest deeper than {MAX_MODULE_DEPTH} (a module that invokes itself?) at {label!r}", None)
        self._depth += 1
        try:
            return self._run_flow(flow, label)
        finally:
            self._depth -= 1
            self.state.flow_attributes = saved_flow_attributes

    def _before(self) -> tuple[dict[str, str], dict[str, Any], WorkingQueue | None]:
        # Blocks replace these dicts rather than mutate them, so identity tells what changed
        # without copying the attributes at every step (that made long flows quadratic).
        return self.state.attributes, self.state.external, self.state.working_queue

    def _record(
        self, action: Action, label: str, decision: _Branch, before: tuple[dict[str, str], dict[str, Any], WorkingQueue | None]
    ) -> Step:
        attributes_before, external_before, queue_before = before
        changes: dict[str, str | None] = {}
        if self.state.attributes is not attributes_before:
            after_attributes = self.state.attributes
            changes = {k: v for k, v in after_attributes.items() if k not in attributes_before or attributes_before[k] != v}
            changes.update({k: None for k in attributes_before if k not in after_attributes})
        external_changed = self.state.external is not external_before and self.state.external != external_before
        queue = self.state.working_queue
        step = Step(
            number=len(self.trace.steps) + 1,
            identifier=action.identifier,
            type=action.type,
            branch=decision.branch,
            reason=decision.reason,
            next_action=decision.target,
            flow=label,
            attribute_changes=changes,
            external=copy.deepcopy(self.state.external) if external_changed else None,
            working_queue=queue.to_dict() if queue is not None and queue != queue_before else None,
            notes=list(decision.notes),
        )
        self.trace.steps.append(step)
        return step

    # --- branches --------------------------------------------------------------------------

    @staticmethod
    def _success(action: Action, reason: str, *notes: str) -> _Branch:
        return _Branch("Success", reason, action.transitions.next_action, notes=notes)

    @staticmethod
    def _error(action: Action, error_type: str, reason: str, *notes: str) -> _Branch:
        """Take ``error_type``, or NoMatchingError (any error no other ErrorType matched)."""
        target = action.transitions.error_target(error_type)
        if target is not None:
            return _Branch(error_type, reason, target, notes=notes)
        if error_type != "NoMatchingError":
            fallback = action.transitions.error_target("NoMatchingError")
            if fallback is not None:
                return _Branch("NoMatchingError", f"{reason} (no {error_type} branch)", fallback, notes=notes)
        raise _Stuck(f"{action.identifier!r} ({action.type}) hit an error ({reason}) but has no {error_type} branch", action.identifier)

    def _execute(self, action: Action, label: str) -> _Branch:
        handler = _HANDLERS.get(action.type)
        if handler is None:
            return self._success(
                action,
                f"{action.type} is not simulated; followed NextAction",
                f"action type {action.type} not simulated",
            )
        return handler(self, action, label)

    # --- block semantics -------------------------------------------------------------------

    def _update_contact_attributes(self, action: UpdateContactAttributes, label: str) -> _Branch:
        notes: list[str] = []
        values: dict[str, str] = {}
        for key, value in action.attributes.items():
            resolved = self.state.resolve(value)
            if resolved is None:
                notes.append(f"{value} did not resolve; stored an empty value")
                resolved = ""
            values[str(self.state.resolve(key) or key)] = resolved if isinstance(resolved, str) else json.dumps(resolved)
        target = action.target_contact or "Current"
        if target == "Flow":
            self.state.flow_attributes.update(values)
            return self._success(action, f"set flow attributes {', '.join(values)}", *notes)
        if target == "Related":
            return self._success(action, "attributes set on the related contact (not this one)", *notes)
        merged = {**self.state.attributes, **values}
        size = len(json.dumps(merged).encode("utf-8"))
        if size > CONTACT_ATTRIBUTES_LIMIT_BYTES:
            # All attributes are set, or none are.
            return self._error(action, "NoMatchingError", f"attributes would be {size} bytes, over the 32 KB limit", *notes)
        self.state.attributes = merged
        return self._success(action, f"set {', '.join(values) or 'no attributes'}", *notes)

    def _update_flow_attributes(self, action: UpdateFlowAttributes, label: str) -> _Branch:
        raw = action.flow_attributes
        for key, spec in raw.items():
            value = spec.get("Value") if isinstance(spec, dict) else spec
            resolved = self.state.resolve(value)
            self.state.flow_attributes[key] = "" if resolved is None else str(resolved)
        return self._success(action, f"set flow attributes {', '.join(raw)}")

    def _invoke_lambda(self, action: InvokeLambdaFunction, label: str) -> _Branch:
        arn = self.state.resolve(action.function_arn)
        if not arn:
            return self._error(action, "NoMatchingError", f"LambdaFunctionARN {action.function_arn!r} did not resolve")
        notes: list[str] = []
        raw_attributes = action.invocation_attributes
        parameters: dict[str, Any] = {}
        for key, value in raw_attributes.items():
            resolved = self.state.resolve(value)
            if resolved is None:
                notes.append(f"parameter {key}: {value} did not resolve; sent as an empty string")
                resolved = ""
            parameters[key] = resolved
        timeout = _timeout_seconds(action.timeout_seconds, notes)
        role = self.options.roles.role_of(arn, raw_attributes)
        attempt = self._calls_per_arn.get(arn, 0) + 1
        self._calls_per_arn[arn] = attempt
        request = LambdaRequest(
            function_arn=arn,
            event=build_connect_event(self.state, parameters),
            timeout_seconds=timeout,
            role=role,
            block_id=action.identifier,
            attempt=attempt,
        )
        name = request.function_name
        asynchronous = action.is_asynchronous
        try:
            result = self.invoker.invoke(request)
        except LambdaTimeout as exc:
            self._call(request, parameters, "timeout", error=str(exc))
            if asynchronous:
                return self._async_started(action, name)
            self.state.external = {}
            return self._error(action, "NoMatchingError", f"{name} timed out (attempt {attempt}): {exc}", *notes)
        except LambdaFailure as exc:
            self._call(request, parameters, "error", error=str(exc))
            if asynchronous:
                return self._async_started(action, name)
            self.state.external = {}
            return self._error(action, "NoMatchingError", f"{name} failed (attempt {attempt}): {exc}", *notes)
        if asynchronous:
            self._call(request, parameters, "ok", result=result)
            return self._async_started(action, name)
        response_type = action.response_type or "STRING_MAP"
        problem = _response_problem(result, response_type)
        if problem:
            self._call(request, parameters, "invalid_response", result=result, error=problem)
            self.state.external = {}
            return self._error(action, "NoMatchingError", f"{name} returned a response {response_type} rejects: {problem}", *notes)
        self._call(request, parameters, "ok", result=result)
        self.state.external = dict(result)
        keys = ", ".join(result) or "nothing"
        return self._success(action, f"{name} answered (attempt {attempt}); $.External = {keys}", *notes)

    def _async_started(self, action: Action, name: str) -> _Branch:
        # Connect does not wait for an asynchronous invoke: the block succeeds at once and the
        # result is fetched later by a Wait / Load Lambda result block.
        self.state.lambda_invocation_id = str(uuid.uuid4())
        return self._success(action, f"{name} invoked asynchronously; $.LambdaInvocation.InvocationId set")

    def _call(self, request: LambdaRequest, parameters: dict[str, Any], status: str, *, result: Any = None, error: str | None = None) -> None:
        self.trace.lambda_calls.append(
            LambdaCall(
                block_id=request.block_id,
                function_arn=request.function_arn,
                role=request.role,
                attempt=request.attempt,
                parameters=parameters,
                status=status,
                result=result,
                error=error,
            )
        )

    def _update_target_queue(self, action: UpdateContactTargetQueue, label: str) -> _Branch:
        kind, raw = ("agent" if action.by_agent else "queue"), action.target
        value = self.state.resolve(raw)
        if value is None or (isinstance(value, str) and not value.strip()):
            source = f"{raw}" if raw else "no QueueId/AgentId"
            return self._error(action, "NoMatchingError", f"{'agent' if kind == 'agent' else 'queue'} from {source} is empty or did not resolve")
        value = str(value).strip()
        known = self.options.known_queues
        if kind == "queue" and known is not None and value not in known:
            return self._error(action, "NoMatchingError", f"queue {value} is not a queue of this instance")
        self.state.working_queue = WorkingQueue(kind, value)
        return self._success(action, f"working queue = {self.state.working_queue.describe()}")

    def _transfer_to_queue(self, action: Action, label: str) -> _Branch:
        queue = self.state.working_queue
        if queue is None:
            return self._error(action, "NoMatchingError", "no working queue is set")
        if queue.id in self.options.at_capacity_queues:
            return self._error(action, "QueueAtCapacity", f"{queue.describe()} is at capacity")
        outcome = Outcome(OutcomeKind.TRANSFERRED_TO_QUEUE, queue=queue.id, queue_kind=queue.kind, block_id=action.identifier)
        return _Branch("Success", f"transferred to {queue.describe()}", outcome=outcome)

    def _disconnect(self, action: Action, label: str) -> _Branch:
        return _Branch(None, "contact disconnected", outcome=Outcome(OutcomeKind.DISCONNECTED, block_id=action.identifier))

    def _end_flow(self, action: Action, label: str) -> _Branch:
        return _Branch(None, "flow ended", outcome=Outcome(OutcomeKind.ENDED, reason="EndFlowExecution", block_id=action.identifier))

    def _end_module(self, action: Action, label: str) -> _Branch:
        if self._depth > 0:
            return _Branch(None, "module ended; back to the calling flow", returned=True)
        return _Branch(None, "module ended", outcome=Outcome(OutcomeKind.ENDED, reason="EndFlowModuleExecution", block_id=action.identifier))

    def _compare(self, action: Compare, label: str) -> _Branch:
        raw = action.comparison_value
        value = self.state.resolve(raw)
        shown = "nothing" if value is None else repr(value)
        for index, condition in enumerate(action.transitions.conditions or []):
            operand = self.state.resolve(condition.operands[0]) if condition.operands else None
            try:
                holds = evaluate(condition.operator, value, operand)
            except UnknownOperatorError as exc:
                raise _Stuck(f"{action.identifier!r}: {exc}", action.identifier) from None
            if holds:
                branch = f"{condition.operator} {operand}"
                return _Branch(branch, f"{raw} = {shown}; condition {index + 1} holds", condition.next_action)
        reason = f"{raw} = {shown}; no condition holds"
        if action.transitions.error_target("NoMatchingCondition") is None and action.transitions.next_action:
            return _Branch("NoMatchingCondition", reason + " (no NoMatchingCondition branch; NextAction)", action.transitions.next_action)
        return self._error(action, "NoMatchingCondition", reason)

    def _loop(self, action: Loop, label: str) -> _Branch:
        raw = action.loop_count
        resolved = self.state.resolve(raw)
        try:
            count = int(str(resolved))
        except ValueError:
            raise _Stuck(f"{action.identifier!r}: LoopCount {raw!r} is not a whole number", action.identifier) from None
        key = (label, action.identifier)
        done = self._loop_counts.get(key, 0)
        if done < count:
            self._loop_counts[key] = done + 1
            target = action.continue_target
            return _Branch("ContinueLooping", f"iteration {done + 1} of {count}", target)
        # DoneLooping once, then the counter starts again for the next visit.
        self._loop_counts[key] = 0
        target = action.done_target
        return _Branch("DoneLooping", f"{count} iteration(s) done; counter reset", target)

    def _message(self, action: MessageParticipant, label: str) -> _Branch:
        text = action.text
        rendered = _interpolate(self.state, text) if text is not None else None
        if rendered is None:
            if self.contact.channel != "VOICE":
                return self._error(action, "NoMatchingError", "only Text messages work on this channel")
            rendered = "<prompt>"
        self.state.messages.append(rendered)
        return self._success(action, f"sent {rendered!r}")

    def _recording(self, action: UpdateContactRecordingBehavior, label: str) -> _Branch:
        recording = self.state.recording
        if action.recorded_participants is not None:
            recording.recorded_participants = list(action.recorded_participants)
        if action.analytics_behavior is not None:
            recording.analytics_enabled = action.analytics_enabled
            recording.chat_analytics_modes = action.analytics_modes("Chat")
            recording.voice_analytics_modes = action.analytics_modes("Voice")
        return self._recorded(action)

    def _recording_and_analytics(self, action: UpdateContactRecordingAndAnalyticsBehavior, label: str) -> _Branch:
        """The newer block: one channel's behaviour; on a chat, ChatBehavior.ChatAnalyticsBehavior."""
        chat, voice = action.chat_behavior, action.voice_behavior
        if self.contact.channel == "CHAT" and not chat and voice:
            return self._error(action, "ChannelMismatch", "the block sets voice behaviour on a chat contact")
        if self.contact.channel != "CHAT" and chat and not voice:
            return self._error(action, "ChannelMismatch", f"the block sets chat behaviour on a {self.contact.channel} contact")
        if chat:
            self.state.recording.analytics_enabled = action.analytics_enabled
            self.state.recording.chat_analytics_modes = action.chat_analytics_modes
        return self._recorded(action)

    def _recorded(self, action: Action) -> _Branch:
        recording = self.state.recording
        recording.raw = dict(action.parameters)  # the trace shows the block as written
        state = "on" if recording.analytics_enabled else "off"
        modes = ", ".join(recording.chat_analytics_modes) or "none"
        return self._success(action, f"analytics {state}; chat analytics modes: {modes}")

    def _wait(self, action: Wait, label: str) -> _Branch:
        """Wait for an event (CustomerReturned) until the time limit; the scenario says which comes first."""
        limit = action.time_limit_seconds
        if action.waits_for_customer and self.options.customer_returns:
            target = action.transitions.condition_target("CustomerReturned") or action.transitions.error_target("CustomerReturned")
            if target is not None:
                return _Branch("CustomerReturned", "the customer replied", target)
            return self._error(action, "NoMatchingError", "the customer replied but CustomerReturned has no branch")
        return self._error(action, "WaitCompleted", f"no reply within {limit} s: the time limit passed")

    def _event_hooks(self, action: UpdateContactEventHooks, label: str) -> _Branch:
        hooks = action.event_hooks
        if not hooks:
            return self._error(action, "NoMatchingError", "EventHooks is not a non-empty map")
        for name, flow_id in hooks.items():
            resolved = self.state.resolve(flow_id)
            if not resolved:
                return self._error(action, "NoMatchingError", f"event hook {name}: {flow_id} did not resolve")
            self.event_hooks[str(name)] = str(resolved)
        return self._success(action, "event hooks set: " + ", ".join(f"{k} -> {v}" for k, v in hooks.items()))

    def _flow_logging(self, action: UpdateFlowLoggingBehavior, label: str) -> _Branch:
        self.state.flow_logging = action.flow_logging_behavior
        return self._success(action, f"flow logging {self.state.flow_logging}")

    def _check_hours(self, action: CheckHoursOfOperation, label: str) -> _Branch:
        if action.hours_of_operation_id is None and (self.state.working_queue is None or self.state.working_queue.kind == "agent"):
            return self._error(action, "NoMatchingError", "no hours to check (no queue, or an agent queue)")
        answer = "True" if self.options.hours_open else "False"
        return _Branch(answer, f"in hours: {answer}", action.transitions.condition_target(answer))

    def _invoke_module(self, action: InvokeFlowModule, label: str) -> _Branch:
        module_id = self.state.resolve(action.flow_module_id)
        resolver = self.options.resolver
        if resolver is None:
            return self._success(action, f"module {module_id} not simulated (no resolver); continued", "module skipped")
        module = resolver(str(module_id)) if module_id else None
        if module is None:
            return self._error(action, "NoMatchingError", f"module {module_id!r} is not available")
        branch = self._success(action, f"running module {module_id}")
        return _Branch(branch.branch, branch.reason, branch.target, enter=(module, str(module_id), True))

    def _transfer_to_flow(self, action: TransferToFlow, label: str) -> _Branch:
        flow_id = self.state.resolve(action.contact_flow_id)
        resolver = self.options.resolver
        if resolver is None:
            outcome = Outcome(OutcomeKind.TRANSFERRED_TO_FLOW, flow_id=str(flow_id), block_id=action.identifier)
            return _Branch("Success", f"transferred to flow {flow_id}", outcome=outcome)
        target = resolver(str(flow_id)) if flow_id else None
        if target is None:
            return self._error(action, "NoMatchingError", f"flow {flow_id!r} is not available")
        return _Branch("Success", f"continuing in flow {flow_id}", enter=(target, str(flow_id), False))


# Each handler takes the typed block class its Type names (Action.__post_init__ guarantees it).
_HANDLERS: dict[str, Callable[[Simulator, Any, str], _Branch]] = {
    "UpdateContactAttributes": Simulator._update_contact_attributes,
    "UpdateFlowAttributes": Simulator._update_flow_attributes,
    "InvokeLambdaFunction": Simulator._invoke_lambda,
    "UpdateContactTargetQueue": Simulator._update_target_queue,
    "TransferContactToQueue": Simulator._transfer_to_queue,
    "DisconnectParticipant": Simulator._disconnect,
    "EndFlowExecution": Simulator._end_flow,
    "EndFlowModuleExecution": Simulator._end_module,
    "Compare": Simulator._compare,
    "Loop": Simulator._loop,
    "MessageParticipant": Simulator._message,
    "UpdateContactRecordingBehavior": Simulator._recording,
    "UpdateContactRecordingAndAnalyticsBehavior": Simulator._recording_and_analytics,
    "UpdateFlowLoggingBehavior": Simulator._flow_logging,
    "CheckHoursOfOperation": Simulator._check_hours,
    "InvokeFlowModule": Simulator._invoke_module,
    "TransferToFlow": Simulator._transfer_to_flow,
    "Wait": Simulator._wait,
    "UpdateContactEventHooks": Simulator._event_hooks,
}

SIMULATED_TYPES = frozenset(_HANDLERS)


def simulate(
    flow: Flow,
    contact: Contact | None = None,
    invoker: LambdaInvoker | None = None,
    options: SimulationOptions | None = None,
) -> Trace:
    """Run ``flow`` for ``contact`` and return the trace.

    A flow that runs badly (a dangling branch, an endless loop) ends "stuck" in the trace; a flow
    whose fields have the wrong JSON types cannot run at all and raises :class:`FlowShapeError`
    (a :class:`~sccac.errors.SccacUsageError`) naming each block and field.
    """
    return Simulator(contact or Contact(), invoker, options).run(flow)


def _timeout_seconds(raw: Any, notes: list[str]) -> float:
    if raw is None:
        return DEFAULT_LAMBDA_TIMEOUT_SECONDS
    try:
        value = float(str(raw))
    except ValueError:
        notes.append(f"InvocationTimeLimitSeconds {raw!r} is not a number; used {DEFAULT_LAMBDA_TIMEOUT_SECONDS:g} s")
        return DEFAULT_LAMBDA_TIMEOUT_SECONDS
    return value


def _response_problem(result: Any, response_type: str) -> str | None:
    """Why Connect would reject this Lambda result, or None when it accepts it."""
    if not isinstance(result, dict):
        return f"the result is {type(result).__name__}, not a JSON object"
    if response_type == "JSON":
        return None
    for key, value in result.items():
        if not isinstance(value, str):
            return f"{key!r} is {type(value).__name__}, not a string (STRING_MAP needs a flat map of strings)"
    return None


def _interpolate(state: ContactState, text: str) -> str:
    """Replace ``$.Namespace.key`` references inside message text with their values."""
    out: list[str] = []
    for word in text.split(" "):
        stripped = word.rstrip(".,!?;:")
        if stripped.startswith("$."):
            value = state.lookup(stripped)
            word = ("" if value is None else str(value)) + word[len(stripped):]
        out.append(word)
    return " ".join(out)


def _cycle_hint(visited: list[str]) -> str:
    tail = visited[-12:]
    seen: list[str] = []
    for identifier in reversed(tail):
        if identifier in seen:
            break
        seen.append(identifier)
    return "repeating " + " -> ".join(reversed(seen))
