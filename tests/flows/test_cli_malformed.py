"""`sccac flows simulate` and `sccac flows diagram` on malformed flows: an answer, never a traceback.

Where lint reports findings, simulate either runs or exits 2 naming the file and the field; diagram
draws whatever is there (odd values shown as JSON).
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sccac.flows import builders as b
from sccac.flows.builders import FlowKind, FlowSettings
from sccac.flows.cli import flows
from sccac.flows.model import Flow
from sccac.flows.shape import shape_problems
from sccac.flows.model import load_flow

SIM = Path(__file__).parent / "sim_fixtures"
PARSEABLE = sorted(p for p in (Path(__file__).parent / "fixtures" / "real").glob("*.json") if "legacy" not in p.name)


def _shuffle_values(node: Any, rng: random.Random, rate: float = 0.15) -> Any:
    """Replace random values with values of the wrong type (the lint fuzz of test_lint_real.py)."""
    odd = [None, 7, "x", [], {}, [1, "2"], {"a": None}, True, "$.", "", "a" * 60]
    if isinstance(node, dict):
        return {k: (rng.choice(odd) if rng.random() < rate else _shuffle_values(v, rng, rate)) for k, v in node.items()}
    if isinstance(node, list):
        return [rng.choice(odd) if rng.random() < rate * 2 / 3 else _shuffle_values(v, rng, rate) for v in node]
    return node


def _invoke(*args: str) -> Result:
    result = CliRunner().invoke(flows, list(args))
    # CliRunner keeps an uncaught exception in result.exception; a clean exit is a SystemExit.
    assert result.exception is None or isinstance(result.exception, SystemExit), (result.exception, result.output)
    assert "Traceback" not in result.output
    return result


def _write(tmp_path: Path, doc: Any, name: str = "flow.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _inbound(settings: FlowSettings) -> dict[str, Any]:
    return copy.deepcopy(b.build_inbound_chat(settings).to_dict())


def _set(doc: dict[str, Any], ident: str, key: str, value: Any) -> dict[str, Any]:
    next(a for a in doc["Actions"] if a["Identifier"] == ident)["Parameters"][key] = value
    return doc


# The review's cases: each crashed diagram or simulate while lint reported it cleanly.
REVIEW_CASES = {
    "metadata-string": (lambda s: {**_inbound(s), "Metadata": "str"}, "Metadata is a string, not an object"),
    "comparison-value-number": (
        lambda s: _set(copy.deepcopy(b.build_task_routing(s).to_dict()), b.ID_CHECK_QUEUE_ID, "ComparisonValue", 5),
        "Parameters.ComparisonValue is a number, not a string",
    ),
    "lambda-attributes-list": (
        lambda s: _set(_inbound(s), b.ID_SESSION_LAMBDA, "LambdaInvocationAttributes", ["channelAddressIdentifier"]),
        "Parameters.LambdaInvocationAttributes is a list, not an object",
    ),
    "identifier-object": (
        lambda s: {**(d := _inbound(s)), "Actions": [{**d["Actions"][0], "Identifier": {"id": 1}}, *d["Actions"][1:]]},
        "Actions[0].Identifier is an object, not a string",
    ),
}


@pytest.mark.parametrize("case", sorted(REVIEW_CASES))
def test_review_cases_exit_2_naming_the_file_and_field_or_draw(tmp_path: Path, settings: FlowSettings, case: str) -> None:
    make, field = REVIEW_CASES[case]
    path = _write(tmp_path, make(settings))
    simulated = _invoke("simulate", str(path))
    assert simulated.exit_code == 2
    assert str(path) in simulated.stderr and field in simulated.stderr and "cannot simulate this flow" in simulated.stderr
    for fmt in ("mermaid", "d2"):
        drawn = _invoke("diagram", "--format", fmt, str(path))
        assert drawn.exit_code == 0, drawn.output
    lint = _invoke("lint", str(path))
    assert lint.exit_code in (0, 1)


def test_odd_values_are_drawn_as_json(tmp_path: Path, settings: FlowSettings) -> None:
    doc = _set(copy.deepcopy(b.build_task_routing(settings).to_dict()), b.ID_CHECK_QUEUE_ID, "ComparisonValue", {"a": 1})
    doc["Actions"][1]["Identifier"] = ["x"]
    out = _invoke("diagram", str(_write(tmp_path, doc))).stdout
    assert "Check contact attributes<br/>{#quot;a#quot;: 1}" in out
    assert '%% a_x = ["x"]' in out


def test_built_and_fixture_flows_have_no_shape_problems(settings: FlowSettings) -> None:
    flows_ = [built.flow for built in b.build_all(settings)]
    flows_ += [Flow.from_dict(json.loads(p.read_text())) for p in sorted(SIM.glob("*.json"))]
    flows_ += [load_flow(p) for p in PARSEABLE]
    assert [shape_problems(f) for f in flows_] == [[] for _ in flows_]


@pytest.mark.parametrize("seed", range(80))
def test_fuzzed_flows_never_crash_simulate_or_diagram(tmp_path: Path, settings: FlowSettings, seed: int) -> None:
    rng = random.Random(seed)
    kind = list(FlowKind)[seed % len(FlowKind)]
    # Odd seeds: heavy damage (mostly shape errors); even seeds: light damage that still runs.
    doc = _shuffle_values(copy.deepcopy(b.BUILDERS[kind](settings).to_dict()), rng, 0.15 if seed % 2 else 0.02)
    if isinstance(doc.get("Actions"), list):
        doc["Actions"] = [a for a in doc["Actions"] if isinstance(a, dict)]
    path = _write(tmp_path, doc)
    simulated = _invoke("simulate", str(path), "--lambda-fails", "1", "--attribute", "queueId=arn:aws:connect:x")
    assert simulated.exit_code in (0, 2, 3)  # 3: the mutated flow runs stuck
    if simulated.exit_code == 2:
        # Named: the file, and either the field or the reason the file cannot be used.
        assert str(path) in simulated.stderr or "Actions" in simulated.stderr
        assert "the simulator cannot run this flow" not in simulated.stderr, simulated.stderr
    for fmt in ("mermaid", "d2"):
        drawn = _invoke("diagram", "--format", fmt, str(path))
        assert drawn.exit_code in (0, 2)
        if drawn.exit_code == 2:
            assert "'Actions' must be a list" in drawn.stderr  # only an unparseable document
