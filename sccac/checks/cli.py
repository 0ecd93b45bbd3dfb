"""`sccac check`: run the offline checks (metadata schema, Apex type check, PMD, source convert, cfn-lint)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sccac.checks.runner import CHECKS, find_project_root, run_checks, summarise


@click.command()
@click.option("--only", "only", multiple=True, type=click.Choice(sorted(CHECKS)), help="Run only these checks (repeatable).")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=None, help="Project root (default: the folder with sfdx-project.json above the current one).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(only: tuple[str, ...], project: Path | None, fmt: str) -> None:
    """Run the offline checks: Metadata API schema, Apex type check, PMD, `sf project convert`, cfn-lint.

    Exit code 1 when any check finds a problem.
    """
    root = (project or find_project_root(Path.cwd())).resolve()
    progress = (lambda name: click.echo(f"running {name} ...", err=True)) if fmt == "text" else None
    results = run_checks(root, only or None, progress)
    if fmt == "json":
        click.echo(json.dumps([
            {"check": r.name, "ok": r.ok, "checked": r.checked, "skipped": r.skipped,
             "problems": [vars(p) for p in r.problems]} for r in results
        ], indent=2))
    else:
        click.echo(summarise(results, root))
    if any(not r.ok and not r.skipped for r in results):
        sys.exit(1)
