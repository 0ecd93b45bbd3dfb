"""Property tests of the Connect event parser: any input gives a request or InvalidInputError.

Two generators: arbitrary JSON (what a misconfigured invoker could send) and Connect-shaped
events whose attributes and parameters mix good values, near misses and hostile ones (nested
objects, integers past Python's str() digit limit, lone surrogates, control characters,
oversize text). Whatever comes in, the error is the documented one, its text is one short
JSON object, and a request holds only values of the documented shapes.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sccac.lambdas.errors import InvalidInputError
from sccac.lambdas.event import ROUTING_TYPES, RouteRequest, SessionRequest, parse_route_request, parse_session_request
from sccac.lambdas.ids import UUID_RE, is_salesforce_id

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ["channelAddressIdentifier", "clientId", "routingType", "conversationIdentifier", "salesforceQueueId",
         "salesforceFlowId", "salesforceFlowFallbackQueueId", "salesforceFlowRoutingAttributes.Tier", "omniQueueId"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
    st.builds(lambda: 10**5000),  # past the 4300-digit str() limit (built: even repr() fails on it)
)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
interesting_text = st.one_of(
    st.uuids().map(str), st.uuids().map(lambda u: str(u).upper()), st.uuids().map(lambda u: f" {u}\n"),
    st.sampled_from(["Initial", "transfer", "Conference", "00G5g000001AbCdEAF", "3005g000000Fl0wAAA", "00G123",
                     "", "   ", "REPLACE_ME", "\ud800", "a\x00b", "x" * 5000, "eyJhbGciOiJSUzI1NiJ9.e30.sig"]),
    st.text(max_size=60),
)
values = st.one_of(interesting_text, interesting_text, json_values)
# Maps that mostly hold what the parser reads, with a hostile value mixed in now and then.
likely_maps = st.fixed_dictionaries(
    {"channelAddressIdentifier": st.uuids().map(str), "conversationIdentifier": st.uuids().map(str),
     "routingType": st.sampled_from(ROUTING_TYPES + ("transfer",))},
    optional={"clientId": values, "salesforceQueueId": values, "salesforceFlowId": values,
              "salesforceFlowFallbackQueueId": values, "salesforceFlowRoutingAttributes.Tier": values,
              "salesforceFlowRoutingAttributes.": values, "extra": values},
)
string_maps = st.one_of(
    likely_maps, st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=12), values, max_size=8), json_values,
)
contact_ids = st.one_of(st.uuids().map(str), st.uuids().map(str), st.text(max_size=20), st.just("c" * 200),
                        st.just(" "), json_values)
connect_events = st.builds(
    lambda contact_id, attributes, parameters, drop: _event(contact_id, attributes, parameters, drop),
    contact_ids, string_maps, string_maps,
    st.sampled_from([None, None, None, "ContactId", "Attributes", "Parameters", "Details"]),
)
events = st.one_of(connect_events, connect_events, json_values)


def _event(contact_id: Any, attributes: Any, parameters: Any, drop: str | None) -> Any:
    event: dict[str, Any] = {
        "Name": "ContactFlowEvent",
        "Details": {"ContactData": {"ContactId": contact_id, "Attributes": attributes}, "Parameters": parameters},
    }
    if drop == "Details":
        del event["Details"]
    elif drop == "Parameters":
        del event["Details"]["Parameters"]
    elif drop is not None:
        del event["Details"]["ContactData"][drop]
    return event


def check_error(error: InvalidInputError) -> None:
    detail = json.loads(str(error))
    assert detail["error"] == "INVALID_INPUT" and detail["retryable"] is False
    assert detail["field"] and detail["fix"]
    assert len(str(error)) < 1500  # short excerpts only, whatever size the input


@SETTINGS
@given(events)
def test_session_parser_gives_a_request_or_invalid_input(event):
    try:
        request = parse_session_request(event)
    except InvalidInputError as error:
        check_error(error)
        return
    assert isinstance(request, SessionRequest)
    assert UUID_RE.match(request.channel_address_identifier)
    assert request.channel_address_identifier == request.channel_address_identifier.lower()
    assert request.client_id is None or (0 < len(request.client_id) <= 255)
    assert 0 < len(request.contact_id) <= 128 and request.contact_id == request.contact_id.strip()


@SETTINGS
@given(events)
def test_route_parser_gives_a_request_or_invalid_input(event):
    try:
        request = parse_route_request(event)
    except InvalidInputError as error:
        check_error(error)
        return
    assert isinstance(request, RouteRequest)
    assert request.routing_type in ROUTING_TYPES
    assert 0 < len(request.conversation_identifier) <= 255
    assert request.queue_id is None or is_salesforce_id(request.queue_id, "00G")
    assert request.queue_id is None or (request.flow_id is None and request.fallback_queue_id is None)
    assert (request.flow_id is None) == (request.fallback_queue_id is None)
    assert request.flow_id is None or is_salesforce_id(request.flow_id)
    assert request.fallback_queue_id is None or is_salesforce_id(request.fallback_queue_id, "00G")
    assert all(isinstance(v, str) and len(v) <= 255 for v in request.routing_attributes.values())


def test_the_generators_reach_both_outcomes():
    # Guard against a generator that only ever produces errors (the properties would pass vacuously).
    good = {"Details": {"ContactData": {"ContactId": "c-1", "Attributes": {
        "channelAddressIdentifier": "7F1C2A3B-4D5E-4F60-8A9B-0C1D2E3F4A5B", "conversationIdentifier": "x"}},
        "Parameters": {"routingType": "initial", "salesforceQueueId": "00G5g000001AbCdEAF"}}}
    assert parse_session_request(good).channel_address_identifier == "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
    assert parse_route_request(good).routing_type == "Initial"
    outcomes: set[str] = set()

    @settings(max_examples=100, deadline=None, database=None, derandomize=True)  # same examples every run
    @given(connect_events)
    def collect(event):
        try:
            parse_session_request(event)
            outcomes.add("request")
        except InvalidInputError:
            outcomes.add("error")

    collect()
    assert outcomes == {"request", "error"}
