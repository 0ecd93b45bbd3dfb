"""A small org for tests, split as moto splits a service: ``models`` holds the records and what the org does with
them, ``responses`` the REST and Metadata API wire format, ``exceptions`` the org's refusals, and :class:`FakeOrg`
(here) routes simple-salesforce's and CumulusCI's real HTTP calls, intercepted by `responses`, to them.

SOQL is answered by the object after FROM (and the equality filters of a WHERE clause joined by AND), in pages of
``page_size`` records with ``nextRecordsUrl``; every deployed file is checked against the Metadata API schema (a file
the schema refuses fails the deploy, as the org would).
"""

from __future__ import annotations

import re
from typing import Any

# As an alias: importing the submodule `responses` below binds that name in this package.
import responses as responses_lib
from simple_salesforce import Salesforce

from tests.salesforce.fake_org.models import OrgBackend
from tests.salesforce.fake_org.responses import API, Answer, OrgResponses

__all__ = ["API", "INSTANCE_URL", "FakeOrg", "OrgBackend"]

INSTANCE_URL = "https://example.my.salesforce.com"


class FakeOrg:
    def __init__(self, mock: responses_lib.RequestsMock, page_size: int = 2000) -> None:
        self.backend = OrgBackend()
        self.wire = OrgResponses(self.backend, page_size)
        base = re.escape(f"{INSTANCE_URL}/services/data/v{API}")
        routes = [
            (responses_lib.GET, base + r"/query/?\?.*", self._query),
            (responses_lib.GET, base + r"/query/page-\d+", self._next_page),
            (responses_lib.POST, base + r"/sobjects/\w+/", self._insert),
            (responses_lib.PATCH, base + r"/sobjects/\w+/\w+", self._update),
            (responses_lib.DELETE, base + r"/sobjects/\w+/\w+", self._delete),
            (responses_lib.GET, base + r"/named-credentials/external-credentials/\w+", self._external_credential),
            (responses_lib.POST, r"https://[^/]+/services/Soap/m/[0-9.]+/\w+", self._metadata),
        ]
        for method, url, callback in routes:
            mock.add_callback(method, re.compile(url), callback=callback)
        self.sf = Salesforce(instance_url=INSTANCE_URL, session_id="00Dx!session", version=API)

    # The org's state, read and changed by tests (``org.add(...)``, ``org.inserts``...).
    def add(self, sobject: str, **fields: Any) -> dict[str, Any]:
        return self.backend.add(sobject, **fields)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names FakeOrg lacks: tables, queries, inserts, updates, deletes, deploys, on_deploy,
        # external_credentials live on the backend.
        if name in ("backend", "wire"):
            raise AttributeError(name)
        return getattr(self.backend, name)

    @property
    def page_size(self) -> int:
        return self.wire.page_size

    @page_size.setter
    def page_size(self, size: int) -> None:
        self.wire.page_size = size

    # Callbacks, one per route; a stricter org (tests/robot_suites/strict_org.py) checks a request before these.
    def _query(self, request: Any) -> Answer:
        return self.wire.query(request)

    def _next_page(self, request: Any) -> Answer:
        return self.wire.next_page(request)

    def _insert(self, request: Any) -> Answer:
        return self.wire.insert(request)

    def _update(self, request: Any) -> Answer:
        return self.wire.update(request)

    def _delete(self, request: Any) -> Answer:
        return self.wire.delete(request)

    def _external_credential(self, request: Any) -> Answer:
        return self.wire.external_credential(request)

    def _metadata(self, request: Any) -> Answer:
        return self.wire.metadata(request)
