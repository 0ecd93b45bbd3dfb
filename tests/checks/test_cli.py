"""`sccac check` prints a summary per check and exits non-zero when any check fails."""

from __future__ import annotations

from click.testing import CliRunner

from sccac.checks.cli import check


def test_failing_project_exits_1_and_names_the_file(project):
    project.add_class("Broken", "public with sharing class Broken { Integer x = 'a'; }")
    result = CliRunner().invoke(check, ["--project", str(project.root), "--checks", "apex", "--checks", "schema"])
    assert result.exit_code == 1, result.output
    assert "FAIL  Apex type check" in result.output
    assert "force-app/main/default/classes/Broken.cls:1" in result.output
    assert "PASS  metadata schema" in result.output


def test_clean_project_exits_0(project):
    project.add_class("Fine", "public with sharing class Fine {}")
    result = CliRunner().invoke(check, ["--project", str(project.root), "--checks", "schema", "--checks", "convert", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"ok": true' in result.output
