"""`sccac flows ...`: build, lint, simulate and draw contact flows."""

from __future__ import annotations

import click


@click.group()
def flows() -> None:
    """Build, lint, simulate and draw Amazon Connect contact flows."""
