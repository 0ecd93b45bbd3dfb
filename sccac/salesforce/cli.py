"""`sccac salesforce ...`: render org-specific Salesforce metadata."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from sccac.salesforce.render import (
    CredentialOptions,
    MessagingOptions,
    RenderResult,
    render_credentials,
    render_messaging,
)
from sccac.flows.outputs import OutputPathError, check_folder_target, exit_with, write_failed
from sccac.flows.text import printable
from sccac.salesforce.output import RenderTargetError
from sccac.salesforce.validation import CONNECT_REGIONS, RenderOptionError


@click.group()
def salesforce() -> None:
    """Render and inspect the org-specific Salesforce metadata."""


@salesforce.group()
def render() -> None:
    """Render org-specific metadata into a deployable unpackaged/config directory."""


_FORCE_HELP = (
    "Write into a folder that holds files no render of this kind wrote (files of the same name are "
    "replaced; nothing else is removed). Without it such a folder is refused."
)


def _run(options: MessagingOptions | CredentialOptions, render_call: Callable[[], RenderResult], out_dir: Path) -> RenderResult:
    """Run a render: bad options are usage errors, an unusable --out one line; both exit 2 before any write."""
    try:
        options.validated()  # every option, before the output folder is even looked at
        check_folder_target(out_dir, "--out")
        return render_call()
    except RenderOptionError as exc:
        raise click.UsageError(printable(str(exc))) from exc
    except (OutputPathError, RenderTargetError) as exc:
        exit_with(exc)
    except OSError as exc:
        exit_with(write_failed(Path(exc.filename) if exc.filename else out_dir, exc))


def _report(result: RenderResult) -> None:
    replaced = set(result.replaced)
    for path in result.files:
        note = " (replaced a file no render wrote: --force)" if path in replaced else ""
        click.echo(printable(f"wrote {path}{note}"))


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
@click.option("--force", is_flag=True, help=_FORCE_HELP)
def render_messaging_cmd(out_dir: Path, queue: str, routing: str, flow: str | None, channel_label: str,
                         channel_developer_name: str, existing_definition: str | None, force: bool) -> None:
    """The SCC-AC MessagingChannel (+ its own channel definition and vendor info when the org has none).

    A re-render into the same folder replaces only the files the last messaging render wrote.
    """
    options = MessagingOptions(
        queue=queue,
        routing=routing,
        flow=flow,
        channel_label=channel_label,
        channel_developer_name=channel_developer_name,
        existing_definition=existing_definition,
    )
    result = _run(options, lambda: render_messaging(options, out_dir, force=force), out_dir)
    _report(result)
    how = "existing" if result.uses_existing_definition else "package's own"
    click.echo(f"channel definition: {result.channel_definition} ({how}); link it with a CustomMsgChannel record after deploy")


@render.command("credentials")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("unpackaged/config/connect_credentials"), show_default=True)
@click.option("--region", required=True, help=f"Connect region: {', '.join(CONNECT_REGIONS)}.")
@click.option("--auth", type=click.Choice(["access_key", "sts_role"]), default="access_key", show_default=True)
@click.option("--aws-account-id", default=None, help="12-digit AWS account of the IAM role (with --auth sts_role).")
@click.option("--named-credential", default=None, help="Default: Amazon_Connect_<region>.")
@click.option("--force", is_flag=True, help=_FORCE_HELP)
def render_credentials_cmd(out_dir: Path, region: str, auth: str, aws_account_id: str | None,
                           named_credential: str | None, force: bool) -> None:
    """Named Credential + External Credential (AWS SigV4, service connect) + integration permission set.

    A re-render into the same folder replaces only the files the last credentials render wrote.
    """
    options = CredentialOptions(region=region, auth=auth, aws_account_id=aws_account_id, named_credential=named_credential)
    result = _run(options, lambda: render_credentials(options, out_dir, force=force), out_dir)
    _report(result)
    click.echo("no secrets were written: set the principal's AWS credentials in Setup (see docs/salesforce.md)")
