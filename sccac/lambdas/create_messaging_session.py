"""CreateMessagingSession Lambda: find or create the Salesforce conversation and messaging session.

Input (Connect event): ContactId (and InitialContactId); ``channelAddressIdentifier`` and
optional ``clientId`` from the block parameters or contact attributes; in the disconnect flow
with re-queue, the block parameter ``previousWorkItemId`` (the session that ended). Output (flat string
map, stored as contact attributes): ``conversationIdentifier``, ``workItemId`` (the
MessagingSession Id, ``workItemIds[0]`` of the answer), ``source`` = ``SCCAC`` and
``callCenterId`` (the function's CALL_CENTER_ID setting), the attributes SCC-AC's own
function returns. One Interaction Service call when the token is cached:
``POST /api/v1/interactions`` with one entry interaction, the way SCC-AC creates the session.
Idempotent per contact: see docs/lambdas.md.
"""

from __future__ import annotations

import logging
from typing import Any

from sccac.lambdas import runtime
from sccac.lambdas.answers import (
    MESSAGING_SESSION_PREFIX,
    conversation_identifier,
    require_success,
    work_item_id,
)
from sccac.clock import Clock
from sccac.lambdas.budget import Deadline
from sccac.lambdas.errors import SalesforceRequestError
from sccac.lambdas.event import parse_session_request
from sccac.lambdas.handler_support import run
from sccac.lambdas.interaction_api import INTERACTIONS_PATH, request_id_for
from sccac.lambdas.log import log

SOURCE = "SCCAC"


def handler(event: Any, context: Any) -> dict[str, str]:
    """Lambda entry point (Handler: sccac.lambdas.create_messaging_session.handler)."""
    return handle(event, context, runtime.CONTAINER)


def handle(event: Any, context: Any, container: runtime.Container) -> dict[str, str]:
    """``handler`` in ``container`` (tests and the offline mode bring their own clock and dependencies)."""
    started = container.starts.next()  # first: Connect's clock is already running
    clock = container.clock
    return run("create_messaging_session", event,
               lambda: _create(event, context, container.dependencies(), started, clock), clock)


def create_messaging_session(event: Any, context: Any, deps: runtime.Dependencies) -> dict[str, str]:
    """Same as ``handler`` with explicit dependencies (tests, offline mode, other handlers)."""
    clock = deps.clock
    started = clock.monotonic()
    return run("create_messaging_session", event, lambda: _create(event, context, deps, started, clock), clock)


def _create(
    event: Any, context: Any, deps: runtime.Dependencies, started: float, clock: Clock
) -> dict[str, str]:
    request = parse_session_request(event)
    deadline = Deadline.for_invocation(context, deps.settings.connect_timeout_ms, started, clock)
    data = deps.api.post_interaction(
        request.channel_address_identifier,
        request.participant_subject,
        # The entry's id and the RequestId come from the ContactId: the flow's retry loop (or
        # Connect's own retry) repeats this very entry, never a second one (docs/lambdas.md).
        request_id_for(request.contact_id, f"interactions/{request.request_key}"),
        int(clock.time() * 1000),
        request_id_for(request.contact_id, f"interactions/{request.request_key}/request"),
        deadline,
    )
    what = "POST " + INTERACTIONS_PATH
    if not require_success(data, what):
        raise SalesforceRequestError(
            f"{what} answered success=false: Salesforce did not open the conversation.",
            contact_id=request.contact_id,
            field="channelAddressIdentifier",
            fix="Check that the MessagingChannel with this channelAddressIdentifier is active and "
            "uses the channel definition named by AUTHORIZATION_CONTEXT.",
        )
    conversation = conversation_identifier(data, what)
    session = work_item_id(data, MESSAGING_SESSION_PREFIX, what)
    if not session:
        log(logging.WARNING, "create_messaging_session.no_work_item_id", contactId=request.contact_id,
            conversationIdentifier=conversation,
            note="The interactions answer listed no workItemIds; the Routing result's workItemId "
            "provides the MessagingSession Id.")
    return {
        "conversationIdentifier": conversation,
        "workItemId": session,
        "source": SOURCE,
        "callCenterId": deps.settings.call_center_id,
    }
