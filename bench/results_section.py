"""Rewrite one section of bench/RESULTS.md (its "## " heading up to the next one), keeping the rest."""

from __future__ import annotations

from pathlib import Path


def write_section(results: Path, heading: str, section: str) -> None:
    text = results.read_text(encoding="utf-8")
    start = text.index(heading)
    following = text.find("\n## ", start + len(heading))
    end = len(text) if following == -1 else following + 1
    results.write_text(text[:start] + section + ("\n" if following != -1 else "") + text[end:], encoding="utf-8")
