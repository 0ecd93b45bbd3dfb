"""Lint rules, one small module per theme; importing this package registers them all."""

from sccac.flows.lint.rules import (  # noqa: F401  (imported for their @rule registrations)
    actions,
    branches,
    designer,
    document,
    inbound,
    requeue,
    routing_parameters,
    task,
    transcription,
    transfer,
)
