"""Text from a flow or scenario made safe to print on one terminal line.

A flow is input from anywhere: an Identifier holding ``\\x1b[2J`` would clear the screen, one holding
a newline would print a fake report line, a bidi override would reorder what the reader sees,
and a lone surrogate cannot be encoded at all. Each is shown as its escape code instead.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the bidi embedding/override/isolate characters, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control, bidi and surrogate character replaced by its escape code."""
    return _UNSAFE.sub(_escape, text)


def printable_lines(lines: list[str]) -> str:
    """Lines joined by newlines, each made printable first (so no value can start a line of its own)."""
    return "\n".join(printable(line) for line in lines)
