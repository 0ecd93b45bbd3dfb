"""The Robot keyword library's Python modules live in robot/SCCAC/resources (CumulusCI's layout)."""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "robot" / "SCCAC" / "resources"
if str(RESOURCES) not in sys.path:
    sys.path.insert(0, str(RESOURCES))
