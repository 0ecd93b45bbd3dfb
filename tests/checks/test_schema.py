"""The metadata schema check accepts valid metadata and names file, line and element for invalid metadata."""

from __future__ import annotations

from sccac.checks.schema import check_schema, validate_file

GOOD_FIELD = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Connect_Queue_ARN__c</fullName>
    <label>Connect Queue ARN</label>
    <length>255</length>
    <type>Text</type>
</CustomField>
"""


def test_valid_class_meta_passes(project):
    project.add_class("Ok", "public class Ok {}")
    result = check_schema([project.root / "force-app"])
    assert result.ok, result.problems
    assert result.checked == 1


def test_wrong_element_order_names_file_line_and_element(project):
    meta = project.classes / "Ok.cls-meta.xml"
    project.add_class("Ok", "public class Ok {}", meta="""<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <status>Active</status>
    <apiVersion>63.0</apiVersion>
</ApexClass>
""")
    problems = validate_file(meta)
    assert problems, "status before apiVersion breaks the xsd:sequence"
    first = problems[0]
    assert first.file == str(meta)
    assert first.line == 3
    assert "Element 'status'" in first.message and "not expected" in first.message
    assert "apiVersion" in first.message  # what the schema expected there
    assert "order" in first.message


def test_unknown_element_says_it_may_be_newer_than_the_schema(project):
    path = project.add_file("force-app/main/default/objects/Case/fields/X__c.field-meta.xml",
                            GOOD_FIELD.replace("<type>Text</type>", "<type>Text</type>\n    <futureThing>1</futureThing>"))
    (problem,) = validate_file(path)
    assert "futureThing" in problem.message
    assert "newer than the Metadata API 63.0 schema" in problem.message


def test_bad_enumeration_value_is_reported(project):
    path = project.add_file("force-app/main/default/objects/Case/fields/X__c.field-meta.xml",
                            GOOD_FIELD.replace("<type>Text</type>", "<type>Textual</type>"))
    (problem,) = validate_file(path)
    assert "Textual" in problem.message and problem.line == 6


def test_unknown_root_type_and_broken_xml(project):
    unknown = project.add_file("unpackaged/config/x/things/a.thing", '<?xml version="1.0"?>\n<Thing xmlns="http://soap.sforce.com/2006/04/metadata"/>\n')
    broken = project.add_file("force-app/main/default/classes/B.cls-meta.xml", "<ApexClass xmlns='http://soap.sforce.com/2006/04/metadata'>")
    result = check_schema([project.root / "force-app", project.root / "unpackaged"])
    messages = {p.file: p.message for p in result.problems}
    assert "not a metadata type" in messages[str(unknown)]
    assert "not well-formed" in messages[str(broken)]


def test_good_field_passes(project):
    path = project.add_file("force-app/main/default/objects/Case/fields/X__c.field-meta.xml", GOOD_FIELD)
    assert validate_file(path) == []
