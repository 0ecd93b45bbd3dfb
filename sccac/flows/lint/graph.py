"""Graph questions about a flow (edges, reachability, paths, cycles) that tolerate any input.

Every function here accepts flows with dangling, non-string or duplicate targets: lint runs on
admins' exports and must report problems, never crash on them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TypeVar

from sccac.flows.model import TERMINAL_TYPES, Action, Flow

A = TypeVar("A", bound=Action)

ACCEPTABLE_ERROR_ENDS = frozenset({"DisconnectParticipant", "EndFlowModuleExecution", "EndFlowExecution"})


class FlowGraph:
    """Adjacency over the flow's actions; the first action wins for a duplicate Identifier."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        # One pass over the blocks for every per-flow fact lint needs before and across its rules
        # (lint's hot path): the actions by Identifier and position, by Type and by class, the
        # count of branches, and each action's targets in branch order (conditions, success, errors).
        actions: dict[str, Action] = {}
        position: dict[str, int] = {}
        by_type: dict[str, list[Action]] = {}
        by_class: dict[type[Action], list[Action]] = {}
        successors: dict[str, list[str]] = {}
        every: list[object] = []
        branches = 0
        index = 0
        for action in flow.actions:
            same_type = by_type.get(action.type)
            if same_type is None:
                by_type[action.type] = [action]
            else:
                same_type.append(action)
            same_class = by_class.get(type(action))
            if same_class is None:
                by_class[type(action)] = [action]
            else:
                same_class.append(action)
            transitions = action.transitions
            targets = []
            # A loop of its own for conditions and for errors: each then reads one class's field
            # (CPython specialises such a read; one loop over both classes cost 4% of lint).
            conditions = transitions.conditions
            if conditions:
                branches += len(conditions)
                for condition in conditions:
                    if (target := condition.next_action) is not None:
                        targets.append(target)
            if (target := transitions.next_action) is not None:
                branches += 1
                targets.append(target)
            errors = transitions.errors
            if errors:
                branches += len(errors)
                for branch in errors:
                    if (target := branch.next_action) is not None:
                        targets.append(target)
            ident = action.identifier
            if isinstance(ident, str) and ident not in actions:
                actions[ident] = action
                position[ident] = index
                successors[ident] = targets
                every += targets
            index += 1
        try:
            every_known = actions.keys() >= set(every)  # the usual flow: every target is an action
        except TypeError:  # an unhashable target (a list, an object)
            every_known = False
        if not every_known:
            # Only the branches that lead to an action of the flow are edges.
            for ident, targets in successors.items():
                successors[ident] = [t for t in targets if isinstance(t, str) and t in actions]
        self.actions = actions
        self.by_type = by_type
        self.branches = branches
        self._by_class = by_class
        self._position = position
        self._successors = successors
        self._from_start: set[str] | None = None
        self._bad_ends: dict[tuple[str, str, frozenset[str]], list[str]] = {}
        self._dead_ends: dict[frozenset[str], frozenset[str]] = {}
        self._stuck: list[str] | None = None

    def classes(self) -> Iterable[type[Action]]:
        """The classes of the flow's blocks."""
        return self._by_class.keys()

    def actions_of(self, cls: type[A]) -> list[A]:
        """``flow.actions_of(cls)`` (the blocks of a typed class, in flow order) from the pass above;
        shared: callers must not change the list."""
        if cls.__subclasses__():  # asked each time: a subclass may be defined at any time
            return self.flow.actions_of(cls)  # the index is by exact class
        return self._by_class.get(cls, [])  # type: ignore[return-value]

    def edge_count(self) -> int:
        """The branches of the graph's actions that lead to an action of the flow."""
        return sum(map(len, self._successors.values()))

    def successors(self, ident: str) -> list[str]:
        return self._successors.get(ident, [])

    def reachable(self, starts: Iterable[str], *, stop: Callable[[str], bool] | None = None) -> set[str]:
        """Identifiers reachable from ``starts`` (inclusive); ``stop`` nodes are reached but not expanded."""
        successors = self._successors
        seen: set[str] = set()
        stack: list[str] = []
        for node in starts:
            if node in successors and node not in seen:
                seen.add(node)
                stack.append(node)
        # A node is pushed once, when first seen (fewer steps than checking it when popped).
        while stack:
            node = stack.pop()
            if stop is not None and stop(node):
                continue
            for following in successors[node]:
                if following not in seen:
                    seen.add(following)
                    stack.append(following)
        return seen

    def from_start(self) -> set[str]:
        """The actions reachable from StartAction (computed once; callers must not change it)."""
        if self._from_start is None:
            start = self.flow.start_action
            self._from_start = self.reachable((start,)) if isinstance(start, str) else set()
        return self._from_start

    def dead_ends(self, acceptable: frozenset[str] = ACCEPTABLE_ERROR_ENDS) -> frozenset[str]:
        """Where a path stops other than at an ``acceptable`` end: terminal actions of another
        type, and non-terminal actions with no way onward (computed once per ``acceptable``)."""
        found = self._dead_ends.get(acceptable)
        if found is None:
            actions = self.actions
            if self._stuck is None:
                # Only a block without targets can stop a path: the usual flow has a few (its ends).
                self._stuck = [ident for ident, targets in self._successors.items() if not targets and actions[ident].type not in TERMINAL_TYPES]
            dead = list(self._stuck)
            # The terminal blocks of another type, looked up by type (none of them for the default ends).
            for end_type in TERMINAL_TYPES.difference(acceptable):
                for action in self.by_type.get(end_type, ()):
                    ident = action.identifier
                    if isinstance(ident, str) and actions.get(ident) is action:  # the graph's block of that Identifier
                        dead.append(ident)
            found = self._dead_ends[acceptable] = frozenset(dead)
        return found

    def error_path_bad_ends(
        self, origin: str, target: str, acceptable: frozenset[str] = ACCEPTABLE_ERROR_ENDS
    ) -> list[str]:
        """Where an error path from ``origin`` stops without a disconnect (empty = all good).

        The walk does not pass back through ``origin`` (that is a retry, judged by the loop
        rules) and reports the dead ends it reaches (``dead_ends``).
        """
        dead = self.dead_ends(acceptable)
        if not dead:
            return []  # the usual case: no path of this flow can stop badly, so no walk is needed
        if isinstance(origin, str):  # an odd origin (a list, a dict) is no action's Identifier
            dead = dead - {origin}
            if not dead:
                return []
        # Several rules ask about the same error branch; an odd (non-string) origin is not cached.
        key = (origin, target, acceptable) if isinstance(origin, str) and isinstance(target, str) else None
        if key is not None and key in self._bad_ends:
            return list(self._bad_ends[key])
        bad = sorted(dead & self.reachable([target], stop=lambda n: n == origin))
        if key is not None:
            self._bad_ends[key] = list(bad)
        return bad

    def cycles_without(self, breaker: Callable[[Action], bool]) -> list[list[str]]:
        """Strongly connected components (cycles) that contain no ``breaker`` action."""
        if not self._backward_edge_without(breaker):
            return []  # the usual case: every cycle passes a breaker (a retry loop's Loop)
        allowed = {n for n, action in self.actions.items() if not breaker(action)}
        if not self._has_cycle(allowed):
            return []  # a backward edge without a breaker, but on no cycle
        # Peel off the nodes no cycle can pass through (Kahn: in-degree 0, repeatedly); a flow
        # whose every cycle has a breaker is left with nothing, and Tarjan runs only on the rest.
        successors = self._successors
        indegree = dict.fromkeys(allowed, 0)
        for node in allowed:
            for following in successors[node]:
                if following in indegree:
                    indegree[following] += 1
        free = [n for n, d in indegree.items() if d == 0]
        while free:
            node = free.pop()
            allowed.discard(node)
            for following in successors[node]:
                if following in indegree:
                    indegree[following] -= 1
                    if indegree[following] == 0:
                        free.append(following)
        if not allowed:
            return []
        return self._components([n for n in self.actions if n in allowed], allowed)

    def _backward_edge_without(self, breaker: Callable[[Action], bool]) -> bool:
        """Some edge between two non-``breaker`` actions leads to the block itself or one earlier in
        the Actions list. Every cycle has such an edge (in any order of the blocks), so without one
        there is no cycle without a breaker: told in one pass over the edges, with no walk."""
        actions, position = self.actions, self._position
        for source, targets in self._successors.items():
            here = position[source]
            for target in targets:
                if position[target] <= here and not breaker(actions[source]) and not breaker(actions[target]):
                    return True
        return False

    def _has_cycle(self, allowed: set[str]) -> bool:
        """Some cycle runs through ``allowed`` nodes only (a depth-first walk meets a node on its path)."""
        successors = self._successors
        state: dict[str, bool] = {}  # True while the node is on the walk's path, False once done
        for root in allowed:
            if root in state:
                continue
            state[root] = True
            stack = [(root, iter(successors[root]))]
            while stack:
                node, following = stack[-1]
                for child in following:
                    if child in allowed:
                        on_path = state.get(child)
                        if on_path:
                            return True
                        if on_path is None:
                            state[child] = True
                            stack.append((child, iter(successors[child])))
                            break
                else:
                    state[node] = False
                    stack.pop()
        return False

    def _components(self, nodes: list[str], allowed: set[str]) -> list[list[str]]:
        """Tarjan's strongly connected components (with a cycle) of the subgraph on ``allowed``."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        result: list[list[str]] = []
        counter = 0
        successors = self._successors
        adjacent = {n: [t for t in successors[n] if t in allowed] for n in nodes}

        for root in nodes:
            if root in index:
                continue
            # Iterative Tarjan so a 250-action chain cannot hit the recursion limit.
            work: list[tuple[str, int]] = [(root, 0)]
            while work:
                node, child_index = work.pop()
                if child_index == 0:
                    index[node] = low[node] = counter
                    counter += 1
                    stack.append(node)
                    on_stack.add(node)
                children = adjacent[node]
                if child_index < len(children):
                    work.append((node, child_index + 1))
                    child = children[child_index]
                    if child not in index:
                        work.append((child, 0))
                    elif child in on_stack:
                        low[node] = min(low[node], index[child])
                    continue
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in children:
                        result.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
        return result

    def reaches_all(self, start: object, wanted: set[str]) -> bool:
        """Every Identifier in ``wanted`` is reachable from ``start`` (inclusive, as in :meth:`reachable`):
        the same walk, ended as soon as it has met them all (it takes the first branches first,
        conditions and success: the usual flow reaches what it looks for along them)."""
        if not isinstance(start, str) or start not in self.actions:
            return not wanted
        successors = self._successors
        missing = wanted - {start}
        seen = {start}
        stack = [start]
        while missing and stack:
            for following in reversed(successors[stack.pop()]):
                if following not in seen:
                    seen.add(following)
                    missing.discard(following)
                    stack.append(following)
        return not missing

    def may_reach_without(self, target: str, setters: Collection[str]) -> bool:
        """True if some path start -> ``target`` never takes the success (NextAction) branch of one
        of ``setters``: the value those blocks set may be missing when ``target`` runs."""
        start = self.flow.start_action
        actions = self.actions
        if not isinstance(start, str) or start not in actions:
            return False
        seen = {start}
        stack = [start]
        while stack:
            node = stack.pop()
            if node == target:
                return True
            following_nodes = self._successors[node]
            if node in setters:
                # Without the success branch (the same block may still be reached by another branch).
                following_nodes = list(following_nodes)
                success = actions[node].transitions.next_action
                if success in following_nodes:
                    following_nodes.remove(success)
            for following in following_nodes:
                if following not in seen:
                    seen.add(following)
                    stack.append(following)
        return False


def all_targets(action: Action) -> list[object]:
    """Every NextAction value in the action's transitions, including non-string garbage."""
    t = action.transitions
    values: list[object] = []
    if t.next_action is not None:
        values.append(t.next_action)
    values += [e.next_action for e in t.errors or [] if e.next_action is not None]
    values += [c.next_action for c in t.conditions or [] if c.next_action is not None]
    return values


def follow_next(graph: FlowGraph, start: str | None, hops: int = 6) -> list[str]:
    """The chain of NextAction (success) targets from ``start``, at most ``hops`` long."""
    chain: list[str] = []
    current = start
    while isinstance(current, str) and current in graph.actions and len(chain) < hops and current not in chain:
        chain.append(current)
        current = graph.actions[current].transitions.next_action
    return chain
