"""The `sccac` command line: one entry point with a sub-command group per part of the system."""

from __future__ import annotations

import click

from sccac import __version__
from sccac.checks.cli import check
from sccac.connect.cli import connect
from sccac.errors import SccacError
from sccac.flows.cli import flows
from sccac.mappings.cli import mappings
from sccac.offline.cli import demo
from sccac.salesforce.cli import salesforce


class _Main(click.Group):
    """The one place a library error becomes a command-line result: its message on one line and its exit
    code (2: change the input; 1: the run failed), never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SccacError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sccac")
def main() -> None:
    """Salesforce Contact Center with Amazon Connect (SCC-AC) as code."""


main.add_command(check)
main.add_command(connect)
main.add_command(demo)
main.add_command(flows)
main.add_command(mappings)
main.add_command(salesforce)


if __name__ == "__main__":  # pragma: no cover
    main()
