"""What every sccac task shares: library errors turned into CumulusCI's, and deploying a rendered folder."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cumulusci.core.config import TaskConfig
from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError

from sccac.errors import SccacError, SccacUsageError


@contextmanager
def cumulusci_errors() -> Iterator[None]:
    """The one place the package's errors become CumulusCI's: usage errors ask the user to change an
    option or a file (TaskOptionsError), failures say the run failed (CumulusCIFailure)."""
    try:
        yield
    except SccacUsageError as exc:
        raise TaskOptionsError(str(exc)) from None
    except SccacError as exc:
        raise CumulusCIFailure(str(exc)) from None


def renamed_task_options(renamed: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """``task_options`` entries for old option names (old -> new): still accepted (`cci task run -o old ...` checks
    the name against task_options), described as deprecated so `cci task info` points at the new name."""
    return {old: {"description": f"Deprecated: use {new}"} for old, new in renamed.items()}


def renamed_options(renamed: Mapping[str, str]) -> Any:
    """Class decorator for a task whose options were renamed (old -> new): it still takes each old name (listed in
    ``task_options`` as deprecated) and :func:`apply_renamed_options` moves it to the new one."""

    def decorate(cls: Any) -> Any:
        cls.renamed_options = dict(renamed)
        cls.task_options = {**cls.task_options, **renamed_task_options(renamed)}
        return cls

    return decorate


def apply_renamed_options(task: Any) -> None:
    """Move each old option (the task's ``renamed_options``: old -> new) to its new name, with a warning; both
    given is a usage error. Call first thing in ``_init_options``, after CumulusCI's own."""
    for old, new in getattr(task, "renamed_options", {}).items():
        if old not in task.options:
            continue
        if task.options.get(new) not in (None, ""):
            raise TaskOptionsError(f"Options {old} and {new} are the same option ({old} is its old name): give {new} only")
        task.logger.warning(f"Option {old} is deprecated; use {new} (the old name will be removed in a later release)")
        task.options[new] = task.options.pop(old)


def deploy_folder(task: Any, path: Path) -> None:
    """Deploy a Metadata API folder (package.xml + members) to the task's org with CumulusCI's own Deploy task."""
    from cumulusci.tasks.salesforce import Deploy

    task.logger.info(f"Deploying {path}")
    Deploy(task.project_config, TaskConfig({"options": {"path": str(path)}}), task.org_config, logger=task.logger)()
