"""Offline Metadata API 63.0 schema validation of Salesforce metadata XML (from simple_salesforce's WSDL)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import simple_salesforce
from lxml import etree

MD_NS = "http://soap.sforce.com/2006/04/metadata"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
WSDL_PATH = Path(simple_salesforce.__file__).parent / "metadata.wsdl"
SCHEMA_API_VERSION = "63.0"


@dataclass(frozen=True)
class SchemaFinding:
    """One place where a metadata file does not match the Metadata API schema."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@functools.lru_cache(maxsize=1)
def load_metadata_schema() -> etree.XMLSchema:
    """Build an XMLSchema from the WSDL's metadata schema, with a root element per metadata type.

    The WSDL declares types, not document roots; a metadata file's root element is the type's name
    (``<CustomObject>``, ``<MessagingChannel>`` ...), so one global element is added per complex type
    that does not already have an element of that name.
    """
    wsdl = etree.parse(str(WSDL_PATH))
    schema_el = None
    for candidate in wsdl.iter(f"{{{XSD_NS}}}schema"):
        if candidate.get("targetNamespace") == MD_NS:
            schema_el = candidate
            break
    if schema_el is None:  # pragma: no cover - the shipped WSDL always has it
        raise RuntimeError(f"no metadata schema in {WSDL_PATH}")
    schema_el = etree.fromstring(etree.tostring(schema_el))
    existing = {el.get("name") for el in schema_el.findall(f"{{{XSD_NS}}}element")}
    for ct in schema_el.findall(f"{{{XSD_NS}}}complexType"):
        name = ct.get("name")
        if name and name not in existing:
            el = etree.SubElement(schema_el, f"{{{XSD_NS}}}element")
            el.set("name", name)
            el.set("type", f"tns:{name}")
    return etree.XMLSchema(schema_el)


def validate_xml(content: bytes, path: str = "<string>") -> list[SchemaFinding]:
    """Validate one metadata XML document; return the findings (empty when valid)."""
    try:
        doc = etree.fromstring(content)
    except etree.XMLSyntaxError as exc:
        return [SchemaFinding(path, exc.lineno or 0, f"not well-formed XML: {exc.msg}")]
    if etree.QName(doc).namespace != MD_NS:
        return [SchemaFinding(path, doc.sourceline or 0, f"root element is not in the metadata namespace {MD_NS}")]
    schema = load_metadata_schema()
    if schema.validate(doc):
        return []
    findings = []
    for err in schema.error_log:
        msg = err.message
        if "This element is not expected" in msg or "is not an element of the set" in msg:
            msg += (
                f" (the checker uses the Metadata API {SCHEMA_API_VERSION} schema; the element or value may be "
                "newer than it, or misplaced: elements must follow the schema's order)"
            )
        findings.append(SchemaFinding(path, err.line, msg))
    return findings


def validate_file(path: Path) -> list[SchemaFinding]:
    """Validate a metadata file on disk (source ``*-meta.xml`` or metadata-format component)."""
    return validate_xml(path.read_bytes(), str(path))


def validate_tree(root: Path) -> list[SchemaFinding]:
    """Validate every metadata XML file below ``root`` (skips ``package.xml`` manifests)."""
    findings: list[SchemaFinding] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name == "package.xml":
            continue
        if path.name.endswith("-meta.xml") or _is_mdapi_component(path):
            findings.extend(validate_file(path))
    return findings


def _is_mdapi_component(path: Path) -> bool:
    if path.suffix in {".cls", ".trigger", ".py", ".md", ".json", ".txt"}:
        return False
    try:
        head = path.read_bytes()[:400]
    except OSError:  # pragma: no cover
        return False
    return head.lstrip().startswith(b"<?xml") and MD_NS.encode() in head
