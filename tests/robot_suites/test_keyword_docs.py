"""Every keyword of robot/SCCAC/resources is documented with an example, and robot_libdoc documents every keyword file.

Read the way libdoc reads them (robot.libdoc), so what is checked here is what the generated
robot/SCCAC/doc/Keywords.html shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from robot.libdoc import LibraryDocumentation

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "robot" / "SCCAC" / "resources"
_LIBRARY_IMPORT = re.compile(r"^Library\s{2,}(\S+\.py)\b", re.M)


def keyword_files() -> list[Path]:
    """The .resource files with keywords, and the Python libraries any suite or resource imports from resources/."""
    files = {p for p in RESOURCES.glob("*.resource") if "*** Keywords ***" in p.read_text(encoding="utf-8")}
    for user in [*RESOURCES.glob("*.resource"), *(ROOT / "robot").rglob("*.robot")]:
        for library in _LIBRARY_IMPORT.findall(user.read_text(encoding="utf-8")):
            path = (user.parent / library).resolve()
            if path.parent == RESOURCES:
                files.add(path)
    return sorted(files)


def undocumented(path: Path) -> list[str]:
    """Keywords of ``path`` without documentation or without an example that uses the keyword."""
    problems = []
    for kw in LibraryDocumentation(str(path)).keywords:
        doc = kw.doc or ""
        if not doc.strip():
            problems.append(f"{path.name}: {kw.name}: no documentation")
        elif "Example" not in doc or not re.search(rf"\|\s*{re.escape(kw.name)}\s*\|", doc, re.I):
            problems.append(f"{path.name}: {kw.name}: no example using it (add 'Example: | {kw.name} | ... |')")
    return problems


def test_the_keyword_files_are_found():
    names = {p.name for p in keyword_files()}
    assert {"ContactCenter.py", "OmniWidget.resource"} <= names


@pytest.mark.parametrize("path", keyword_files(), ids=lambda p: p.name)
def test_every_keyword_has_documentation_with_an_example(path):
    assert LibraryDocumentation(str(path)).keywords, f"{path.name} has no keywords"
    assert undocumented(path) == []


def test_a_keyword_without_documentation_or_example_is_reported(tmp_path):
    resource = tmp_path / "Bad.resource"
    resource.write_text("*** Keywords ***\nNo Doc\n    No Operation\n\nNo Example\n    [Documentation]    Does nothing.\n"
                        "    No Operation\n\nGood\n    [Documentation]    Does nothing.\n    ...\n    ...    Example: | Good |\n"
                        "    No Operation\n", encoding="utf-8")
    assert undocumented(resource) == ["Bad.resource: No Doc: no documentation",
                                      "Bad.resource: No Example: no example using it (add 'Example: | No Example | ... |')"]


def test_robot_libdoc_in_cumulusci_yml_documents_every_keyword_file():
    options = yaml.safe_load((ROOT / "cumulusci.yml").read_text(encoding="utf-8"))["tasks"]["robot_libdoc"]["options"]
    configured = {(ROOT / p.strip()).resolve() for p in options["path"].split(",")}
    assert set(keyword_files()) <= configured
    assert options["output"].startswith("robot/SCCAC/doc/")
