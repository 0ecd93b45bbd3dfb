"""`sccac flows ...`: build, lint, simulate and draw contact flows."""

from __future__ import annotations

import click

from sccac.flows.cli_author import build, lint
from sccac.flows.cli_run import diagram, simulate


@click.group()
def flows() -> None:
    """Build, lint, simulate and draw Amazon Connect contact flows."""


flows.add_command(build)
flows.add_command(lint)
flows.add_command(simulate)
flows.add_command(diagram)
