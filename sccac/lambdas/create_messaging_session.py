"""CreateMessagingSession Lambda: find or create the Salesforce conversation and messaging session.

Input (Connect event): ContactId; ``channelAddressIdentifier`` and optional ``clientId``
from the block parameters or contact attributes. Output (flat string map, stored as
contact attributes): ``conversationIdentifier``, ``workItemId`` (the MessagingSession Id,
or "" when the conversation response does not carry it), ``source`` = ``SCCAC``. One
Interaction Service call (``POST /api/v1/conversation``) when the token is cached.
Idempotent per contact: see docs/lambdas.md.

The published ``PostConversationResponse`` holds only ``conversationIdentifier`` and
``success``. The MessagingSession Id is taken from the response when it is there
(``messagingSessionId``, else ``workItemId``); otherwise ``workItemId`` is returned empty
and the Routing function's result (``PostRouteResponse.workItemId``) provides it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sccac.lambdas import runtime
from sccac.lambdas.answers import (
    MESSAGING_SESSION_PREFIX,
    conversation_identifier,
    optional_record_id,
    require_success,
)
from sccac.lambdas.budget import Deadline, invocation_started
from sccac.lambdas.errors import SalesforceRequestError
from sccac.lambdas.event import parse_session_request
from sccac.lambdas.handler_support import run
from sccac.lambdas.interaction_api import request_id_for
from sccac.lambdas.log import log

SOURCE = "SCCAC"
# Where a conversation response may carry the MessagingSession Id (not in the published schema).
SESSION_ID_KEYS = ("messagingSessionId", "workItemId")


def handler(event: Any, context: Any) -> dict[str, str]:
    """Lambda entry point (Handler: sccac.lambdas.create_messaging_session.handler)."""
    started = invocation_started()  # first: Connect's clock is already running
    return run("create_messaging_session", event, lambda: _create(event, context, runtime.current(), started))


def create_messaging_session(event: Any, context: Any, deps: runtime.Dependencies) -> dict[str, str]:
    """Same as ``handler`` with explicit dependencies (tests, offline mode)."""
    started = time.monotonic()
    return run("create_messaging_session", event, lambda: _create(event, context, deps, started))


def _create(event: Any, context: Any, deps: runtime.Dependencies, started: float) -> dict[str, str]:
    request = parse_session_request(event)
    deadline = Deadline.for_invocation(context, deps.settings.connect_timeout_ms, started)
    data = deps.api.post_conversation(
        request.channel_address_identifier,
        request.participant_subject,
        request_id_for(request.contact_id, "conversation"),
        deadline,
    )
    what = "POST /api/v1/conversation"
    if not require_success(data, what):
        raise SalesforceRequestError(
            f"{what} answered success=false: Salesforce did not open the conversation.",
            contact_id=request.contact_id,
            field="channelAddressIdentifier",
            fix="Check that the MessagingChannel with this channelAddressIdentifier is active and "
            "uses the channel definition named by AUTHORIZATION_CONTEXT.",
        )
    conversation = conversation_identifier(data, what)
    session = next(
        (optional_record_id(data, k, MESSAGING_SESSION_PREFIX, what) for k in SESSION_ID_KEYS if data.get(k)), ""
    )
    if not session:
        log(logging.INFO, "create_messaging_session.no_work_item_id", contactId=request.contact_id,
            conversationIdentifier=conversation,
            note="The conversation response has no MessagingSession Id; the Routing result's "
            "workItemId provides it.")
    return {
        "conversationIdentifier": conversation,
        "workItemId": session,
        "source": SOURCE,
    }
