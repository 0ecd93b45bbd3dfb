"""Check a mapping file against the org and (when it can be read) the Connect instance, before anything is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from sccac.mappings.model import MappingEntry, MappingFile, MappingFileError, Problem
from sccac.mappings.sides import ConnectInstance, OmniQueue, instance_of

_ARN_FIX = (
    "Use arn:aws:connect:<region>:<12-digit account>:instance/<instance id>/queue/<queue id> "
    "(Connect console: Routing > Queues > the queue > Show additional queue information), or the queue's name."
)


def check_mapping_file(
    mapping: MappingFile,
    omni_queues: Mapping[str, OmniQueue] | None = None,
    instance: ConnectInstance | None = None,
) -> list[Problem]:
    """Every problem of ``mapping``: file-only checks always, org checks with ``omni_queues`` (by developer
    name), instance checks with ``instance``. Errors first in file order, then warnings."""
    problems: list[Problem] = []
    problems += _duplicates(mapping)
    problems += _arns(mapping, instance)
    for entry in mapping.entries:
        if omni_queues is not None:
            problems += _against_org(mapping, entry, omni_queues)
        if instance is not None:
            problems += _against_instance(mapping, entry, instance)
    return sorted(problems, key=lambda p: (p.severity != "error", p.line))


def require_valid(
    mapping: MappingFile,
    omni_queues: Mapping[str, OmniQueue] | None = None,
    instance: ConnectInstance | None = None,
) -> list[Problem]:
    """Raise :class:`MappingFileError` when there is any error; return the warnings otherwise."""
    problems = check_mapping_file(mapping, omni_queues, instance)
    if any(p.severity == "error" for p in problems):
        raise MappingFileError(problems)
    return problems


def _problem(mapping: MappingFile, entry: MappingEntry, message: str, fix: str, severity: str = "error") -> Problem:
    return Problem(mapping.path, entry.line, entry.omni_queue, message, fix, severity)


def _duplicates(mapping: MappingFile) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, MappingEntry] = {}
    for entry in mapping.entries:
        if entry.omni_queue in first:
            problems.append(_problem(
                mapping, entry, f"the Omni-Queue is already mapped on line {first[entry.omni_queue].line}",
                "Keep one entry per Omni-Queue.",
            ))
        first.setdefault(entry.omni_queue, entry)
    targets = Counter(e.connect_queue for e in mapping.entries if e.active)
    for entry in mapping.entries:
        if entry.active and targets[entry.connect_queue] > 1 and first[entry.omni_queue] is entry:
            problems.append(_problem(
                mapping, entry, f"Connect queue '{entry.connect_queue}' is mapped from more than one Omni-Queue",
                "Fine when intended; transfers and reports will not tell those Omni-Queues apart.", "warning",
            ))
    return problems


def _arns(mapping: MappingFile, instance: ConnectInstance | None) -> list[Problem]:
    problems: list[Problem] = []
    instances: dict[str, MappingEntry] = {}
    for entry in mapping.entries:
        if not entry.is_arn:
            continue
        if entry.create:
            problems.append(_problem(mapping, entry, "'create: true' with a queue ARN",
                                     "Name the queue instead of giving its ARN to have it created, or drop 'create'."))
        owner = instance_of(entry.connect_queue)
        if owner is None:
            problems.append(_problem(mapping, entry, f"'{entry.connect_queue}' is not an Amazon Connect queue ARN", _ARN_FIX))
        elif instance is not None and owner != instance.arn:
            problems.append(_problem(
                mapping, entry, f"the queue ARN belongs to {owner}, not to the instance being wired ({instance.arn})",
                "Use a queue of this instance (same region and instance id), or its name.",
            ))
        elif instance is None and instances and owner not in instances:
            other = next(iter(instances.values()))
            problems.append(_problem(
                mapping, entry, f"the queue ARN is in another instance than the ARN on line {other.line}",
                "Map every Omni-Queue to queues of one Connect instance.",
            ))
        if owner is not None:
            instances.setdefault(owner, entry)
    return problems


def _against_org(mapping: MappingFile, entry: MappingEntry, omni_queues: Mapping[str, OmniQueue]) -> list[Problem]:
    queue = omni_queues.get(entry.omni_queue)
    if queue is None:
        close = [name for name in omni_queues if name.lower() == entry.omni_queue.lower()]
        hint = f" Did you mean '{close[0]}'?" if close else ""
        return [_problem(mapping, entry, "no queue with this developer name in the org",
                         f"Use the queue's API name (Setup > Queues).{hint}")]
    if queue.routing_config is None:
        return [_problem(mapping, entry, "the queue has no Omni-Channel routing configuration, so it is not an Omni-Queue",
                         "Give the queue a routing configuration with routing model External Routing.")]
    if not queue.routes_externally:
        return [_problem(
            mapping, entry,
            f"its routing configuration '{queue.routing_config}' routes by {queue.routing_model}, not External Routing",
            "Set the routing configuration's routing model to External Routing, so Amazon Connect picks the agent.",
        )]
    return []


def _against_instance(mapping: MappingFile, entry: MappingEntry, instance: ConnectInstance) -> list[Problem]:
    problems: list[Problem] = []
    if entry.is_arn:
        if instance_of(entry.connect_queue) == instance.arn and not instance.has_queue_arn(entry.connect_queue):
            problems.append(_problem(mapping, entry, "no queue with this ARN in the Connect instance",
                                     "Copy the ARN again from the Connect console, or name the queue and set 'create: true'."))
    elif instance.queue_named(entry.connect_queue) is None and not entry.create:
        problems.append(_problem(mapping, entry, f"the Connect instance has no queue named '{entry.connect_queue}'",
                                 "Set 'create: true' to have it created, or fix the name (it is case-sensitive)."))
    if entry.routing_profile and entry.routing_profile not in instance.routing_profiles:
        problems.append(_problem(mapping, entry, f"the Connect instance has no routing profile named '{entry.routing_profile}'",
                                 "Use an existing routing profile's name (Users > Routing profiles), or drop 'routing_profile'."))
    return problems


def omni_queues_by_name(queues: Sequence[OmniQueue]) -> dict[str, OmniQueue]:
    return {q.developer_name: q for q in queues}
