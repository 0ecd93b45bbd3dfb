"""`sccac flows build` and `sccac flows lint`."""

from __future__ import annotations

from pathlib import Path

import click

from sccac.flows.builders import FlowKind, FlowSettings, FlowSettingsError, build_all
from sccac.flows.lint import lint_flow
from sccac.flows.lint.report import RENDERERS, FileReport, exit_code
from sccac.flows.model import FlowFormatError, parse_flow

# Obviously-example defaults (account 123456789012) so `build` runs with no options. The
# channel address identifier is a well-formed random UUID so the output passes the placeholder
# rule; the Connect wiring task replaces it with the MessagingChannel's real one.
EXAMPLE_ACCOUNT = "123456789012"
EXAMPLE_INSTANCE = "5f1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f80"
DEFAULTS = {
    "session_lambda_arn": f"arn:aws:lambda:us-east-1:{EXAMPLE_ACCOUNT}:function:sccac-CreateMessagingSession",
    "routing_lambda_arn": f"arn:aws:lambda:us-east-1:{EXAMPLE_ACCOUNT}:function:sccac-Routing",
    "channel_address_identifier": "9b7e4c2a-6d1f-4e8b-a3c5-2f0d8e6b4a17",
    "fallback_queue_arn": (
        f"arn:aws:connect:us-east-1:{EXAMPLE_ACCOUNT}:instance/{EXAMPLE_INSTANCE}/queue/0e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b40"
    ),
}


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
    out_dir.mkdir(parents=True, exist_ok=True)
    for built in build_all(settings):
        path = out_dir / f"{built.kind.value}.json"
        path.write_text(built.flow.to_json(), encoding="utf-8")
        click.echo(f"wrote {path} ({built.connect_type}, {built.name!r}, {len(built.flow.actions)} actions)")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice([k.value for k in FlowKind]), default=None, help="Lint as this SCC-AC flow (default: detect).")
@click.option("--format", "output_format", type=click.Choice(sorted(RENDERERS)), default="human", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the report here instead of stdout.")
def lint(files: tuple[Path, ...], kind: str | None, output_format: str, output: Path | None) -> None:
    """Lint flow JSON files against the flow language and the SCC-AC rules.

    Exit code 0: no errors; 1: error findings; 2: a file could not be read or parsed.
    """
    forced = FlowKind(kind) if kind else None
    reports = [_lint_file(path, forced) for path in files]
    rendered = RENDERERS[output_format](reports)
    if output is not None:
        output.write_text(rendered, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(rendered, nl=False)
    raise SystemExit(exit_code(reports))


def _lint_file(path: Path, kind: FlowKind | None) -> FileReport:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return FileReport(str(path), None, None, f"cannot read the file ({exc.strerror or exc})")
    except UnicodeDecodeError:
        return FileReport(str(path), None, None, "the file is not UTF-8 text")
    try:
        flow = parse_flow(text)
    except FlowFormatError as exc:
        return FileReport(str(path), text, None, str(exc))
    return FileReport(str(path), text, lint_flow(flow, kind))
