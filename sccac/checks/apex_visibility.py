"""Catch what the Apex language server lets through: a class using another class's private static member.

apex-ls does not check member visibility, so `Other.helper()` on a private (or @TestVisible private)
static method type-checks here and then fails to compile in the org ("Method is not visible").
Apex members without an access modifier are private too. Test classes may use @TestVisible members,
so only non-test callers are checked. The check reads the source text (comments and strings
removed); it looks at qualified static access (`Class.member`), the form a private static member
is used from outside its class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sccac.checks.results import CheckResult, Problem

_COMMENTS_AND_STRINGS = re.compile(r"/\*.*?\*/|//[^\n]*|'(?:\\.|[^'\\])*'", re.DOTALL)
_TEST_CLASS = re.compile(r"@istest\b[^{;]*?\bclass\b", re.IGNORECASE)
_STATIC_MEMBER = re.compile(
    r"(?P<mods>(?:@\w+\s+)*(?:(?:private|public|global|protected|static|final|transient|override|virtual)\s+)+)"
    r"(?P<type>[\w.<>,\[\]\s]+?)\s+(?P<name>\w+)\s*(?:\(|=|;)",
    re.IGNORECASE,
)


def _blank(match: re.Match[str]) -> str:
    # Keep newlines so line numbers stay right.
    return re.sub(r"[^\n]", " ", match.group(0))


def _code(path: Path) -> str:
    return _COMMENTS_AND_STRINGS.sub(_blank, path.read_text(encoding="utf-8"))


def private_statics(code: str) -> set[str]:
    names = set()
    for match in _STATIC_MEMBER.finditer(code):
        mods = match.group("mods").lower().split()
        if "static" in mods and not {"public", "global", "protected"} & set(mods):
            names.add(match.group("name"))
    return names


def _read_all(files: list[Path], result: CheckResult) -> dict[Path, str]:
    """Source of every readable file; a file that cannot be read is a problem of its own."""
    sources = {}
    for path in files:
        try:
            sources[path] = _code(path)
        except (OSError, UnicodeDecodeError) as exc:
            reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or str(exc))
            result.problems.append(Problem(str(path), f"cannot read the Apex source ({reason})", rule="apex-visibility"))
    return sources


def check_visibility(files: Iterable[Path]) -> CheckResult:
    paths = [f for f in files if f.suffix in (".cls", ".trigger")]
    result = CheckResult("Apex visibility (private static members used across classes)")
    sources = _read_all(paths, result)
    result.checked = len(sources)
    classes = {path.stem: path for path in sources if path.suffix == ".cls"}
    private = {name: private_statics(sources[path]) for name, path in classes.items()}
    for path, code in sources.items():
        if _TEST_CLASS.search(code):
            continue
        for owner, members in private.items():
            if owner == path.stem or not members:
                continue
            for match in re.finditer(rf"\b{re.escape(owner)}\s*\.\s*(\w+)\b", code):
                if match.group(1) in members:
                    line = code.count("\n", 0, match.start()) + 1
                    result.problems.append(
                        Problem(str(path), f"{owner}.{match.group(1)} is private to {owner} (members without an access "
                                f"modifier are private; @TestVisible opens them to tests only): make it public or "
                                f"move the call into {owner}", line, "apex-visibility")
                    )
    return result
