"""The stand-in's error answers: one class per Interaction API error code, plus the OAuth and REST API errors.

Every error carries its HTTP ``status`` and the JSON ``body()`` of the API that answers it;
``responses.py`` turns a raised error into the wire answer.
"""

from __future__ import annotations

from typing import Any

# Interaction API error codes the stand-in answers with, and their published descriptions
# (salesforce-misc/interaction-service-apis ERRORCODES.md).
ERROR_CODES: dict[int, str] = {
    10004: "The supplied Authorization access token is not valid.",
    10005: "The AuthorizationContext for the request isn't valid based on the supplied Authorization access token.",
    10016: "Enter a valid header.",
    10017: "The channelAddressIdentifier provided does not exist.",
    10018: "The conversation identifier is not valid.",
    10019: "The service is in read-only mode because an org migration is in progress. Try again later.",
    10024: "For Flow based Routing, flow ID and Fallback Queue ID are required fields.",
    10030: "Specify either a flow or a queue to Route API.",
    10031: "The channelAddressIdentifier provided is not active.",
    10032: "Specified Queue ID is invalid.",
    10037: "The AppType provided is not supported.",
    10038: "The Participant Role provided is not supported.",
    10053: 'The "participants" field set in post conversation request is either invalid or empty.',
    10054: "Invalid subject of participant in conversation request.",
    10055: "Conversation precondition failed. Please retry.",
    10056: "Conversation processing aborted. Please retry.",
    10089: "Invalid parameters passed to API.",
    10094: "The request failed due to a timeout from a downstream service. Please try again later.",
    500: "An internal server error occured. Please contact Salesforce Support.",
}


class ServiceError(Exception):
    """An error answer: HTTP ``status`` and the JSON ``body()``."""

    status: int = 500

    def body(self) -> Any:
        raise NotImplementedError


class InteractionApiError(ServiceError):
    """The published ``Error`` body ``{"code": int, "message": str}``; the message defaults to ERRORCODES.md's."""

    status = 400
    code = 500

    def __init__(self, message: str | None = None) -> None:
        self.message = message or ERROR_CODES.get(self.code, f"HTTP {self.status}")
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class InvalidAccessToken(InteractionApiError):
    status, code = 401, 10004


class InvalidAuthorizationContext(InteractionApiError):
    status, code = 403, 10005


class InvalidHeader(InteractionApiError):
    code = 10016


class RequestIdReused(InvalidHeader):
    """The RequestId of an earlier request with another body (the idempotency key reused)."""

    status = 409


class UnknownChannel(InteractionApiError):
    code = 10017


class InvalidConversation(InteractionApiError):
    code = 10018


class FlowWithoutFallbackQueue(InteractionApiError):
    code = 10024


class NoSingleRoute(InteractionApiError):
    """routingInfo names both a flow and a queue, or neither."""

    code = 10030


class InactiveChannel(InteractionApiError):
    code = 10031


class InvalidQueue(InteractionApiError):
    code = 10032


class UnsupportedAppType(InteractionApiError):
    code = 10037


class UnsupportedParticipantRole(InteractionApiError):
    code = 10038


class InvalidParticipants(InteractionApiError):
    code = 10053


class InvalidParticipantSubject(InteractionApiError):
    code = 10054


class InvalidParameters(InteractionApiError):
    code = 10089


class ResourceNotFound(InteractionApiError):
    status, code = 404, 404


class MethodNotAllowed(InteractionApiError):
    status, code = 405, 405


class InjectedError(InteractionApiError):
    """An answer a test asked for (``LocalInteractionService.inject``): any status, any code."""

    def __init__(self, status: int, code: int) -> None:
        self.status, self.code = status, code
        super().__init__(ERROR_CODES.get(code, f"Injected HTTP {status}"))


class OAuthError(ServiceError):
    """The token endpoint's OAuth 2.0 error: ``{"error", "error_description"}``, HTTP 400."""

    status = 400

    def __init__(self, error: str, description: str) -> None:
        super().__init__(error)
        self.error = error
        self.description = description

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


class RestApiError(ServiceError):
    """The org REST API's error list ``[{"message", "errorCode"}]``."""

    def __init__(self, status: int, error_code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message

    def body(self) -> list[dict[str, str]]:
        return [{"message": self.message, "errorCode": self.error_code}]
