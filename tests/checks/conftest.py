"""A throw-away SFDX project per test, so each check can be shown to fail on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CLASS_META = """<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>63.0</apiVersion>
    <status>Active</status>
</ApexClass>
"""


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.classes = root / "force-app" / "main" / "default" / "classes"
        self.classes.mkdir(parents=True)
        (root / "sfdx-project.json").write_text(
            json.dumps({"packageDirectories": [{"path": "force-app", "default": True}], "sourceApiVersion": "63.0"})
        )
        # The checks find the Node tools relative to the project root.
        (root / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)

    def add_class(self, name: str, body: str, meta: str | None = CLASS_META) -> Path:
        path = self.classes / f"{name}.cls"
        path.write_text(body)
        if meta is not None:
            (self.classes / f"{name}.cls-meta.xml").write_text(meta)
        return path

    def add_file(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "proj")

