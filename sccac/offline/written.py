"""The demo's record of what it wrote into --out, so a re-run replaces its own files and never a user's."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from sccac.flows.builders import FlowKind

MANIFEST = ".sccac-demo-files.json"


def demo_targets(out: Path) -> list[Path]:
    """Every file the demo may write under ``out``."""
    files = [out / "traces.json"]
    for kind in FlowKind:
        files += [out / "flows" / f"{kind.value}.json", out / "diagrams" / f"{kind.value}.mmd",
                  out / "diagrams" / f"{kind.value}.svg"]
    return files


def written_before(out: Path) -> set[str]:
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(name) for name in listed} if isinstance(listed, list) else set()


def foreign_files(out: Path) -> list[Path]:
    """Files at the demo's target paths that an earlier demo run did not write (a user's own)."""
    ours = written_before(out)
    return [path for path in demo_targets(out) if path.exists() and path.relative_to(out).as_posix() not in ours]


def record(out: Path, files: Iterable[Path]) -> None:
    names = sorted({p.relative_to(out).as_posix() for p in files} | written_before(out))
    (out / MANIFEST).write_text(json.dumps(names, indent=1) + "\n", encoding="utf-8")
