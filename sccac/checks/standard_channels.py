"""Rule: do not deploy a ServiceChannel for an object that the org already has a channel for.

Salesforce allows one ServiceChannel per related object, and an org with Omni-Channel (and, for
the others, the feature named below) already has one for these objects, so deploying another one
fails and whatever names it (settings records, routing code) points at a channel that cannot
exist. Route to the org's own channel instead: find it at run time
(`SELECT Id, DeveloperName FROM ServiceChannel WHERE RelatedEntity = '<object>'`) or have the
setup step record its developer name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from sccac.checks.results import CheckResult, Problem
from sccac.checks.schema import MD_NS, metadata_files

# Object -> the channel the org already has. Developer names as they appear in org retrieves
# (serviceChannels/sfdc_*.serviceChannel-meta.xml).
STANDARD_CHANNELS: dict[str, str] = {
    "Case": "a Case channel of its own (Omni-Channel; its developer name differs from org to org)",
    "MessagingSession": "sfdc_livemessage (Messaging)",
    "LiveChatTranscript": "sfdc_liveagent (Chat)",
    "VoiceCall": "sfdc_phone (Service Cloud Voice)",
}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _related_entity(path: Path) -> tuple[str, int | None] | None:
    """The relatedEntityType of a ServiceChannel file, or None for anything else (or unreadable: the schema check says why)."""
    try:
        root = etree.parse(str(path), parser=_PARSER).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None
    if root.tag != f"{{{MD_NS}}}ServiceChannel":
        return None
    related = root.find(f"{{{MD_NS}}}relatedEntityType")
    if related is None or not (related.text or "").strip():
        return None
    return (related.text or "").strip(), related.sourceline


def check_standard_channels(roots: Iterable[Path]) -> CheckResult:
    result = CheckResult("Omni-Channel (no second ServiceChannel for an object the org has one for)")
    for path in metadata_files(list(roots)):
        found = _related_entity(path)
        if found is None:
            continue
        result.checked += 1
        entity, line = found
        # Object names are case-insensitive in Salesforce: 'case' names the Case object too.
        entity = next((name for name in STANDARD_CHANNELS if name.lower() == entity.lower()), entity)
        if entity in STANDARD_CHANNELS:
            result.problems.append(Problem(
                str(path),
                f"a ServiceChannel for {entity}: the org already has {STANDARD_CHANNELS[entity]} and Salesforce allows "
                f"one ServiceChannel per object, so this deploy fails. Do not deploy another: use the org's channel "
                f"(look it up with SELECT Id, DeveloperName FROM ServiceChannel WHERE RelatedEntity = '{entity}', or "
                f"record its developer name at setup) and remove this file",
                line, "standard-service-channel",
            ))
    return result
