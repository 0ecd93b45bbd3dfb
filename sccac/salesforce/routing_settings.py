"""The Case routing settings record (Connect_Routing_Setting.Default) with this org's Connect values filled in.

The shipped record in force-app holds the defaults; the setup step renders a copy with the instance id,
the task-routing flow id, the Named Credential and the region the wiring produced, and deploys it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from lxml import etree

from sccac.checks.schema import schema_version

SHIPPED_RECORD = Path("force-app/main/default/customMetadata/Connect_Routing_Setting.Default.md-meta.xml")
RECORD_NAME = "Connect_Routing_Setting.Default"
_MD = "http://soap.sforce.com/2006/04/metadata"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def routing_setting_values(wiring: Mapping[str, object], named_credential: str) -> dict[str, str]:
    """The fields the setup owns, from the wiring's output document."""
    return {
        "Connect_Instance_Id__c": str(wiring["instance_id"]),
        "Contact_Flow_Id__c": str(wiring["task_routing_flow_id"]),
        "Named_Credential__c": named_credential,
        "Region__c": str(wiring["region"]),
    }


def render_routing_settings(values: Mapping[str, str], out_dir: Path, shipped: Path = SHIPPED_RECORD) -> Path:
    """Write ``out_dir`` as a deployable folder holding the Default record with ``values`` set; other fields
    keep what the shipped record says. Returns ``out_dir``."""
    tree = etree.parse(str(shipped))
    fields = {v.findtext(f"{{{_MD}}}field"): v for v in tree.getroot().iter(f"{{{_MD}}}values")}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ValueError(f"{shipped} has no field {', '.join(unknown)}")
    for name, text in values.items():
        value = fields[name].find(f"{{{_MD}}}value")
        assert value is not None
        value.attrib.clear()
        value.set(f"{{{_XSI}}}type", "xsd:string")
        value.text = text
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "customMetadata").mkdir(exist_ok=True)
    tree.write(str(out_dir / "customMetadata" / f"{RECORD_NAME}.md"), xml_declaration=True, encoding="UTF-8")
    (out_dir / "package.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        f"    <types>\n        <members>{RECORD_NAME}</members>\n        <name>CustomMetadata</name>\n    </types>\n"
        f"    <version>{schema_version()}</version>\n</Package>\n",
        encoding="utf-8",
    )
    return out_dir
