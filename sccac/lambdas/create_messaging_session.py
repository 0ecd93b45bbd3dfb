"""CreateMessagingSession Lambda: find or create the Salesforce conversation and messaging session.

Input (Connect event): ContactId; ``channelAddressIdentifier`` and optional ``clientId``
from the block parameters or contact attributes. Output (flat string map, stored as
contact attributes): ``conversationIdentifier``, ``workItemId`` (the MessagingSession Id),
``source`` = ``SCCAC``. One Interaction Service call (``POST /api/v1/conversation``) when
the token is cached. Idempotent per contact: see docs/lambdas.md.
"""

from __future__ import annotations

from typing import Any

from sccac.lambdas import runtime
from sccac.lambdas.budget import Deadline
from sccac.lambdas.errors import SalesforceRequestError
from sccac.lambdas.event import parse_session_request
from sccac.lambdas.handler_support import run
from sccac.lambdas.interaction_api import request_id_for

SOURCE = "SCCAC"


def handler(event: Any, context: Any) -> dict[str, str]:
    """Lambda entry point (Handler: sccac.lambdas.create_messaging_session.handler)."""
    return run("create_messaging_session", event, lambda: _create(event, context, runtime.current()))


def create_messaging_session(event: Any, context: Any, deps: runtime.Dependencies) -> dict[str, str]:
    """Same as ``handler`` with explicit dependencies (tests, offline mode)."""
    return run("create_messaging_session", event, lambda: _create(event, context, deps))


def _create(event: Any, context: Any, deps: runtime.Dependencies) -> dict[str, str]:
    request = parse_session_request(event)
    deadline = Deadline.for_invocation(context, deps.settings.connect_timeout_ms)
    data = deps.api.post_conversation(
        request.channel_address_identifier,
        request.participant_subject,
        request_id_for(request.contact_id, "conversation"),
        deadline,
    )
    conversation = data.get("conversationIdentifier")
    session = data.get("messagingSessionId")
    if data.get("success") is False or not conversation or not session:
        raise SalesforceRequestError(
            "POST /api/v1/conversation did not return a conversationIdentifier and a "
            f"messagingSessionId (success={data.get('success')!r}).",
            contact_id=request.contact_id,
            field="channelAddressIdentifier",
            fix="Check that the MessagingChannel with this channelAddressIdentifier is active and "
            "uses the channel definition named by AUTHORIZATION_CONTEXT.",
        )
    return {
        "conversationIdentifier": str(conversation),
        "workItemId": str(session),
        "source": SOURCE,
    }
