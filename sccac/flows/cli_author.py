"""`sccac flows build` and `sccac flows lint`."""

from __future__ import annotations

from pathlib import Path

import click

from sccac.flows.builders import FlowKind, FlowSettings, FlowSettingsError
from sccac.flows.files import EXAMPLE_SETTINGS, lint_file, write_flows
from sccac.flows.lint.kinds import KIND_CHOICES, parse_kind
from sccac.flows.lint.report import RENDERERS, exit_code

DEFAULTS = EXAMPLE_SETTINGS


@click.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Directory for <kind>.json files.")
@click.option("--session-lambda-arn", default=DEFAULTS["session_lambda_arn"], show_default=True)
@click.option("--routing-lambda-arn", default=DEFAULTS["routing_lambda_arn"], show_default=True)
@click.option(
    "--channel-address-identifier",
    default=DEFAULTS["channel_address_identifier"],
    show_default=True,
    help="MessagingChannel.ChannelAddressIdentifier (the wiring task substitutes the org's real one).",
)
@click.option("--fallback-queue-arn", default=DEFAULTS["fallback_queue_arn"], show_default=True)
@click.option("--retry-count", default=3, show_default=True, type=int, help="Lambda attempts in each retry loop (1..100).")
@click.option("--name-prefix", default="SCCAC", show_default=True)
def build(
    out_dir: Path,
    session_lambda_arn: str,
    routing_lambda_arn: str,
    channel_address_identifier: str,
    fallback_queue_arn: str,
    retry_count: int,
    name_prefix: str,
) -> None:
    """Write the five SCC-AC flows as flow-language JSON (deterministic output)."""
    try:
        settings = FlowSettings(
            session_lambda_arn=session_lambda_arn,
            routing_lambda_arn=routing_lambda_arn,
            channel_address_identifier=channel_address_identifier,
            fallback_queue_arn=fallback_queue_arn,
            retry_count=retry_count,
            name_prefix=name_prefix,
        )
    except FlowSettingsError as exc:
        option = "--" + exc.field.replace("_", "-")
        raise click.BadParameter(str(exc), param_hint=option) from None
    for built, path in write_flows(settings, out_dir):
        click.echo(f"wrote {path} ({built.connect_type}, {built.name!r}, {len(built.flow.actions)} actions)")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KIND_CHOICES),
    default=None,
    help="Lint as this SCC-AC flow, or 'generic' for the structural rules only (default: detect).",
)
@click.option("--format", "output_format", type=click.Choice(sorted(RENDERERS)), default="human", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the report here instead of stdout.")
def lint(files: tuple[Path, ...], kind: str | None, output_format: str, output: Path | None) -> None:
    """Lint flow JSON files against the flow language and the SCC-AC rules.

    Exit code 0: no errors; 1: error findings; 2: a file could not be read or parsed.
    """
    forced, generic = parse_kind(kind)
    reports = [lint_file(path, forced, generic=generic) for path in files]
    rendered = RENDERERS[output_format](reports)
    if output is not None:
        output.write_text(rendered, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(rendered, nl=False)
    raise SystemExit(exit_code(reports))

