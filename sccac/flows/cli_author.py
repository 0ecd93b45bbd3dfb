"""`sccac flows build` and `sccac flows lint`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sccac.flows.files import LINT_FORMATS, lint_file, write_flows
from sccac.flows.lint.kinds import KIND_CHOICES, parse_kind
from sccac.flows.lint.report import RENDERERS, exit_code
from sccac.flows.outputs import OutputPathError, check_file_target, check_folder_target, exit_with, write_failed
from sccac.flows.settings import EXAMPLE_NOTE, EXAMPLE_OPTION, SETTING_OPTIONS, cli_flag, example_filled, settings_from_options
from sccac.flows.text import printable
from sccac.vocabulary import Command, format_option

_HELP = {option.name: option.help for option in SETTING_OPTIONS}


def flow_setting_options(required: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The flow settings options (Lambda ARNs, channel address, retry count, name prefix), shared with `sccac connect`."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        # Applied innermost first, so --help lists them in the reverse of this order.
        command = click.option("--name-prefix", default="SCCAC", show_default=True, help=_HELP["name_prefix"])(command)
        command = click.option("--retry-count", default=3, show_default=True, type=int, help=_HELP["retry_count"])(command)
        for name in reversed(("session_lambda_arn", "routing_lambda_arn", "channel_address_identifier")):
            command = click.option(cli_flag(name), default=None, help=f"{_HELP[name]} {required}")(command)
        return command

    return decorate


def every_setting_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """One flag per flow setting, named after it; values are read (and all checked at once) by the library."""
    for option in reversed(SETTING_OPTIONS):
        metavar = "NAME=VALUE" if option.kind == "pairs" else "N" if option.kind == "number" else "TEXT"
        repeat = " Repeatable." if option.kind == "pairs" else ""
        command = click.option(cli_flag(option.name), option.name, default=None, multiple=option.kind == "pairs",
                               metavar=metavar, help=option.describe(cli_flag, "Required unless --example.") + repeat)(command)
    return command


@click.command(cls=Command, renamed={"--routing-attribute": "--routing-attributes"})
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Directory for <kind>.json files.")
@every_setting_option
@click.option(
    "--example",
    is_flag=True,
    help="Fill the values not given with documented example values (account 123456789012). "
    "Example flows are not for Connect: lint rejects their channel address identifier.",
)
@click.option("--force", is_flag=True, help="Replace flow files in --out that an earlier build did not write.")
def build(out_dir: Path, example: bool, force: bool, **settings_options: Any) -> None:
    """Write the six SCC-AC flows as flow-language JSON (deterministic output).

    Every flow setting is a flag named after it (the build_contact_flows task takes the same names). The four
    org-specific values (both Lambda ARNs, the channel address identifier and the fallback queue ARN) are
    required: no placeholder may reach Connect. --example writes flows with example values instead, for trying
    the tools. Every bad value is reported at once (exit 2).
    """
    options = {**settings_options, EXAMPLE_OPTION: example}
    settings = settings_from_options(options, cli_flag)
    filled = example_filled(options)
    if filled:
        click.echo(f"example flows: {', '.join(cli_flag(n) for n in filled)} {EXAMPLE_NOTE}", err=True)
    try:
        check_folder_target(out_dir, "--out")
        written = write_flows(settings, out_dir, force=force)
    except OutputPathError as exc:
        exit_with(exc)
    except OSError as exc:
        exit_with(write_failed(out_dir, exc))
    for built, path in written:
        click.echo(printable(f"wrote {path} ({built.connect_type}, {built.name!r}, {len(built.flow.actions)} actions)"))


@click.command(cls=Command, renamed={"--output": "--out"})
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KIND_CHOICES),
    default=None,
    help="Lint as this SCC-AC flow, or 'generic' for the structural rules only (default: detect).",
)
@format_option(sorted(LINT_FORMATS))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write the report here instead of stdout.")
def lint(paths: tuple[Path, ...], kind: str | None, output_format: str, out: Path | None) -> None:
    """Lint flow JSON files (or every *.json file of a folder, as the lint_contact_flows task does with the same
    path) against the flow language and the SCC-AC rules.

    Exit code 0: no errors; 1: error findings; 2: a file could not be read or parsed.
    """
    files = tuple(path for given in paths for path in (sorted(given.glob("*.json")) if given.is_dir() else [given]))
    if not files:
        raise click.UsageError("no flow files: the folder holds no *.json file")
    forced, generic = parse_kind(kind)
    if out is not None:
        try:
            check_file_target(out, "--out", files)
        except OutputPathError as exc:
            exit_with(exc)
    reports = [lint_file(path, forced, generic=generic) for path in files]
    rendered = RENDERERS[LINT_FORMATS[output_format]](reports)
    if out is not None:
        try:
            out.write_text(rendered, encoding="utf-8")
        except OSError as exc:
            exit_with(write_failed(out, exc))
        click.echo(printable(f"wrote {out}"), err=True)
    else:
        click.echo(rendered, nl=False)
    raise SystemExit(exit_code(reports))

