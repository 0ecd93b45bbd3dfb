"""The runner reports a check that cannot run (tool missing or failed) as a FAIL line, but never hides a bug as one."""

from __future__ import annotations

import pytest

from sccac.checks import runner
from sccac.checks.results import ToolMissing


def test_tool_problems_are_failures_with_the_reason(monkeypatch, tmp_path):
    def needs_java(root):
        raise ToolMissing("java is not on PATH; install a Java 17 runtime")

    monkeypatch.setitem(runner.CHECKS, "apex", needs_java)
    [result] = runner.run_checks(tmp_path, ["apex"])
    assert not result.ok and result.problems[0].rule == "tool"
    assert "install a Java 17 runtime" in result.problems[0].message


def test_a_bug_in_a_check_is_not_reported_as_a_tool_problem(monkeypatch, tmp_path):
    def buggy(root):
        return {}["missing"]

    monkeypatch.setitem(runner.CHECKS, "apex", buggy)
    with pytest.raises(KeyError):
        runner.run_checks(tmp_path, ["apex"])
