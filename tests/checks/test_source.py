"""The deployable-shape check runs `sf project convert` and reports the offending file."""

from __future__ import annotations

from sccac.checks.source import convert_source


def test_clean_project_converts(project):
    project.add_class("Fine", "public with sharing class Fine {}")
    result = convert_source(project.root)
    assert result.ok, result.problems


def test_file_of_unknown_type_fails_naming_it(project):
    project.add_class("Fine", "public with sharing class Fine {}")
    odd = project.add_file("force-app/main/default/weird/a.zap-meta.xml",
                           '<?xml version="1.0"?>\n<Zap xmlns="http://soap.sforce.com/2006/04/metadata"/>\n')
    result = convert_source(project.root)
    assert not result.ok
    assert any(p.file == str(odd) and "Could not infer a metadata type" in p.message for p in result.problems)


def test_class_without_meta_file_fails(project):
    orphan = project.add_class("Orphan", "public with sharing class Orphan {}", meta=None)
    result = convert_source(project.root)
    assert [p.file for p in result.problems] == [str(orphan)]
    assert "Orphan.cls-meta.xml" in result.problems[0].message


def test_bad_unpackaged_bundle_fails(project):
    project.add_file("unpackaged/config/broken/package.xml",
                     '<?xml version="1.0"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>63.0</version></Package>\n')
    bad = project.add_file("unpackaged/config/broken/classes/X.cls-meta.xml", "<ApexClass")
    result = convert_source(project.root)
    assert not result.ok
    assert any(p.file == str(bad) and "convert mdapi" in p.message for p in result.problems), result.problems
