"""CumulusCI task over `sccac.checks`: the offline Salesforce checks as `cci task run sccac_check`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cumulusci.core.exceptions import CumulusCIFailure
from cumulusci.core.tasks import BaseTask
from cumulusci.core.utils import process_list_arg

from python_tasks.support import cumulusci_errors
from sccac.checks.runner import CHECKS, run_checks, select_checks, summarise


class RunOfflineChecks(BaseTask):
    task_docs = "Validates force-app and unpackaged metadata, Apex and the SAM template offline, without an org."
    task_options = {
        "checks": {"description": f"Checks to run, comma-separated (as `sccac check --checks`), from {', '.join(CHECKS)} "
                              "(default: all)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        with cumulusci_errors():
            self.checks = select_checks(process_list_arg(self.options.get("checks")) or [])

    def _run_task(self):
        root = Path(self.project_config.repo_root)
        results = run_checks(root, self.checks, progress=self._log_progress)
        for line in summarise(results, root).splitlines():
            self.logger.info(line)
        failed = [r.name for r in results if not r.ok and not r.skipped]
        if failed:
            raise CumulusCIFailure(f"Offline checks failed: {', '.join(failed)}")

    @contextmanager
    def _log_progress(self, name: str) -> Iterator[None]:
        self.logger.info(f"Running check: {name}")
        yield
