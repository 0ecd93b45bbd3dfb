"""Data model of the Amazon Connect flow language (Version 2019-10-30), lossless both ways.

A flow parsed with :func:`parse_flow` and written back with :meth:`Flow.to_dict` gives the
same JSON: unknown keys, unknown action types, absent-versus-empty ``Errors``/``Conditions``
and key order are all kept (:func:`read_flow_for_lint`, for lint, which never writes the flow
back, reads the same flow faster but does not keep the key order). The action types the SCC-AC
flows use (and the simulator runs) get typed classes (subclasses of :class:`Action`); any other
type stays a plain :class:`Action`.

The typed classes are the one reader of a block's parameters: each declares its parameters once
(:class:`Parameter`: key and JSON type), and the simulator, the linter, the diagram and the
designer markers read them through those accessors. A value of the wrong JSON type reads as
absent, so no reader trips on it; :meth:`Action.parameter_problems` lists it from the same
declaration for the linter (SCCAC-FLOW-028) and the simulator's shape check to report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from operator import attrgetter
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

import msgspec

from sccac.errors import SccacUsageError
from sccac.flows.reading import MAX_DEPTH, MAX_VALUES, DocumentError, nests_within, parse_json, read_text

FLOW_LANGUAGE_VERSION = "2019-10-30"

# Connect limits that the linter and builders share.
MAX_ACTIONS = 250
MAX_CONTENT_CHARS = 256_000
MAX_IDENTIFIER_CHARS = 50
MAX_SYNC_LAMBDA_TIMEOUT_SECONDS = 8
MAX_ASYNC_LAMBDA_TIMEOUT_SECONDS = 60

TERMINAL_TYPES = frozenset({"DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution"})


class FlowFormatError(SccacUsageError, ValueError):
    """The input is not flow-language JSON (or is a format we recognise but cannot use)."""

    def __init__(self, message: str, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


def is_dynamic(value: Any) -> bool:
    """A flow-language value that is a JSONPath into the contact's data (``$.Attributes.x``)."""
    return isinstance(value, str) and value.startswith("$.")


# The keys the model reads into fields; a source object with only these has no ``extra`` (the
# usual case, told by one C subset test instead of building an empty dict key by key;
# ``known.issuperset(data)`` takes half the time of ``data.keys() <= known``, which makes a view).
_ERROR_KEYS = frozenset({"ErrorType", "NextAction"})
_CONDITION_KEYS = frozenset({"Condition", "NextAction"})
_TRANSITIONS_KEYS = frozenset({"NextAction", "Errors", "Conditions"})
_ACTION_KEYS = frozenset({"Identifier", "Type", "Parameters", "Transitions"})
_FLOW_KEYS = frozenset({"Version", "StartAction", "Metadata", "Actions", "Settings"})


_ONLY_DICTS = frozenset({dict})


def _rest(data: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The members of ``data`` other than ``known`` keys, in their order."""
    return {} if known.issuperset(data) else {k: v for k, v in data.items() if k not in known}


# The reader below makes every branch, transition set and block of a flow (thousands for a large
# one, and once per file that lint reads): it sets the fields of a new object directly, which
# costs about half of a call to the dataclass __init__ and gives the same object.
_new = object.__new__


def _block(
    identifier: Any,
    action_type: str,
    parameters: dict[str, Any],
    transitions: Transitions,
    extra: dict[str, Any],
    key_order: tuple[str, ...],
    parameters_present: bool,
    transitions_present: bool,
) -> Action:
    """A block of the typed class its Type names, made by both readers. The fields are set directly on
    the typed class, in the order __init__ sets them: CPython then keeps them in the class's
    shared-key layout, where every later read of a field (lint reads each many times) is about
    three times faster than after a change of __class__."""
    action = _new(ACTION_CLASSES.get(action_type, Action))
    action.identifier = identifier
    action.type = action_type
    action.parameters = parameters
    action.transitions = transitions
    action.extra = extra
    action.key_order = key_order
    action.parameters_present = parameters_present
    action.transitions_present = transitions_present
    return action


def _error_branches(errors: list[Any]) -> list[ErrorBranch] | None:
    """An ErrorBranch for each item (the reader of error branches in a dict); None when one is not an
    object (the caller keeps the list verbatim)."""
    branches = []
    for data in errors:
        if not isinstance(data, dict):
            return None
        branch = ErrorBranch(data.get("ErrorType", ""), data.get("NextAction"))
        if not _ERROR_KEYS.issuperset(data):
            branch.extra = _rest(data, _ERROR_KEYS)
        branches.append(branch)
    return branches


def _condition_branches(conditions: list[Any]) -> list[ConditionBranch] | None:
    """A ConditionBranch for each item (the reader of conditions in a dict); None when one is malformed
    (not an object, or its Condition not an object whose Operands, if any, are a list)."""
    branches = []
    for data in conditions:
        if not isinstance(data, dict):
            return None
        condition = data.get("Condition")
        if condition is None:
            condition = {}
        elif not isinstance(condition, dict):
            return None
        operands = condition.get("Operands", [])
        if not isinstance(operands, list):
            return None
        branch = ConditionBranch(Condition(condition.get("Operator", ""), list(operands)), data.get("NextAction"))
        if not _CONDITION_KEYS.issuperset(data):
            branch.extra = _rest(data, _CONDITION_KEYS)
        branches.append(branch)
    return branches


#: The ``extra`` of a branch or transition set read without unknown keys: shared and read-only (a
#: reader that meets unknown keys gives the object a dict of its own).
_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})

# Branches and transition sets are msgspec Structs named as the flow language names their keys,
# so the lint reader (read_flow_for_lint) gets them straight from the JSON text in C: building
# them in Python was about a tenth of linting a flow. forbid_unknown_fields: a member the model does
# not read makes that reader fall back to parse_flow, which keeps it in ``extra``. ``extra`` and
# ``key_order`` are no fields (dict=True holds them when a reader sets them), so no JSON key can
# fill them.


class ErrorBranch(msgspec.Struct, rename={"error_type": "ErrorType", "next_action": "NextAction"},
                  forbid_unknown_fields=True, dict=True):
    error_type: str = ""
    next_action: str | None = None
    if TYPE_CHECKING:
        extra: Mapping[str, Any] = {}
    else:
        extra = _NO_EXTRA

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.next_action is not None:
            out["NextAction"] = self.next_action
        out["ErrorType"] = self.error_type
        out.update(self.extra)
        return out


class Condition(msgspec.Struct, rename={"operator": "Operator", "operands": "Operands"}, forbid_unknown_fields=True):
    """A condition's test (the ``Condition`` object of a branch)."""

    operator: str = ""
    operands: list[str] = []


class ConditionBranch(msgspec.Struct, rename={"condition": "Condition", "next_action": "NextAction"},
                      forbid_unknown_fields=True, dict=True):
    condition: Condition = msgspec.field(default_factory=Condition)
    next_action: str | None = None
    if TYPE_CHECKING:
        extra: Mapping[str, Any] = {}
    else:
        extra = _NO_EXTRA

    @property
    def operator(self) -> str:
        return self.condition.operator

    @property
    def operands(self) -> list[Any]:
        return self.condition.operands

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.next_action is not None:
            out["NextAction"] = self.next_action
        out["Condition"] = {"Operator": self.operator, "Operands": list(self.operands)}
        out.update(self.extra)
        return out


class Transitions(msgspec.Struct, rename={"next_action": "NextAction", "errors": "Errors", "conditions": "Conditions"},
                  forbid_unknown_fields=True, dict=True):
    next_action: str | None = None
    # None means the key was absent in the source; [] means it was present and empty.
    errors: list[ErrorBranch] | None = None
    conditions: list[ConditionBranch] | None = None
    if TYPE_CHECKING:
        extra: Mapping[str, Any] = {}
        key_order: tuple[str, ...] = ()
    else:
        extra = _NO_EXTRA
        key_order = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transitions:
        errors = data.get("Errors")
        conditions = data.get("Conditions")
        extra = None if _TRANSITIONS_KEYS.issuperset(data) else _rest(data, _TRANSITIONS_KEYS)
        # A malformed list (not a list of objects) is kept verbatim in extra instead, so the document
        # still round-trips and the linter can report it.
        if errors is not None:
            errors = _error_branches(errors) if isinstance(errors, list) else None
            if errors is None:
                extra = extra or {}
                extra["Errors"] = data["Errors"]
        if conditions is not None:
            conditions = _condition_branches(conditions) if isinstance(conditions, list) else None
            if conditions is None:
                extra = extra or {}
                extra["Conditions"] = data["Conditions"]
        transitions = cls(data.get("NextAction"), errors, conditions)
        if extra:
            transitions.extra = extra
        if data:
            transitions.key_order = tuple(data)
        return transitions

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = dict(self.extra)
        if self.next_action is not None:
            values["NextAction"] = self.next_action
        if self.errors is not None:
            values["Errors"] = [e.to_dict() for e in self.errors]
        if self.conditions is not None:
            values["Conditions"] = [c.to_dict() for c in self.conditions]
        order = [k for k in self.key_order if k in values] + [k for k in values if k not in self.key_order]
        return {k: values[k] for k in order}

    def error_target(self, error_type: str) -> str | None:
        for branch in self.errors or []:
            if branch.error_type == error_type:
                return branch.next_action
        return None

    def condition_target(self, operand: str) -> str | None:
        """Target of the first ``Equals <operand>`` condition (Loop, CheckHoursOfOperation)."""
        for branch in self.conditions or []:
            if branch.operator == "Equals" and branch.operands == [operand]:
                return branch.next_action
        return None

    def targets(self) -> list[tuple[str, str]]:
        """Every outgoing edge as (label, target identifier), in evaluation order."""
        edges: list[tuple[str, str]] = []
        for cond in self.conditions or []:
            if cond.next_action is not None:
                label = f"{cond.operator} {' '.join(str(o) for o in cond.operands)}".strip()
                edges.append((label, cond.next_action))
        if self.next_action is not None:
            edges.append(("Success", self.next_action))
        for err in self.errors or []:
            if err.next_action is not None:
                edges.append((err.error_type, err.next_action))
        return edges


#: Type name -> typed block class (every subclass of Action with a TYPE registers itself).
ACTION_CLASSES: dict[str, type[Action]] = {}

T = TypeVar("T")

#: A parameter's Python type (dict, list, str, ...), by a name that Action's field "type" does not shadow.
JsonKind = type
# JSON names of the Python types a parameter can have, for messages ("a list, not an object").
JSON_NAMES: dict[type, str] = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}


def json_type(value: Any) -> str:
    """The JSON name of a Python value's type ("an object", "a list", "null", ...)."""
    if value is None:
        return "null"
    return JSON_NAMES.get(type(value), type(value).__name__)


def has_json_type(value: Any, wanted: type) -> bool:
    """``value`` is of JSON type ``wanted`` (true and false are booleans, never numbers)."""
    return isinstance(value, wanted) and isinstance(value, bool) is (wanted is bool)


def as_text(value: Any) -> str:
    """A value as text: strings as they are, anything else (a malformed export) as JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


class Parameter(Generic[T]):
    """One parameter of a block type: its key and JSON type, declared once on the typed class.

    Reading it on a block gives the value, or None when it is absent or of another JSON type:
    readers never see a wrong type, and the linter reports the wrong type from the same
    declaration (:meth:`Action.parameter_problems`).
    """

    def __init__(self, key: str, kind: type[T]) -> None:
        self.key = key
        self.kind = kind

    @overload
    def __get__(self, action: None, owner: type[Action]) -> Parameter[T]: ...

    @overload
    def __get__(self, action: Action, owner: type[Action]) -> T | None: ...

    def __get__(self, action: Action | None, owner: type[Action]) -> Parameter[T] | T | None:
        if action is None:
            return self
        value = action.parameters.get(self.key)
        # type(value) is kind: the usual case, and always of that JSON type (bool is not int).
        return value if type(value) is self.kind or (value is not None and has_json_type(value, self.kind)) else None


class MapParameter(Parameter[dict]):
    """An object parameter (a map of names to values): an empty map when absent or not an object."""

    def __init__(self, key: str) -> None:
        super().__init__(key, dict)

    @overload
    def __get__(self, action: None, owner: type[Action]) -> MapParameter: ...

    @overload
    def __get__(self, action: Action, owner: type[Action]) -> dict[Any, Any]: ...

    def __get__(self, action: Action | None, owner: type[Action]) -> MapParameter | dict[Any, Any]:
        if action is None:
            return self
        value = action.parameters.get(self.key)
        return value if isinstance(value, dict) else {}


def _member(value: Any, key: str) -> Any:
    """``value[key]`` when value is an object, else None (nested optional objects)."""
    return value.get(key) if isinstance(value, dict) else None


def _strings(value: Any) -> list[str]:
    """The strings of a list value (a value of another type reads as no strings)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _is_true(value: Any) -> bool:
    # Connect writes booleans in parameters as the strings "True"/"False".
    return str(value if value is not None else "").lower() == "true"


@dataclass(frozen=True)
class ParameterProblem:
    """A declared parameter whose value has another JSON type."""

    key: str
    value: Any
    wanted: type

    def describe(self) -> str:
        return f"Parameters.{self.key} is {json_type(self.value)}, not {JSON_NAMES[self.wanted]}"


@dataclass
class Action:
    identifier: str
    type: str
    parameters: dict[str, Any] = field(default_factory=dict)
    transitions: Transitions = field(default_factory=Transitions)
    extra: dict[str, Any] = field(default_factory=dict)
    key_order: tuple[str, ...] = ()
    # False when the source had no (or a non-object) "Parameters" / "Transitions" key, so
    # to_dict() writes back exactly what was read. Code-built actions keep the defaults.
    parameters_present: bool = True
    transitions_present: bool = True

    TYPE: ClassVar[str] = ""
    #: The declared parameters of this block type with their JSON types (from its Parameter attributes).
    PARAMETER_TYPES: ClassVar[dict[str, JsonKind]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.PARAMETER_TYPES = {p.key: p.kind for p in vars(cls).values() if isinstance(p, Parameter)}
        if cls.TYPE:
            ACTION_CLASSES[cls.TYPE] = cls

    def __post_init__(self) -> None:
        # A block is always of the class its Type names, however it was made (parsed or
        # Action(type="Loop", ...) in code), so its typed accessors are always there.
        if type(self) is Action:  # a typed class made directly (the reader makes those) stays as it is
            typed = ACTION_CLASSES.get(self.type) if isinstance(self.type, str) else None
            if typed is not None:
                self.__class__ = typed

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Action:
        """The block ``data`` describes; it shares ``data``'s values (Parameters too), as Flow.from_dict does."""
        action_type = data.get("Type", "")
        extra = {} if _ACTION_KEYS.issuperset(data) else _rest(data, _ACTION_KEYS)
        if not isinstance(action_type, str):
            extra["Type"], action_type = action_type, ""
        # A non-object Parameters/Transitions is kept verbatim (in extra) for the linter to report.
        parameters = data.get("Parameters")
        if isinstance(parameters, dict):
            parameters, parameters_present = parameters, True
        else:
            if "Parameters" in data:
                extra["Parameters"] = parameters
            parameters, parameters_present = {}, False
        transitions = data.get("Transitions")
        if isinstance(transitions, dict):
            transitions, transitions_present = Transitions.from_dict(transitions), True
        else:
            if "Transitions" in data:
                extra["Transitions"] = transitions
            transitions, transitions_present = Transitions.from_dict({}), False
        return _block(data.get("Identifier", ""), action_type, parameters, transitions, extra, tuple(data),
                      parameters_present, transitions_present)

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = dict(self.extra)
        values["Identifier"] = self.identifier
        if not ("Type" in self.extra and self.type == ""):
            values["Type"] = self.type
        if self.parameters_present or self.parameters:
            values["Parameters"] = self.parameters
        transitions = self.transitions.to_dict()
        if self.transitions_present or transitions:
            values["Transitions"] = transitions
        order = [k for k in self.key_order if k in values] + [k for k in values if k not in self.key_order]
        return {k: values[k] for k in order}

    @property
    def is_typed(self) -> bool:
        return type(self) is not Action

    @property
    def is_terminal(self) -> bool:
        return self.type in TERMINAL_TYPES

    def has(self, key: str) -> bool:
        """The block has parameter ``key`` (of any type)."""
        return key in self.parameters

    def given(self, key: str) -> Any:
        """Parameter ``key`` exactly as written (None when absent), to show in a message.

        Decisions read the typed accessors, which never return a value of the wrong type.
        """
        return self.parameters.get(key)

    def shown(self, key: str) -> str | None:
        """Parameter ``key`` as text for a label: strings as they are, other values as JSON."""
        value = self.parameters.get(key)
        return None if value is None else as_text(value)

    def parameter_problems(self) -> list[ParameterProblem]:
        """Declared parameters present with another JSON type (the typed accessors read them as absent)."""
        parameters = self.parameters
        problems: list[ParameterProblem] = []
        for key, wanted in self.PARAMETER_TYPES.items():
            # type(value) is wanted: the usual case, and always of that JSON type (bool is not int).
            if key in parameters and type(value := parameters[key]) is not wanted and not has_json_type(value, wanted):
                problems.append(ParameterProblem(key, value, wanted))
        return problems


class UpdateContactAttributes(Action):
    """Set contact attributes."""

    TYPE = "UpdateContactAttributes"
    attributes = MapParameter("Attributes")
    target_contact = Parameter("TargetContact", str)


class UpdateFlowAttributes(Action):
    """Set flow attributes."""

    TYPE = "UpdateFlowAttributes"
    flow_attributes = MapParameter("FlowAttributes")


class InvokeLambdaFunction(Action):
    """Invoke AWS Lambda function."""

    TYPE = "InvokeLambdaFunction"
    function_arn = Parameter("LambdaFunctionARN", str)
    invocation_attributes = MapParameter("LambdaInvocationAttributes")
    response_validation = Parameter("ResponseValidation", dict)
    timeout_seconds = Parameter("InvocationTimeLimitSeconds", str)
    invocation_type = Parameter("InvocationType", str)

    @property
    def response_type(self) -> str | None:
        """ResponseValidation.ResponseType when it is a string (Connect's default is STRING_MAP)."""
        value = _member(self.response_validation, "ResponseType")
        return value if isinstance(value, str) else None

    @property
    def is_asynchronous(self) -> bool:
        return self.invocation_type == "ASYNCHRONOUS"


class UpdateContactTargetQueue(Action):
    """Set working queue (by queue or by agent, static or dynamic)."""

    TYPE = "UpdateContactTargetQueue"
    QUEUE_KEYS: ClassVar[tuple[str, str]] = ("QueueId", "AgentId")
    queue_id = Parameter("QueueId", str)
    agent_id = Parameter("AgentId", str)

    @property
    def keys_given(self) -> list[str]:
        """Which of QueueId / AgentId the block has (exactly one is valid)."""
        return [k for k in self.QUEUE_KEYS if k in self.parameters]

    @property
    def by_agent(self) -> bool:
        """The block sets an agent's queue (AgentId given, whatever else is)."""
        return "AgentId" in self.parameters

    @property
    def target(self) -> str | None:
        """The agent (by agent) or the queue (by queue) the block names."""
        return self.agent_id if self.by_agent else self.queue_id

    @property
    def dynamic_key(self) -> str | None:
        """The key (QueueId or AgentId) that is set dynamically (a JSONPath), else None."""
        for key in self.QUEUE_KEYS:
            if is_dynamic(self.parameters.get(key)):
                return key
        return None

    @property
    def is_static_queue(self) -> bool:
        """A fixed queue: QueueId is a non-empty id or ARN, not a JSONPath."""
        value = self.queue_id
        return value is not None and bool(value.strip()) and not is_dynamic(value)


class TransferContactToQueue(Action):
    """Transfer to queue (the working queue set before it)."""

    TYPE = "TransferContactToQueue"


class DisconnectParticipant(Action):
    """Disconnect / hang up."""

    TYPE = "DisconnectParticipant"


class EndFlowExecution(Action):
    TYPE = "EndFlowExecution"


class EndFlowModuleExecution(Action):
    TYPE = "EndFlowModuleExecution"


class Compare(Action):
    """Check contact attributes."""

    TYPE = "Compare"
    comparison_value = Parameter("ComparisonValue", str)


class Loop(Action):
    TYPE = "Loop"
    loop_count = Parameter("LoopCount", str)

    @property
    def continue_target(self) -> str | None:
        return self.transitions.condition_target("ContinueLooping")

    @property
    def done_target(self) -> str | None:
        return self.transitions.condition_target("DoneLooping")


class CheckHoursOfOperation(Action):
    TYPE = "CheckHoursOfOperation"
    hours_of_operation_id = Parameter("HoursOfOperationId", str)


class MessageParticipant(Action):
    TYPE = "MessageParticipant"
    text = Parameter("Text", str)


class Wait(Action):
    TYPE = "Wait"
    time_limit_seconds = Parameter("TimeLimitSeconds", str)
    events = Parameter("Events", list)

    @property
    def waits_for_customer(self) -> bool:
        return "CustomerReturned" in _strings(self.events)


class UpdateContactEventHooks(Action):
    """Set event hooks (e.g. the disconnect flow, CustomerRemaining)."""

    TYPE = "UpdateContactEventHooks"
    event_hooks = MapParameter("EventHooks")


class UpdateContactRecordingBehavior(Action):
    """Set recording and analytics behavior."""

    TYPE = "UpdateContactRecordingBehavior"
    recording_behavior = Parameter("RecordingBehavior", dict)
    analytics_behavior = Parameter("AnalyticsBehavior", dict)

    @property
    def recorded_participants(self) -> list[str] | None:
        """RecordingBehavior.RecordedParticipants (its strings), None when not given."""
        value = _member(self.recording_behavior, "RecordedParticipants")
        return None if value is None else _strings(value)

    def analytics_modes(self, channel: str) -> list[str]:
        """AnalyticsBehavior.ChannelConfiguration.<Chat|Voice>.AnalyticsModes."""
        return _strings(_member(_member(_member(self.analytics_behavior, "ChannelConfiguration"), channel), "AnalyticsModes"))

    @property
    def chat_analytics_modes(self) -> list[str]:
        return self.analytics_modes("Chat")

    @property
    def analytics_enabled(self) -> bool:
        return _is_true(_member(self.analytics_behavior, "Enabled"))

    @property
    def chat_analytics_on(self) -> bool:
        """Contact Lens chat analytics is switched on by this block."""
        return self.analytics_enabled and "ContactLens" in self.chat_analytics_modes


class UpdateContactRecordingAndAnalyticsBehavior(Action):
    """The newer recording block: one channel's behaviour (ChatBehavior or VoiceBehavior)."""

    TYPE = "UpdateContactRecordingAndAnalyticsBehavior"
    chat_behavior = MapParameter("ChatBehavior")
    voice_behavior = MapParameter("VoiceBehavior")

    @property
    def analytics_enabled(self) -> bool:
        """ChatBehavior.ChatAnalyticsBehavior.Enabled."""
        return _is_true(_member(self.chat_behavior.get("ChatAnalyticsBehavior"), "Enabled"))

    @property
    def chat_analytics_modes(self) -> list[str]:
        return _strings(_member(self.chat_behavior.get("ChatAnalyticsBehavior"), "AnalyticsModes"))

    @property
    def chat_analytics_on(self) -> bool:
        """Chat analytics (Contact Lens) is switched on by this block."""
        return self.analytics_enabled


class UpdateFlowLoggingBehavior(Action):
    TYPE = "UpdateFlowLoggingBehavior"
    flow_logging_behavior = Parameter("FlowLoggingBehavior", str)


class InvokeFlowModule(Action):
    TYPE = "InvokeFlowModule"
    flow_module_id = Parameter("FlowModuleId", str)


class TransferToFlow(Action):
    TYPE = "TransferToFlow"
    contact_flow_id = Parameter("ContactFlowId", str)


A = TypeVar("A", bound=Action)


@dataclass
class Flow:
    version: str
    start_action: str | None
    actions: list[Action]
    metadata: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    key_order: tuple[str, ...] = ()
    # The API Type from a DescribeContactFlow wrapper ("QUEUE_TRANSFER", ...), when there was one.
    # Not part of the content, so it is neither written nor compared.
    connect_type: str | None = field(default=None, compare=False)

    @property
    def by_id(self) -> dict[str, Action]:
        return {a.identifier: a for a in self.actions}

    def action(self, identifier: str) -> Action:
        try:
            return self.by_id[identifier]
        except KeyError:
            raise KeyError(f"no action with Identifier {identifier!r} in this flow") from None

    def actions_of(self, cls: type[A]) -> list[A]:
        """The blocks of one typed class, e.g. ``flow.actions_of(Loop)``."""
        return [a for a in self.actions if isinstance(a, cls)]

    @property
    def is_module(self) -> bool:
        """Flow modules carry Settings or end with EndFlowModuleExecution."""
        if self.settings is not None:
            return True
        for action in self.actions:  # a loop, not any() over a generator: lint asks this of every flow
            if action.type == "EndFlowModuleExecution":
                return True
        return False

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = dict(self.extra)
        values["Version"] = self.version
        if self.start_action is not None:
            values["StartAction"] = self.start_action
        if self.metadata is not None:
            values["Metadata"] = self.metadata
        values["Actions"] = [a.to_dict() for a in self.actions]
        if self.settings is not None:
            values["Settings"] = self.settings
        order = [k for k in self.key_order if k in values] + [k for k in values if k not in self.key_order]
        return {k: values[k] for k in order}

    def to_json(self, indent: int | None = 2) -> str:
        """Deterministic JSON; ``indent=None`` gives the compact form Connect stores."""
        if indent is None:
            return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str | None = None) -> Flow:
        """The flow ``data`` describes. It shares ``data``'s values (a block's Parameters, Metadata,
        Settings): copy ``data`` first to keep it apart (parse_flow reads a fresh one)."""
        actions = data.get("Actions")
        if not isinstance(actions, list):
            raise FlowFormatError("'Actions' must be a list of actions", source)
        if _ONLY_DICTS.issuperset(map(type, actions)):  # the usual list: read in C, no loop here
            blocks = list(map(Action.from_dict, actions))
        else:
            blocks = []
            for index, item in enumerate(actions):
                if not isinstance(item, dict):
                    raise FlowFormatError(f"Actions[{index}] is not an object", source)
                blocks.append(Action.from_dict(item))
        return cls(
            version=str(data.get("Version", "")),
            start_action=data.get("StartAction"),
            actions=blocks,
            metadata=data.get("Metadata"),
            settings=data.get("Settings"),
            extra=_rest(data, _FLOW_KEYS),
            key_order=tuple(data),
        )


def _unwrap(data: Any, source: str | None) -> Any:
    """Accept the wrappers real tools produce around flow content; reject the legacy export."""
    if not isinstance(data, dict):
        raise FlowFormatError("expected a JSON object with 'Version', 'StartAction' and 'Actions'", source)
    for wrapper in ("ContactFlow", "ContactFlowModule"):
        inner = data.get(wrapper)
        if isinstance(inner, dict) and "Content" in inner:
            content = inner["Content"]
            if isinstance(content, str):
                try:
                    content = parse_json(content, f"{wrapper}.Content")
                except DocumentError as exc:
                    raise FlowFormatError(f"cannot read the flow: {exc}", source) from None
            if not isinstance(content, dict):
                raise FlowFormatError(
                    f"cannot read the flow: {wrapper}.Content is {_kind_of(content)}, not a flow object "
                    "with 'Version', 'StartAction' and 'Actions'",
                    source,
                )
            return content
    if "modules" in data and "start" in data and "Actions" not in data:
        raise FlowFormatError(
            "this is the legacy console export format ('modules', 'start'), not the flow language. "
            "Export the flow with the AWS CLI instead: "
            "aws connect describe-contact-flow --instance-id <id> --contact-flow-id <id>",
            source,
        )
    if "Actions" not in data:
        raise FlowFormatError(
            "no 'Actions' key: this is not Amazon Connect flow-language JSON "
            "(expected a flow, or DescribeContactFlow output with ContactFlow.Content)",
            source,
        )
    return data


def parse_flow(text: str, source: str | None = None) -> Flow:
    """Parse flow JSON text (bare flow, DescribeContactFlow or DescribeContactFlowModule output)."""
    try:
        data = parse_json(text, "the file")
    except DocumentError as exc:
        raise FlowFormatError(f"cannot read the flow: {exc}", source) from None
    flow = Flow.from_dict(_unwrap(data, source), source)
    wrapper = data.get("ContactFlow") if isinstance(data, dict) else None
    if isinstance(wrapper, dict) and isinstance(wrapper.get("Type"), str):
        flow.connect_type = wrapper["Type"]
    return flow


class _ActionText(msgspec.Struct, rename={"identifier": "Identifier", "type": "Type", "parameters": "Parameters", "transitions": "Transitions"},
                  forbid_unknown_fields=True):
    """A block as the lint reader decodes it (its Transitions already the model's)."""

    identifier: str = ""
    type: str = ""
    parameters: Any = msgspec.UNSET
    transitions: Transitions | msgspec.UnsetType = msgspec.UNSET


class _FlowText(msgspec.Struct, rename={"version": "Version", "start_action": "StartAction", "metadata": "Metadata",
                                          "actions": "Actions", "settings": "Settings"}, forbid_unknown_fields=True):
    """A bare flow as the lint reader decodes it: only the keys the model reads, each block an object."""

    actions: list[_ActionText]
    version: str = ""
    start_action: str | None = None
    metadata: Any = None
    settings: Any = None


_read_flow_text = msgspec.json.Decoder(_FlowText).decode


def _action_from_text(block: _ActionText) -> Action:
    """The block Action.from_dict makes of the same object (but for key_order: lint never writes it)."""
    extra: dict[str, Any] = {}
    parameters = block.parameters
    parameters_present = isinstance(parameters, dict)
    if not parameters_present:
        if parameters is not msgspec.UNSET:
            extra["Parameters"] = parameters
        parameters = {}
    transitions_present = isinstance(block.transitions, Transitions)
    transitions = block.transitions if isinstance(block.transitions, Transitions) else Transitions()
    return _block(block.identifier, block.type, parameters, transitions, extra, (), parameters_present, transitions_present)


_PARAMETERS_OF = attrgetter("parameters")


def read_flow_for_lint(text: str, source: str | None = None) -> Flow:
    """:func:`parse_flow` for a reader that never writes the flow back (lint): the same flow, but
    for the key order, which it does not keep.

    The usual flow (a bare flow whose objects have only the keys the model reads, its identifiers,
    types, targets and operands strings) is decoded by msgspec straight into the model's branches
    and transition sets, in about half the time of parse_flow. Any other text (a DescribeContactFlow
    wrapper, unknown keys, a malformed block, a document near a limit, text msgspec refuses) is read
    by parse_flow, errors included.
    """
    try:
        decoded = _read_flow_text(text)
    except (msgspec.DecodeError, ValueError, RecursionError):  # a ValidationError is a DecodeError
        return parse_flow(text, source)
    # The typed members nest 9 levels at most (an operand); the untyped ones start no deeper than
    # a block's Parameters (level 4). msgspec refuses lone surrogates, so these are parse_json's limits.
    if len(text) > MAX_VALUES or not nests_within(
        [decoded.metadata, decoded.settings, *map(_PARAMETERS_OF, decoded.actions)], MAX_DEPTH - 4
    ):
        return parse_flow(text, source)  # parse_json's check then says what is wrong, if anything
    return Flow(
        version=decoded.version,
        start_action=decoded.start_action,
        actions=list(map(_action_from_text, decoded.actions)),
        metadata=decoded.metadata,
        settings=decoded.settings,
    )


def load_flow(path: str | Path) -> Flow:
    """Read and parse a flow file; every way it can be unusable is a :class:`FlowFormatError`."""
    try:
        text = read_text(path)
    except DocumentError as exc:
        raise FlowFormatError(str(exc), str(path)) from None
    return parse_flow(text, str(path))


def _kind_of(value: Any) -> str:
    names = {list: "a list", str: "a string", bool: "true or false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
