"""`sccac flows simulate` and `sccac flows diagram`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sccac.flows.diagram import DiagramRenderError, to_d2, to_mermaid, to_svg
from sccac.flows.model import Flow, FlowFormatError, load_flow
from sccac.flows.outputs import OutputPathError, check_file_target, exit_with, write_failed
from sccac.flows.scenario import Scenario, ScenarioError, load_scenario
from sccac.flows.shape import shape_problems
from sccac.flows.simulator import DEFAULT_MAX_STEPS, MAX_STEPS_LIMIT
from sccac.flows.simulator import simulate as run_simulation
from sccac.flows.simulator_contact import CHANNELS
from sccac.flows.simulator_trace import OutcomeKind
from sccac.flows.text import printable
from sccac.vocabulary import Command, format_option

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_BAD_INPUT = 2
EXIT_STUCK = 3  # the run ended stuck (a step budget spent in a cycle, a branch with no target)


def _load(path: str) -> Flow:
    try:
        return load_flow(path)
    except FlowFormatError as exc:
        click.echo(f"error: {printable(str(exc))}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None


def _text_value(value: str, item: str, option: str) -> None:
    # Arguments that are not valid UTF-8 arrive as lone surrogates, which no output can print.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise click.BadParameter(f"{printable(item)!r} is not valid UTF-8 text", param_hint=option) from None


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        _text_value(item, item, option)
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{printable(item)!r} is not KEY=VALUE (with a non-empty KEY)", param_hint=option)
        out[key] = value
    return out


def _lambda_results(values: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """``[ROLE_OR_ARN:]KEY=VALUE`` -> {role or "*": {key: value}}."""
    out: dict[str, dict[str, str]] = {}
    for item in values:
        _text_value(item, item, "--lambda-result")
        left, sep, value = item.partition("=")
        target, colon, key = left.rpartition(":")
        if not sep or not key.strip() or (colon and not target.strip()):
            raise click.BadParameter(
                f"{printable(item)!r} is not [ROLE:]KEY=VALUE (ROLE is session, routing or a function ARN; KEY is not empty)",
                param_hint="--lambda-result",
            )
        out.setdefault(target if colon else "*", {})[key] = value
    return out


def _modules(values: tuple[str, ...]) -> dict[str, Path]:
    """``ID=FILE`` -> {id: path}; each FILE must be an existing file (read when the flow invokes ID)."""
    out: dict[str, Path] = {}
    for key, value in _pairs(values, "--module").items():
        path = Path(value)
        if not value or not path.is_file():
            problem = "is a folder" if path.is_dir() else "is not a regular file" if path.exists() else "does not exist"
            raise click.BadParameter(f"{printable(key)}={printable(value)}: the file {problem}", param_hint="--module")
        out[key] = path
    return out


# --queue was the working queue's ARN here, but an Omni-Queue developer name in `sccac salesforce render messaging`.
@click.command(cls=Command, renamed={"--queue": "--queue-arn"})
@click.argument("flow_file", type=click.Path(dir_okay=False))
@click.option("--scenario", "scenario_file", type=click.Path(dir_okay=False), help="YAML/JSON scenario (docs/flows-simulation.md).")
@click.option("--attribute", "attributes", multiple=True, metavar="KEY=VALUE", help="Initial contact attribute (repeatable).")
@click.option("--channel", type=click.Choice(CHANNELS), help="Contact channel (default CHAT).")
@click.option("--agent", "agent_user_name", metavar="USER_NAME", help="$.Agent.UserName (agent transfer flows).")
@click.option("--queue-arn", metavar="QUEUE_ARN", help="Working queue already set, a Connect queue ARN (queue transfer flows).")
@click.option("--lambda-fails", type=click.IntRange(min=0), help="Every Lambda fails its first N calls.")
@click.option(
    "--lambda-result",
    "lambda_results",
    multiple=True,
    metavar="[ROLE:]KEY=VALUE",
    help="A key of the Lambda result; ROLE is session, routing or a function ARN (repeatable).",
)
@click.option(
    "--module",
    "modules",
    multiple=True,
    metavar="ID=FILE",
    help="Flow module (or flow) to run when the flow invokes ID (repeatable).",
)
@click.option(
    "--max-steps",
    type=click.IntRange(min=1, max=MAX_STEPS_LIMIT),
    help=f"Step budget before the run counts as stuck (default {DEFAULT_MAX_STEPS}, at most {MAX_STEPS_LIMIT:,}).",
)
@format_option(["text", "json"])
def simulate(
    flow_file: str,
    scenario_file: str | None,
    attributes: tuple[str, ...],
    channel: str | None,
    agent_user_name: str | None,
    queue_arn: str | None,
    lambda_fails: int | None,
    lambda_results: tuple[str, ...],
    modules: tuple[str, ...],
    max_steps: int | None,
    output_format: str,
) -> None:
    """Run FLOW_FILE block by block with given contact data and Lambda behaviour.

    Exit 0 when the run completes (and matches the scenario's `expect`), 1 when the outcome
    differs from `expect`, 2 when an input file cannot be used, 3 when the run ends stuck and
    the scenario does not expect that.
    """
    # Options first: a bad value is a usage error, never "the simulator cannot run this flow".
    for option, value in (("--agent", agent_user_name), ("--queue-arn", queue_arn)):
        if value is not None:
            _text_value(value, value, option)
    attribute_values = _pairs(attributes, "--attribute")
    lambda_values = _lambda_results(lambda_results)
    module_paths = _modules(modules)
    flow = _load(flow_file)
    problems = shape_problems(flow)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        message = f"error: {flow_file}: cannot simulate this flow: {shown} (see `sccac flows lint {flow_file}`)"
        click.echo(printable(message), err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    try:
        scenario = load_scenario(scenario_file) if scenario_file else Scenario(source="<command line>")
        scenario = scenario.with_overrides(
            channel=channel,
            agent_user_name=agent_user_name,
            queue_arn=queue_arn,
            lambda_fails=lambda_fails,
            max_steps=max_steps,
            attributes=attribute_values,
            lambda_results=lambda_values,
            modules=module_paths,
        )
        trace = run_simulation(flow, scenario.contact, scenario.invoker(), scenario.options())
    except ScenarioError as exc:
        click.echo(f"error: {printable(str(exc))}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except Exception as exc:  # noqa: BLE001  (a malformed flow or module must not end in a traceback)
        message = (
            f"error: {flow_file}: the simulator cannot run this flow ({type(exc).__name__}: {exc}); "
            f"see `sccac flows lint {flow_file}` (and the --module files), and report it if lint finds no error"
        )
        click.echo(printable(message), err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    mismatches = scenario.expect.mismatches(trace) if scenario.expect else []
    if output_format == "json":
        payload = trace.to_dict()
        payload["scenario"] = {"name": scenario.name, "source": scenario.source, "mismatches": mismatches}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        if scenario.name:
            click.echo(printable(f"scenario: {scenario.name}"))
        click.echo(trace.render())
        if scenario.expect:
            click.echo("expectation: " + ("met" if not mismatches else "NOT met"))
            for problem in mismatches:
                click.echo(printable(f"  - {problem}"))
    if mismatches:
        raise SystemExit(EXIT_MISMATCH)
    outcome = trace.outcome
    expected_stuck = scenario.expect is not None and scenario.expect.outcome is OutcomeKind.STUCK
    if outcome is not None and outcome.kind is OutcomeKind.STUCK and not expected_stuck:
        # A stuck run is a broken flow whatever the scenario checks: CI must notice it.
        click.echo(printable(f"error: {flow_file}: the run ended stuck: {outcome.reason}"), err=True)
        raise SystemExit(EXIT_STUCK)
    raise SystemExit(EXIT_OK)


@click.command()
@click.argument("flow_file", type=click.Path(dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["mermaid", "d2", "svg"]), default="mermaid", show_default=True)
@click.option("--out", "out_path", type=click.Path(), help="Write here instead of standard output.")
@click.option("--title", help="Diagram title (default: the flow's Metadata name, else the file name).")
@click.option("--layout", type=click.Choice(["dagre", "elk"]), default="dagre", show_default=True, help="D2 layout engine (svg).")
def diagram(flow_file: str, output_format: str, out_path: str | None, title: str | None, layout: str) -> None:
    """Draw FLOW_FILE as Mermaid text, D2 text, or SVG (rendered by the bundled D2 binary)."""
    if out_path:
        try:
            check_file_target(Path(out_path), "--out", [Path(flow_file)])
        except OutputPathError as exc:
            exit_with(exc)
    flow = _load(flow_file)
    metadata_name = flow.metadata.get("name") if isinstance(flow.metadata, dict) else None
    name = title or (metadata_name if isinstance(metadata_name, str) and metadata_name.strip() else None) or Path(flow_file).stem
    try:
        if output_format == "mermaid":
            text = to_mermaid(flow, name)
        elif output_format == "d2":
            text = to_d2(flow, name)
        else:
            text = _svg(flow, name, layout)
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001  (odd input must not end in a traceback)
        message = f"error: {flow_file}: cannot draw this flow ({type(exc).__name__}: {exc}); see `sccac flows lint {flow_file}`"
        click.echo(printable(message), err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    if out_path:
        try:
            Path(out_path).write_text(text, encoding="utf-8")
        except OSError as exc:
            exit_with(write_failed(Path(out_path), exc))
        click.echo(printable(f"wrote {out_path}"), err=True)
    else:
        click.echo(text, nl=False)


def _svg(flow: Flow, name: str, layout: str) -> str:
    try:
        return to_svg(flow, name, layout=layout)
    except DiagramRenderError as exc:
        raise click.ClickException(str(exc)) from None
