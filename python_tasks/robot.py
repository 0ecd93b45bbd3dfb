"""`robot_offline`: CumulusCI's robot task on the offline backend, which needs no org.

CumulusCI's ``robot`` task is a Salesforce task: it refuses to start without an org and puts the
org's name and URL into the run. The offline suites need neither, so this task takes the same
options (suites, test, include, exclude, skip, vars, options, name, xunit) and runs Robot with
``BACKEND:offline``, without asking for an org.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cumulusci.core.exceptions import RobotTestFailure
from cumulusci.tasks.robotframework import Robot

# Robot Framework's run(), as CumulusCI's robot task imports it. Importing `robot` here directly would
# make mypy (run from the project root) resolve the project's robot/ folder instead of the library.
from cumulusci.tasks.robotframework.robotframework import robot_run

# Robot's exit codes (Robot Framework user guide, "Return codes").
_EXIT_MEANINGS = {250: "250 or more tests failed.", 251: "Help or version information printed.",
                  252: "Invalid test data or command line options.", 253: "Test execution stopped by user."}


class OfflineRobot(Robot):
    task_docs = "Runs the Robot suites on the offline backend (BACKEND:offline): no org, no AWS account."
    salesforce_task = False

    def _update_credentials(self) -> None:
        pass  # no org to refresh a token for

    def _run_task(self) -> None:
        options = dict(self.options["options"])
        for option in ("test", "include", "exclude", "xunit", "name", "skip"):
            if option in self.options:
                options[option] = self.options[option]
        options["variable"] = ["BACKEND:offline", *self.options.get("vars", [])]
        output_dir = (Path(self.working_path) / options.get("outputdir", ".")).resolve()
        options["outputdir"] = str(output_dir)
        self.return_values["robot_outputdir"] = str(output_dir)
        repo_root = str(self.project_config.repo_root) if self.project_config else str(Path.cwd())
        saved_path = sys.path.copy()
        if repo_root not in sys.path:
            sys.path.insert(0, repo_root)  # the keyword library imports sccac from the project
        try:
            failed = robot_run(*self.options["suites"], stdout=sys.stdout, stderr=sys.stderr, **options)
        finally:
            sys.path = saved_path
        if 0 < failed < 250:
            raise RobotTestFailure(f"{failed} test{'' if failed == 1 else 's'} failed.")
        if failed in _EXIT_MEANINGS:
            raise RobotTestFailure(_EXIT_MEANINGS[failed])
        if failed > 253:
            raise RobotTestFailure("Unexpected internal error")


class SccacRobot(OfflineRobot):
    """`cci task run robot`: CumulusCI's robot task with an org (the org backend, as configured in cumulusci.yml),
    and the offline backend without one, instead of refusing to start."""

    task_docs = "With --org: the suites on the org backend. Without an org: the same suites on the offline backend."

    def _update_credentials(self) -> None:
        if self.org_config is not None:
            Robot._update_credentials(self)

    def _run_task(self) -> None:
        if self.org_config is not None:
            Robot._run_task(self)
            return
        self.logger.info("No org: running the suites on the offline backend (BACKEND:offline)")
        self.options["exclude"] = ["org"]
        self.options["vars"] = [v for v in self.options.get("vars", []) if not str(v).startswith("BACKEND:")]
        super()._run_task()
