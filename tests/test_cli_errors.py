"""Library errors that reach the `sccac` entry point become one line and their exit code, never a traceback."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from sccac.cli import main
from sccac.errors import SccacFailure, SccacUsageError


@pytest.mark.parametrize(("error", "code"), [(SccacUsageError("fix the option --x"), 2), (SccacFailure("AWS said no"), 1)])
def test_errors_become_one_line_and_their_exit_code(error, code):
    @click.command("boom")
    def boom() -> None:
        raise error

    main.add_command(boom)
    try:
        result = CliRunner().invoke(main, ["boom"])
    finally:
        main.commands.pop("boom")
    assert result.exit_code == code
    assert result.output == f"error: {error}\n"
