"""The `sccac` command line: one entry point with a sub-command group per part of the system."""

from __future__ import annotations

import click

from sccac import __version__
from sccac.checks.cli import check
from sccac.connect.cli import connect
from sccac.flows.cli import flows
from sccac.mappings.cli import mappings
from sccac.offline.cli import demo
from sccac.salesforce.cli import salesforce


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
