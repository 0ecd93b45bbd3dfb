"""The org's state and what it does with a request, without HTTP: record tables answering SOQL by the object
after FROM and the equality filters of a WHERE clause joined by AND; recorded inserts, updates and deletes (so
tests can assert what was written, and that a re-run writes nothing); External Credentials' principals (the Connect
REST API shape); and Metadata API deploys checked file by file against the Metadata API schema."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.salesforce.fake_org.exceptions import MalformedQuery, NotFound

SELECT = re.compile(r"^SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<object>\w+)(?:\s+WHERE\s+(?P<where>.+))?$", re.I | re.S)
_EQUALS = re.compile(r"(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'")


class OrgBackend:
    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.queries: list[str] = []
        self.inserts: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[tuple[str, str, dict[str, Any]]] = []
        self.deletes: list[tuple[str, str]] = []
        self.external_credentials: dict[str, list[dict[str, str]]] = {}  # name -> principals
        self.deploys: list[dict[str, bytes]] = []  # each deploy's files, by path inside the package
        self.on_deploy: list[Callable[[dict[str, bytes]], Any]] = []  # what a deploy makes in the org
        self.last_deploy_problems: list[tuple[str, str]] = []  # what checkDeployStatus reports

    def add(self, sobject: str, **fields: Any) -> dict[str, Any]:
        record = {"attributes": {"type": sobject}, **fields}
        self.tables[sobject].append(record)
        return record

    def select(self, soql: str) -> list[dict[str, Any]]:
        self.queries.append(soql)
        match = SELECT.match(soql.strip())
        if not match:
            raise MalformedQuery(soql)
        filters = dict(_EQUALS.findall(match["where"] or ""))
        return [r for r in self.tables.get(match["object"], []) if all(str(r.get(k)) == v for k, v in filters.items())]

    def insert(self, sobject: str, fields: dict[str, Any]) -> str:
        record_id = f"0{len(self.inserts):017d}"
        self.inserts.append((sobject, fields))
        self.add(sobject, Id=record_id, **fields)
        return record_id

    def update(self, sobject: str, record_id: str, fields: dict[str, Any]) -> None:
        self.updates.append((sobject, record_id, fields))
        for row in self.tables.get(sobject, []):
            if row.get("Id") == record_id:
                row.update(fields)

    def delete(self, sobject: str, record_id: str) -> None:
        self.deletes.append((sobject, record_id))
        self.tables[sobject] = [r for r in self.tables.get(sobject, []) if r.get("Id") != record_id]

    def external_credential(self, name: str) -> dict[str, Any]:
        if name not in self.external_credentials:
            raise NotFound(f"No external credential {name}")
        return {"developerName": name, "principals": self.external_credentials[name]}

    def deploy(self, package: bytes) -> list[tuple[str, str]]:
        """(file, problem) for every file the Metadata API schema refuses; a clean deploy runs the on_deploy hooks."""
        from sccac.checks.schema import validate_file

        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            files = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
        problems = []
        with tempfile.TemporaryDirectory() as folder:
            for name, data in files.items():
                if name == "package.xml":
                    continue
                path = Path(folder) / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                problems += [(name, str(finding)) for finding in validate_file(path)]
        self.deploys.append(files)
        self.last_deploy_problems = problems
        if not problems:
            for hook in self.on_deploy:
                hook(files)
        return problems
