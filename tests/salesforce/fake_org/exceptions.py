"""The org's refusals, each with its HTTP status and the REST API's error body (a list of errorCode/message)."""

from __future__ import annotations

import json


class SalesforceError(Exception):
    status = 400
    error_code = "UNKNOWN_EXCEPTION"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> str:
        return json.dumps([{"errorCode": self.error_code, "message": self.message}])


class MalformedQuery(SalesforceError):
    error_code = "MALFORMED_QUERY"


class InvalidField(SalesforceError):
    error_code = "INVALID_FIELD"


class NotFound(SalesforceError):
    status = 404
    error_code = "NOT_FOUND"
