"""`sccac flows build` and `sccac flows lint`."""

from __future__ import annotations

import click


@click.command()
def build() -> None:
    """Write the five SCC-AC flows as flow-language JSON."""
    raise click.ClickException("not built yet")


@click.command()
def lint() -> None:
    """Lint flow JSON files against the SCC-AC rules."""
    raise click.ClickException("not built yet")
