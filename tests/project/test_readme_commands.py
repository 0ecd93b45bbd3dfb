"""Every `sccac` and `cci` command the README shows is a real command with real options: sccac commands are
parsed by the CLI itself (nothing runs), cci tasks and flows are looked up in cumulusci.yml and their -o options in
the task classes. A renamed command or option fails here before a reader tries it."""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from sccac.cli import main

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(prefixes: tuple[str, ...]) -> list[str]:
    text = README.replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        for chunk in [line.strip(), *re.findall(r"`([^`]+)`", line)]:
            command = chunk.split("  #", 1)[0].strip()
            # "plan|apply|pull" and "..." are prose shorthands, not commands.
            if command.startswith(prefixes) and "..." not in command and "|" not in command:
                found.append(command)
    return sorted(set(found))


SCCAC = _commands(("sccac ",))
CCI = _commands(("cci task run ", "cci flow run "))


def test_the_readme_shows_commands_of_both_kinds():
    assert len(SCCAC) >= 12 and len(CCI) >= 4


@pytest.mark.parametrize("command", SCCAC)
def test_sccac_commands_parse(command):
    args = shlex.split(command)[1:]
    cmd: click.Command = main
    ctx = click.Context(main, info_name="sccac")
    while isinstance(cmd, click.Group) and args and not args[0].startswith("-"):
        sub = cmd.get_command(ctx, args[0])
        assert sub is not None, f"{command}: no command {args[0]!r}"
        cmd, args = sub, args[1:]
        ctx = click.Context(cmd, parent=ctx, info_name=cmd.name)
    try:
        cmd.make_context(cmd.name, list(args), parent=ctx)
    except click.MissingParameter:
        pass  # a required option the README leaves to the reader (shown elsewhere on the same page)
    except click.UsageError as exc:
        pytest.fail(f"{command}: {exc.format_message()}")


def _task_classes() -> dict[str, type]:
    project = yaml.safe_load((REPO / "cumulusci.yml").read_text(encoding="utf-8"))
    standard = yaml.safe_load((Path(importlib.import_module("cumulusci").__file__).parent / "cumulusci.yml").read_text())
    classes = {}
    for name, config in {**standard["tasks"], **project["tasks"]}.items():
        path = (project["tasks"].get(name) or {}).get("class_path") or (standard["tasks"].get(name) or {}).get("class_path")
        if path:
            module, _, attr = path.rpartition(".")
            classes[name] = getattr(importlib.import_module(module), attr)
    return classes


@pytest.mark.parametrize("command", CCI)
def test_cci_commands_name_real_tasks_flows_and_options(command):
    words = shlex.split(command)
    project = yaml.safe_load((REPO / "cumulusci.yml").read_text(encoding="utf-8"))
    if words[1] == "flow":
        standard = yaml.safe_load((Path(importlib.import_module("cumulusci").__file__).parent / "cumulusci.yml").read_text())
        assert words[3] in {**standard["flows"], **project["flows"]}, f"{command}: no flow {words[3]}"
        return
    task = _task_classes().get(words[3])
    assert task is not None, f"{command}: no task {words[3]}"
    options = [words[i + 1] for i, word in enumerate(words) if word == "-o"]
    unknown = [o for o in options if o not in (task.task_options or {})]
    assert not unknown, f"{command}: {task.__name__} has no option {', '.join(unknown)}"
