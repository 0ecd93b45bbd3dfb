"""The release models read from @salesforce/types' d.ts and from the WSDL's XSD: inherited elements, enumerations."""

from __future__ import annotations

from lxml import etree

from sccac.checks.metadata_model import from_types_dts, from_xsd

DTS = """export type ChannelKind = 'Custom' | 'Text' | 'It\\'s';
export type Alias = string;
export type Metadata = {
    fullName?: string;
};
export type Channel = Metadata & {
    kind: ChannelKind;
    parts?: Part[];
};
export type Part = {
    name: string;
};
"""

XSD = """<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:x">
  <xsd:complexType name="Metadata"><xsd:sequence><xsd:element name="fullName" type="xsd:string"/></xsd:sequence></xsd:complexType>
  <xsd:complexType name="Channel"><xsd:complexContent><xsd:extension base="tns:Metadata"><xsd:sequence>
    <xsd:element name="kind" type="tns:ChannelKind"/></xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>
  <xsd:simpleType name="ChannelKind"><xsd:restriction base="xsd:string"><xsd:enumeration value="Custom"/></xsd:restriction></xsd:simpleType>
</xsd:schema>"""


def test_types_dts_model_has_inherited_elements_arrays_and_enumerations():
    model = from_types_dts(DTS, "@salesforce/types 9.9.9")
    assert model.field_type("Channel", "fullName") == "string"  # from Metadata
    assert model.field_type("Channel", "kind") == "ChannelKind"
    assert model.field_type("Channel", "parts") == "Part"  # Part[] is repeated <parts>
    assert model.field_type("Channel", "nope") is None
    assert model.enums["ChannelKind"] == {"Custom", "Text", "It's"}
    assert not model.knows_type("Alias")


def test_xsd_model_matches_the_same_shape():
    model = from_xsd(etree.fromstring(XSD), "Metadata API 1.0")
    assert model.field_type("Channel", "fullName") == "string"
    assert model.field_type("Channel", "kind") == "ChannelKind"
    assert model.enums["ChannelKind"] == {"Custom"}
