"""`sccac check`: run the offline Salesforce checks."""

from __future__ import annotations

import click


@click.command()
def check() -> None:
    """Run the offline checks (metadata schema, Apex, source convert)."""
