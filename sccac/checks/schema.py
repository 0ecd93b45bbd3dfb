"""Validate Salesforce metadata XML against the Metadata API schema shipped in simple-salesforce's WSDL.

The WSDL declares every metadata type as a complexType but no top-level element for it, so
we add one element per type (named like the type, as in source files: ``<ApexClass>``) and
compile the result once. Element names, value types, enumerations and element order
(``xsd:sequence``) are all checked.

That WSDL is one release's (63.0) and real orgs are ahead of it. Before validating, each element
and enumeration value the 63.0 schema lacks is looked up in the later releases' model from npm
`@salesforce/types` (see metadata_model): known there, it is a note naming the API version to
move to; known nowhere, an error. Either way it is taken out of the document (a newer enumeration
value is swapped for a 63.0 one) so that the 63.0 schema still checks the order and types of
everything else in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

from sccac.checks.metadata_model import MetadataModel, from_xsd, installed_types_models
from sccac.checks.results import CheckResult, Problem, ToolFailed

MD_NS = "http://soap.sforce.com/2006/04/metadata"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
# No entity expansion or network access while reading a file that may come from anywhere.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
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
        raise ToolFailed(f"no xsd:schema in {wsdl_path()}; reinstall simple-salesforce (make setup)")
    type_names = {el.get("name") for el in schema_el.findall(f"{{{XSD_NS}}}complexType")}
    declared = {el.get("name") for el in schema_el.findall(f"{{{XSD_NS}}}element")}
    # Re-root the schema so the prefixes it uses (tns, xsd) stay declared.
    standalone = etree.Element(f"{{{XSD_NS}}}schema", nsmap={"xsd": XSD_NS, "tns": MD_NS}, attrib=dict(schema_el.attrib))
    for child in schema_el:
        standalone.append(child)
    for name in sorted(type_names - declared):
        etree.SubElement(standalone, f"{{{XSD_NS}}}element", name=name, type=f"tns:{name}")
    return etree.XMLSchema(standalone), frozenset(type_names)


@lru_cache(maxsize=1)
def schema_model() -> MetadataModel:
    """Element names and enumerations of the 63.0 schema, to look each element of a file up in it."""
    schema_el = etree.parse(str(wsdl_path())).find(f".//{{{XSD_NS}}}schema")
    if schema_el is None:
        raise ToolFailed(f"no xsd:schema in {wsdl_path()}; reinstall simple-salesforce (make setup)")
    return from_xsd(schema_el, f"Metadata API {schema_version()}")


def next_version(version: str) -> str:
    """The release after ``version`` ("63.0" -> "64.0"), the least a newer element or value needs."""
    try:
        return f"{int(float(version)) + 1}.0"
    except ValueError:
        return "a later version"


class _Sorter:
    """Walks a document along the 63.0 model and sorts out what that schema cannot judge."""

    def __init__(self, path: str, old: MetadataModel, newer: list[MetadataModel], api_version: str) -> None:
        self.path, self.old, self.newer, self.api_version = path, old, newer, api_version
        self.problems: list[Problem] = []

    def _newer(self, what: str, releases: list[str]) -> str:
        later = ", ".join(releases)
        schema = schema_version()
        if _as_number(self.api_version) > _as_number(schema):
            return (f"{what} is not in the Metadata API {schema} schema this check uses but is valid in a later release "
                    f"({later}); the project's API version {self.api_version} may include it")
        return (f"{what} is newer than the project's API version {self.api_version} (valid in a later release: {later}): "
                f"deploy it with API version {next_version(max(self.api_version, schema, key=_as_number))} or later "
                f"(sourceApiVersion in sfdx-project.json, <version> in the bundle's package.xml) or leave it out")

    def walk(self, el: etree._Element, type_name: str) -> None:
        for child in list(el):
            if not isinstance(child.tag, str) or etree.QName(child).namespace != MD_NS:
                continue  # comments; foreign elements are for the schema to report
            name = etree.QName(child).localname
            child_type = self.old.field_type(type_name, name)
            if child_type is None:
                self._unknown_element(el, child, type_name, name)
                continue
            xsi_type = child.get(XSI_TYPE)
            child_type = xsi_type.split(":")[-1] if xsi_type else child_type
            if child_type in self.old.enums and len(child) == 0:
                self._enum_value(child, type_name, name, child_type)
            elif self.old.knows_type(child_type):
                self.walk(child, child_type)

    def _unknown_element(self, parent: etree._Element, child: etree._Element, type_name: str, name: str) -> None:
        judges = [m for m in self.newer if m.knows_type(type_name)]
        if not judges:
            return  # no later model knows this type: the 63.0 schema's own message stands
        knows = [m for m in judges if m.field_type(type_name, name) is not None]
        if knows:
            message = self._newer(f"<{name}> in {type_name}", [m.release for m in knows])
            self.problems.append(Problem(self.path, message, child.sourceline, "schema-newer", severity="note"))
            self._check_newer_value(child, knows[0], knows[0].field_type(type_name, name) or "")
        else:
            releases = ", ".join([self.old.release, *(m.release for m in judges)])
            self.problems.append(Problem(
                self.path,
                f"<{name}> is not an element of {type_name} in any release this check knows ({releases}); "
                f"check the spelling and the parent element",
                child.sourceline, "schema",
            ))
        parent.remove(child)

    def _enum_value(self, child: etree._Element, type_name: str, name: str, enum: str) -> None:
        allowed = self.old.enums[enum]
        value = (child.text or "").strip()
        if not value or value in allowed:
            return
        knows = [m.release for m in self.newer if value in m.enums.get(m.field_type(type_name, name) or enum, ())]
        if knows:
            message = self._newer(f"<{name}> value {value!r}", knows)
            self.problems.append(Problem(self.path, message, child.sourceline, "schema-newer", severity="note"))
            child.text = min(allowed)  # a 63.0 value, so the schema checks the rest of the file

    def _check_newer_value(self, child: etree._Element, model: MetadataModel, field_type: str) -> None:
        """A newer element's own value: the later model knows its enumeration even where 63.0 does not."""
        allowed = model.enums.get(field_type)
        value = (child.text or "").strip()
        if allowed and len(child) == 0 and value not in allowed:
            self.problems.append(Problem(
                self.path,
                f"<{etree.QName(child).localname}> value {value!r} is not one of {', '.join(sorted(allowed))} "
                f"({model.release})",
                child.sourceline, "schema",
            ))


def _as_number(version: str) -> float:
    try:
        return float(version)
    except ValueError:
        return 0.0


def _explain(message: str, sorted_out: bool = False) -> str:
    """libxml2's message, plus what to do; ``sorted_out``: newer and unknown elements were already taken out."""
    message = _NS_PREFIX.sub("", message)
    if "This element is not expected" in message and sorted_out:
        message += " Check the element order (the schema is an xsd:sequence)."
    elif "This element is not expected" in message:
        message += (
            f" Check the element order (the schema is an xsd:sequence) and the spelling; if the element"
            f" is valid in a newer release it may be newer than the Metadata API {schema_version()} schema"
            f" this check uses."
        )
    elif ("is not a valid value of the atomic type" in message or "is not an element of the set" in message) and sorted_out:
        message += f" (allowed values are those of the Metadata API {schema_version()} schema; no later release this check knows adds it)"
    elif "is not a valid value of the atomic type" in message or "is not an element of the set" in message:
        message += f" (allowed values are those of the Metadata API {schema_version()} schema)"
    return message


def validate_xml(
    content: bytes, path: str = "<string>", newer: list[MetadataModel] | None = None, api_version: str | None = None
) -> list[Problem]:
    """Validate one metadata XML document; ``path`` names it in the problems.

    ``newer`` are the later releases' models (none: every element the 63.0 schema lacks is an
    error that says it may be newer); ``api_version`` is the project's sourceApiVersion.
    """
    schema, type_names = metadata_schema()
    try:
        root = etree.fromstring(content, parser=_PARSER)
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
    sorter = _Sorter(path, schema_model(), newer or [], api_version or schema_version())
    sorter.walk(root, qname.localname)
    if schema.validate(root):
        return sorter.problems
    found = [Problem(path, _explain(err.message, bool(newer)), err.line, "schema") for err in schema.error_log]
    return sorted([*sorter.problems, *found], key=lambda p: p.line or 0)


def validate_file(path: Path, newer: list[MetadataModel] | None = None, api_version: str | None = None) -> list[Problem]:
    try:
        content = path.read_bytes()
    except OSError as exc:
        return [Problem(str(path), f"cannot read the file ({exc.strerror or exc})", rule="schema")]
    return validate_xml(content, str(path), newer, api_version)


def validate_tree(root: Path) -> list[Problem]:
    """Every metadata file below ``root``."""
    return [problem for path in metadata_files([root]) for problem in validate_file(path)]


def _is_metadata_xml(path: Path) -> bool:
    """Metadata-format files (unpackaged/) have type suffixes instead of -meta.xml; sniff the root."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return True  # cannot tell: validate_file reports that it cannot read it
    return MD_NS.encode() in head and head.lstrip().startswith(b"<")


def metadata_files(roots: Iterable[Path]) -> Iterator[Path]:
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.name.endswith("-meta.xml") or _is_metadata_xml(path):
                yield path


def check_schema(roots: Iterable[Path], project_root: Path | None = None, api_version: str | None = None) -> CheckResult:
    """Every metadata file under ``roots``; the later releases' models come from ``project_root``'s node_modules."""
    newer = installed_types_models(project_root) if project_root is not None else []
    result = CheckResult(f"metadata schema (Metadata API {schema_version()})")
    for path in metadata_files(list(roots)):
        result.checked += 1
        result.problems.extend(validate_file(path, newer, api_version))
    return result
