"""Validate Salesforce metadata XML against the Metadata API schema shipped in simple-salesforce's WSDL.

The WSDL declares every metadata type as a complexType but no top-level element for it, so
we add one element per type (named like the type, as in source files: ``<ApexClass>``) and
compile the result once. Element names, value types, enumerations and element order
(``xsd:sequence``) are all checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

from sccac.checks.results import CheckResult, Problem

MD_NS = "http://soap.sforce.com/2006/04/metadata"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
_NS_PREFIX = re.compile(r"\{" + re.escape(MD_NS) + r"\}")


def wsdl_path() -> Path:
    return Path(str(resources.files("simple_salesforce") / "metadata.wsdl"))


@lru_cache(maxsize=1)
def schema_version() -> str:
    head = wsdl_path().read_text(encoding="utf-8")[:400]
    match = re.search(r"Metadata API version (\d+\.\d+)", head)
    return match.group(1) if match else "unknown"


@lru_cache(maxsize=1)
def metadata_schema() -> tuple[etree.XMLSchema, frozenset[str]]:
    """The compiled schema and the set of metadata type names it knows."""
    wsdl = etree.parse(str(wsdl_path()))
    schema_el = wsdl.find(f".//{{{XSD_NS}}}schema")
    if schema_el is None:
        raise RuntimeError(f"no xsd:schema in {wsdl_path()}")
    type_names = {el.get("name") for el in schema_el.findall(f"{{{XSD_NS}}}complexType")}
    declared = {el.get("name") for el in schema_el.findall(f"{{{XSD_NS}}}element")}
    # Re-root the schema so the prefixes it uses (tns, xsd) stay declared.
    standalone = etree.Element(f"{{{XSD_NS}}}schema", nsmap={"xsd": XSD_NS, "tns": MD_NS}, attrib=dict(schema_el.attrib))
    for child in schema_el:
        standalone.append(child)
    for name in sorted(type_names - declared):
        etree.SubElement(standalone, f"{{{XSD_NS}}}element", name=name, type=f"tns:{name}")
    return etree.XMLSchema(standalone), frozenset(type_names)


def _explain(message: str) -> str:
    message = _NS_PREFIX.sub("", message)
    if "This element is not expected" in message:
        message += (
            f" Check the element order (the schema is an xsd:sequence) and the spelling; if the element"
            f" is valid in a newer release it may be newer than the Metadata API {schema_version()} schema"
            f" this check uses."
        )
    elif "is not a valid value of the atomic type" in message or "is not an element of the set" in message:
        message += f" (allowed values are those of the Metadata API {schema_version()} schema)"
    return message


def validate_xml(content: bytes, path: str = "<string>") -> list[Problem]:
    """Validate one metadata XML document; ``path`` names it in the problems."""
    schema, type_names = metadata_schema()
    try:
        root = etree.fromstring(content)
    except etree.XMLSyntaxError as exc:
        return [Problem(path, f"not well-formed XML: {exc.msg}", exc.lineno, "xml")]
    qname = etree.QName(root)
    if qname.namespace != MD_NS:
        return [Problem(path, f"root element <{root.tag}> is not in the Metadata API namespace {MD_NS}", root.sourceline, "schema")]
    if qname.localname not in type_names:
        return [
            Problem(
                path,
                f"<{qname.localname}> is not a metadata type in the Metadata API {schema_version()} schema",
                root.sourceline,
                "schema",
            )
        ]
    if schema.validate(root):
        return []
    return [Problem(path, _explain(err.message), err.line, "schema") for err in schema.error_log]


def validate_file(path: Path) -> list[Problem]:
    return validate_xml(path.read_bytes(), str(path))


def validate_tree(root: Path) -> list[Problem]:
    """Every metadata file below ``root``."""
    return [problem for path in metadata_files([root]) for problem in validate_file(path)]


def _is_metadata_xml(path: Path) -> bool:
    """Metadata-format files (unpackaged/) have type suffixes instead of -meta.xml; sniff the root."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return MD_NS.encode() in head and head.lstrip().startswith(b"<")


def metadata_files(roots: Iterable[Path]) -> Iterator[Path]:
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.name.endswith("-meta.xml") or _is_metadata_xml(path):
                yield path


def check_schema(roots: Iterable[Path]) -> CheckResult:
    roots = list(roots)
    result = CheckResult(f"metadata schema (Metadata API {schema_version()})")
    for path in metadata_files(roots):
        result.checked += 1
        result.problems.extend(validate_file(path))
    return result
