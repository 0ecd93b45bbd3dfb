"""The wiring engine against the fake on one virtual clock: what the tests, the bench and a demo need to run it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sccac.clock import VirtualClock
from sccac.connect.desired import DesiredState, FlowInputs
from sccac.connect.engine import ApplyRun, Engine, PlanRun
from sccac.connect.mapping import QueueMapping
from sccac.connect.pacing import CallMeter, TokenBucket
from sccac.connect.planner import PlanOptions
from sccac.connect.quotas import Quotas
from sccac.testing.connect.models import ConnectBackend, Faults, Instance
from sccac.testing.connect.models import Quotas as InstanceQuotas
from sccac.testing.connect.deletes import Deletes
from sccac.testing.connect.responses import ConnectFake, virtual_retry_sleep
from sccac.testing.connect.routing import ContactRouter
from sccac.testing.connect.routing_responses import RoutingOperations
from sccac.testing.connect.users import AgentDirectory

ACCOUNT = "123456789012"
SESSION_LAMBDA = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:sccac-CreateMessagingSession"
ROUTING_LAMBDA = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:sccac-Routing"
CHANNEL_ADDRESS = "3f6c1b2a-8d4e-4f7a-9b0c-5e2d7a1c9f84"


@dataclass
class FakeWorld:
    clock: VirtualClock
    fake: ConnectFake
    instance: Instance
    engine: Engine
    meter: CallMeter
    router: ContactRouter | None = None  # the instance's users and routing profiles (agent staffing)
    directory: AgentDirectory | None = None  # security profiles, user records (password hashes, tags)

    @property
    def backend(self) -> ConnectBackend:
        return self.fake.backend

    def desired(self, queues: int, **kwargs: object) -> DesiredState:
        mappings = tuple(QueueMapping(f"Omni_{i}", f"Queue {i}") for i in range(queues))
        inputs = FlowInputs(SESSION_LAMBDA, ROUTING_LAMBDA, CHANNEL_ADDRESS,
                            fallback_queue=None if queues else "BasicQueue")
        return DesiredState(self.instance.id, mappings, inputs, **kwargs)  # type: ignore[arg-type]

    def quotas(self) -> Quotas:
        q = self.instance.quotas
        return Quotas(q.queues, q.contact_flows, q.flow_modules, q.quick_connects, q.lambda_functions,
                      q.routing_profiles, q.users, source="the fake instance")

    def plan(self, desired: DesiredState, options: PlanOptions = PlanOptions()) -> PlanRun:
        with virtual_retry_sleep(self.clock):
            return self.engine.plan(desired, self.quotas(), options)

    def apply(self, desired: DesiredState, options: PlanOptions = PlanOptions()) -> ApplyRun:
        with virtual_retry_sleep(self.clock):
            return self.engine.apply(desired, self.quotas(), options)


def fake_world(*, queue_quota: int = 50, quick_connect_quota: int = 100, faults: Faults | None = None,
               rate: float = 2.0, burst: int = 5, pace: bool = True, max_attempts: int = 10,
               alias: str = "sccac-test", instance_id: str | None = None) -> FakeWorld:
    """A fresh account with one instance; the engine paced at ``rate``/``burst`` like the fake's own budget."""
    clock = VirtualClock()
    fake = ConnectFake(ConnectBackend(clock=clock, faults=faults, rate=rate, burst=burst))
    Deletes(fake)
    instance = fake.backend.create_instance(alias, InstanceQuotas(queues=queue_quota, quick_connects=quick_connect_quota), instance_id)
    meter = CallMeter(clock, TokenBucket(clock, rate, burst) if pace else None)
    client = meter.attach(fake.client(max_attempts=max_attempts))
    # Users and routing profiles: what a staffing file needs.
    router = ContactRouter(fake.backend, instance.id)
    RoutingOperations(fake, router)
    directory = AgentDirectory(fake, router)
    return FakeWorld(clock, fake, instance, Engine(client, meter, clock), meter, router, directory)


@contextmanager
def retries_on(world: FakeWorld) -> Iterator[None]:
    with virtual_retry_sleep(world.clock):
        yield
