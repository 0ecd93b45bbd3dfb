"""One wiring invocation built from options: the engine on a paced client, the desired state and the quotas.

The `sccac connect` commands and the CumulusCI ``wire_connect`` task both build their run here, so an
option means the same in both and is checked in one place.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sccac.clock import RealClock
from sccac.connect.agents import PASSWORD_ENV
from sccac.connect.desired import DesiredState, FlowInputs
from sccac.connect.engine import ApplyRun, Engine, PlanRun
from sccac.connect.errors import ConnectUsageError
from sccac.connect.mapping import load_mappings
from sccac.connect.pacing import CallMeter, TokenBucket
from sccac.connect.planner import PlanOptions
from sccac.connect.applier import Progress
from sccac.connect.quotas import Quotas, quotas_from_service_quotas
from sccac.connect.staffing import load_staffing
from sccac.connect.session import aws_session, connect_client, resolve_instance
from sccac.lambdas.ids import UUID_RE
from sccac.mappings.model import DEFAULT_MAPPING_FILE



@dataclass(frozen=True)
class WiringOptions:
    """Everything a wiring run can be told; the names are the CLI's flags and the task's options."""

    instance_id: str
    session_lambda_arn: str | None = None
    routing_lambda_arn: str | None = None
    channel_address_identifier: str | None = None
    region: str | None = None
    profile: str | None = None
    mapping_path: Path = DEFAULT_MAPPING_FILE
    fallback_queue: str | None = None
    retry_count: int = 3
    name_prefix: str = "SCCAC"
    transcription: bool = True
    quick_connects: bool = True
    routing_profile: str | None = None
    hours_of_operation: str = "Basic Hours"
    project: str = "sccac"
    rate: float = 2.0
    burst: int = 5
    retry_mode: str = "standard"
    max_attempts: int = 10
    skip_service_quotas: bool = False
    offline: bool = False
    take_ownership: bool = False
    overwrite_console_edits: bool = False
    create_queues: bool = False  # create every missing queue named in the mapping, whatever its entry's create says
    staffing: Path | None = None  # a staffing file: agents' routing profiles and users to create

    @property
    def plan_options(self) -> PlanOptions:
        return PlanOptions(self.take_ownership, self.overwrite_console_edits,
                           agent_password_set=bool(os.environ.get(PASSWORD_ENV)) if self.staffing else None)


@dataclass
class WiringRun:
    """Start with :func:`open_run`. On the in-memory fake, ``virtual_time()`` puts botocore's retry sleeps on
    the fake's clock around each call (a new context each time: a run may plan, then apply)."""

    options: WiringOptions
    client: Any
    meter: CallMeter
    engine: Engine
    quotas: Quotas
    desired: DesiredState
    virtual_time: Callable[[], AbstractContextManager[Any]] = contextlib.nullcontext
    offline_instance: str | None = None

    def plan(self) -> PlanRun:
        with self.virtual_time():
            return self.engine.plan(self.desired, self.quotas, self.options.plan_options)

    def apply(self, progress: Progress | None = None) -> ApplyRun:
        with self.virtual_time():
            return self.engine.apply(self.desired, self.quotas, self.options.plan_options, progress)


def check_options(options: WiringOptions) -> None:
    """Every bad option at once, before any AWS call."""
    problems = [
        f"missing {name}" for name, value in (
            ("session_lambda_arn (--session-lambda-arn)", options.session_lambda_arn),
            ("routing_lambda_arn (--routing-lambda-arn)", options.routing_lambda_arn),
            ("channel_address_identifier (--channel-address-identifier)", options.channel_address_identifier),
        ) if not value
    ]
    if options.rate <= 0 or options.burst < 1:
        problems.append("rate must be above 0 and burst at least 1")
    if options.max_attempts < 1:
        problems.append("max_attempts must be at least 1")
    if options.retry_mode not in ("standard", "adaptive"):
        problems.append(f"retry_mode must be standard or adaptive, not {options.retry_mode!r}")
    if problems:
        raise ConnectUsageError("; ".join(problems) + " (the flows need the org's real values)"
                                if any(p.startswith("missing") for p in problems) else "; ".join(problems))


def open_run(options: WiringOptions) -> WiringRun:
    """Check the options, read the mapping file, connect (or start the in-memory fake) and resolve the instance."""
    check_options(options)
    mappings = load_mappings(options.mapping_path)
    staffing = load_staffing(options.staffing) if options.staffing else None
    if options.create_queues:
        mappings = tuple(m if m.is_arn else dataclasses.replace(m, create=True) for m in mappings)
    inputs = FlowInputs(
        session_lambda_arn=options.session_lambda_arn or "", routing_lambda_arn=options.routing_lambda_arn or "",
        channel_address_identifier=options.channel_address_identifier or "", fallback_queue=options.fallback_queue,
        retry_count=options.retry_count, name_prefix=options.name_prefix, transcription=options.transcription,
    )
    virtual_time: Callable[[], AbstractContextManager[Any]] = contextlib.nullcontext
    offline_instance = None
    if options.offline:
        from sccac.testing.connect.harness import fake_world
        from sccac.testing.connect.responses import virtual_retry_sleep

        given = options.instance_id
        is_id = UUID_RE.match(given)
        world = fake_world(rate=options.rate, burst=options.burst, max_attempts=options.max_attempts,
                           alias="offline" if is_id else given, instance_id=given if is_id else None)
        client, meter, engine, quotas = world.engine.client, world.meter, world.engine, world.quotas()
        virtual_time = functools.partial(virtual_retry_sleep, world.clock)
        offline_instance = f"{world.instance.id} (alias {world.instance.alias})"
    else:
        session = aws_session(options.region, options.profile)
        clock = RealClock()
        meter = CallMeter(clock, TokenBucket(clock, options.rate, options.burst))
        client = meter.attach(connect_client(session, retry_mode=options.retry_mode, max_attempts=options.max_attempts))
        engine = Engine(client, meter, clock)
        quotas = Quotas() if options.skip_service_quotas else quotas_from_service_quotas(session.client("service-quotas"))
    desired = DesiredState(
        resolve_instance(client, options.instance_id), mappings, inputs, project=options.project,
        quick_connects=options.quick_connects, routing_profile=options.routing_profile,
        hours_of_operation=options.hours_of_operation, staffing=staffing,
    )
    return WiringRun(options, client, meter, engine, quotas, desired, virtual_time, offline_instance)
