"""A command's record of the files it wrote into an output folder, so a re-run replaces its own files and never a user's.

The record is a small JSON list beside the files (one name per command). Before writing, the command asks which
of its target paths already hold a file it did not write; it refuses those unless told to replace them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


def written_before(out: Path, manifest: str) -> set[str]:
    try:
        listed = json.loads((out / manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(name) for name in listed} if isinstance(listed, list) else set()


def foreign_files(out: Path, targets: Iterable[Path], manifest: str) -> list[Path]:
    """The target paths that hold a file an earlier run of the command did not write (a user's own)."""
    ours = written_before(out, manifest)
    return [path for path in targets if path.exists() and path.relative_to(out).as_posix() not in ours]


def refusal(out: Path, foreign: list[Path], option: str = "--out") -> str:
    more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
    return (f"{option} {out}: {foreign[0]}{more} was not written by this command; give another {option}, "
            "or --force to replace it")


def record(out: Path, files: Iterable[Path], manifest: str) -> None:
    names = sorted({p.relative_to(out).as_posix() for p in files} | written_before(out, manifest))
    (out / manifest).write_text(json.dumps(names, indent=1) + "\n", encoding="utf-8")
