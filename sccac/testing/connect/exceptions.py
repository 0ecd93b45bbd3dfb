"""One class per Amazon Connect error code the fake produces, with the HTTP status of botocore's model."""

from __future__ import annotations

from typing import Any, ClassVar


class ConnectError(Exception):
    """An error answer: ``code`` goes to ``x-amzn-ErrorType``, ``body()`` to the JSON body."""

    code: ClassVar[str] = "InternalServiceException"
    status: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"Message": self.message}


class InternalServiceException(ConnectError):
    code = "InternalServiceException"
    status = 500


class ResourceNotFoundException(ConnectError):
    code = "ResourceNotFoundException"
    status = 404


class DuplicateResourceException(ConnectError):
    code = "DuplicateResourceException"
    status = 409


class ResourceConflictException(ConnectError):
    code = "ResourceConflictException"
    status = 409


class ResourceInUseException(ConnectError):
    code = "ResourceInUseException"
    status = 409


class InvalidParameterException(ConnectError):
    code = "InvalidParameterException"
    status = 400


class InvalidRequestException(ConnectError):
    code = "InvalidRequestException"
    status = 400


class ThrottlingException(ConnectError):
    code = "ThrottlingException"
    status = 429


class LimitExceededException(ConnectError):
    code = "LimitExceededException"
    status = 429


class ServiceQuotaExceededException(ConnectError):
    code = "ServiceQuotaExceededException"
    status = 402


class InvalidContactFlowException(ConnectError):
    """Flow content Connect cannot accept; ``problems`` lists each reason (lower-case key, as modelled)."""

    code = "InvalidContactFlowException"
    status = 400

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def body(self) -> dict[str, Any]:
        return {"problems": [{"message": p} for p in self.problems]}


class InvalidContactFlowModuleException(ConnectError):
    """Module content Connect cannot accept; the model spells this list ``Problems``."""

    code = "InvalidContactFlowModuleException"
    status = 400

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def body(self) -> dict[str, Any]:
        return {"Problems": [{"message": p} for p in self.problems]}


ALL_ERRORS: tuple[type[ConnectError], ...] = (
    InternalServiceException,
    ResourceNotFoundException,
    DuplicateResourceException,
    ResourceConflictException,
    ResourceInUseException,
    InvalidParameterException,
    InvalidRequestException,
    ThrottlingException,
    LimitExceededException,
    ServiceQuotaExceededException,
    InvalidContactFlowException,
    InvalidContactFlowModuleException,
)
BY_CODE = {cls.code: cls for cls in ALL_ERRORS}
