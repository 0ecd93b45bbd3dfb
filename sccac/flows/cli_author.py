"""`sccac flows build` and `sccac flows lint`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sccac.flows.builders import FlowSettings, FlowSettingsError
from sccac.flows.files import EXAMPLE_ACCOUNT, EXAMPLE_SETTINGS, REQUIRED_SETTINGS, lint_file, write_flows
from sccac.flows.lint.ignore import unknown as unknown_prefixes
from sccac.flows.lint.kinds import KIND_CHOICES, parse_kind
from sccac.flows.lint.report import RENDERERS, exit_code
from sccac.flows.outputs import OutputPathError, check_file_target, check_folder_target, exit_with, write_failed
from sccac.flows.text import printable

_SETTING_HELP = {
    "session_lambda_arn": "CreateMessagingSession Lambda function ARN.",
    "routing_lambda_arn": "Routing Lambda function ARN.",
    "channel_address_identifier": "ChannelAddressIdentifier of the Salesforce MessagingChannel (a UUID).",
    "fallback_queue_arn": "Connect queue ARN used when routing returns no queue.",
}


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def flow_setting_options(required: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The flow settings options (Lambda ARNs, channel address, retry count, name prefix), shared with `sccac connect`."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        # Applied innermost first, so --help lists them in the reverse of this order.
        command = click.option("--name-prefix", default="SCCAC", show_default=True)(command)
        command = click.option("--retry-count", default=3, show_default=True, type=int,
                               help="Lambda attempts in each retry loop (1..100).")(command)
        for name in reversed(("session_lambda_arn", "routing_lambda_arn", "channel_address_identifier")):
            command = click.option(_option(name), default=None, help=f"{_SETTING_HELP[name]} {required}")(command)
        return command

    return decorate


def _name_values(pairs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{printable(pair)!r} is not NAME=VALUE", param_hint="--routing-attribute")
        out.append((name.strip(), value.strip()))
    return tuple(out)


@click.command()
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Directory for <kind>.json files.")
@click.option("--fallback-queue-arn", default=None, help=_SETTING_HELP["fallback_queue_arn"] + " Required unless --example.")
@flow_setting_options("Required unless --example.")
@click.option("--transcription-module-arn", default=None,
              help="ARN of the deployed transcription flow module; the inbound flow invokes it first.")
@click.option("--disconnect-flow-arn", default=None,
              help="ARN of the deployed disconnect flow with re-queue; the inbound flow sets it as its disconnect flow.")
@click.option("--salesforce-queue-id", default=None,
              help="Routing override: the Omni-Queue (00G...) to route to (Routing block parameter salesforceQueueId).")
@click.option("--salesforce-flow-id", default=None,
              help="Routing override: the Omni-Flow to route with; needs --salesforce-flow-fallback-queue-id.")
@click.option("--salesforce-flow-fallback-queue-id", default=None, help="The Omni-Flow's fallback Omni-Queue (00G...).")
@click.option("--routing-attribute", "routing_attributes", multiple=True, metavar="NAME=VALUE",
              help="Sent to the Omni-Flow as routing attribute NAME (repeatable; with --salesforce-flow-id). "
              "VALUE may be a JSONPath such as $.Attributes.tier.")
@click.option(
    "--example",
    is_flag=True,
    help="Fill the values not given with documented example values (account 123456789012). "
    "Example flows are not for Connect: lint rejects their channel address identifier.",
)
@click.option("--force", is_flag=True, help="Replace flow files in --out that an earlier build did not write.")
def build(
    out_dir: Path,
    session_lambda_arn: str | None,
    routing_lambda_arn: str | None,
    channel_address_identifier: str | None,
    fallback_queue_arn: str | None,
    retry_count: int,
    name_prefix: str,
    transcription_module_arn: str | None,
    disconnect_flow_arn: str | None,
    salesforce_queue_id: str | None,
    salesforce_flow_id: str | None,
    salesforce_flow_fallback_queue_id: str | None,
    routing_attributes: tuple[str, ...],
    example: bool,
    force: bool,
) -> None:
    """Write the six SCC-AC flows as flow-language JSON (deterministic output).

    The four org-specific values (both Lambda ARNs, the channel address identifier and the
    fallback queue ARN) are required: no placeholder may reach Connect. --example writes
    flows with example values instead, for trying the tools.
    """
    given = {
        "session_lambda_arn": session_lambda_arn,
        "routing_lambda_arn": routing_lambda_arn,
        "channel_address_identifier": channel_address_identifier,
        "fallback_queue_arn": fallback_queue_arn,
    }
    missing = [name for name in REQUIRED_SETTINGS if not given[name]]
    if missing and not example:
        raise click.UsageError(
            f"missing {', '.join(_option(n) for n in missing)}: the flows need the org's real values "
            "(or pass --example for example flows that are not for Connect)"
        )
    values = {name: given[name] or EXAMPLE_SETTINGS[name] for name in REQUIRED_SETTINGS}
    try:
        settings = FlowSettings(
            session_lambda_arn=values["session_lambda_arn"],
            routing_lambda_arn=values["routing_lambda_arn"],
            channel_address_identifier=values["channel_address_identifier"],
            fallback_queue_arn=values["fallback_queue_arn"],
            retry_count=retry_count,
            name_prefix=name_prefix,
            transcription_module_arn=transcription_module_arn,
            disconnect_flow_arn=disconnect_flow_arn,
            salesforce_queue_id=salesforce_queue_id,
            salesforce_flow_id=salesforce_flow_id,
            salesforce_flow_fallback_queue_id=salesforce_flow_fallback_queue_id,
            routing_attributes=_name_values(routing_attributes),
        )
    except FlowSettingsError as exc:
        hint = "--routing-attribute" if exc.field == "routing_attributes" else _option(exc.field)
        raise click.BadParameter(str(exc), param_hint=hint) from None
    if missing:
        click.echo(
            f"example flows: {', '.join(_option(n) for n in missing)} set to example values (account {EXAMPLE_ACCOUNT}); "
            "not for Connect, and `sccac flows lint` rejects the example channel address identifier (SCCAC-FLOW-026)",
            err=True,
        )
    try:
        check_folder_target(out_dir, "--out")
        written = write_flows(settings, out_dir, force=force)
    except OutputPathError as exc:
        exit_with(exc)
    except OSError as exc:
        exit_with(write_failed(out_dir, exc))
    for built, path in written:
        click.echo(printable(f"wrote {path} ({built.connect_type}, {built.name!r}, {len(built.flow.actions)} actions)"))


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KIND_CHOICES),
    default=None,
    help="Lint as this SCC-AC flow, or 'generic' for the structural rules only (default: detect).",
)
@click.option("--format", "output_format", type=click.Choice(sorted(RENDERERS)), default="human", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Write the report here instead of stdout.")
@click.option("--ignore-rules", "ignore_rules", multiple=True, metavar="PREFIX",
              help="Do not run the rules whose id starts with PREFIX (e.g. SCCAC-DESIGNER); repeatable.")
def lint(files: tuple[Path, ...], kind: str | None, output_format: str, output: Path | None, ignore_rules: tuple[str, ...]) -> None:
    """Lint flow JSON files (or every *.json file of a folder, as the lint_contact_flows task does) against the
    flow language and the SCC-AC rules.

    Exit code 0: no errors; 1: error findings; 2: a file could not be read or parsed.
    """
    files = tuple(path for given in files for path in (sorted(given.glob("*.json")) if given.is_dir() else [given]))
    if not files:
        raise click.UsageError("no flow files: the folder holds no *.json file")
    forced, generic = parse_kind(kind)
    if unknown_prefixes(ignore_rules):
        shown = ", ".join(repr(p) for p in unknown_prefixes(ignore_rules))
        raise click.BadParameter(f"{printable(shown)} matches no lint rule (see the rules table in docs/flows.md)", param_hint="--ignore-rules")
    if output is not None:
        try:
            check_file_target(output, "--output", files)
        except OutputPathError as exc:
            exit_with(exc)
    reports = [lint_file(path, forced, generic=generic, ignore_rules=ignore_rules) for path in files]
    rendered = RENDERERS[output_format](reports)
    if output is not None:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as exc:
            exit_with(write_failed(output, exc))
        click.echo(printable(f"wrote {output}"), err=True)
    else:
        click.echo(rendered, nl=False)
    raise SystemExit(exit_code(reports))

