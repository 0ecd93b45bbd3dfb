"""`sccac demo`: the offline mode from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from sccac.flows.outputs import OutputPathError, check_folder_target, exit_with, write_failed
from sccac.offline.demo import SAMPLE_MAPPING, run_demo
from sccac.offline.demo_files import MANIFEST, demo_targets
from sccac.written import foreign_files, refusal


def _check_out(out: Path, force: bool) -> None:
    """Every path the demo writes, checked before the demo starts (a file where a folder goes, a user's file)."""
    check_folder_target(out, "--out")
    for folder in ("flows", "diagrams"):
        if (out / folder).exists() and not (out / folder).is_dir():
            raise OutputPathError(f"--out {out}: {out / folder} is a file where the demo writes a folder")
    if (out / "traces.json").is_dir():
        raise OutputPathError(f"--out {out}: {out / 'traces.json'} is a folder where the demo writes a file")
    foreign = [] if force else foreign_files(out, demo_targets(out), MANIFEST)
    if foreign:
        raise OutputPathError(refusal(out, foreign))


@click.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("out/demo"), show_default=True,
              help="Where to write the flows, diagrams and traces.")
@click.option("--verbose", "-v", is_flag=True, help="Print every block each contact visits.")
@click.option("--no-svg", is_flag=True, help="Write Mermaid diagrams only (skip the D2 SVG rendering).")
@click.option("--mapping", type=click.Path(path_type=Path), default=SAMPLE_MAPPING, show_default="the sample mapping",
              help="The queue mapping file the offline instance is wired from.")
@click.option("--force", is_flag=True, help="Replace files under --out that an earlier demo did not write.")
def demo(out: Path, verbose: bool, no_svg: bool, mapping: Path, force: bool) -> None:
    """Run the whole SCC-AC system offline: flows, Lambdas, Interaction Service, Case routing."""
    try:
        _check_out(out, force)
    except OutputPathError as exc:
        exit_with(exc)
    try:
        run_demo(out, echo=click.echo, verbose=verbose, svg=not no_svg, mapping=mapping)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        exit_with(write_failed(Path(exc.filename) if exc.filename else out, exc))
