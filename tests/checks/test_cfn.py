"""The SAM template check runs cfn-lint and reports each problem with its line."""

from __future__ import annotations

from sccac.checks.runner import run_checks

BAD_TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python9.9
      Handler: x.y
"""


def test_invalid_template_fails_with_rule_and_line(project):
    project.add_file("aws/template.yaml", BAD_TEMPLATE)
    (result,) = run_checks(project.root, ["cfn"])
    assert not result.ok
    assert {p.rule for p in result.problems} >= {"cfn-lint:E3003", "cfn-lint:E3030"}
    assert any(p.line == 6 and "python9.9" in p.message for p in result.problems)


def test_project_without_template_is_skipped_not_failed(project):
    (result,) = run_checks(project.root, ["cfn"])
    assert result.skipped and not result.problems
