"""`sccac mappings ...`: check the admin's mapping file, show each Omni-Queue's mapping state, export from the org."""

from __future__ import annotations

import json
from pathlib import Path
from collections.abc import Callable
from typing import Any

import click

from sccac.mappings.export import dump_mapping_file, entries_from_records
from sccac.mappings.model import DEFAULT_MAPPING_FILE, MappingFileError
from sccac.mappings.reader import read_mapping_file
from sccac.errors import SccacError
from sccac.mappings.sides import ConnectInstance, OmniQueue
from sccac.mappings.status import mapping_status
from sccac.mappings.validate import check_mapping_file, omni_queues_by_name
from sccac.salesforce import org as org_access
from sccac.vocabulary import format_option

EXIT_BAD_INPUT = 2
_org_option = click.option("--org", "org_name", default=None, help="CumulusCI org name (cci org list) to check against.")
_connect_options = [
    click.option("--instance-id", default=None, help="Connect instance id, ARN or alias to check against (reads its queues)."),
    click.option("--region", default=None, help="AWS region of the instance (default: the profile's)."),
    click.option("--profile", default=None, help="AWS profile (default: the environment's credentials)."),
]


def _with_connect(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_connect_options):
        command = option(command)
    return command


def _instance(instance_id: str | None, region: str | None, profile: str | None) -> ConnectInstance | None:
    if not instance_id:
        return None
    from sccac.connect.mapping import read_instance_view

    return read_instance_view(instance_id, region, profile)


# `--mapping`, as `sccac connect --mapping` and the tasks' `mapping` option; a bare path still works.
_file_argument = click.argument("mapping_file", type=click.Path(path_type=Path), required=False)
_mapping_option = click.option("--mapping", "mapping_option", type=click.Path(path_type=Path), default=None,
                               help=f"The mapping file (default: {DEFAULT_MAPPING_FILE}).")


@click.group()
def mappings() -> None:
    """The Omni-Queue to Amazon Connect queue mapping file."""


def _fail(error: Exception | str) -> None:
    """One clear message, exit 2; a mapping-file error already names its file, line and severity."""
    click.echo(str(error) if isinstance(error, MappingFileError) else f"error: {error}", err=True)
    raise SystemExit(EXIT_BAD_INPUT)


def _org_queues(org_name: str) -> tuple[Any, list[OmniQueue]]:
    from sccac.salesforce.connection import org_client

    sf = org_client(org_name)
    return sf, org_access.read_omni_queues(sf)


@mappings.command("validate")
@_file_argument
@_mapping_option
@_org_option
@_with_connect
def validate_cmd(mapping_file: Path | None, mapping_option: Path | None, org_name: str | None, instance_id: str | None,
                 region: str | None, profile: str | None) -> None:
    """Check the mapping file (--mapping or MAPPING_FILE; default: unpackaged/config/queue_mappings.yml); with --org
    against the org's queues, with --instance-id against the Connect instance's queues and routing profiles.

    Exit 0 when it can be deployed (warnings allowed), 1 when it has errors, 2 when it cannot be read.
    """
    if mapping_file and mapping_option and mapping_file != mapping_option:
        _fail(f"two mapping files given ({mapping_option} and {mapping_file}); give one, with --mapping")
    mapping_file = mapping_option or mapping_file or Path(DEFAULT_MAPPING_FILE)
    try:
        mapping = read_mapping_file(mapping_file)
        queues = omni_queues_by_name(_org_queues(org_name)[1]) if org_name else None
        instance = _instance(instance_id, region, profile)
    except SccacError as exc:
        _fail(exc)
        return
    problems = check_mapping_file(mapping, queues, instance)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    sides = [side for side, used in (("the org", org_name), ("the Connect instance", instance_id)) if used]
    checked = f"against {' and '.join(sides)}" if sides else "file only (add --org and --instance-id to check both sides)"
    click.echo(f"{mapping_file}: {len(mapping.entries)} mappings, {errors} errors, {len(problems) - errors} warnings; {checked}")
    raise SystemExit(1 if errors else 0)


@mappings.command("status")
@_org_option
@click.option("--call-center", default=None, help="Internal name of the contact center when the org has several.")
@format_option(["text", "json"])
@_with_connect
def status_cmd(org_name: str | None, call_center: str | None, output_format: str, instance_id: str | None,
               region: str | None, profile: str | None) -> None:
    """Every Omni-Queue of the org with its Connect queue and state (ok, unmapped, duplicate, ...)."""
    if not org_name:
        _fail("status reads the org: give --org <cci org name>")
        return
    try:
        sf, queues = _org_queues(org_name)
        center = org_access.find_contact_center(sf, call_center)
        routing_map = org_access.read_routing_map(sf, center) if center else None
        rows = mapping_status(queues, org_access.read_deployed_mappings(sf), _instance(instance_id, region, profile), routing_map)
    except SccacError as exc:
        _fail(exc)
        return
    if output_format == "json":
        click.echo(json.dumps([{"omni_queue": r.omni_queue, "connect_queue": r.connect_queue, "state": r.state.value,
                                "advice": r.advice} for r in rows], indent=2))
        return
    width = max([len("Omni-Queue"), *(len(r.omni_queue) for r in rows)])
    target = max([len("Connect queue"), *(len(r.connect_queue) for r in rows)])
    click.echo(f"{'Omni-Queue':<{width}}  {'Connect queue':<{target}}  state")
    for row in rows:
        advice = f" ({row.advice})" if row.advice else ""
        click.echo(f"{row.omni_queue:<{width}}  {row.connect_queue:<{target}}  {row.state.value}{advice}")


@mappings.command("export")
@_org_option
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=DEFAULT_MAPPING_FILE, show_default=True,
              help="File to write; its wiring options (create, quick_connect, routing_profile) are kept.")
def export_cmd(org_name: str | None, out_file: Path) -> None:
    """Write the mapping file from the mapping records the org holds."""
    if not org_name:
        _fail("export reads the org: give --org <cci org name>")
        return
    try:
        current = read_mapping_file(out_file) if out_file.is_file() else None
        from sccac.salesforce.connection import org_client

        text = dump_mapping_file(entries_from_records(org_access.read_deployed_mappings(org_client(org_name)), current))
    except SccacError as exc:
        _fail(exc)
        return
    if out_file.is_dir() or not out_file.parent.is_dir():
        _fail(f"{out_file}: give the path of a file in an existing folder")
    tmp = out_file.with_name(f".{out_file.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out_file)
    click.echo(f"wrote {out_file}")
