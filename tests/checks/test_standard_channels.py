"""Rule: a ServiceChannel for an object the org already has a channel for is reported with the fix."""

from __future__ import annotations

from sccac.checks.runner import run_checks

CHANNEL = """<?xml version="1.0" encoding="UTF-8"?>
<ServiceChannel xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>{label}</label>
    <relatedEntityType>{entity}</relatedEntityType>
</ServiceChannel>
"""


def test_case_channel_in_a_bundle_is_reported_with_the_fix(project):
    path = project.add_file("unpackaged/config/omni/serviceChannels/My_Case.serviceChannel",
                            CHANNEL.format(label="My Case", entity="Case"))
    (result,) = run_checks(project.root, ["channels"])
    (problem,) = result.problems
    assert (problem.file, problem.line, problem.rule) == (str(path), 4, "standard-service-channel")
    assert "a ServiceChannel for Case" in problem.message
    assert "Do not deploy another: use the org's channel" in problem.message
    assert "RelatedEntity = 'Case'" in problem.message


def test_messaging_session_channel_in_force_app_names_the_standard_one(project):
    project.add_file("force-app/main/default/serviceChannels/Chat.serviceChannel-meta.xml",
                     CHANNEL.format(label="Chat", entity="MessagingSession"))
    (result,) = run_checks(project.root, ["channels"])
    assert not result.ok and "sfdc_livemessage" in result.problems[0].message


def test_channel_for_a_custom_object_passes(project):
    project.add_file("force-app/main/default/serviceChannels/Refunds.serviceChannel-meta.xml",
                     CHANNEL.format(label="Refunds", entity="Refund_Request__c"))
    (result,) = run_checks(project.root, ["channels"])
    assert result.ok and result.checked == 1


def test_object_names_match_whatever_their_case(tmp_path):
    from sccac.checks.standard_channels import check_standard_channels

    folder = tmp_path / "unpackaged" / "config" / "omni" / "serviceChannels"
    folder.mkdir(parents=True)
    (folder / "Cases.serviceChannel").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<ServiceChannel xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <label>Cases</label>\n    <relatedEntityType>case</relatedEntityType>\n</ServiceChannel>\n", encoding="utf-8")
    result = check_standard_channels([tmp_path / "unpackaged"])
    assert [p.rule for p in result.problems] == ["standard-service-channel"]
