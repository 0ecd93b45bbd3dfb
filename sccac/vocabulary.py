"""The one vocabulary of `sccac` commands and the CumulusCI tasks, and the old spellings that still work.

One name per concept everywhere: ``--out`` / ``out`` for what a command writes, ``--format text`` for the readable
report, ``--checks`` / ``checks`` for a selection of checks, a flow setting's FlowSettings field name for its option
(``--lambda-timeout-seconds`` / ``lambda_timeout_seconds``). A renamed flag or format value is still accepted, hidden
from ``--help``, with a warning naming the new spelling, so a user's script keeps working while it is updated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import click

TEXT_FORMAT = "text"
#: Old --format values -> the current one.
FORMAT_ALIASES = {"human": TEXT_FORMAT}


def deprecation(old: str, new: str) -> str:
    return f"warning: {old} is deprecated; use {new} (the old spelling will be removed in a later release)"


class Command(click.Command):
    """A command that still accepts its renamed flags (``renamed``: old flag -> new flag), with a warning."""

    def __init__(self, *args: Any, renamed: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.renamed = dict(renamed or {})

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, renamed_args(args, self.renamed))


def renamed_args(args: Sequence[str], renamed: Mapping[str, str]) -> list[str]:
    """``args`` with each old flag (``--old`` or ``--old=value``) spelled the new way; nothing after ``--``."""
    out: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return out + list(args[index:])
        flag, eq, value = arg.partition("=")
        if flag in renamed:
            click.echo(deprecation(flag, renamed[flag]), err=True)
            arg = renamed[flag] + eq + value
        out.append(arg)
    return out


class Choice(click.Choice):
    """A choice that also takes old values (``aliases``: old -> current), hidden from --help, with a warning."""

    def __init__(self, choices: Sequence[str], aliases: Mapping[str, str] | None = None) -> None:
        super().__init__(choices)
        self.aliases = {old: new for old, new in (aliases or {}).items() if new in choices}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value in self.aliases:
            click.echo(deprecation(value, self.aliases[value]), err=True)
            value = self.aliases[value]
        return super().convert(value, param, ctx)


def format_option(choices: Sequence[str], default: str = TEXT_FORMAT, **kwargs: Any) -> Any:
    """``--format``: ``text`` is the readable report everywhere (``human`` still works)."""
    return click.option("--format", "output_format", type=Choice(choices, FORMAT_ALIASES), default=default,
                        show_default=True, **kwargs)


def split_values(values: Iterable[str]) -> list[str]:
    """A list option as both front ends give it: a repeated flag, comma-separated items, or both."""
    return [item.strip() for value in values for item in str(value).split(",") if item.strip()]
