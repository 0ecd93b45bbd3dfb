"""`sccac check`: run the offline checks (project files, metadata schema, Omni-Channel, Apex, PMD, source convert, cfn-lint)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sccac.checks.progress import for_stream
from sccac.checks.results import ProjectFileError
from sccac.checks.runner import CHECKS, find_project_root, run_checks, select_checks, summarise, UnknownCheckError
from sccac.checks.source import read_project_file
from sccac.vocabulary import Command, format_option


def _project_root(project: Path | None) -> Path:
    """The project folder, with an sfdx-project.json that is a readable JSON object; else one line and exit 2."""
    try:
        root = (project or find_project_root(Path.cwd())).resolve()
        read_project_file(root)
    except ProjectFileError as exc:
        click.echo(f"sccac check: {exc}", err=True)
        sys.exit(2)
    return root


def _selection(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    try:
        return select_checks(values)
    except UnknownCheckError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(cls=Command, renamed={"--only": "--checks"})
@click.option("--checks", "checks", multiple=True, metavar="CHECK[,CHECK...]", callback=_selection,
              help=f"Run only these checks: {', '.join(CHECKS)} (comma-separated or repeated; default: all).")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=None, help="Project root (default: the folder with sfdx-project.json above the current one).")
@format_option(["text", "json"])
def check(checks: list[str], project: Path | None, output_format: str) -> None:
    """Run the offline checks: project files, Metadata API schema, Omni-Channel, Apex type check, PMD, `sf project convert`, cfn-lint.

    Exit code 1 when any check finds a problem, 2 when there is no readable sfdx-project.json.
    """
    root = _project_root(project)
    results = run_checks(root, checks, for_stream(sys.stderr))
    if output_format == "json":
        click.echo(json.dumps([
            {"check": r.name, "ok": r.ok, "checked": r.checked, "skipped": r.skipped,
             "problems": [vars(p) for p in r.problems]} for r in results
        ], indent=2))
    else:
        click.echo(summarise(results, root))
    if any(not r.ok and not r.skipped for r in results):
        sys.exit(1)
