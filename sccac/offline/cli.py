"""`sccac demo`: the offline mode from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from sccac.offline.demo import run_demo


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out/demo"), show_default=True,
              help="Where to write the flows, diagrams and traces.")
@click.option("--verbose", "-v", is_flag=True, help="Print every block each contact visits.")
@click.option("--no-svg", is_flag=True, help="Write Mermaid diagrams only (skip the D2 SVG rendering).")
def demo(out: Path, verbose: bool, no_svg: bool) -> None:
    """Run the whole SCC-AC system offline: flows, Lambdas, Interaction Service, Case routing."""
    try:
        run_demo(out, echo=click.echo, verbose=verbose, svg=not no_svg)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
