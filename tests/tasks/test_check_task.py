"""The sccac_check CumulusCI task: bad options are TaskOptionsError, a failing project fails the task."""

from __future__ import annotations

import pytest
from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.tasks.salesforce.tests.util import create_task

from python_tasks.checks import RunOfflineChecks
from tests.checks.conftest import Project


@pytest.fixture
def project(tmp_path):
    return Project(tmp_path / "proj")


def _task(project, options):
    task = create_task(RunOfflineChecks, options)
    task.project_config.repo_info["root"] = str(project.root)
    return task


def test_unknown_check_is_an_option_error():
    with pytest.raises(TaskOptionsError, match="(?i)unknown check.*nonsense"):
        create_task(RunOfflineChecks, {"checks": "schema,nonsense"})


def test_failing_project_fails_the_task_naming_the_check(project):
    project.add_class("Broken", "public with sharing class Broken { Integer x = 'a'; }")
    with pytest.raises(CumulusCIFailure, match="Apex type check"):
        _task(project, {"checks": "schema,apex"})()


def test_clean_project_passes(project):
    project.add_class("Fine", "public with sharing class Fine {}")
    _task(project, {"checks": "schema,apex"})()
