"""`sccac mappings ...`: check the admin's mapping file, show each Omni-Queue's mapping state, export from the org."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from sccac.mappings.export import dump_mapping_file, entries_from_records
from sccac.mappings.model import DEFAULT_MAPPING_FILE, MappingFileError
from sccac.mappings.reader import read_mapping_file
from sccac.mappings.sides import OmniQueue
from sccac.mappings.status import mapping_status
from sccac.mappings.validate import check_mapping_file, omni_queues_by_name
from sccac.salesforce import org as org_access
from sccac.salesforce.org import OrgSetupError

EXIT_BAD_INPUT = 2
_org_option = click.option("--org", "org_name", default=None, help="CumulusCI org name (cci org list) to check against.")
_file_argument = click.argument("mapping_file", type=click.Path(path_type=Path), default=DEFAULT_MAPPING_FILE, required=False)


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
@_org_option
def validate_cmd(mapping_file: Path, org_name: str | None) -> None:
    """Check MAPPING_FILE (default: unpackaged/config/queue_mappings.yml); with --org, against the org's queues.

    Exit 0 when it can be deployed (warnings allowed), 1 when it has errors, 2 when it cannot be read.
    """
    try:
        mapping = read_mapping_file(mapping_file)
        queues = omni_queues_by_name(_org_queues(org_name)[1]) if org_name else None
    except (MappingFileError, OrgSetupError) as exc:
        _fail(exc)
        return
    problems = check_mapping_file(mapping, queues)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    checked = "against the org" if org_name else "file only (add --org to check the org's queues)"
    click.echo(f"{mapping_file}: {len(mapping.entries)} mappings, {errors} errors, {len(problems) - errors} warnings; {checked}")
    raise SystemExit(1 if errors else 0)


@mappings.command("status")
@_org_option
@click.option("--call-center", default=None, help="Internal name of the contact center when the org has several.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def status_cmd(org_name: str | None, call_center: str | None, output_format: str) -> None:
    """Every Omni-Queue of the org with its Connect queue and state (ok, unmapped, duplicate, ...)."""
    if not org_name:
        _fail("status reads the org: give --org <cci org name>")
        return
    try:
        sf, queues = _org_queues(org_name)
        center = org_access.find_contact_center(sf, call_center)
        routing_map = org_access.read_routing_map(sf, center) if center else None
        rows = mapping_status(queues, org_access.read_deployed_mappings(sf), None, routing_map)
    except OrgSetupError as exc:
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
    except (MappingFileError, OrgSetupError) as exc:
        _fail(exc)
        return
    if out_file.is_dir() or not out_file.parent.is_dir():
        _fail(f"{out_file}: give the path of a file in an existing folder")
    tmp = out_file.with_name(f".{out_file.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out_file)
    click.echo(f"wrote {out_file}")
