"""`sccac salesforce ...`: render org-specific Salesforce metadata."""

from __future__ import annotations

from pathlib import Path

import click

from sccac.salesforce.render import (
    CredentialOptions,
    MessagingOptions,
    RenderResult,
    render_credentials,
    render_messaging,
)
from sccac.salesforce.validation import CONNECT_REGIONS, RenderOptionError


@click.group()
def salesforce() -> None:
    """Render and inspect the org-specific Salesforce metadata."""


@salesforce.group()
def render() -> None:
    """Render org-specific metadata into a deployable unpackaged/config directory."""


def _report(result: RenderResult) -> None:
    for path in result.files:
        click.echo(f"wrote {path}")


@render.command("messaging")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("unpackaged/config/messaging"), show_default=True)
@click.option("--queue", required=True, help="Developer name of the Omni-Queue (the fallback queue when routing by flow).")
@click.option("--routing", type=click.Choice(["queue", "flow"]), default="queue", show_default=True)
@click.option("--flow", default=None, help="Developer name of the Omni-Flow (with --routing flow).")
@click.option("--channel-label", default="Amazon Connect Chat", show_default=True)
@click.option("--channel-name", "channel_developer_name", default="SCCAC_Amazon_Connect_Chat", show_default=True)
@click.option(
    "--existing-definition",
    default=None,
    help="Developer name of the org's SCC-AC 'Chat Channel Definition AWS SCC'; omit to deploy the package's own.",
)
def render_messaging_cmd(out_dir: Path, queue: str, routing: str, flow: str | None, channel_label: str,
                         channel_developer_name: str, existing_definition: str | None) -> None:
    """The SCC-AC MessagingChannel (+ its own channel definition and vendor info when the org has none)."""
    try:
        result = render_messaging(
            MessagingOptions(
                queue=queue,
                routing=routing,
                flow=flow,
                channel_label=channel_label,
                channel_developer_name=channel_developer_name,
                existing_definition=existing_definition,
            ),
            out_dir,
        )
    except RenderOptionError as exc:
        raise click.UsageError(str(exc)) from exc
    _report(result)
    how = "existing" if result.uses_existing_definition else "package's own"
    click.echo(f"channel definition: {result.channel_definition} ({how}); link it with a CustomMsgChannel record after deploy")


@render.command("credentials")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("unpackaged/config/connect_credentials"), show_default=True)
@click.option("--region", required=True, help=f"Connect region: {', '.join(CONNECT_REGIONS)}.")
@click.option("--auth", type=click.Choice(["access_key", "sts_role"]), default="access_key", show_default=True)
@click.option("--aws-account-id", default=None, help="12-digit AWS account of the IAM role (with --auth sts_role).")
@click.option("--named-credential", default=None, help="Default: Amazon_Connect_<region>.")
def render_credentials_cmd(out_dir: Path, region: str, auth: str, aws_account_id: str | None,
                           named_credential: str | None) -> None:
    """Named Credential + External Credential (AWS SigV4, service connect) + integration permission set."""
    try:
        result = render_credentials(
            CredentialOptions(region=region, auth=auth, aws_account_id=aws_account_id, named_credential=named_credential),
            out_dir,
        )
    except RenderOptionError as exc:
        raise click.UsageError(str(exc)) from exc
    _report(result)
    click.echo("no secrets were written: set the principal's AWS credentials in Setup (see docs/salesforce.md)")
