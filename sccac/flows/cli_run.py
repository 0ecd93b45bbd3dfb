"""`sccac flows simulate` and `sccac flows diagram`."""

from __future__ import annotations

import click


@click.command()
def simulate() -> None:
    """Run a flow block by block with given contact data and Lambda behaviour."""
    raise click.ClickException("not built yet")


@click.command()
def diagram() -> None:
    """Draw a flow as Mermaid text and SVG."""
    raise click.ClickException("not built yet")
