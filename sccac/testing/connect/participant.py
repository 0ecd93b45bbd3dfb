"""The Amazon Connect Participant Service (``connectparticipant``) for chats the Connect fake started.

The customer's side of a chat: CreateParticipantConnection with the ParticipantToken that
StartChatContact returned, then SendMessage and DisconnectParticipant with the ConnectionToken.
Answered the same way as the Connect fake (botocore validates, serialises and parses; this answers
``before-send``), from the state of a :class:`~sccac.testing.connect.contacts.ContactOperations`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from sccac.testing.connect.contacts import ContactOperations
from sccac.testing.connect.exceptions import ConnectError
from sccac.testing.connect.responses import _json_default, _response, _shared_botocore_session

_CONTEXT_KEY = "sccac_participant_params"


class AccessDeniedException(ConnectError):
    code = "AccessDeniedException"
    status = 403


@dataclass
class Connection:
    contact_id: str
    token: str
    messages: list[str] = field(default_factory=list)
    disconnected: bool = False


class ParticipantFake:
    def __init__(self, contacts: ContactOperations) -> None:
        self.contacts = contacts
        self.connections: dict[str, Connection] = {}  # by ConnectionToken
        self._operations: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "CreateParticipantConnection": self._create_connection,
            "SendMessage": self._send_message,
            "DisconnectParticipant": self._disconnect,
        }

    def client(self) -> Any:
        client = boto3.session.Session(botocore_session=_shared_botocore_session()).client(
            "connectparticipant", region_name=self.contacts.fake.backend.region,
            aws_access_key_id="testing", aws_secret_access_key="testing")
        client.meta.events.register("before-parameter-build.connectparticipant", self._capture)
        client.meta.events.register("before-send.connectparticipant", self._answer)
        return client

    @staticmethod
    def _capture(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        context[_CONTEXT_KEY] = (model.name, json.loads(json.dumps(params, default=_json_default)))

    def _answer(self, request: Any, **_: Any) -> AWSResponse:
        operation, params = request.context[_CONTEXT_KEY]
        handler = self._operations.get(operation)
        try:
            if handler is None:
                raise AccessDeniedException(f"the participant fake does not implement {operation}")
            return _response(request.url, 200, handler(params))
        except ConnectError as exc:
            return _response(request.url, exc.status, exc.body(), {"x-amzn-ErrorType": f"{exc.code}:"})

    def _connection(self, token: str) -> Connection:
        connection = self.connections.get(token)
        if connection is None or connection.disconnected:
            raise AccessDeniedException("The connection token is not valid or the participant has disconnected")
        return connection

    def _create_connection(self, p: dict[str, Any]) -> dict[str, Any]:
        participant_token = p["ParticipantToken"]
        if not participant_token.startswith("token-"):
            raise AccessDeniedException("The participant token is not valid")
        contact_id = participant_token[len("token-"):]
        self.contacts._find(contact_id)  # noqa: SLF001 - same package: raises for an unknown contact
        token = f"connection-{contact_id}"
        self.connections.setdefault(token, Connection(contact_id, token))
        return {"ConnectionCredentials": {"ConnectionToken": token, "Expiry": "2099-01-01T00:00:00Z"}}

    def _send_message(self, p: dict[str, Any]) -> dict[str, Any]:
        connection = self._connection(p["ConnectionToken"])
        if p["ContentType"] not in ("text/plain", "text/markdown", "application/json"):
            raise AccessDeniedException(f"ContentType {p['ContentType']} is not supported")
        connection.messages.append(p["Content"])
        return {"Id": f"message-{len(connection.messages)}", "AbsoluteTime": "2026-01-01T00:00:00.000Z"}

    def _disconnect(self, p: dict[str, Any]) -> dict[str, Any]:
        connection = self._connection(p["ConnectionToken"])
        connection.disconnected = True
        self.contacts.flow_disconnected(connection.contact_id)
        return {}
