"""The Apex checks run the real language server and PMD and fail on broken Apex, naming the file."""

from __future__ import annotations

from sccac.checks.apex import apex_files, pmd, typecheck
from sccac.checks.runner import run_checks
from tests.checks.conftest import REPO


def test_type_error_fails_with_file_and_line(project):
    bad = project.add_class("Broken", """public with sharing class Broken {
    public static Integer run() {
        String s = 5;
        return 1;
    }
}
""")
    result = typecheck(project.root, REPO)
    assert not result.ok
    (problem,) = [p for p in result.problems if p.file == str(bad)]
    assert problem.line == 3
    assert "Incompatible types" in problem.message


def test_unknown_custom_field_is_reported(project):
    project.add_class("UsesField", """public with sharing class UsesField {
    public static Case make() { return new Case(Not_There__c = 'x'); }
}
""")
    result = typecheck(project.root, REPO)
    assert any("Not_There__c" in p.message for p in result.problems)


def test_clean_class_passes_typecheck_and_pmd(project):
    project.add_class("Fine", """public with sharing class Fine {
    public static Integer twice(Integer value) { return value * 2; }
}
""")
    assert typecheck(project.root, REPO).ok
    assert pmd(apex_files([project.root / "force-app"]), REPO).ok


def test_pmd_flags_dml_in_a_loop(project):
    bad = project.add_class("Loopy", """public with sharing class Loopy {
    public static void touch(List<Case> cases) {
        for (Case c : cases) {
            update as user c;
        }
    }
}
""")
    result = pmd([bad], REPO)
    rules = {p.rule for p in result.problems if p.file == str(bad)}
    assert "pmd:OperationWithLimitsInLoop" in rules


def test_private_static_member_used_from_another_class_is_reported(project):
    project.add_class("Owner", """public with sharing class Owner {
    @TestVisible private static void helper() {}
    static Integer counter = 0;
    public static void open() {}
}
""")
    caller = project.add_class("Caller", """public with sharing class Caller {
    public static void run() {
        Owner.open();
        Owner.helper();
        Integer n = Owner.counter;
    }
}
""")
    project.add_class("OwnerTest", """@IsTest
private class OwnerTest {
    @IsTest static void usesTestVisible() { Owner.helper(); }
}
""")
    (result,) = run_checks(project.root, ["apex"])
    found = {(p.file, p.line, p.message.split(" ")[0]) for p in result.problems}
    assert found == {(str(caller), 4, "Owner.helper"), (str(caller), 5, "Owner.counter")}
    assert typecheck(project.root, REPO).ok, "apex-ls alone lets this through: the visibility check is what catches it"
