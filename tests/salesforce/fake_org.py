"""A small org for tests: simple-salesforce's real HTTP calls answered by `responses` from tables of records,
and CumulusCI's Metadata API deploys (SOAP) answered after checking every deployed file against the Metadata
API schema (a file the schema refuses fails the deploy, as the org would).

SOQL is answered by the object after FROM (and the equality filters of a WHERE clause joined by AND), in
pages of ``page_size`` records with ``nextRecordsUrl``, as the REST API pages; sObject inserts and updates
are recorded so tests can assert what was written (and that a re-run writes nothing).
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import responses
from simple_salesforce import Salesforce

INSTANCE_URL = "https://example.my.salesforce.com"
API = "62.0"
_SELECT = re.compile(r"^SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<object>\w+)(?:\s+WHERE\s+(?P<where>.+))?$", re.I | re.S)
_EQUALS = re.compile(r"(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'")


class FakeOrg:
    def __init__(self, mock: responses.RequestsMock, page_size: int = 2000) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.queries: list[str] = []
        self.inserts: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[tuple[str, str, dict[str, Any]]] = []
        self.page_size = page_size
        self._pages: dict[str, list[dict[str, Any]]] = {}
        base = f"{INSTANCE_URL}/services/data/v{API}"
        mock.add_callback(responses.GET, re.compile(re.escape(base) + r"/query/?\?.*"), callback=self._query)
        mock.add_callback(responses.GET, re.compile(re.escape(base) + r"/query/page-\d+"), callback=self._next_page)
        mock.add_callback(responses.POST, re.compile(re.escape(base) + r"/sobjects/\w+/"), callback=self._insert)
        mock.add_callback(responses.PATCH, re.compile(re.escape(base) + r"/sobjects/\w+/\w+"), callback=self._update)
        mock.add_callback(responses.POST, re.compile(r"https://[^/]+/services/Soap/m/[0-9.]+/\w+"), callback=self._metadata)
        mock.add_callback(responses.GET, re.compile(re.escape(base) + r"/named-credentials/external-credentials/\w+"),
                          callback=self._external_credential)
        self.external_credentials: dict[str, list[dict[str, str]]] = {}  # name -> principals (Connect REST API shape)
        self.deploys: list[dict[str, bytes]] = []  # each deploy's files, by path inside the package
        self.on_deploy: list[Any] = []  # callables given each deploy's files: what the deploy makes in the org
        self.sf = Salesforce(instance_url=INSTANCE_URL, session_id="00Dx!session", version=API)

    def add(self, sobject: str, **fields: Any) -> dict[str, Any]:
        record = {"attributes": {"type": sobject}, **fields}
        self.tables[sobject].append(record)
        return record

    def _query(self, request: Any) -> tuple[int, dict[str, str], str]:
        soql = parse_qs(urlparse(request.url).query)["q"][0]
        self.queries.append(soql)
        match = _SELECT.match(soql.strip())
        if not match:
            return 400, {}, json.dumps([{"errorCode": "MALFORMED_QUERY", "message": soql}])
        filters = dict(_EQUALS.findall(match["where"] or ""))
        rows = [r for r in self.tables.get(match["object"], []) if all(str(r.get(k)) == v for k, v in filters.items())]
        return self._page(rows)

    def _page(self, rows: list[dict[str, Any]]) -> tuple[int, dict[str, str], str]:
        page, rest = rows[: self.page_size], rows[self.page_size :]
        body: dict[str, Any] = {"totalSize": len(rows), "done": not rest, "records": page}
        if rest:
            key = f"page-{len(self._pages)}"
            self._pages[key] = rest
            body["nextRecordsUrl"] = f"/services/data/v{API}/query/{key}"
        return 200, {}, json.dumps(body)

    def _next_page(self, request: Any) -> tuple[int, dict[str, str], str]:
        return self._page(self._pages.pop(urlparse(request.url).path.rsplit("/", 1)[-1]))

    def _insert(self, request: Any) -> tuple[int, dict[str, str], str]:
        sobject = urlparse(request.url).path.rstrip("/").rsplit("/", 1)[-1]
        fields = json.loads(request.body)
        record_id = f"0{len(self.inserts):017d}"
        self.inserts.append((sobject, fields))
        self.add(sobject, Id=record_id, **fields)
        return 201, {}, json.dumps({"id": record_id, "success": True, "errors": []})

    def _update(self, request: Any) -> tuple[int, dict[str, str], str]:
        parts = urlparse(request.url).path.rstrip("/").rsplit("/", 2)
        sobject, record_id = parts[-2], parts[-1]
        fields = json.loads(request.body)
        self.updates.append((sobject, record_id, fields))
        for row in self.tables.get(sobject, []):
            if row.get("Id") == record_id:
                row.update(fields)
        return 204, {}, ""

    def _external_credential(self, request: Any) -> tuple[int, dict[str, str], str]:
        name = urlparse(request.url).path.rsplit("/", 1)[-1]
        if name not in self.external_credentials:
            return 404, {}, json.dumps([{"errorCode": "NOT_FOUND", "message": f"No external credential {name}"}])
        return 200, {}, json.dumps({"developerName": name, "principals": self.external_credentials[name]})

    # -- the Metadata API: deploy and checkDeployStatus ----------------------------------------------

    def _metadata(self, request: Any) -> tuple[int, dict[str, str], str]:
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        if "<deploy " in body:
            zipped = re.search(r"<ZipFile>(.*?)</ZipFile>", body, re.S)
            assert zipped is not None, "a deploy without a ZipFile"
            self._last_deploy_problems = self._deploy(base64.b64decode(zipped.group(1)))
            return 200, {}, _soap("<deployResponse><result><id>0Af000000000001AAA</id><done>false</done></result></deployResponse>")
        if "<checkDeployStatus" in body:
            problems = getattr(self, "_last_deploy_problems", [])
            failures = "".join(
                f"<componentFailures><componentType>{html.escape(f.split('/')[0])}</componentType><created>false</created>"
                f"<deleted>false</deleted><fileName>{html.escape(f)}</fileName><problem>{html.escape(m)}</problem>"
                "<problemType>Error</problemType></componentFailures>" for f, m in problems)
            status = "Failed" if problems else "Succeeded"
            return 200, {}, _soap(f"<checkDeployStatusResponse><result><done>true</done><status>{status}</status>"
                                  f"<success>{str(not problems).lower()}</success><details>{failures}</details>"
                                  "</result></checkDeployStatusResponse>")
        return 500, {}, "unexpected Metadata API call"

    def _deploy(self, package: bytes) -> list[tuple[str, str]]:
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
        if not problems:
            for hook in self.on_deploy:
                hook(files)
        return problems


def _soap(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>')
