"""What a Metadata API release knows: the elements of each metadata type and the values of each enumeration.

Two sources: the WSDL's XSD (one release, 63.0 from simple-salesforce, which also gives element
order) and the TypeScript model in npm `@salesforce/types` (`lib/metadata.d.ts`, generated from
Salesforce's full WSDLs of a later release; property order there is alphabetical, so it says which
elements and values exist, not in which order). The schema check uses the later model to tell an
element or value that is merely newer than 63.0 from one that no release knows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

XSD_NS = "http://www.w3.org/2001/XMLSchema"
TYPES_PACKAGE = Path("node_modules/@salesforce/types")
# npm may install more than one copy (the sf CLI's plugins pin different versions); all of them count.
NESTED_TYPES_PACKAGES = "node_modules/@salesforce/*/node_modules/@salesforce/types"

_TYPE_START = re.compile(r"^export type (\w+) = (.*)$")
_FIELD = re.compile(r"^\s+(\w+)\??: ([\w\[\]]+);$")
_ENUM_VALUE = re.compile(r"'((?:[^'\\]|\\.)*)'")


@dataclass(frozen=True)
class MetadataModel:
    """Element names per complex type (with inherited ones) and enumeration values, of one release."""

    release: str
    fields: Mapping[str, Mapping[str, str]]
    enums: Mapping[str, frozenset[str]]

    def field_type(self, type_name: str, element: str) -> str | None:
        """The type of ``element`` inside ``type_name``, or None when this release has no such element there."""
        return self.fields.get(type_name, {}).get(element)

    def knows_type(self, type_name: str) -> bool:
        return type_name in self.fields


def _resolve(own: dict[str, dict[str, str]], bases: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """Add each type's inherited elements (Metadata's fullName, a Flow element's name, ...)."""
    resolved: dict[str, dict[str, str]] = {}

    def fields_of(name: str, seen: frozenset[str]) -> dict[str, str]:
        if name in resolved:
            return resolved[name]
        merged: dict[str, str] = {}
        for base in bases.get(name, []):
            if base not in seen:
                merged.update(fields_of(base, seen | {name}))
        merged.update(own.get(name, {}))
        resolved[name] = merged
        return merged

    for name in own:
        fields_of(name, frozenset())
    return resolved


def from_xsd(schema_el: etree._Element, release: str) -> MetadataModel:
    """The model of an XSD ``schema`` element (the WSDL's types section)."""
    own: dict[str, dict[str, str]] = {}
    bases: dict[str, list[str]] = {}
    enums: dict[str, frozenset[str]] = {}
    for el in schema_el:
        name = el.get("name")
        if not name or not isinstance(el.tag, str):
            continue
        if el.tag == f"{{{XSD_NS}}}complexType":
            own[name] = {
                e.get("name", ""): (e.get("type") or "").split(":")[-1] for e in el.iter(f"{{{XSD_NS}}}element")
            }
            bases[name] = [x.get("base", "").split(":")[-1] for x in el.iter(f"{{{XSD_NS}}}extension")]
        elif el.tag == f"{{{XSD_NS}}}simpleType":
            values = [e.get("value", "") for e in el.iter(f"{{{XSD_NS}}}enumeration")]
            if values:
                enums[name] = frozenset(values)
    return MetadataModel(release, _resolve(own, bases), enums)


def from_types_dts(text: str, release: str) -> MetadataModel:
    """The model of `@salesforce/types` ``lib/metadata.d.ts``: ``export type X = Base & { name?: T; }`` and string unions."""
    own: dict[str, dict[str, str]] = {}
    bases: dict[str, list[str]] = {}
    enums: dict[str, frozenset[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        if current is not None:
            if line.startswith("}"):
                current = None
            elif match := _FIELD.match(line):
                own[current][match.group(1)] = match.group(2).removesuffix("[]")
            continue
        start = _TYPE_START.match(line)
        if not start:
            continue
        name, body = start.groups()
        if body.startswith("'"):
            enums[name] = frozenset(v.replace("\\'", "'") for v in _ENUM_VALUE.findall(body))
        elif body.endswith("{"):
            current = name
            own[name] = {}
            bases[name] = [part.strip() for part in body[:-1].split("&") if part.strip()]
    return MetadataModel(release, _resolve(own, bases), enums)


@lru_cache(maxsize=8)
def _load_types_package(folder: Path) -> MetadataModel | None:
    try:
        version = json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version", "?")
        text = (folder / "lib" / "metadata.d.ts").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    return from_types_dts(text, f"@salesforce/types {version}")


def _version_key(model: MetadataModel) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", model.release.rsplit(" ", 1)[-1]))


def installed_types_models(project_root: Path) -> list[MetadataModel]:
    """Every `@salesforce/types` copy under the project's node_modules, newest package version first."""
    folders: Iterable[Path] = [project_root / TYPES_PACKAGE, *sorted(project_root.glob(NESTED_TYPES_PACKAGES))]
    models: dict[str, MetadataModel] = {}
    for folder in folders:
        model = _load_types_package(folder.resolve())
        if model is not None:
            models.setdefault(model.release, model)
    return sorted(models.values(), key=_version_key, reverse=True)
