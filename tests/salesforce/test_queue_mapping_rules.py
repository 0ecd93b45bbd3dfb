"""The static resource SCCAC_Queue_Mapping_Rules (states and checks of the admin page) agrees with sccac's
own ARN validation, the mapping type's validation rule and the renderer's record names, so the page, its
Apex and a mapping-file validator cannot drift apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from sccac.salesforce.render import QueueMapping
from sccac.salesforce.validation import QUEUE_ARN_RE

REPO = Path(__file__).resolve().parents[2]
RULES = json.loads((REPO / "force-app/main/default/staticresources/SCCAC_Queue_Mapping_Rules.json").read_text())
VALIDATION_RULE = (
    REPO / "force-app/main/default/objects/Connect_Queue_Mapping__mdt/validationRules/Connect_Queue_Arn_Format.validationRule-meta.xml"
)
INSTANCE = "11111111-2222-3333-4444-555555555555"
QUEUE = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
GOOD = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/queue/{QUEUE}"

ARNS = [
    GOOD,
    GOOD.replace("us-east-1", "ap-southeast-2"),
    GOOD.replace("arn:aws:", "arn:aws-us-gov:").replace("us-east-1", "us-gov-west-1"),
    GOOD.replace("123456789012", "12345678901"),
    GOOD.replace("/queue/", "/agent/"),
    GOOD.upper(),
    GOOD + "/",
    " " + GOOD,
    GOOD.replace(QUEUE, "not-a-uuid"),
    "arn:aws:connect:us-east-1:123456789012:instance/" + INSTANCE,
    GOOD + "\n",
    "",
]


@pytest.mark.parametrize("arn", ARNS)
def test_arn_pattern_decides_like_sccac_and_the_validation_rule(arn: str) -> None:
    pattern = re.compile(RULES["arnPattern"])  # matched against the whole value, as the resource says
    formula = etree.parse(str(VALIDATION_RULE)).getroot().findtext("{http://soap.sforce.com/2006/04/metadata}errorConditionFormula")
    assert formula is not None
    rule_regex = re.search(r'REGEX\(Connect_Queue_Arn__c, "(.*)"\)\)', formula)
    assert rule_regex is not None
    expected = QUEUE_ARN_RE.match(arn) is not None
    assert (pattern.fullmatch(arn) is not None) == expected
    assert (re.fullmatch(rule_regex.group(1), arn) is not None) == expected


def test_arn_groups_name_the_same_parts_as_sccac() -> None:
    arn = GOOD.replace("us-east-1", "eu-west-2")
    ours = re.compile(RULES["arnPattern"]).fullmatch(arn)
    theirs = QUEUE_ARN_RE.match(arn)
    assert ours and theirs
    groups = RULES["arnGroups"]
    assert [ours.group(groups[k]) for k in ("region", "account", "instance", "queue")] == [
        theirs.group("region"),
        theirs.group("account"),
        theirs.group("instance"),
        theirs.group("id"),
    ]


def test_states_are_ordered_unique_and_say_what_to_do() -> None:
    ids = [state["id"] for state in RULES["states"]]
    assert ids == ["not_omni_queue", "duplicate", "invalid_arn", "stale_arn", "missing_external_routing", "unmapped", "ok"]
    assert {state["severity"] for state in RULES["states"]} <= {"error", "warning", "info", "ok"}
    documented = {"queue", "arn", "expected", "records", "model", "problem", "actual"}
    for text in [s["message"] for s in RULES["states"]] + [s["fix"] for s in RULES["states"]] + [c["message"] for c in RULES["saveChecks"]]:
        assert set(re.findall(r"\{(\w+)\}", text)) <= documented, text
    assert all(state["fix"] for state in RULES["states"] if state["id"] != "ok")
    assert {c["id"] for c in RULES["saveChecks"]} == {
        "invalid_arn",
        "duplicate",
        "unknown_omni_queue",
        "unknown_connect_queue",
        "connect_unavailable",
    }


def test_apex_record_names_are_the_renderers() -> None:
    """QueueMappingAdminControllerTest expects this name for a new mapping of the same long queue."""
    assert QueueMapping("Customer_Support_Escalations_Priority_Platinum_Tier", GOOD, "x").record_name == (
        "Customer_Support_Escalations_Pr_49350fdd"
    )


#: Each state of `sccac mappings status` and the admin page's state it corresponds to (None: the page does not
#: read CallCenterRoutingMap). A new Python state fails the test below until it is placed here and, when the
#: page should show it, in the static resource.
SCCAC_STATE_ON_PAGE: dict[str, str | None] = {
    "unknown queue": "not_omni_queue",
    "missing routing configuration": "not_omni_queue",
    "duplicate": "duplicate",
    "invalid arn": "invalid_arn",
    "stale": "stale_arn",
    "not external routing": "missing_external_routing",
    "unmapped": "unmapped",
    "not mirrored": None,
    "ok": "ok",
}


def test_every_sccac_mapping_state_has_its_place_on_the_page_in_the_same_order() -> None:
    from sccac.mappings.status import MappingState

    assert [s.value for s in MappingState] == list(SCCAC_STATE_ON_PAGE)
    page_order = [state["id"] for state in RULES["states"]]
    ranks = [page_order.index(target) for target in SCCAC_STATE_ON_PAGE.values() if target is not None]
    assert ranks == sorted(ranks), "both list the worst state first"
