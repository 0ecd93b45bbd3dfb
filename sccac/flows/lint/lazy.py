"""``cached_property`` without the lock Python 3.11's takes on every first access (3.12 dropped it).

Lint builds a fresh context for every flow and reads each shared fact once, so that lock was a
few percent of lint's time; a context is never shared between threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801  (named as the functools one it replaces)
    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.attrname = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attrname = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        # Stored on the instance: later reads find it there and never reach this descriptor. Set as
        # an attribute, not through instance.__dict__: asking for __dict__ turns the instance's inline
        # values into a dict, and every later read of any of its attributes (ctx.flow, ctx.graph, ...)
        # is then slower (Python 3.11; 2% of lint's instructions).
        value = self.func(instance)
        setattr(instance, self.attrname, value)
        return value
