"""The org's wire format: REST API requests (SOQL with ``nextRecordsUrl`` paging, sObject insert, update, delete,
External Credentials) and Metadata API SOAP (deploy, checkDeployStatus) read from `responses` requests and answered
in the shapes simple-salesforce and CumulusCI parse."""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.salesforce.fake_org.exceptions import SalesforceError
from tests.salesforce.fake_org.models import OrgBackend

API = "62.0"
Answer = tuple[int, dict[str, str], str]


def _path_tail(request: Any, parts: int) -> list[str]:
    return urlparse(request.url).path.rstrip("/").rsplit("/", parts)[1:]


class OrgResponses:
    def __init__(self, backend: OrgBackend, page_size: int) -> None:
        self.backend = backend
        self.page_size = page_size
        self._pages: dict[str, list[dict[str, Any]]] = {}

    def query(self, request: Any) -> Answer:
        soql = parse_qs(urlparse(request.url).query)["q"][0]
        try:
            return self._page(self.backend.select(soql))
        except SalesforceError as error:
            return error.status, {}, error.body()

    def next_page(self, request: Any) -> Answer:
        return self._page(self._pages.pop(_path_tail(request, 1)[0]))

    def _page(self, rows: list[dict[str, Any]]) -> Answer:
        page, rest = rows[: self.page_size], rows[self.page_size :]
        body: dict[str, Any] = {"totalSize": len(rows), "done": not rest, "records": page}
        if rest:
            key = f"page-{len(self._pages)}"
            self._pages[key] = rest
            body["nextRecordsUrl"] = f"/services/data/v{API}/query/{key}"
        return 200, {}, json.dumps(body)

    def insert(self, request: Any) -> Answer:
        (sobject,) = _path_tail(request, 1)
        record_id = self.backend.insert(sobject, json.loads(request.body))
        return 201, {}, json.dumps({"id": record_id, "success": True, "errors": []})

    def update(self, request: Any) -> Answer:
        sobject, record_id = _path_tail(request, 2)
        self.backend.update(sobject, record_id, json.loads(request.body))
        return 204, {}, ""

    def delete(self, request: Any) -> Answer:
        sobject, record_id = _path_tail(request, 2)
        self.backend.delete(sobject, record_id)
        return 204, {}, ""

    def external_credential(self, request: Any) -> Answer:
        try:
            return 200, {}, json.dumps(self.backend.external_credential(_path_tail(request, 1)[0]))
        except SalesforceError as error:
            return error.status, {}, error.body()

    def metadata(self, request: Any) -> Answer:
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        if "<deploy " in body:
            zipped = re.search(r"<ZipFile>(.*?)</ZipFile>", body, re.S)
            assert zipped is not None, "a deploy without a ZipFile"
            self.backend.deploy(base64.b64decode(zipped.group(1)))
            return 200, {}, _soap("<deployResponse><result><id>0Af000000000001AAA</id><done>false</done></result></deployResponse>")
        if "<checkDeployStatus" in body:
            return 200, {}, _soap(_deploy_status(self.backend.last_deploy_problems))
        return 500, {}, "unexpected Metadata API call"


def _deploy_status(problems: list[tuple[str, str]]) -> str:
    failures = "".join(
        f"<componentFailures><componentType>{html.escape(f.split('/')[0])}</componentType><created>false</created>"
        f"<deleted>false</deleted><fileName>{html.escape(f)}</fileName><problem>{html.escape(m)}</problem>"
        "<problemType>Error</problemType></componentFailures>" for f, m in problems)
    status = "Failed" if problems else "Succeeded"
    return (f"<checkDeployStatusResponse><result><done>true</done><status>{status}</status>"
            f"<success>{str(not problems).lower()}</success><details>{failures}</details></result></checkDeployStatusResponse>")


def _soap(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>')
