"""Scenario files for `sccac flows simulate`: contact data, Lambda behaviour, expected outcome.

A scenario is YAML or JSON (format and examples: docs/flows-simulation.md). Every error
names the file and the field, because admins write these by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sccac.flows.model import Flow, FlowFormatError, load_flow
from sccac.flows.reading import DocumentError, check_tree, parse_json, parse_yaml, read_text
from sccac.flows.simulator import DEFAULT_MAX_STEPS, MAX_STEPS_LIMIT, SimulationOptions
from sccac.flows.simulator_contact import CHANNELS, Contact
from sccac.flows.simulator_lambda import LambdaScript, RoleMap, ScriptedInvoker, ScriptedResponse
from sccac.flows.simulator_trace import OutcomeKind, Trace

TOP_LEVEL_KEYS = {"name", "description", "contact", "lambdas", "roles", "queues", "hours_open", "max_steps", "modules",
                  "customer_returns", "agent_leaves", "expect"}
CONTACT_KEYS = {
    "id": "contact_id",
    "contact_id": "contact_id",
    "channel": "channel",
    "attributes": "attributes",
    "initial_contact_id": "initial_contact_id",
    "previous_contact_id": "previous_contact_id",
    "instance_arn": "instance_arn",
    "initiation_method": "initiation_method",
    "agent_user_name": "agent_user_name",
    "agent_arn": "agent_arn",
    "queue_arn": "queue_arn",
    "queue_name": "queue_name",
    "customer_endpoint": "customer_endpoint",
    "customer_endpoint_type": "customer_endpoint_type",
    "system_endpoint": "system_endpoint",
    "name": "name",
    "description": "description",
    "references": "references",
    "language_code": "language_code",
}
SCRIPT_KEYS = {"returns", "fail_first", "timeout_first", "error_message", "calls"}
CALL_KEYS = {"returns", "error", "timeout"}
EXPECT_KEYS = {"outcome", "queue", "lambda_calls", "attributes", "analytics_enabled"}
#: Scenarios are written by hand: a megabyte is far more than any needs (and YAML parses slowly).
MAX_SCENARIO_BYTES = 1024 * 1024


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the field."""

    def __init__(self, source: str, field_path: str | None, message: str) -> None:
        self.source = source
        self.field = field_path
        where = f"{source}: {field_path}" if field_path else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Expectation:
    """What the scenario author expects; every field is optional."""

    outcome: OutcomeKind | None = None
    queue: str | None = None
    lambda_calls: dict[str, int] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    analytics_enabled: bool | None = None

    def mismatches(self, trace: Trace) -> list[str]:
        """Each way the trace differs from the expectation, as a sentence."""
        problems: list[str] = []
        outcome = trace.outcome
        if self.outcome is not None and (outcome is None or outcome.kind is not self.outcome):
            got = outcome.describe() if outcome else "no outcome"
            problems.append(f"expected outcome {self.outcome.value}, got {got}")
        if self.queue is not None and (outcome is None or outcome.queue != self.queue):
            problems.append(f"expected queue {self.queue}, got {outcome.queue if outcome else None}")
        for key, count in self.lambda_calls.items():
            got_calls = len(trace.calls_to(key))
            if got_calls != count:
                problems.append(f"expected {count} Lambda call(s) to {key}, got {got_calls}")
        for key, value in self.attributes.items():
            got_value = trace.attributes.get(key)
            if got_value != value:
                problems.append(f"expected attribute {key} = {value!r}, got {got_value!r}")
        if self.analytics_enabled is not None and trace.recording.get("analytics_enabled") != self.analytics_enabled:
            problems.append(f"expected analytics_enabled {self.analytics_enabled}, got {trace.recording.get('analytics_enabled')}")
        return problems


@dataclass(frozen=True)
class Scenario:
    source: str
    name: str | None = None
    contact: Contact = field(default_factory=Contact)
    scripts: dict[str, LambdaScript] = field(default_factory=dict)
    roles: RoleMap = field(default_factory=RoleMap)
    known_queues: frozenset[str] | None = None
    at_capacity_queues: frozenset[str] = frozenset()
    hours_open: bool = True
    max_steps: int = 1000
    modules: dict[str, Path] = field(default_factory=dict)
    customer_returns: bool = True
    agent_leaves: bool = False
    expect: Expectation | None = None

    def invoker(self) -> ScriptedInvoker:
        return ScriptedInvoker(dict(self.scripts))

    def options(self) -> SimulationOptions:
        return SimulationOptions(
            max_steps=self.max_steps,
            roles=self.roles,
            known_queues=self.known_queues,
            at_capacity_queues=self.at_capacity_queues,
            hours_open=self.hours_open,
            resolver=self._resolver() if self.modules else None,
            customer_returns=self.customer_returns,
            agent_leaves=self.agent_leaves,
        )

    def _resolver(self) -> Any:
        cache: dict[str, Flow] = {}

        def resolve(flow_id: str) -> Flow | None:
            path = self.modules.get(flow_id)
            if path is None:
                return None
            if flow_id not in cache:
                try:
                    cache[flow_id] = load_flow(path)
                except FlowFormatError as exc:
                    raise ScenarioError(self.source, f"modules.{flow_id}", str(exc)) from None
            return cache[flow_id]

        return resolve

    def with_overrides(
        self,
        *,
        attributes: Mapping[str, str] | None = None,
        channel: str | None = None,
        agent_user_name: str | None = None,
        queue_arn: str | None = None,
        lambda_fails: int | None = None,
        lambda_results: Mapping[str, Mapping[str, str]] | None = None,
        max_steps: int | None = None,
        modules: Mapping[str, Path] | None = None,
    ) -> Scenario:
        """The scenario with the CLI's shorthand options applied on top."""
        contact = self.contact
        changes: dict[str, Any] = {}
        if attributes:
            changes["attributes"] = {**contact.attributes, **attributes}
        if channel:
            changes["channel"] = channel
        if agent_user_name:
            changes["agent_user_name"] = agent_user_name
        if queue_arn:
            changes["queue_arn"] = queue_arn
        if changes:
            contact = replace(contact, **changes)
        scripts = dict(self.scripts)
        for key, result in (lambda_results or {}).items():
            base = scripts.get(key, LambdaScript())
            merged = {**(base.returns or {}), **result} if isinstance(base.returns, dict) or base.returns is None else dict(result)
            scripts[key] = replace(base, returns=merged)
        if lambda_fails is not None:
            scripts.setdefault("*", LambdaScript())
            scripts = {k: replace(v, fail_first=lambda_fails) for k, v in scripts.items()}
        return replace(
            self,
            contact=contact,
            scripts=scripts,
            max_steps=max_steps or self.max_steps,
            modules={**self.modules, **(modules or {})},
        )


def load_scenario(path: str | Path) -> Scenario:
    """Read a YAML (or ``.json``) scenario file; every way it can be unusable is a :class:`ScenarioError`."""
    path = Path(path)
    try:
        text = read_text(path, MAX_SCENARIO_BYTES)
    except DocumentError as exc:
        raise ScenarioError(str(path), None, str(exc)) from None
    return scenario_from_text(text, str(path), json_format=path.suffix.lower() == ".json", base_dir=path.parent)


def scenario_from_text(text: str, source: str = "<scenario>", *, json_format: bool = False, base_dir: Path | None = None) -> Scenario:
    """A scenario from YAML (or JSON) text; anything unusable is a :class:`ScenarioError`."""
    try:
        data = parse_json(text) if json_format else parse_yaml(text)
    except DocumentError as exc:
        raise ScenarioError(source, None, str(exc)) from None
    return parse_scenario(data if data is not None else {}, source, base_dir=base_dir)


def parse_scenario(data: Any, source: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    reader = _Reader(source)
    try:
        check_tree(data, "the scenario")
    except DocumentError as exc:
        raise ScenarioError(source, None, str(exc)) from None
    top = reader.mapping(data, None)
    reader.known_keys(top, TOP_LEVEL_KEYS, None)
    roles = reader.mapping(top.get("roles", {}), "roles")
    reader.known_keys(roles, {"session", "routing"}, "roles")
    queues = reader.mapping(top.get("queues", {}), "queues")
    reader.known_keys(queues, {"known", "at_capacity"}, "queues")
    known = queues.get("known")
    modules = reader.mapping(top.get("modules", {}), "modules")
    base = base_dir or Path(".")
    return Scenario(
        source=source,
        name=reader.optional_str(top.get("name"), "name"),
        contact=_contact(reader, top.get("contact", {})),
        scripts={
            str(key): _script(reader, value, f"lambdas.{key}")
            for key, value in reader.mapping(top.get("lambdas", {}), "lambdas").items()
        },
        roles=RoleMap(
            session_arns=frozenset(reader.str_list(roles.get("session", []), "roles.session")),
            routing_arns=frozenset(reader.str_list(roles.get("routing", []), "roles.routing")),
        ),
        known_queues=None if known is None else frozenset(reader.str_list(known, "queues.known")),
        at_capacity_queues=frozenset(reader.str_list(queues.get("at_capacity", []), "queues.at_capacity")),
        hours_open=reader.boolean(top.get("hours_open", True), "hours_open"),
        max_steps=reader.step_budget(top.get("max_steps", DEFAULT_MAX_STEPS), "max_steps"),
        modules={str(k): base / reader.string(v, f"modules.{k}") for k, v in modules.items()},
        customer_returns=reader.boolean(top.get("customer_returns", True), "customer_returns"),
        agent_leaves=reader.boolean(top.get("agent_leaves", False), "agent_leaves"),
        expect=_expect(reader, top["expect"]) if "expect" in top else None,
    )


def _contact(reader: _Reader, raw: Any) -> Contact:
    data = reader.mapping(raw, "contact")
    reader.known_keys(data, set(CONTACT_KEYS), "contact")
    values: dict[str, Any] = {}
    for key, value in data.items():
        target = CONTACT_KEYS[key]
        where = f"contact.{key}"
        if target == "attributes":
            values[target] = reader.string_map(value, where)
        elif target == "references":
            values[target] = reader.mapping(value, where)
        elif value is not None:
            values[target] = reader.string(value, where)
    channel = values.get("channel", "CHAT")
    if channel not in CHANNELS:
        raise ScenarioError(reader.source, "contact.channel", f"{_show(channel)} is not one of {', '.join(CHANNELS)}")
    return Contact(**values)


def _script(reader: _Reader, raw: Any, where: str) -> LambdaScript:
    data = reader.mapping(raw, where)
    reader.known_keys(data, SCRIPT_KEYS, where)
    calls: list[ScriptedResponse] = []
    for index, item in enumerate(reader.sequence(data.get("calls", []), f"{where}.calls")):
        call_where = f"{where}.calls[{index}]"
        call = reader.mapping(item, call_where)
        reader.known_keys(call, CALL_KEYS, call_where)
        chosen = [k for k in CALL_KEYS if k in call]
        if len(chosen) != 1:
            raise ScenarioError(reader.source, call_where, "give exactly one of returns, error, timeout")
        if "error" in call:
            calls.append(ScriptedResponse(error=reader.string(call["error"], f"{call_where}.error")))
        elif "timeout" in call:
            calls.append(ScriptedResponse(timeout=reader.boolean(call["timeout"], f"{call_where}.timeout")))
        else:
            calls.append(ScriptedResponse(returns=call["returns"]))
    return LambdaScript(
        returns=data.get("returns"),
        fail_first=reader.count(data.get("fail_first", 0), f"{where}.fail_first"),
        timeout_first=reader.count(data.get("timeout_first", 0), f"{where}.timeout_first"),
        error_message=reader.string(data.get("error_message", "scripted failure"), f"{where}.error_message"),
        calls=tuple(calls),
    )


def _expect(reader: _Reader, raw: Any) -> Expectation:
    data = reader.mapping(raw, "expect")
    reader.known_keys(data, EXPECT_KEYS, "expect")
    outcome = data.get("outcome")
    kind = None
    if outcome is not None:
        try:
            kind = OutcomeKind(outcome)
        except ValueError:
            allowed = ", ".join(k.value for k in OutcomeKind)
            raise ScenarioError(reader.source, "expect.outcome", f"{_show(outcome)} is not one of {allowed}") from None
    calls = reader.mapping(data.get("lambda_calls", {}), "expect.lambda_calls")
    analytics = data.get("analytics_enabled")
    return Expectation(
        outcome=kind,
        queue=reader.optional_str(data.get("queue"), "expect.queue"),
        lambda_calls={str(k): reader.count(v, f"expect.lambda_calls.{k}") for k, v in calls.items()},
        attributes=reader.string_map(data.get("attributes", {}), "expect.attributes"),
        analytics_enabled=None if analytics is None else reader.boolean(analytics, "expect.analytics_enabled"),
    )


@dataclass(frozen=True)
class _Reader:
    """Type checks that report the file and the dotted field path."""

    source: str

    def fail(self, where: str | None, message: str) -> ScenarioError:
        return ScenarioError(self.source, where, message)

    def mapping(self, value: Any, where: str | None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a mapping, not {type(value).__name__}")
        return value

    def sequence(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list, not {type(value).__name__}")
        return value

    def known_keys(self, data: Mapping[str, Any], allowed: set[str], where: str | None) -> None:
        unknown = sorted(str(k) for k in data if k not in allowed)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")

    def string(self, value: Any, where: str) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(where, f"must be text, not {type(value).__name__}")
        return str(value)

    def optional_str(self, value: Any, where: str) -> str | None:
        return None if value is None else self.string(value, where)

    def string_map(self, value: Any, where: str) -> dict[str, str]:
        data = self.mapping(value, where)
        out: dict[str, str] = {}
        for key, item in data.items():
            # Connect attributes are strings: say so rather than silently turning 3 into "3".
            if not isinstance(item, str):
                raise self.fail(f"{where}.{key}", f"must be a string (quote it), not {type(item).__name__}")
            out[str(key)] = item
        return out

    def str_list(self, value: Any, where: str) -> list[str]:
        if isinstance(value, str):
            return [value]
        return [self.string(v, f"{where}[{i}]") for i, v in enumerate(self.sequence(value, where))]

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, f"must be true or false, not {_show(value)}")
        return value

    def count(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(where, f"must be a whole number >= 0, not {_show(value)}")
        return value

    def step_budget(self, value: Any, where: str) -> int:
        number = self.count(value, where)
        if not 1 <= number <= MAX_STEPS_LIMIT:
            raise self.fail(where, f"must be between 1 and {MAX_STEPS_LIMIT:,}, not {number}")
        return number


def _show(value: Any) -> str:
    """A short repr for error messages: a value from a file can be a megabyte long."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
