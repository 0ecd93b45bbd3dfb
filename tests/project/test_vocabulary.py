"""One vocabulary: every `sccac` command's flags and every task's options are walked, and a concept spelled two ways
(`--out` here and `--output` there, `--format human` and `--format text`, `checks` and `--only`) fails here.
Old spellings live only as registered aliases (hidden, with a warning), and the README shows none of them. And the
other way round: one name used for two things (`--project` was the project folder in `sccac check` and the ownership
tag's value in `sccac connect`) fails too, unless allowlisted with why."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shlex
from collections.abc import Iterator
from dataclasses import fields

import click
import pytest

import python_tasks
from sccac.cli import main
from sccac.flows.builders import FlowSettings
from sccac.flows.files import LINT_FORMATS
from sccac.vocabulary import FORMAT_ALIASES, TEXT_FORMAT, Choice
from tests.project.test_readme_commands import CCI, SCCAC

# Spellings of one concept: at most one of each row may be in use (CLI flags as option names, and task options).
SYNONYMS = {
    "where a command writes": {"out", "output", "out_dir", "output_dir", "outdir", "out_path", "output_path", "out_file",
                               "output_file", "render_path", "render_dir", "dest", "destination"},
    "a selection of checks": {"checks", "check", "only", "select", "checks_to_run"},
    "the SAM stack": {"sam_stack", "stack_name", "stack"},
    "the mapping file": {"mapping", "mapping_file", "mapping_path", "mappings_file"},
    "the Lambda timeout": {"lambda_timeout", "lambda_timeout_seconds", "timeout", "lambda_timeout_secs"},
    "routing attributes": {"routing_attributes", "routing_attribute", "routing_attrs"},
    "the Connect instance": {"instance_id", "instance", "connect_instance", "instance_arn"},
    "the channel's developer name": {"channel_name", "channel_developer_name"},  # (simulate --channel: CHAT or TASK)
}
READABLE_FORMATS = {"text", "human", "plain", "pretty", "table"}

# The other way round: one name, one meaning. A name used by two commands or tasks whose texts (first clause, brackets
# and defaults aside) differ says here what it means, as a pattern each of its texts must match.
MEANINGS = {
    "out": ("where a command writes", r"\b(writ\w*|folder|directory|file|document)\b"),
    "path": ("what a task reads from disk", r"\b(files?|folders?|bundle)\b"),
    "force": ("write into a folder holding files sccac did not write", r"--out|\bout\b|folder"),
    "instance_id": ("the Connect instance", r"Connect instance id, ARN or alias"),
    "region": ("the AWS region", r"\b(AWS|Connect) region\b"),
    "mapping": ("the queue mapping file", r"mapping file"),
    "retry_count": ("the flows' Lambda retries", r"Lambda attempts in each retry loop"),
    "channel_address_identifier": ("the MessagingChannel's address", r"ChannelAddressIdentifier"),
    "channel_name": ("the MessagingChannel's developer name", r"Channel developer name"),
    "session_lambda_arn": ("the CreateMessagingSession function", r"CreateMessagingSession (Lambda function )?ARN"),
    "routing_lambda_arn": ("the Routing function", r"Routing (Lambda function )?ARN"),
    "take_ownership": ("adopt what sccac did not create", r"same-name .* sccac did not create"),
    "overwrite_console_edits": ("replace console edits", r"edited (in the console )?since sccac deployed them"),
    "named_credential": ("the Connect callout's Named Credential", r"Named Credential"),
    "sam_stack": ("the SAM stack", r"SAM (\(CloudFormation\) )?stack"),
    "secret_name": ("the Lambdas' secret", r"Secrets Manager secret"),
    "staffing": ("the staffing file", r"staffing file"),
}
# Homonyms left as they are, each with what it means there and what fixes it: (name, where) -> why.
HOMONYMS_ALLOWED: dict[tuple[str, str], str] = {}


def _name(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def commands(group: click.Group = main, path: str = "sccac") -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group, info_name=path)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


def cli_options() -> Iterator[tuple[str, str, click.Option]]:
    """(command, option name, option) for every long flag of every command, --help aside."""
    for where, command in commands():
        for param in command.params:
            if isinstance(param, click.Option):
                for flag in [*param.opts, *param.secondary_opts]:
                    if flag.startswith("--") and flag != "--help":
                        yield where, _name(flag), param


def task_classes() -> Iterator[type]:
    for module_info in pkgutil.iter_modules(python_tasks.__path__):
        module = importlib.import_module(f"python_tasks.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and isinstance(cls.__dict__.get("task_options"), dict):
                yield cls


def task_options() -> Iterator[tuple[str, str]]:
    """(task class, option name) of every option that is not a registered old spelling."""
    for cls in task_classes():
        renamed = getattr(cls, "renamed_options", {})
        for name in cls.task_options:
            if name not in renamed:
                yield cls.__name__, name


def test_the_walk_sees_every_command_and_task():
    names = {where for where, _ in commands()}
    assert {"sccac flows build", "sccac flows lint", "sccac check", "sccac connect apply", "sccac demo",
            "sccac mappings export", "sccac salesforce render messaging"} <= names
    assert {"BuildContactFlows", "LintContactFlows", "RunOfflineChecks", "WireConnect", "DeployLambdas",
            "DeployQueueMappings"} <= {cls.__name__ for cls in task_classes()}


@pytest.mark.parametrize("concept", sorted(SYNONYMS))
def test_one_spelling_per_concept(concept):
    used: dict[str, set[str]] = {}
    for where, name, _ in cli_options():
        used.setdefault(name, set()).add(where)
    for task, name in task_options():
        used.setdefault(name, set()).add(f"task {task}")
    spellings = {name: sorted(where) for name, where in used.items() if name in SYNONYMS[concept]}
    assert len(spellings) <= 1, f"{concept} is spelled {len(spellings)} ways: {spellings}"


def _value_kind(option: click.Option) -> str:
    """What a flag takes: a path, nothing (a switch), or a value (text, a number, a choice: read alike)."""
    if option.is_flag or option.type == click.BOOL:
        return "switch"
    return "path" if isinstance(option.type, (click.Path, click.File)) else "value"


def _gist(text: str | None) -> str:
    """A help text's first clause without brackets: what the name stands for, defaults and notes aside."""
    text = re.sub(r"^(True|False):\s*", "", text or "")  # a task's switch says which value does it
    if re.match(r"(Default|Required)\b", text):
        return ""  # says nothing of what the name stands for
    first = re.split(r"(?<=\.)\s|;|\(|:\s", text, maxsplit=1)[0]
    return " ".join(re.sub(r"[^\w:-]+", " ", first).lower().split())


def name_uses() -> dict[str, list[tuple[str, str | None, str]]]:
    """Option name -> (where, the flag's value kind or None for a task option, its help text) of each use, but the
    allowed homonyms. A flag and a task option of one name are one concept by design (see above)."""
    uses: dict[str, list[tuple[str, str | None, str]]] = {}
    for where, name, option in cli_options():
        uses.setdefault(name, []).append((where, _value_kind(option), option.help or ""))
    for cls in task_classes():
        renamed = getattr(cls, "renamed_options", {})
        for name, spec in cls.task_options.items():
            if name not in renamed:
                uses.setdefault(name, []).append((f"task {cls.__name__}", None, spec.get("description") or ""))
    return {name: [use for use in found if (name, use[0]) not in HOMONYMS_ALLOWED] for name, found in uses.items()}


_FILLER = {"the", "of", "a", "an", "to", "in", "on", "for", "and", "or", "its", "it", "this", "that", "with", "what",
           "from", "by", "be", "is", "as", "at", "each", "every", "instead", "here", "not", "only", "use"}


def _words(text: str, name: str) -> set[str]:
    """The words a text says its name with, the name's own words and filler aside."""
    return {word for word in re.findall(r"[a-z0-9]+", _gist(text))
            if len(word) > 2 and word not in _FILLER and word not in name.split("_")}


def _texts_differ(name: str, found: list[tuple[str, str | None, str]]) -> bool:
    """Two commands, or two tasks, describe the name differently; or the commands' help and the tasks' descriptions
    (written apart, in their own styles) share not one word."""
    commands = [text for _, kind, text in found if kind is not None and _gist(text)]
    tasks = [text for _, kind, text in found if kind is None and _gist(text)]
    if any(len({_gist(text) for text in texts}) > 1 for texts in (commands, tasks)):
        return True
    return bool(commands and tasks) and not (set().union(*(_words(text, name) for text in commands))
                                             & set().union(*(_words(text, name) for text in tasks)))


def test_a_flag_takes_one_kind_of_value_in_every_command():
    # `sccac check --project DIR` (a path) and `sccac connect --project NAME` (text) were one flag with two meanings.
    mixed = {name: sorted({f"{kind} in {where}" for where, kind, _ in found if kind})
             for name, found in name_uses().items() if len({kind for _, kind, _ in found if kind}) > 1}
    assert mixed == {}, f"one flag name, different kinds of value: rename one of them: {mixed}"


def test_a_name_used_twice_means_one_thing():
    homonyms: dict[str, list[str]] = {}
    for name, found in name_uses().items():
        if not _texts_differ(name, found):
            continue
        if name not in MEANINGS:
            homonyms[name] = sorted(f"{where}: {text!r}" for where, _, text in found)
            continue
        pattern = MEANINGS[name][1]
        off = sorted(f"{where}: {text!r}" for where, _, text in found
                     if _gist(text) and not re.search(pattern, text, re.IGNORECASE))
        if off:
            homonyms[name] = [f"not {MEANINGS[name][0]!r}", *off]
    assert homonyms == {}, ("a name with different texts: if it means one thing, say so in MEANINGS; if not, rename "
                            f"one use: {homonyms}")


def test_the_allowed_homonyms_are_in_use_and_each_meaning_is_needed():
    uses = {(name, where) for where, name, _ in cli_options()}
    uses |= {(name, f"task {cls.__name__}") for cls in task_classes() for name in cls.task_options}
    assert set(HOMONYMS_ALLOWED) <= uses, sorted(set(HOMONYMS_ALLOWED) - uses)
    shared = {name for name, found in name_uses().items() if _texts_differ(name, found)}
    assert set(MEANINGS) <= shared, f"no longer used with different texts: {sorted(set(MEANINGS) - shared)}"


def test_one_name_for_the_readable_report_format():
    values: dict[str, set[str]] = {}
    for where, name, option in cli_options():
        if name == "format" and isinstance(option.type, click.Choice):
            for value in option.type.choices:
                values.setdefault(str(value), set()).add(where)
    for value in LINT_FORMATS:  # the lint task's format option takes the CLI's names
        values.setdefault(value, set()).add("task LintContactFlows")
    readable = {value: sorted(where) for value, where in values.items() if value in READABLE_FORMATS}
    assert list(readable) == [TEXT_FORMAT], readable
    # Wherever `text` is a format, the old `human` still works (a hidden alias with a warning).
    for where, name, option in cli_options():
        if name == "format" and TEXT_FORMAT in getattr(option.type, "choices", ()):
            assert isinstance(option.type, Choice) and option.type.aliases == FORMAT_ALIASES, where
    assert "human" not in values and FORMAT_ALIASES == {"human": TEXT_FORMAT}


def test_old_spellings_are_hidden_aliases_of_names_in_use():
    for where, command in commands():
        flags = {flag for param in command.params for flag in getattr(param, "opts", [])}
        for old, new in getattr(command, "renamed", {}).items():
            assert new in flags and old not in flags, f"{where}: {old} -> {new}"
    for cls in task_classes():
        for old, new in getattr(cls, "renamed_options", {}).items():
            assert new in cls.task_options, f"{cls.__name__}: {old} -> {new}"
            assert cls.task_options[old]["description"] == f"Deprecated: use {new}"


def test_every_flow_setting_has_the_same_name_on_the_command_line_and_in_the_task():
    from python_tasks.flows import BuildContactFlows

    build = dict(commands())["sccac flows build"]
    flags = {_name(flag) for param in build.params for flag in getattr(param, "opts", [])}
    settings = {field.name for field in fields(FlowSettings)}
    assert settings <= flags and settings <= set(BuildContactFlows.task_options)
    # And the rest of build's flags are the task's options too (out, example, force).
    assert flags <= set(BuildContactFlows.task_options)


def test_lint_takes_the_same_options_on_the_command_line_and_in_the_task():
    from python_tasks.flows import LintContactFlows

    lint = dict(commands())["sccac flows lint"]
    flags = {_name(flag) for param in lint.params for flag in getattr(param, "opts", []) if flag.startswith("--")}
    assert flags - {"help"} <= set(LintContactFlows.task_options)


@pytest.mark.parametrize("command", SCCAC)
def test_the_readme_shows_no_old_spelling(command, capsys):
    args = shlex.split(command)[1:]
    cmd: click.Command = main
    ctx = click.Context(main, info_name="sccac")
    while isinstance(cmd, click.Group) and args and not args[0].startswith("-"):
        cmd = cmd.get_command(ctx, args[0]) or cmd
        args = args[1:]
    renamed = getattr(cmd, "renamed", {})
    assert not [arg for arg in args if arg.partition("=")[0] in renamed], f"{command}: use {renamed}"
    assert not any(a == "--format" and b in FORMAT_ALIASES for a, b in zip(args, args[1:])), command


@pytest.mark.parametrize("command", [c for c in CCI if " -o " in c])
def test_the_readme_gives_tasks_no_old_option_name(command):
    words = shlex.split(command)
    old = {name for cls in task_classes() for name in getattr(cls, "renamed_options", {})}
    given = {words[i + 1] for i, word in enumerate(words) if word == "-o"}
    assert not given & old, command


def test_an_old_flag_and_an_old_format_still_work_and_say_the_new_spelling(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["check", "--only", "nonsense", "--project", str(tmp_path)])
    assert "warning: --only is deprecated; use --checks" in result.stderr
    assert result.exit_code == 2 and "unknown check(s) nonsense" in result.stderr
    help_text = CliRunner().invoke(main, ["check", "--help"]).output
    assert "--checks" in help_text and "--only" not in help_text


def test_wire_connect_takes_every_flag_of_sccac_connect_apply_by_the_same_name():
    from python_tasks.connect import WireConnect

    apply = dict(commands())["sccac connect apply"]
    flags = {_name(flag) for param in apply.params for flag in getattr(param, "opts", []) if flag.startswith("--")}
    assert flags - {"help"} <= set(WireConnect.task_options), sorted(flags - set(WireConnect.task_options))


def test_an_old_flag_is_renamed_in_both_forms_and_never_after_the_double_dash(capsys):
    from sccac.vocabulary import renamed_args

    args = ["--output=report.txt", "--kind", "generic", "--output", "r2.txt", "--", "--output"]
    assert renamed_args(args, {"--output": "--out"}) == ["--out=report.txt", "--kind", "generic", "--out", "r2.txt",
                                                         "--", "--output"]
    assert capsys.readouterr().err.count("warning: --output is deprecated; use --out") == 2


def _step_options(flow_steps: dict) -> Iterator[tuple[str, dict]]:
    """(task name, options) of every task step, and of every task a flow step configures."""
    for step in flow_steps.values():
        if "task" in step:
            yield step["task"], step.get("options") or {}
        else:
            yield from (step.get("options") or {}).items()


def test_cumulusci_yml_gives_our_tasks_only_current_option_names():
    import yaml

    from tests.project.test_readme_commands import REPO

    config = yaml.safe_load((REPO / "cumulusci.yml").read_text())
    # Every task class, those that inherit their options too.
    classes = {f"python_tasks.{info.name}.{name}": cls for info in pkgutil.iter_modules(python_tasks.__path__)
               for name, cls in inspect.getmembers(importlib.import_module(f"python_tasks.{info.name}"), inspect.isclass)
               if isinstance(getattr(cls, "task_options", None), dict)}
    ours = {name: classes[task["class_path"]] for name, task in config["tasks"].items()
            if task.get("class_path") in classes}
    uses = [(name, task.get("options") or {}) for name, task in config["tasks"].items() if name in ours]
    for flow in config["flows"].values():
        uses += [(name, options) for name, options in _step_options(flow.get("steps") or {}) if name in ours]
    wrong = [f"{name}: {option}" for name, options in uses for option in options
             if option not in ours[name].task_options or option in getattr(ours[name], "renamed_options", {})]
    assert ours and uses
    assert wrong == []
