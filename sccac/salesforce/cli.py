"""`sccac salesforce ...`: render org-specific Salesforce metadata."""

from __future__ import annotations

import click


@click.group()
def salesforce() -> None:
    """Render and inspect the org-specific Salesforce metadata."""
