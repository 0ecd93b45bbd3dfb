"""`python -m sccac.checks`: the same as `sccac check`."""

from sccac.checks.cli import check

check(prog_name="python -m sccac.checks")
