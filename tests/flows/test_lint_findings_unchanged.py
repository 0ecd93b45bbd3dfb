"""Lint gives the findings it gave before the speed work, flow by flow, message by message.

``fixtures/lint_findings.json`` holds the findings (and what the reader answered) for the SCC-AC
flows built with two settings, every flow file under tests/flows, and 150 damaged copies of them
(values replaced or removed, branches rewired, blocks repeated: the odd inputs the quick paths
must pass to the full checks). It was written by the linter as it was before reading and lint were
made faster (commit 7e459ed). A change to a rule that is meant to change findings rewrites it:
``SCCAC_WRITE_LINT_FINDINGS=1 pytest tests/flows/test_lint_findings_unchanged.py``, and the diff
of that file shows every finding that changed.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from sccac.flows import builders as b
from sccac.flows.builders import FlowKind, FlowSettings
from sccac.flows.files import EXAMPLE_SETTINGS as EXAMPLE_VALUES
from sccac.flows.files import lint_text
from sccac.flows.model import FlowFormatError
from tests.flows.damage import damaged

HERE = Path(__file__).parent
SNAPSHOT = HERE / "fixtures" / "lint_findings.json"
SETTINGS = [
    FlowSettings(**EXAMPLE_VALUES),
    FlowSettings(
        **{
            **EXAMPLE_VALUES,
            "client_id": "$.Attributes.email",
            "salesforce_flow_id": "300000000000001",
            "salesforce_flow_fallback_queue_id": "00G000000000001",
            "routing_attributes": (("skill", "gold"),),
        }
    ),
]
DAMAGED = 150

_VALUES: list[Any] = [None, True, False, 0, 7, -1, 1.5, "", "x\ny", "$.", "$.Attributes.", "a" * 60, "NoMatchingError",
                      "QueueAtCapacity", "ContinueLooping", "DoneLooping", "Equals", "True", "$.External.externalQueueId",
                      "$.Attributes.queueId", "Transfer", "Initial", "STRING_MAP", "UpdateContactTargetQueue", "Loop",
                      "DisconnectParticipant", "8", "101", [], {}, ["a", 1], {"k": None}]


def _bases() -> list[tuple[str, Any]]:
    docs = [(f"built{i}-{built.kind.value}", built.flow.to_dict()) for i, s in enumerate(SETTINGS) for built in b.build_all(s)]
    return docs + [(path.relative_to(HERE).as_posix(), json.loads(path.read_text(encoding="utf-8")))
                   for path in sorted(HERE.rglob("*.json")) if path != SNAPSHOT]


def _damaged(rng: random.Random, doc: Any) -> Any:
    return damaged(rng, doc, _VALUES)


def _answer(doc: Any, kinds: bool) -> Any:
    """What reading and lint say about the document: the error, or the findings (auto-detected kind,
    and with ``kinds`` every forced kind and generic). Linted from the text, as `flows lint` does."""
    text = json.dumps(doc, ensure_ascii=True)
    try:
        result = lint_text(text, source="flow.json")
    except FlowFormatError as exc:
        return {"error": str(exc)}
    answer: dict[str, Any] = {
        "kind": result.kind.value if result.kind else None,
        "findings": [[f.rule_id, f.severity, f.block, f.message] for f in result.findings],
    }
    if kinds:
        for kind in FlowKind:
            answer[kind.value] = [[f.rule_id, f.block, f.message] for f in lint_text(text, kind).findings]
        answer["generic"] = [[f.rule_id, f.block, f.message] for f in lint_text(text, generic=True).findings]
    return answer


def _answers() -> dict[str, Any]:
    rng = random.Random(15)
    bases = _bases()
    answers = {name: _answer(doc, True) for name, doc in bases}
    for index in range(DAMAGED):
        name, doc = rng.choice(bases)
        answers[f"damaged-{index:03d}-{name}"] = _answer(_damaged(rng, doc), index % 10 == 0)
    return answers


def test_lint_findings_are_those_recorded() -> None:
    answers = json.loads(json.dumps(_answers()))  # tuples and lists compare as the file stores them
    if os.environ.get("SCCAC_WRITE_LINT_FINDINGS"):
        SNAPSHOT.write_text(json.dumps(answers, indent=1, sort_keys=True, ensure_ascii=True) + "\n", encoding="utf-8")
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(answers) == sorted(recorded)
    changed = [name for name in answers if answers[name] != recorded[name]]
    assert not changed, f"findings changed for {changed[:5]} (see the module docstring to record a meant change)"
    assert sum(len(a.get("findings", [])) for a in answers.values()) > 300  # the damaged flows do trip rules
