"""`sccac connect plan|apply|pull`: wire an Amazon Connect instance for SCC-AC from the queue mappings."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console

from sccac.connect.desired import PROJECT_TAG
from sccac.connect.document import DEFAULT_WIRING_DOCUMENT
from sccac.connect.drift import pull as pull_flows
from sccac.connect.prune import apply_prune, prune_plan
from sccac.connect.render import RichProgress, plan_document, plan_lines, summary_table
from sccac.connect.options import wiring_options_from
from sccac.connect.run import WiringOptions, WiringRun, open_run
from sccac.connect.snapshot import read_instance
from sccac.errors import SccacError
from sccac.mappings.model import DEFAULT_MAPPING_FILE
from sccac.flows.cli_author import flow_setting_options
from sccac.vocabulary import Command, format_option


def _common(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every sub-command takes: where the instance is, the mapping, the flow settings, pacing."""
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option("--instance-id", required=True, help="Connect instance id, ARN or alias."),
        click.option("--region", default=None, help="AWS region of the instance (default: the profile's)."),
        click.option("--profile", default=None, help="AWS profile (default: the environment's credentials)."),
        click.option("--mapping", "mapping", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_MAPPING_FILE,
                     show_default=True, help="The queue mapping file (see `sccac mappings validate`)."),
        click.option("--fallback-queue", default=None, help="Queue name or ARN for contacts routing leaves unqueued (default: the first mapping's)."),
        click.option("--transcription/--no-transcription", default=True, show_default=True,
                     help="Deploy the transcription module and invoke it from the inbound flow."),
        click.option("--quick-connects/--no-quick-connects", default=True, show_default=True,
                     help="Create a queue quick connect per mapped queue (entries can also say quick_connect: false)."),
        click.option("--create-queues", is_flag=True,
                     help="Create every missing Connect queue the mapping names (default: each entry's create flag)."),
        click.option("--routing-profile", default=None,
                     help="Add every mapped queue (chat and task) to this routing profile (entries can name their own)."),
        click.option("--staffing", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="A staffing file: agents' routing profiles and users to create (see docs/connect.md, Agents)."),
        click.option("--hours-of-operation", default="Basic Hours", show_default=True, help="Hours of operation of new queues."),
        click.option("--project-tag", default="sccac", show_default=True,
                     help=f"Value of the {PROJECT_TAG} ownership tag on what the wiring creates; prune deletes only "
                          "resources tagged with it."),
        click.option("--rate", default=2.0, show_default=True, type=float, help="Requests a second (Connect's default quota)."),
        click.option("--burst", default=5, show_default=True, type=int, help="Burst of requests (Connect's default quota)."),
        click.option("--retry-mode", type=click.Choice(["standard", "adaptive"]), default="standard", show_default=True),
        click.option("--max-attempts", default=10, show_default=True, type=int, help="botocore attempts per call, the first included (throttling, time-outs)."),
        click.option("--skip-service-quotas", is_flag=True, help="Use Connect's default quotas without asking Service Quotas."),
        click.option("--offline", is_flag=True,
                     help="Run against a new in-memory Connect instance (no AWS, virtual time, nothing kept): try the commands."),
        flow_setting_options("Required."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


#: Old flags of every sub-command -> the current ones (hidden, with a warning). `--project` was the ownership tag's
#: value, which `sccac check --project` (a folder) made ambiguous.
RENAMED = {"--project": "--project-tag"}


def _errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """One clear line and the error's exit code (2: fix the input; 1: the run failed), no traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SccacError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(exc.exit_code) from None
        except ClientError as exc:
            error = exc.response.get("Error", {})
            click.echo(f"error: {exc.operation_name}: {error.get('Code')}: {error.get('Message')}", err=True)
            raise SystemExit(1) from None
        except BotoCoreError as exc:
            click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
            raise SystemExit(1) from None

    return run


def _options(kw: dict[str, Any]) -> WiringOptions:
    """The command's flags as the library's options (the same names the wire_connect task takes)."""
    return wiring_options_from(kw)


def _open(kw: dict[str, Any]) -> WiringRun:
    run = open_run(_options(kw))
    if run.offline_instance:
        click.echo(f"offline: an in-memory Connect instance {run.offline_instance}; nothing persists", err=True)
    return run


@click.group()
def connect() -> None:
    """Wire an Amazon Connect instance: Lambda functions, queues, the flows and module, quick connects."""


@connect.command(cls=Command, renamed=RENAMED)
@_common
@format_option(["text", "json"])
@click.option("--take-ownership", is_flag=True, help="Plan updates of same-name resources sccac did not create.")
@click.option("--overwrite-console-edits", is_flag=True, help="Plan updates of flows edited since sccac deployed them.")
@_errors
def plan(output_format: str, **kw: Any) -> None:
    """Show what apply would do (reads only)."""
    result = _open(kw).plan()
    if output_format == "json":
        click.echo(json.dumps(plan_document(result.plan, result.stats), indent=2))
    else:
        for line in plan_lines(result.plan, result.stats):
            click.echo(line)


@connect.command(cls=Command, renamed={**RENAMED, "--output": "--out"})
@_common
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_WIRING_DOCUMENT,
              show_default=True, help="JSON document for the Salesforce side: queue ARN per mapping, flow ids, instance.")
@click.option("--take-ownership", is_flag=True, help="Update (and tag) same-name flows, module and quick connects sccac did not create.")
@click.option("--overwrite-console-edits", is_flag=True, help="Replace flows edited in the console since sccac deployed them.")
@_errors
def apply(out: Path, **kw: Any) -> None:
    """Apply the plan; a re-run makes no write calls."""
    run = _open(kw)
    console = Console(stderr=True)
    result = run.apply(RichProgress(console))
    console.print(summary_table(result))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result.output, indent=2) + "\n", encoding="utf-8")
    click.echo(f"wrote {out}")


@connect.command(cls=Command, renamed=RENAMED)
@_common
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/connect/deployed"),
              show_default=True, help="Folder the deployed flows are written to.")
@_errors
def pull(out_dir: Path, **kw: Any) -> None:
    """Write the deployed flows to files and show how they differ from the generated ones."""
    run = _open(kw)
    with run.virtual_time():
        snap = read_instance(run.client, run.desired.instance_id, quick_connects=False)
    for drift in pull_flows(run.desired, snap, out_dir):
        where = f" -> {drift.path}" if drift.path else ""
        click.echo(f"{drift.state:<15} {drift.kind} ({drift.name}){where}")
        if drift.diff:
            click.echo(drift.diff, nl=False)


@connect.command(cls=Command, renamed=RENAMED)
@_common
@click.option("--yes", is_flag=True, help="Delete what the list shows (without it, prune only lists).")
@_errors
def prune(yes: bool, **kw: Any) -> None:
    """List what sccac created that the mapping and flow settings no longer name; delete it with --yes."""
    run = _open(kw)
    with run.virtual_time():
        snap = read_instance(run.client, run.desired.instance_id, quick_connects=True)
        items = prune_plan(run.desired, snap)
        for item in items:
            click.echo(f"- delete   {item.label}")
        if not items:
            click.echo(f"prune: nothing to delete (only resources tagged {PROJECT_TAG}={run.desired.project} are candidates)")
            return
        if not yes:
            click.echo(f"prune: {len(items)} resource(s) would be deleted; run again with --yes to delete them")
            return
        done = apply_prune(run.client, run.desired.instance_id, items)
    click.echo(f"prune: deleted {len(done)} resource(s)")
