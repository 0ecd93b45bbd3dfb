"""What every rule sees: the flow, its detected kind, its graph, and SCC-AC block lookups."""

from __future__ import annotations

import re
from operator import attrgetter
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, TypeVar

from sccac.flows.builders import FlowKind
from sccac.flows.lint.graph import FlowGraph
from sccac.flows.lint.lazy import cached_property
from sccac.flows.model import (
    MAX_ACTIONS,
    Action,
    Flow,
    InvokeLambdaFunction,
    UpdateContactAttributes,
    UpdateContactTargetQueue,
)

#: Past this many actions, or MAX_LINTED_BRANCHES branches, lint runs only the size rules: Connect
#: refuses such a flow anyway, and the path rules take time quadratic in the branches (15,000
#: blocks, or 250 blocks with 200 error branches each, took minutes). A real flow has a few hundred.
MAX_LINTED_ACTIONS = 4 * MAX_ACTIONS
MAX_LINTED_BRANCHES = 2_500
#: The rules that still run on a flow past those limits (action count, content size).
SIZE_RULE_IDS = frozenset({"SCCAC-FLOW-005", "SCCAC-FLOW-006"})


#: ``needs`` of rules about Invoke AWS Lambda blocks and about Set working queue blocks.
LAMBDA = (InvokeLambdaFunction.TYPE,)
SET_QUEUE = (UpdateContactTargetQueue.TYPE,)

A = TypeVar("A", bound=Action)
T = TypeVar("T")

_TYPE_OF = attrgetter("TYPE")  # every block class has one ("" for a plain Action)
_SESSION_ARN = re.compile(r"messagingsession", re.IGNORECASE)
_ROUTING_ARN = re.compile(r"routing", re.IGNORECASE)


def lambda_attributes(action: Action) -> dict[Any, Any]:
    """The parameters an Invoke AWS Lambda block passes (empty for any other block)."""
    return action.invocation_attributes if isinstance(action, InvokeLambdaFunction) else {}


def contact_attributes(action: Action) -> dict[Any, Any]:
    """The attributes a Set contact attributes block sets (empty for any other block)."""
    return action.attributes if isinstance(action, UpdateContactAttributes) else {}


def _arn_matches(action: InvokeLambdaFunction, word: str, pattern: re.Pattern[str]) -> bool:
    """The function ARN contains ``word`` in any case (``pattern``: the same search with re.IGNORECASE)."""
    arn = action.function_arn
    if arn is None:
        return False
    if type(arn) is str and arn.isascii():
        return word in arn.lower()  # the usual ARN: in ASCII, IGNORECASE matches what lower() finds (4x faster)
    return pattern.search(arn) is not None  # Unicode case folding (a long s matches s, a Kelvin sign k)


def console_type(flow: Flow) -> str | None:
    metadata = flow.metadata if isinstance(flow.metadata, dict) else {}
    value = metadata.get("type")
    return value if isinstance(value, str) else None


@dataclass
class LintContext:
    flow: Flow
    kind: FlowKind | None
    content_chars: int | None = None  # the caller's count (a file's Content); None: measured when needed
    text_chars: int | None = None  # the length of the JSON text the flow was just read from (bounds the content size)
    _cache: dict[str, Any] = field(default_factory=dict)
    #: The flow's graph and its per-block index, built in one pass with the context: every flow needs
    #: them (rule selection and the size limits read the index before any rule runs). Plain
    #: attributes, not cached_property values: Python 3.11 specialises the read of an instance value
    #: only when the class holds no attribute (descriptor) of that name, and rules read these some 27
    #: times a flow (1% of lint's instructions).
    graph: FlowGraph = field(init=False, repr=False, compare=False)
    #: The actions by Type, indexed once (rules look a type up instead of scanning the flow).
    by_type: dict[str, list[Action]] = field(init=False, repr=False, compare=False)
    #: Outgoing branches of every action: NextAction, each error and each condition.
    branches: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        graph = self.graph = FlowGraph(self.flow)
        self.by_type = graph.by_type
        self.branches = graph.branches

    @cached_property
    def is_module(self) -> bool:
        """Flow.is_module, told from the by-type index instead of another pass over the blocks (about 1% of
        lint's instructions: several rules ask it of every flow)."""
        return self.flow.settings is not None or "EndFlowModuleExecution" in self.by_type

    @cached_property
    def lambdas(self) -> list[InvokeLambdaFunction]:
        return self.graph.actions_of(InvokeLambdaFunction)

    @cached_property
    def session_lambdas(self) -> list[InvokeLambdaFunction]:
        """CreateMessagingSession invocations: by function name or by its channelAddressIdentifier input."""
        return [a for a in self.lambdas if "channelAddressIdentifier" in a.invocation_attributes or _arn_matches(a, "messagingsession", _SESSION_ARN)]

    @cached_property
    def routing_lambdas(self) -> list[InvokeLambdaFunction]:
        """Routing function invocations: by a routingType input or by function name."""
        session = {id(a) for a in self.session_lambdas}
        return [
            a
            for a in self.lambdas
            if id(a) not in session and ("routingType" in a.invocation_attributes or _arn_matches(a, "routing", _ROUTING_ARN))
        ]

    @cached_property
    def block_types(self) -> frozenset[str] | None:
        """The Types of the flow's blocks and of their classes (a block made in code may be of a
        typed class with another Type); None when a Type is not hashable (then every rule runs)."""
        try:
            return frozenset(self.by_type).union(map(_TYPE_OF, self.graph.classes()))
        except TypeError:
            return None

    def shared(self, key: str, compute: Callable[[LintContext], T]) -> T:
        """A fact several rules of one module ask, worked out once per flow under ``key`` (shared:
        callers must not change it)."""
        value = self._cache.get(key)
        if value is None:
            value = self._cache[key] = compute(self)
        return value

    def actions_of(self, cls: type[A]) -> list[A]:
        """The blocks of a typed class in flow order, from the graph's index (shared: callers must not change the list)."""
        return self.graph.actions_of(cls)

    def actions_of_type(self, action_type: str) -> list[Action]:
        """The actions of ``action_type`` in flow order (shared: callers must not change the list)."""
        return self.by_type.get(action_type, [])

    @cached_property
    def set_queue_actions(self) -> list[UpdateContactTargetQueue]:
        return self.graph.actions_of(UpdateContactTargetQueue)

    @cached_property
    def transfers(self) -> list[Action]:
        return self.actions_of_type("TransferContactToQueue")

    def is_static_queue(self, action: Action) -> bool:
        return isinstance(action, UpdateContactTargetQueue) and action.is_static_queue

    def error_target(self, action: Action, error_type: str = "NoMatchingError") -> Action | None:
        target = action.transitions.error_target(error_type)
        return self.graph.actions.get(target) if isinstance(target, str) else None
