"""The output folder of `sccac salesforce render`: replace what an earlier render wrote, nothing else.

The rendered ``package.xml`` starts with a comment naming the render and every file it wrote: the
manifest. A re-render of the same kind removes exactly those files. A folder that is not empty and
holds no manifest of the same render (``force-app/main/default``, a folder holding another render)
is refused unless forced, and so is writing over a file no render wrote. Each render is written in
full into a staging folder beside the target first, so a failed render leaves the previous one as
it was; a new folder appears at once (one rename), an existing one gets each file replaced in turn.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sccac.errors import SccacUsageError

#: First words of the manifest comment in a rendered package.xml.
MANIFEST_MARK = "Written by sccac salesforce render"
PACKAGE_XML = "package.xml"
#: Folders a render writes into; a manifest naming any other path is not trusted.
RENDERED_FOLDERS = frozenset(
    {
        "messagingChannels",
        "objects",
        "ConversationVendorInformation",
        "conversationChannelDefinitions",
        "externalCredentials",
        "namedCredentials",
        "permissionsets",
        "permissionsetgroups",
        "customMetadata",
        "connectedApps",
    }
)
_MANIFEST_RE = re.compile(r"<!--\s*" + re.escape(MANIFEST_MARK) + r" (?P<kind>[a-z][a-z-]*)\b[^\n]*\n(?P<files>.*?)-->", re.S)
_ENTRY_RE = re.compile(r"^(?P<folder>[A-Za-z]+)/(?P<name>[A-Za-z0-9_][A-Za-z0-9_.]*)$")
_MAX_PACKAGE_XML_BYTES = 1024 * 1024


class RenderTargetError(SccacUsageError, ValueError):
    """The output folder cannot take this render without losing files the render did not write."""


@dataclass(frozen=True)
class Manifest:
    kind: str
    files: frozenset[str]  # relative POSIX paths, package.xml included


@dataclass(frozen=True)
class Target:
    """Where a render goes, and which of the files there an earlier render of the same kind wrote."""

    directory: Path
    kind: str
    force: bool
    previous: frozenset[str]


def manifest_comment(kind: str, files: Sequence[str]) -> str:
    """The comment that starts a rendered package.xml (every name is a developer name: never ``--``)."""
    if any("--" in f or not _ENTRY_RE.match(f) for f in files):
        raise ValueError(f"render file names must be <folder>/<developer name>.<suffix>: {list(files)}")
    lines = [f"<!-- {MANIFEST_MARK} {kind}. A re-render replaces these files (and this package.xml), nothing else:"]
    lines += [f"     {f}" for f in files]
    return "\n".join(lines) + "\n-->"


def read_manifest(directory: Path) -> Manifest | None:
    """The manifest of the render in ``directory``; None when its package.xml has none (or cannot be read)."""
    path = directory / PACKAGE_XML
    try:
        with open(path, "rb") as handle:
            text = handle.read(_MAX_PACKAGE_XML_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    match = _MANIFEST_RE.search(text)
    if match is None:
        return None
    files = {line.strip() for line in match.group("files").splitlines() if line.strip()}
    for entry in files:
        found = _ENTRY_RE.match(entry)
        # A hand-edited manifest must never make a re-render delete something outside the render's folders.
        if found is None or found.group("folder") not in RENDERED_FOLDERS:
            raise RenderTargetError(
                f"{path} lists {entry!r} among the rendered files, which no render writes: restore the file "
                "from a render, or choose another --out"
            )
    return Manifest(match.group("kind"), frozenset(files | {PACKAGE_XML}))


def inspect_target(directory: Path, kind: str, force: bool = False) -> Target:
    """Decide, before anything is written, which files a render of ``kind`` into ``directory`` may replace."""
    if directory.exists() and not directory.is_dir():
        raise RenderTargetError(f"--out {directory} is a file; give a folder for the render")
    if not directory.exists():
        return Target(directory, kind, force, frozenset())
    manifest = read_manifest(directory)
    if manifest is not None and manifest.kind == kind:
        return Target(directory, kind, force, manifest.files)
    if force or not any(directory.iterdir()):
        return Target(directory, kind, force, frozenset())
    if manifest is not None:
        raise RenderTargetError(
            f"--out {directory} holds a `sccac salesforce render {manifest.kind}` render; rendering {kind} there "
            f"would replace its package.xml. Choose another folder (or pass --force to write over it)"
        )
    raise RenderTargetError(
        f"--out {directory} is not empty and no `sccac salesforce render {kind}` wrote it (its package.xml has no "
        "render manifest). Choose a new or empty folder, or pass --force to write the render's files into it "
        "(files of the same name are replaced, nothing else is removed)"
    )


@contextmanager
def staging(target: Target) -> Iterator[Path]:
    """A fresh folder beside the target (same file system, so files move by rename); removed afterwards."""
    beside = target.directory.absolute()  # "--out ." has no name and no parent of its own
    beside.parent.mkdir(parents=True, exist_ok=True)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{beside.name or 'render'}.render-", dir=beside.parent))
    except PermissionError:
        if not beside.is_dir():
            raise
        # A writable --out in a read-only folder: stage inside it (still one file system, still a rename per file).
        stage = Path(tempfile.mkdtemp(prefix=".render-", dir=beside))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def install(stage: Path, target: Target, files: Sequence[str]) -> list[str]:
    """Move the staged ``files`` (relative paths, package.xml last) into the target; remove the files of
    the previous render that this one no longer writes. Returns the files replaced that no render wrote."""
    replaced = _conflicts(target, files)
    if replaced and not target.force:
        shown = ", ".join(replaced[:5]) + (f" and {len(replaced) - 5} more" if len(replaced) > 5 else "")
        raise RenderTargetError(
            f"--out {target.directory} already has {shown}, not written by an earlier render; "
            "move it away or pass --force to replace it"
        )
    if not target.directory.exists():
        os.chmod(stage, 0o777 & ~_umask())  # mkdtemp made it private; a new folder gets the usual mode
        os.rename(stage, target.directory)  # the whole render appears at once
        return []
    for relative in files:
        destination = target.directory / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / relative, destination)
    for relative in sorted(target.previous - set(files)):
        stale = target.directory / relative
        if stale.is_file() or stale.is_symlink():
            stale.unlink()
        _remove_if_empty(stale.parent, target.directory)
    return replaced


def _conflicts(target: Target, files: Sequence[str]) -> list[str]:
    """Files the render would write over that the previous render did not write (and paths it cannot use)."""
    conflicts = []
    for relative in files:
        destination = target.directory / relative
        parent = destination.parent
        if parent.exists() and not parent.is_dir():
            raise RenderTargetError(f"--out {target.directory}: {parent} is a file where the render needs a folder")
        if destination.is_dir():
            raise RenderTargetError(f"--out {target.directory}: {destination} is a folder where the render writes a file")
        if destination.exists() and relative not in target.previous:
            conflicts.append(relative)
    return conflicts


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_if_empty(folder: Path, root: Path) -> None:
    if folder.parent == root and folder.name in RENDERED_FOLDERS and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
