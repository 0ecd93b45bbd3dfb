"""Drift: the flows deployed in the instance against the ones the engine would generate (``sccac connect pull``)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from sccac.connect.desired import CONTENT_TAG, DesiredState, build_flows, canonical, content_hash, flow_names, module_name, pretty
from sccac.connect.snapshot import Existing, InstanceSnapshot
from sccac.flows.builders import FlowKind


@dataclass(frozen=True)
class FlowDrift:
    kind: str
    name: str
    state: str  # "same" | "differs" | "console-edited" | "not deployed"
    path: Path | None  # where the deployed content was written
    diff: str  # unified diff, generated -> deployed


def _deployed(desired: DesiredState, snap: InstanceSnapshot) -> dict[FlowKind, tuple[str, Existing | None]]:
    names = flow_names(desired.flows)
    out: dict[FlowKind, tuple[str, Existing | None]] = {k: (names[k], snap.flows.get(names[k])) for k in names if k is not FlowKind.TRANSCRIPTION}
    out[FlowKind.TRANSCRIPTION] = (module_name(desired.flows), snap.modules.get(module_name(desired.flows)))
    return out


def _generated(desired: DesiredState, snap: InstanceSnapshot) -> dict[FlowKind, str] | None:
    """None when a queue or module the flows name is not in the instance yet (nothing applied)."""
    ref = desired.fallback_queue
    queue = snap.queue_by_arn(ref) if ref.startswith("arn:") else snap.queues.get(ref)
    module = snap.modules.get(module_name(desired.flows))
    if queue is None or (desired.flows.transcription and module is None):
        return None
    disconnect = snap.flows.get(flow_names(desired.flows)[FlowKind.DISCONNECT_REQUEUE])
    if desired.flows.requeue and disconnect is None:
        return None
    built = build_flows(desired.flows, queue.arn, module.arn if module else None, disconnect.arn if disconnect else None)
    return {k: b.flow.to_json() for k, b in built.items()}


def pull(desired: DesiredState, snap: InstanceSnapshot, out_dir: Path) -> list[FlowDrift]:
    """Write each deployed flow as ``<kind>.json`` (sorted keys, indented) and compare it with the generated one."""
    out_dir.mkdir(parents=True, exist_ok=True)
    generated = _generated(desired, snap)
    report = []
    for kind, (name, existing) in _deployed(desired, snap).items():
        if existing is None:
            report.append(FlowDrift(kind.value, name, "not deployed", None, ""))
            continue
        path = out_dir / f"{kind.value}.json"
        path.write_text(pretty(existing.content), encoding="utf-8")
        wanted = generated.get(kind) if generated else None
        if wanted is not None and canonical(wanted) == canonical(existing.content):
            report.append(FlowDrift(kind.value, name, "same", path, ""))
            continue
        diff = "".join(difflib.unified_diff(
            pretty(wanted).splitlines(keepends=True) if wanted else [],
            pretty(existing.content).splitlines(keepends=True),
            fromfile=f"generated/{kind.value}.json", tofile=f"deployed/{kind.value}.json",
        ))
        edited = desired.is_owned(existing.tags) and existing.tags.get(CONTENT_TAG) != content_hash(existing.content)
        report.append(FlowDrift(kind.value, name, "console-edited" if edited else "differs", path, diff))
    return report
