"""Keep credentials and oversize values out of exceptions and logs.

A server's error text can quote what it was sent: the ``Authorization`` header, the signed
JWT assertion, an access token. ``quote`` makes such text safe to put in an error message
(known secrets and credential-shaped strings replaced, control characters escaped, length
capped); ``redact`` is the lighter pass every error message and log line gets; ``clip`` caps
an id that came from outside (a ContactId, an id in an answer) before it is logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[redacted]"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Credential shapes, most specific first. Each keeps the label (so the reader sees what was
# there) and drops the value.
_CREDENTIALS: tuple[tuple[re.Pattern[str], str], ...] = (
    # PEM blocks (a private key), also when cut short.
    (re.compile(r"-----BEGIN [A-Z ]*-----.*?(?:-----END [A-Z ]*-----|\Z)", re.S), "[redacted key]"),
    # "Bearer <token>", as in an echoed Authorization header.
    (re.compile(r"(?i)\b(bearer)\s+[^\s\"',;}]+"), rf"\1 {REDACTED}"),
    # A JWT (the assertion, a JWT access token), whole or cut short: base64url of '{"' is eyJ.
    (re.compile(r"eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){0,2}"), "[redacted jwt]"),
    # A Salesforce session id / access token: <15- or 18-character org Id>!<token>.
    (re.compile(r"\b00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?![^\s\"',;&}]+"), "[redacted token]"),
    # name=value or "name": "value" for names that hold credentials.
    (
        re.compile(
            r"(?i)\b(assertion|access_token|refresh_token|id_token|client_secret|password|authorization"
            r"|privatekey|private_key)(\"?\s*[:=]\s*\"?)[^\s\"&,;}]+"
        ),
        rf"\1\2{REDACTED}",
    ),
)
# In text a server sends back, any long run of token characters is treated as a credential:
# consumer keys (3MVG9..., ~85 characters), opaque tokens and base64 key material are all
# long runs, while ids worth reading (UUIDs, record Ids, ARNs) break into short segments.
_LONG_RUN = re.compile(r"[A-Za-z0-9+/=_.]{40,}")


def redact(text: str, known: Iterable[str | None] = ()) -> str:
    """``text`` with the ``known`` secret values and every credential-shaped string replaced."""
    for secret in known:
        # Short values (a username, "null") would redact ordinary words; the shapes catch the rest.
        if secret and len(secret) >= 8:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _CREDENTIALS:
        text = pattern.sub(replacement, text)
    return text


def quote(raw: object, limit: int = 200, known: Iterable[str | None] = ()) -> str:
    """Text a server sent, made safe for an error or a log line: redacted, escaped, clipped."""
    text = _LONG_RUN.sub(REDACTED, redact(str(raw), known))
    return clip(escape(text), limit)


def escape(text: str) -> str:
    """Control characters as \\uXXXX, so server text cannot forge log lines or hide content."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clip(text: str, limit: int = 64) -> str:
    """At most ``limit`` characters, saying how much was cut (an oversize id is never logged whole)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}...(+{len(text) - limit} characters)"
