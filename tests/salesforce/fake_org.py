"""A small org for tests: simple-salesforce's real HTTP calls answered by `responses` from tables of records.

SOQL is answered by the object after FROM (and the equality filters of a WHERE clause joined by AND), in
pages of ``page_size`` records with ``nextRecordsUrl``, as the REST API pages; sObject inserts and updates
are recorded so tests can assert what was written (and that a re-run writes nothing).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
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
