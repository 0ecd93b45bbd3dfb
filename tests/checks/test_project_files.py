"""sfdx-project.json and orgs/*.json are checked against Salesforce's published JSON schemas, naming file and key."""

from __future__ import annotations

import json

from sccac.checks.project_files import check_project_files
from sccac.checks.runner import run_checks
from tests.checks.conftest import REPO


def test_the_projects_own_files_pass():
    result = check_project_files(REPO)
    assert result.ok, [p.render() for p in result.problems]
    assert result.checked == 1 + len(list((REPO / "orgs").glob("*.json")))


def test_bad_scratch_org_definition_names_file_and_keys(project):
    bad = project.add_file("orgs/dev.json", json.dumps(
        {"edition": "Developerx", "features": ["ServiceCloud", 3], "settings": {"omniChannelSettings": "on"}}
    ))
    result = check_project_files(project.root)
    assert not result.ok
    found = {p.message.split(":")[0] for p in result.problems if p.file == str(bad)}
    assert found == {"key edition", "key features[1]", "key settings.omniChannelSettings"}
    assert any("'Developerx' is not one of" in p.message and "scratch org definition" in p.message for p in result.problems)


def test_package_directory_without_path_names_the_key(project):
    (project.root / "sfdx-project.json").write_text(json.dumps({"packageDirectories": [{"default": True}]}))
    (problem,) = check_project_files(project.root).problems
    assert problem.file == str(project.root / "sfdx-project.json")
    assert problem.message.startswith("key packageDirectories[0]: 'path' is a required property")


def test_scratch_definition_that_is_not_json_gives_its_line(project):
    bad = project.add_file("orgs/qa.json", '{\n  "edition": "Developer",\n  "features": [\n}\n')
    (problem,) = check_project_files(project.root).problems
    assert (problem.file, problem.line, problem.rule) == (str(bad), 4, "json")


def test_without_the_schemas_the_check_fails_saying_how_to_install(tmp_path):
    (tmp_path / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app"}]}')
    (result,) = run_checks(tmp_path, ["project"])
    assert not result.ok
    assert "@salesforce/schemas" in result.problems[0].message and "npm ci" in result.problems[0].message
