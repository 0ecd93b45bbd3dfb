"""The local Interaction Service's /api/v1/conversationHistory: the published limits and header are enforced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sccac.lambdas.budget import Deadline
from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.errors import SalesforceRequestError
from sccac.lambdas.history import batches
from sccac.lambdas.interaction_api import request_id_for
from sccac.lambdas.transcript import convert
from sccac.testing.transcripts import bot_only_transcript, utc
from tests.lambdas.conftest import CHANNEL, FakeContext, connect_event

CONTACT = "1846d424-c17c-4279-a3c6-612f48268673"


@pytest.fixture
def body(deps) -> dict:
    create_messaging_session(connect_event(CONTACT, attributes={"channelAddressIdentifier": CHANNEL}), FakeContext(), deps)
    conversion = convert(bot_only_transcript(CONTACT, 5, utc("2026-12-02T10:00:00")), CONTACT, CONTACT)
    [batch] = batches(conversion, CHANNEL, CONTACT)
    return batch.body


def test_the_history_is_kept_on_the_end_users_conversation(service, deps, body):
    answer = deps.api.post_conversation_history(body, request_id_for(CONTACT, "h1"), Deadline(2000))

    assert answer == {"success": True}
    [conversation] = service.conversations.values()
    assert conversation.history == body["conversationEntries"]


def test_without_the_authorization_context_type_header_the_service_refuses(service, deps, body):
    send = deps.transport.request

    def without_the_header(method, url, *, headers, **rest):
        return send(method, url, headers={k: v for k, v in headers.items() if k != "AuthorizationContextType"}, **rest)

    deps.transport.request = without_the_header
    with pytest.raises(SalesforceRequestError, match="code 10016"):
        deps.api.post_conversation_history(body, request_id_for(CONTACT, "h2"), Deadline(2000))
    [conversation] = service.conversations.values()
    assert conversation.history == []


@pytest.mark.parametrize(("key", "extra"), [("conversationEntries", 1), ("conversationParticipants", 2)])
def test_more_than_5_entries_or_3_participants_is_refused(service, deps, body, key, extra):
    more = dict(body)
    template = body[key][-1]
    more[key] = body[key] + [template] * extra if key == "conversationEntries" else body[key] + [
        {**template, "participant": {**template["participant"], "subject": f"bot-{n}"}} for n in range(extra)]
    with pytest.raises(SalesforceRequestError, match="code 10089"):
        deps.api.post_conversation_history(more, request_id_for(CONTACT, "h3"), Deadline(2000))


def test_history_for_an_end_user_without_a_conversation_is_refused(service, deps):
    conversion = convert(bot_only_transcript(CONTACT, 2, utc("2026-12-02T10:00:00") - timedelta(hours=1)),
                         "nobody", CONTACT)
    [batch] = batches(conversion, CHANNEL, CONTACT)
    with pytest.raises(SalesforceRequestError, match="code 10018"):
        deps.api.post_conversation_history(batch.body, batch.request_id, Deadline(2000))
