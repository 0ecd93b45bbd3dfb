"""The files `sccac demo` writes under --out, and its record of them (see sccac.written)."""

from __future__ import annotations

from pathlib import Path

from sccac.flows.builders import FlowKind

MANIFEST = ".sccac-demo-files"


def demo_targets(out: Path) -> list[Path]:
    """Every file the demo may write under ``out``."""
    files = [out / "traces.json"]
    for kind in FlowKind:
        files += [out / "flows" / f"{kind.value}.json", out / "diagrams" / f"{kind.value}.mmd",
                  out / "diagrams" / f"{kind.value}.svg"]
    return files
