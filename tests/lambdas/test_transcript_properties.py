"""Property tests: a transcript or a contact event of any shape converts or parses, or fails the documented way.

Transcripts come from a bucket and events from EventBridge: neither is ours. Whatever they hold,
the conversion returns entries of the published shape (and counts the rest), never raises, and
every request it batches stays within the service's limits; the event parser returns an event
or raises ``InvalidInputError``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sccac.lambdas.disconnect_event import parse_disconnect_event
from sccac.lambdas.errors import InvalidInputError
from sccac.lambdas.history import MAX_ENTRIES, MAX_PARTICIPANTS, batches
from sccac.lambdas.ids import UUID_RE
from sccac.lambdas.transcript import INTERACTIVE, INTERACTIVE_RESPONSE, JOINED, LEFT, convert

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONTACT = "1846d424-c17c-4279-a3c6-612f48268673"

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
near_items = st.fixed_dictionaries(
    {
        "Type": st.sampled_from(["MESSAGE", "EVENT", "ATTACHMENT", "OTHER", ""]),
        "ParticipantRole": st.sampled_from(["CUSTOMER", "CUSTOM_BOT", "SYSTEM", "AGENT", "", "customer"]),
        "ContentType": st.sampled_from(["text/plain", "text/markdown", INTERACTIVE, INTERACTIVE_RESPONSE, JOINED,
                                        LEFT, "application/json", ""]),
        "AbsoluteTime": st.one_of(st.datetimes().map(lambda d: d.isoformat() + "Z"), st.text(max_size=30),
                                  st.just("2026-12-02T10:00:00.000Z")),
    },
    optional={
        "Content": st.one_of(st.text(max_size=80), json_values,
                             st.just('{"data": {"content": {"title": "t", "elements": [{"title": "a"}, 3]}}}')),
        "ParticipantId": st.one_of(st.uuids().map(str), st.text(max_size=10)),
        "Id": st.one_of(st.uuids().map(str), st.text(max_size=10), st.integers()),
        "Attachments": json_values,
        "DisplayName": json_values,
    },
)
transcripts = st.one_of(json_values, st.fixed_dictionaries({"Transcript": st.lists(st.one_of(near_items, json_values),
                                                                                      max_size=25)}))


@SETTINGS
@given(transcripts)
def test_any_transcript_converts_into_published_shapes_within_the_limits(document: Any) -> None:
    conversion = convert(document, "client-1", CONTACT)

    requests = batches(conversion, "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b", CONTACT)
    assert sum(b.entries for b in requests) == len(conversion.entries)
    for batch in requests:
        entries, people = batch.body["conversationEntries"], batch.body["conversationParticipants"]
        assert 1 <= len(entries) <= MAX_ENTRIES and 1 <= len(people) <= MAX_PARTICIPANTS
        assert people[0]["participant"]["role"] == "EndUser"
        for entry in entries:
            assert isinstance(entry["clientTimestamp"], int)
            assert entry["sender"] in [p["participant"] for p in people]
            assert UUID_RE.match(entry["entryPayload"]["id"])
            assert isinstance(entry["entryPayload"]["abstractMessage"]["staticContent"]["text"], str)
        assert all(isinstance(p["joinedTime"], int) for p in people)


event_details = st.fixed_dictionaries(
    {
        "contactId": st.one_of(st.uuids().map(str), st.text(max_size=40)),
        "instanceArn": st.one_of(
            st.just("arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555"),
            st.text(max_size=40)),
    },
    optional={"agentInfo": json_values, "eventType": json_values, "initialContactId": json_values},
)
events = st.one_of(
    json_values,
    st.fixed_dictionaries({"detail": json_values}),
    st.fixed_dictionaries({"detail": event_details}, optional={"time": json_values}),
)


@SETTINGS
@given(events)
def test_any_event_parses_or_is_an_input_error(event: Any) -> None:
    try:
        parsed = parse_disconnect_event(event)
    except InvalidInputError as error:
        assert error.as_dict()["error"] == "INVALID_INPUT" and len(str(error)) < 1000
    else:
        assert UUID_RE.match(parsed.contact_id) and UUID_RE.match(parsed.initial_contact_id)
        assert parsed.time.tzinfo is not None
