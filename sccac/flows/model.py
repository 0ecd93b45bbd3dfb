"""Data model of the Amazon Connect flow language (Version 2019-10-30), lossless both ways.

A flow parsed with :func:`parse_flow` and written back with :meth:`Flow.to_dict` gives the
same JSON: unknown keys, unknown action types, absent-versus-empty ``Errors``/``Conditions``
and key order are all kept. The action types the SCC-AC flows use get typed accessors
(subclasses of :class:`Action`); any other type stays a plain :class:`Action`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sccac.flows.reading import DocumentError, parse_json, read_text

FLOW_LANGUAGE_VERSION = "2019-10-30"

# Connect limits that the linter and builders share.
MAX_ACTIONS = 250
MAX_CONTENT_CHARS = 256_000
MAX_IDENTIFIER_CHARS = 50
MAX_SYNC_LAMBDA_TIMEOUT_SECONDS = 8
MAX_ASYNC_LAMBDA_TIMEOUT_SECONDS = 60

TERMINAL_TYPES = frozenset({"DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution"})


class FlowFormatError(ValueError):
    """The input is not flow-language JSON (or is a format we recognise but cannot use)."""

    def __init__(self, message: str, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


def is_dynamic(value: Any) -> bool:
    """A flow-language value that is a JSONPath into the contact's data (``$.Attributes.x``)."""
    return isinstance(value, str) and value.startswith("$.")


def _object(value: Any) -> dict[str, Any]:
    """An optional object in the flow; a value of another type reads as absent (the linter reports it)."""
    return value if isinstance(value, dict) else {}


def _is_list_of_dicts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _is_wellformed_condition(branch: dict[str, Any]) -> bool:
    condition = branch.get("Condition")
    if condition is None:
        return True
    return isinstance(condition, dict) and isinstance(condition.get("Operands", []), list)


@dataclass
class ErrorBranch:
    error_type: str
    next_action: str | None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ErrorBranch:
        rest = {k: v for k, v in data.items() if k not in ("ErrorType", "NextAction")}
        return cls(error_type=data.get("ErrorType", ""), next_action=data.get("NextAction"), extra=rest)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.next_action is not None:
            out["NextAction"] = self.next_action
        out["ErrorType"] = self.error_type
        out.update(self.extra)
        return out


@dataclass
class ConditionBranch:
    operator: str
    operands: list[Any]
    next_action: str | None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConditionBranch:
        condition = data.get("Condition") or {}
        rest = {k: v for k, v in data.items() if k not in ("Condition", "NextAction")}
        return cls(
            operator=condition.get("Operator", ""),
            operands=list(condition.get("Operands", [])),
            next_action=data.get("NextAction"),
            extra=rest,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.next_action is not None:
            out["NextAction"] = self.next_action
        out["Condition"] = {"Operator": self.operator, "Operands": list(self.operands)}
        out.update(self.extra)
        return out


@dataclass
class Transitions:
    next_action: str | None = None
    # None means the key was absent in the source; [] means it was present and empty.
    errors: list[ErrorBranch] | None = None
    conditions: list[ConditionBranch] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    key_order: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transitions:
        errors = data.get("Errors")
        conditions = data.get("Conditions")
        extra = {k: v for k, v in data.items() if k not in ("NextAction", "Errors", "Conditions")}
        # Malformed branch lists (not a list of objects) are kept verbatim in ``extra`` so the
        # document still round-trips and the linter can report them instead of crashing.
        if errors is not None and not _is_list_of_dicts(errors):
            extra["Errors"], errors = errors, None
        if conditions is not None and not (
            _is_list_of_dicts(conditions) and all(_is_wellformed_condition(c) for c in conditions)
        ):
            extra["Conditions"], conditions = conditions, None
        return cls(
            next_action=data.get("NextAction"),
            errors=None if errors is None else [ErrorBranch.from_dict(e) for e in errors],
            conditions=None if conditions is None else [ConditionBranch.from_dict(c) for c in conditions],
            extra=extra,
            key_order=tuple(data.keys()),
        )

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


_ACTION_TYPES: dict[str, type[Action]] = {}


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

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.TYPE:
            _ACTION_TYPES[cls.TYPE] = cls

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Action:
        action_type = data.get("Type", "")
        cls = _ACTION_TYPES.get(action_type, Action) if isinstance(action_type, str) else Action
        parameters = data.get("Parameters")
        transitions = data.get("Transitions")
        extra = {k: v for k, v in data.items() if k not in ("Identifier", "Type", "Parameters", "Transitions")}
        # A non-object Parameters/Transitions is kept verbatim (in extra) for the linter to report.
        if "Parameters" in data and not isinstance(parameters, dict):
            extra["Parameters"] = parameters
        if "Transitions" in data and not isinstance(transitions, dict):
            extra["Transitions"] = transitions
        if not isinstance(action_type, str):
            extra["Type"], action_type = action_type, ""
        return cls(
            identifier=data.get("Identifier", ""),
            type=action_type,
            parameters=dict(parameters) if isinstance(parameters, dict) else {},
            transitions=Transitions.from_dict(transitions if isinstance(transitions, dict) else {}),
            extra=extra,
            key_order=tuple(data.keys()),
            parameters_present=isinstance(parameters, dict),
            transitions_present=isinstance(transitions, dict),
        )

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


class UpdateContactAttributes(Action):
    """Set contact attributes."""

    TYPE = "UpdateContactAttributes"

    @property
    def attributes(self) -> dict[str, Any]:
        return dict(self.parameters.get("Attributes") or {})


class InvokeLambdaFunction(Action):
    """Invoke AWS Lambda function."""

    TYPE = "InvokeLambdaFunction"

    @property
    def function_arn(self) -> str | None:
        return self.parameters.get("LambdaFunctionARN")

    @property
    def timeout_seconds(self) -> str | None:
        return self.parameters.get("InvocationTimeLimitSeconds")

    @property
    def invocation_type(self) -> str:
        return self.parameters.get("InvocationType", "SYNCHRONOUS")

    @property
    def invocation_attributes(self) -> dict[str, Any]:
        return dict(self.parameters.get("LambdaInvocationAttributes") or {})

    @property
    def response_type(self) -> str | None:
        return (self.parameters.get("ResponseValidation") or {}).get("ResponseType")


class UpdateContactTargetQueue(Action):
    """Set working queue (by queue or by agent, static or dynamic)."""

    TYPE = "UpdateContactTargetQueue"

    @property
    def queue_id(self) -> str | None:
        return self.parameters.get("QueueId")

    @property
    def agent_id(self) -> str | None:
        return self.parameters.get("AgentId")


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

    @property
    def comparison_value(self) -> str | None:
        return self.parameters.get("ComparisonValue")


class Loop(Action):
    TYPE = "Loop"

    @property
    def loop_count(self) -> str | None:
        return self.parameters.get("LoopCount")

    @property
    def continue_target(self) -> str | None:
        return self.transitions.condition_target("ContinueLooping")

    @property
    def done_target(self) -> str | None:
        return self.transitions.condition_target("DoneLooping")


class MessageParticipant(Action):
    TYPE = "MessageParticipant"

    @property
    def text(self) -> str | None:
        return self.parameters.get("Text")


class UpdateContactRecordingBehavior(Action):
    """Set recording and analytics behavior."""

    TYPE = "UpdateContactRecordingBehavior"

    @property
    def chat_analytics_modes(self) -> list[str]:
        analytics = _object(self.parameters.get("AnalyticsBehavior"))
        modes = _object(_object(analytics.get("ChannelConfiguration")).get("Chat")).get("AnalyticsModes")
        return [m for m in modes if isinstance(m, str)] if isinstance(modes, list) else []

    @property
    def analytics_enabled(self) -> bool:
        return str(_object(self.parameters.get("AnalyticsBehavior")).get("Enabled", "")).lower() == "true"


class UpdateFlowLoggingBehavior(Action):
    TYPE = "UpdateFlowLoggingBehavior"


class InvokeFlowModule(Action):
    TYPE = "InvokeFlowModule"


class TransferToFlow(Action):
    TYPE = "TransferToFlow"


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

    def actions_of(self, cls: type[Action]) -> list[Action]:
        return [a for a in self.actions if isinstance(a, cls)]

    @property
    def is_module(self) -> bool:
        """Flow modules carry Settings or end with EndFlowModuleExecution."""
        return self.settings is not None or any(a.type == "EndFlowModuleExecution" for a in self.actions)

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
        actions = data.get("Actions")
        if not isinstance(actions, list):
            raise FlowFormatError("'Actions' must be a list of actions", source)
        for index, item in enumerate(actions):
            if not isinstance(item, dict):
                raise FlowFormatError(f"Actions[{index}] is not an object", source)
        return cls(
            version=str(data.get("Version", "")),
            start_action=data.get("StartAction"),
            actions=[Action.from_dict(a) for a in actions],
            metadata=data.get("Metadata"),
            settings=data.get("Settings"),
            extra={k: v for k, v in data.items() if k not in ("Version", "StartAction", "Metadata", "Actions", "Settings")},
            key_order=tuple(data.keys()),
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
