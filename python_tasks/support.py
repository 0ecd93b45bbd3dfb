"""What every sccac task shares: library errors turned into CumulusCI's, and deploying a rendered folder."""

from __future__ import annotations

from collections.abc import Iterator
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


def deploy_folder(task: Any, path: Path) -> None:
    """Deploy a Metadata API folder (package.xml + members) to the task's org with CumulusCI's own Deploy task."""
    from cumulusci.tasks.salesforce import Deploy

    task.logger.info(f"Deploying {path}")
    Deploy(task.project_config, TaskConfig({"options": {"path": str(path)}}), task.org_config, logger=task.logger)()
