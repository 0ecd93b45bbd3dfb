"""The shipped Connect_Routing_Setting__mdt.Default record: what a fresh install routes with.

The Apex test ConnectRoutingSettingsTest reads the deployed record, which an admin may have changed since;
the values as shipped are checked here, against the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[2]
DEFAULT = REPO / "force-app/main/default/customMetadata/Connect_Routing_Setting.Default.md-meta.xml"
FIELDS = REPO / "force-app/main/default/objects/Connect_Routing_Setting__mdt/fields"
SETTINGS_CLASS = REPO / "force-app/main/default/classes/ConnectRoutingSettings.cls"
MD = "{http://soap.sforce.com/2006/04/metadata}"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def _values() -> dict[str, str | None]:
    root = etree.parse(str(DEFAULT)).getroot()
    values: dict[str, str | None] = {}
    for entry in root.iter(f"{MD}values"):
        value = entry.find(f"{MD}value")
        assert value is not None
        values[entry.findtext(f"{MD}field") or ""] = None if value.get(XSI_NIL) == "true" else value.text
    return values


def _apex_constant(name: str) -> int:
    match = re.search(rf"\b{name}\s*=\s*(\d+);", SETTINGS_CLASS.read_text())
    assert match, f"{name} not found in {SETTINGS_CLASS.name}"
    return int(match.group(1))


def test_every_field_of_the_type_has_a_shipped_value() -> None:
    fields = {p.name.removesuffix(".field-meta.xml") for p in FIELDS.glob("*.field-meta.xml")}
    assert set(_values()) == fields


def test_a_fresh_install_routes_on_insert_and_owner_change_once_the_org_values_are_set() -> None:
    values = _values()
    assert values["Enabled__c"] == "true"
    assert values["Route_On_Insert__c"] == "true"
    assert values["Route_On_Owner_Change__c"] == "true"
    assert values["Queue_Owners_Only__c"] == "false"
    assert values["Case_Origins__c"] is None and values["Case_Record_Types__c"] is None  # every Case in scope


def test_org_specific_values_ship_blank() -> None:
    values = _values()
    for field in ("Connect_Instance_Id__c", "Contact_Flow_Id__c", "Named_Credential__c", "Region__c"):
        assert values[field] is None, field
    # No Case ServiceChannel ships (one per object; orgs with Omni-Channel have theirs): blank = the org's own.
    assert values["Service_Channel__c"] is None


def test_job_size_and_timeout_are_the_apex_defaults_within_their_validation_ranges() -> None:
    values = _values()
    cases_per_job = float(values["Cases_Per_Job__c"] or "nan")
    timeout_ms = float(values["Callout_Timeout_Ms__c"] or "nan")
    assert cases_per_job == _apex_constant("DEFAULT_CASES_PER_JOB") == 40
    assert 1 <= cases_per_job <= _apex_constant("MAX_CASES_PER_JOB")
    assert timeout_ms == _apex_constant("DEFAULT_TIMEOUT_MS") == 10000
    assert 1000 <= timeout_ms <= _apex_constant("MAX_TIMEOUT_MS")
