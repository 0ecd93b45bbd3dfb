"""The wiring's output document: what `sccac connect apply` and the wire_connect task write for the Salesforce side
(queue ARNs, flow ids, agents), and what the mapping, routing and agent tasks read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sccac.connect.errors import ConnectUsageError

DEFAULT_WIRING_DOCUMENT = Path("out/connect/wiring.json")


def read_wiring_document(path: Path) -> dict[str, Any]:
    """The document at ``path``; a :class:`ConnectUsageError` naming the file when it cannot be used."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConnectUsageError(f"{path}: cannot read the Connect wiring's output ({exc}); run wire_connect again") from None
    if not isinstance(document, dict):
        raise ConnectUsageError(f"{path}: not the Connect wiring's output (a JSON object); run wire_connect again")
    return document
