"""Bad input and faults end as one clear line or a FAIL naming the file, never a traceback; hung tools are stopped."""

from __future__ import annotations

import io
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sccac.checks import tools
from sccac.checks.apex import apex_files
from sccac.checks.apex_visibility import check_visibility
from sccac.checks.cli import check
from sccac.checks.progress import TerminalProgress, for_stream
from sccac.checks.runner import run_checks
from tests.checks.conftest import REPO


def _invoke(args, cwd=None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(check, args)
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(check, args)
    finally:
        os.chdir(old)


def _no_traceback(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_no_project_file_anywhere_is_one_line_and_exit_2(tmp_path):
    result = _invoke(["--checks", "schema"], cwd=tmp_path)
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"sccac check: {tmp_path.resolve() / 'sfdx-project.json'}: not found here or in any parent folder; "
        "run from the project root or pass --project"
    ]


def test_project_option_without_project_file_is_exit_2(tmp_path):
    result = _invoke(["--project", str(tmp_path)])
    _no_traceback(result)
    assert result.exit_code == 2 and "sfdx-project.json: not found" in result.stderr


@pytest.mark.parametrize("content, expected", [
    ('{"packageDirectories": [', "sfdx-project.json:1: not valid JSON"),
    ("[1, 2]", "must be a JSON object, not list"),
    (b"\xff\xfe{}", "cannot read the SFDX project file (not UTF-8 text)"),
])
def test_malformed_project_file_is_exit_2_naming_it(project, content, expected):
    config = project.root / "sfdx-project.json"
    config.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = _invoke(["--project", str(project.root)])
    _no_traceback(result)
    assert result.exit_code == 2 and expected in result.stderr


def test_project_file_that_is_a_folder_is_exit_2(tmp_path):
    (tmp_path / "sfdx-project.json").mkdir()
    result = _invoke(["--project", str(tmp_path)])
    _no_traceback(result)
    assert result.exit_code == 2 and "cannot read the SFDX project file" in result.stderr


def test_missing_package_directory_fails_instead_of_passing_zero(project):
    (project.root / "sfdx-project.json").write_text(json.dumps({"packageDirectories": [{"path": "src"}]}))
    result = _invoke(["--project", str(project.root), "--checks", "schema", "--checks", "channels"])
    _no_traceback(result)
    assert result.exit_code == 1
    assert "0 checked" not in result.output
    assert result.output.count(
        "sfdx-project.json: [project] key packageDirectories[0].path names 'src', which is not a folder"
    ) == 2


def test_package_directory_entry_without_path_names_the_key(project):
    (project.root / "sfdx-project.json").write_text(json.dumps({"packageDirectories": [{"default": True}]}))
    result = _invoke(["--project", str(project.root), "--checks", "schema", "--checks", "project"])
    _no_traceback(result)
    assert result.exit_code == 1
    assert "key packageDirectories[0].path is missing" in result.output  # the schema check cannot run
    assert "key packageDirectories[0]: 'path' is a required property" in result.output  # the JSON schema says why


def test_unreadable_metadata_file_is_a_problem_naming_it(project, monkeypatch):
    project.add_class("Fine", "public with sharing class Fine {}")
    meta = project.classes / "Fine.cls-meta.xml"
    real = Path.read_bytes

    def read_bytes(self):
        if self == meta:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    (result,) = run_checks(project.root, ["schema"])
    (problem,) = result.problems
    assert problem.file == str(meta) and "cannot read the file (Permission denied)" in problem.message


def test_unreadable_apex_sources_are_problems_not_crashes(project):
    fine = project.add_class("Fine", "public with sharing class Fine {}")
    latin1 = project.classes / "Latin.cls"
    latin1.write_bytes("public class Latin { String s = 'caf\u00e9'; }".encode("latin-1"))
    (project.classes / "Folder.cls").mkdir()  # a folder with an Apex suffix is not Apex
    files = apex_files([project.root / "force-app"])
    assert files == [fine, latin1]
    result = check_visibility(files)
    assert [(p.file, p.message) for p in result.problems] == [(str(latin1), "cannot read the Apex source (not UTF-8 text)")]
    assert result.checked == 1


def _fake_tool(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n{body}\n")
    tool.chmod(0o755)
    return tool


def _project_with_fake_sf(tmp_path: Path, body: str) -> Path:
    root = tmp_path / "proj"
    (root / "force-app").mkdir(parents=True)
    (root / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app"}]}')
    _fake_tool(root / "node_modules" / ".bin", "sf", body)
    return root


def test_hung_sf_ends_as_a_fail_line_within_the_limit(tmp_path, monkeypatch):
    # The child `sleep` keeps the output pipe open: the whole process group has to be stopped.
    root = _project_with_fake_sf(tmp_path, "sleep 30")
    monkeypatch.setattr(tools, "TOOL_TIMEOUT_S", 1.0)
    start = time.monotonic()
    (result,) = run_checks(root, ["convert"])
    assert time.monotonic() - start < 10
    (problem,) = result.problems
    assert problem.rule == "tool"
    assert problem.message == "sf project convert source did not finish within 1 s and was stopped"


def test_hung_java_ends_as_a_fail_line(tmp_path, project, monkeypatch):
    project.add_class("Fine", "public with sharing class Fine {}")
    jars = tmp_path / "jars"
    jars.mkdir()
    (jars / "apex-ls-fake.jar").write_bytes(b"")
    _fake_tool(tmp_path / "bin", "java", "sleep 30")
    monkeypatch.setenv("SCCAC_APEX_JARS", str(jars))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(tools, "TOOL_TIMEOUT_S", 1.0)
    (result,) = run_checks(project.root, ["apex"])
    assert [p.message for p in result.problems] == ["apex-ls CheckForIssues did not finish within 1 s and was stopped"]


def test_every_sf_run_has_update_checks_and_telemetry_off(tmp_path):
    dump = tmp_path / "env.txt"
    root = _project_with_fake_sf(tmp_path, f"env > {dump}; echo '{{\"status\": 0}}'")
    (result,) = run_checks(root, ["convert"])
    assert result.ok, result.problems
    env = dict(line.split("=", 1) for line in dump.read_text().splitlines() if "=" in line)
    for name in ("SF_AUTOUPDATE_DISABLE", "SF_DISABLE_AUTOUPDATE", "SF_DISABLE_TELEMETRY", "SF_SKIP_NEW_VERSION_CHECK"):
        assert env[name] == "true", name


def test_make_runs_sf_with_update_checks_and_telemetry_off(tmp_path):
    # An extra rule that prints the environment make gives its recipes (the npm ci step among them).
    for name in ("SF_AUTOUPDATE_DISABLE", "SF_DISABLE_AUTOUPDATE", "SF_DISABLE_TELEMETRY", "SF_SKIP_NEW_VERSION_CHECK"):
        out = subprocess.run(
            ["make", "-s", "-f", str(REPO / "Makefile"), "--eval", "sccac-env-%: ; @printenv $*", f"sccac-env-{name}"],
            cwd=tmp_path, capture_output=True, text=True, timeout=30, check=False,
            env={k: v for k, v in os.environ.items() if not k.startswith("SF_")},
        )
        assert out.stdout.strip() == "true", (name, out.stderr)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_counts_seconds_while_a_check_runs():
    stream = _Terminal()
    progress = TerminalProgress(stream, interval=0.05)
    with progress("apex"):
        time.sleep(0.3)
    shown = stream.getvalue()
    assert shown.startswith("\r\x1b[Krunning apex ...")
    assert shown.count("running apex ... 0 s") >= 2  # the line is rewritten while the check runs
    assert shown.endswith("s\n") and "ran apex in 0." in shown


def test_no_progress_when_output_is_not_a_terminal(project):
    assert for_stream(io.StringIO()) is None
    project.add_class("Fine", "public with sharing class Fine {}")
    result = _invoke(["--project", str(project.root), "--checks", "schema"])
    assert result.exit_code == 0
    assert result.stderr == "" and "running" not in result.output
