"""Offline-mode path: the built inbound flow runs the REAL Lambda code against the local Interaction Service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sccac.flows.builders import FlowSettings, build_inbound_chat
from sccac.flows.simulator import Contact, simulate
from sccac.flows.simulator_lambda import HandlerInvoker
from sccac.flows.simulator_trace import OutcomeKind
from sccac.lambdas import runtime
from sccac.lambdas.config import Settings
from sccac.lambdas.create_messaging_session import create_messaging_session
from sccac.lambdas.routing import route
from sccac.testing.interaction_service import ChannelSetup, LocalInteractionService, ServiceConfig

OMNI_QUEUE = "00G5g000001AbCdEAF"
MAPPED_QUEUE = (
    "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
    "queue/bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"
)
SECRET = "sccac/salesforce/offline"


class StaticSecrets:
    """Secrets Manager stand-in: the handlers only call get_secret_value."""

    def __init__(self, value: str) -> None:
        self.value = value

    def get_secret_value(self, *, SecretId: str) -> dict[str, Any]:
        return {"Name": SecretId, "SecretString": self.value}


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def service(key: rsa.RSAPrivateKey, settings: FlowSettings) -> Iterator[LocalInteractionService]:
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    config = ServiceConfig(
        public_key_pem=public,
        channels={settings.channel_address_identifier: ChannelSetup(queue_id=OMNI_QUEUE)},
        queues={OMNI_QUEUE: MAPPED_QUEUE},
    )
    with LocalInteractionService(config) as svc:
        yield svc


@pytest.fixture
def invoker(service: LocalInteractionService, key: rsa.RSAPrivateKey) -> HandlerInvoker:
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    secret = json.dumps(
        {
            "consumerKey": service.config.consumer_key,
            "username": service.config.username,
            "privateKey": private,
            "orgId": service.config.org_id,
            "loginUrl": service.base_url,
        }
    )
    deps = runtime.build(
        Settings(scrt_base_url=service.base_url, secret_name=SECRET, authorization_context=service.config.authorization_context),
        secrets_client=StaticSecrets(secret),
    )
    return HandlerInvoker(
        {
            "session": lambda event, context: create_messaging_session(event, context, deps),
            "routing": lambda event, context: route(event, context, deps),
        }
    )


def test_chat_contact_reaches_the_mapped_queue_through_the_real_lambdas(
    settings: FlowSettings, service: LocalInteractionService, invoker: HandlerInvoker
) -> None:
    trace = simulate(build_inbound_chat(settings), Contact(channel="CHAT", attributes={"clientId": "ana@example.com"}), invoker)
    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE, trace.render()
    assert trace.outcome.queue == MAPPED_QUEUE
    (session,) = service.sessions()
    assert trace.attributes["workItemId"] == session.id
    assert trace.attributes["source"] == "SCCAC"


def test_salesforce_outage_is_retried_by_the_flow_loop_and_creates_one_session(
    settings: FlowSettings, service: LocalInteractionService, invoker: HandlerInvoker
) -> None:
    # One Salesforce round trip per invocation: each 503 fails one Lambda call.
    service.inject("/api/v1/interactions", status=503, count=settings.retry_count - 1)
    trace = simulate(build_inbound_chat(settings), Contact(channel="CHAT"), invoker)
    statuses = [c.status for c in trace.calls_to("session")]
    assert statuses == ["error"] * (settings.retry_count - 1) + ["ok"], trace.render()
    assert trace.outcome.queue == MAPPED_QUEUE
    assert len(service.sessions()) == 1  # a retry returns the same session, never a second one


def test_salesforce_down_for_good_disconnects_after_retry_count_invocations(
    settings: FlowSettings, service: LocalInteractionService, invoker: HandlerInvoker
) -> None:
    service.inject("/api/v1/interactions", status=503, count=1000)
    flow_settings = replace(settings, retry_count=2)
    trace = simulate(build_inbound_chat(flow_settings), Contact(channel="CHAT"), invoker)
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED
    assert [c.status for c in trace.calls_to("session")] == ["error", "error"]
    assert "SALESFORCE_UNAVAILABLE" in trace.lambda_calls[0].error


DISCONNECT_ARN = ("arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555/"
                  "contact-flow/88888888-2222-4333-8444-555555555555")


def test_a_customer_who_replies_after_the_agent_left_is_requeued_with_a_new_session(
    settings: FlowSettings, service: LocalInteractionService, invoker: HandlerInvoker
) -> None:
    from sccac.flows.builders import build_disconnect_requeue
    from sccac.flows.simulator import SimulationOptions

    inbound = build_inbound_chat(replace(settings, disconnect_flow_arn=DISCONNECT_ARN))
    disconnect = build_disconnect_requeue(settings)

    def resolve(flow_id: str):
        if flow_id != DISCONNECT_ARN:
            return None
        # The agent left: Salesforce ended the chat's messaging session.
        for conversation in list(service.conversations):
            service.end_session(conversation)
        return disconnect

    options = SimulationOptions(resolver=resolve, agent_leaves=True, customer_returns=True)
    trace = simulate(inbound, Contact(channel="CHAT", attributes={"clientId": "ana@example.com"}), invoker, options)

    assert trace.outcome.kind is OutcomeKind.TRANSFERRED_TO_QUEUE and trace.outcome.queue == MAPPED_QUEUE, trace.render()
    first, second = service.sessions()
    assert first.status == "Ended" and second.status == "Active"
    assert trace.attributes["workItemId"] == second.id  # the new session is what the contact now carries
    sessions = [c for c in trace.lambda_calls if c.role == "session" and c.status == "ok"]
    assert len(sessions) == 2 and sessions[1].parameters["previousWorkItemId"] == first.id
    assert len(service.routings) == 2 and service.routings[1].work_item_id == second.id
    assert any(s.flow.startswith("disconnect flow") and s.type == "Wait" for s in trace.steps)


def test_without_a_reply_the_requeue_flow_disconnects_and_creates_nothing(
    settings: FlowSettings, service: LocalInteractionService, invoker: HandlerInvoker
) -> None:
    from sccac.flows.builders import build_disconnect_requeue
    from sccac.flows.simulator import SimulationOptions

    inbound = build_inbound_chat(replace(settings, disconnect_flow_arn=DISCONNECT_ARN))
    options = SimulationOptions(resolver=lambda i: build_disconnect_requeue(settings) if i == DISCONNECT_ARN else None,
                                agent_leaves=True, customer_returns=False)
    trace = simulate(inbound, Contact(channel="CHAT"), invoker, options)

    assert trace.outcome.kind is OutcomeKind.DISCONNECTED
    assert len(service.sessions()) == 1 and len(service.routings) == 1
    wait = next(s for s in trace.steps if s.type == "Wait")
    assert wait.branch == "WaitCompleted"


def test_an_agent_leaving_without_a_disconnect_flow_ends_the_chat(settings: FlowSettings, invoker: HandlerInvoker) -> None:
    from sccac.flows.simulator import SimulationOptions

    trace = simulate(build_inbound_chat(settings), Contact(channel="CHAT"), invoker, SimulationOptions(agent_leaves=True))
    assert trace.outcome.kind is OutcomeKind.DISCONNECTED and "no disconnect flow" in (trace.outcome.reason or "")
