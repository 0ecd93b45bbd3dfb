"""Checks of the paths a command writes to, made before anything is written.

Shared by `sccac flows build|lint|diagram`, `sccac salesforce render` and `sccac demo`: a path that
cannot be written (a folder where a file goes, a file where a folder goes, a missing or read-only
folder, one of the command's own input files) is one clear line and exit code 2, never a traceback
halfway through the output.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import click

from sccac.errors import SccacUsageError
from sccac.flows.text import printable

EXIT_BAD_PATH = 2


class OutputPathError(SccacUsageError, ValueError):
    """An output path the command cannot (or must not) write; the message names it and the fix."""


def check_file_target(path: Path, option: str, inputs: Iterable[Path] = ()) -> None:
    """``path`` can be written as a file: not a folder, in an existing writable folder, not an input."""
    if path.is_dir():
        raise OutputPathError(f"{option} {path} is a folder; give the name of a file to write")
    for source in inputs:
        if _same_file(path, source):
            raise OutputPathError(
                f"{option} {path} is also an input file; writing there would overwrite it: choose another file name"
            )
    parent = path.parent
    if not parent.exists():
        raise OutputPathError(f"{option} {path}: the folder {parent} does not exist; create it first")
    if not parent.is_dir():
        raise OutputPathError(f"{option} {path}: {_first_file(parent)} is a file, not a folder")
    if not _writable(parent):
        raise OutputPathError(f"{option} {path}: cannot write in the folder {parent} (permission denied)")
    if path.exists() and not _writable(path):
        raise OutputPathError(f"{option} {path}: the file is read-only")


def check_folder_target(path: Path, option: str) -> None:
    """``path`` is, or can be created as, a writable folder (missing parents are created)."""
    if path.exists():
        if not path.is_dir():
            raise OutputPathError(f"{option} {path} is a file; give a folder to write into")
        if not _writable(path):
            raise OutputPathError(f"{option} {path}: cannot write in this folder (permission denied)")
        return
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputPathError(f"{option} {path}: {ancestor} is a file, not a folder")
    if not _writable(ancestor):
        raise OutputPathError(f"{option} {path}: cannot create it inside {ancestor} (permission denied)")


def write_failed(path: Path, exc: OSError) -> OutputPathError:
    """The error for a write that failed anyway (disk full, a race with another process)."""
    return OutputPathError(f"cannot write {path} ({exc.strerror or exc})")


def exit_with(error: Exception) -> NoReturn:
    """Print ``error: <message>`` on one line to standard error and exit with code 2."""
    click.echo(f"error: {printable(str(error))}", err=True)
    raise SystemExit(EXIT_BAD_PATH)


def _writable(path: Path) -> bool:
    """Can this process write the file, or create files in the folder (write and search permission)?"""
    return os.access(path, os.W_OK | os.X_OK) if path.is_dir() else os.access(path, os.W_OK)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.abspath(a) == os.path.abspath(b)


def _first_file(path: Path) -> Path:
    """The nearest ancestor of ``path`` that exists (a file, when the caller asks)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
