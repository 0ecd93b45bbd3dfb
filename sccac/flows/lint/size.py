"""The flow's content size as Connect counts it, without serialising the flow when it is clearly small.

Serialising a flow (``Flow.to_json(indent=None)``) took a quarter of lint's time, only to learn
that a flow of a few kilobytes is far below Connect's 256,000-character limit. ``upper_bound``
answers that question from a ``marshal`` dump of the flow's raw values (a single C call): a
value's compact JSON is never longer than six times its marshal bytes (see ``_FACTOR``). Only a
flow whose bound passes the limit is serialised, so the size reported is always the exact one.

A flow read from JSON text has a cheaper bound still, from the text's length (see ``text_bound``):
no dump at all.
"""

from __future__ import annotations

import marshal
from typing import Any

from sccac.flows.model import Flow

# Compact JSON (ensure_ascii=False) against marshal version 2 (no back-references, so a repeated
# string is counted each time, as JSON repeats it), value by value:
#   str: JSON 2 quotes + at most 6 characters a character (a control character as \u00XX);
#        marshal 5 bytes + at least 1 byte a character (UTF-8).
#   int, float: marshal 5 bytes (a float 9) for at most 11 (24) JSON characters; a long int
#        2 bytes for each 15 bits, which JSON writes in under 5 digits.
#   None, True, False: marshal 1 byte, JSON at most 5 characters.
#   dict, list, tuple: JSON 2 brackets + 1 colon and 1 comma an item; marshal 1-5 bytes of
#        header and at least 1 byte an item, and each item's own surplus covers its punctuation
#        (and the quotes JSON adds around a non-string key, at most three of which a dict can have).
# So six times the marshal size bounds the JSON size, whatever the values.
_FACTOR = 6
# The key names Flow.to_dict adds around the raw values ("Identifier", "Transitions",
# "NextAction", "Condition": {"Operator": ...}, ...), generously counted per object.
_PER_FLOW = 200
_PER_ACTION = 120
_PER_BRANCH = 80


# Compact JSON of a flow read from JSON text, against that text, character by character: a string
# is written with no more characters than the text gave it (ensure_ascii=False, the same or
# shorter escapes); a number at most 4.5 times ("1e15" is 1000000000000000.0); whitespace, repeated keys and
# the wrapper around a DescribeContactFlow Content are dropped. The one larger case is a Version
# that is not a string: the model keeps str() of it, where a character Python prints as
# \U000XXXXX takes 11 characters. Twelve times the text bounds every case; the key names the
# model adds for absent keys (an empty "Identifier", "ErrorType", "Condition") are the per-object
# allowances above.
_TEXT_FACTOR = 12


def text_bound(flow: Flow, text_chars: int, branches: int | None = None) -> int:
    """At least the length of ``flow.to_json(indent=None)`` for a flow read from JSON text of ``text_chars`` characters.

    ``branches``: the flow's error and condition branches, or any larger count (lint has counted
    every branch already); counted here when None.
    """
    if branches is None:
        branches = 0
        for action in flow.actions:
            transitions = action.transitions
            branches += len(transitions.errors or ()) + len(transitions.conditions or ())
    return _TEXT_FACTOR * text_chars + _PER_FLOW + _PER_ACTION * len(flow.actions) + _PER_BRANCH * branches


def upper_bound(flow: Flow) -> int | None:
    """At least the length of ``flow.to_json(indent=None)``; None for values marshal cannot dump."""
    raw: list[Any] = [flow.version, flow.start_action, flow.metadata, flow.settings, flow.extra]
    branches = 0
    for action in flow.actions:
        transitions = action.transitions
        errors = transitions.errors or ()
        conditions = transitions.conditions or ()
        branches += len(errors) + len(conditions)
        # dict(): an extra read without unknown keys is a shared read-only mapping, which marshal refuses.
        raw += (action.identifier, action.type, action.parameters, action.extra, transitions.next_action, dict(transitions.extra))
        raw.extend((branch.error_type, branch.next_action, dict(branch.extra)) for branch in errors)
        raw.extend((branch.operator, branch.operands, branch.next_action, dict(branch.extra)) for branch in conditions)
    try:
        dumped = marshal.dumps(raw, 2)
    except (ValueError, TypeError, RecursionError):  # a value JSON may still write (or refuse): measure it
        return None
    return _FACTOR * len(dumped) + _PER_FLOW + _PER_ACTION * len(flow.actions) + _PER_BRANCH * branches


def exact(flow: Flow) -> int:
    """The length of the compact JSON Connect stores."""
    return len(flow.to_json(indent=None))


def over_limit(flow: Flow, limit: int, text_chars: int | None = None, branches: int | None = None) -> int | None:
    """The exact content size when it is above ``limit``, else None (serialises only near the limit).

    ``text_chars``: the length of the JSON text the flow was read from, unchanged since (a bound without the dump);
    ``branches``: as for :func:`text_bound`.
    """
    if text_chars is not None and text_bound(flow, text_chars, branches) <= limit:
        return None
    bound = upper_bound(flow)
    if bound is not None and bound <= limit:
        return None
    size = exact(flow)
    return size if size > limit else None
