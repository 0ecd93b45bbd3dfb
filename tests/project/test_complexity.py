"""No function in the library is harder to follow than radon's grade C (cyclomatic complexity 20).

A function past that has grown several jobs; split it before it lands rather than explain it in review.
"""

from __future__ import annotations

from pathlib import Path

from radon.complexity import add_inner_blocks, cc_rank, cc_visit

PACKAGE = Path(__file__).resolve().parents[2] / "sccac"


def _blocks_above_grade_c() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        # Closures and inner classes count as blocks of their own, as `radon cc --show-closures` lists them.
        for block in add_inner_blocks(cc_visit(path.read_text(encoding="utf-8"))):
            if cc_rank(block.complexity) not in "ABC":
                where = path.relative_to(PACKAGE.parent)
                found.append(f"{where}:{block.lineno} {block.fullname} grade {cc_rank(block.complexity)}")
    return found


def test_no_function_in_sccac_is_above_grade_c() -> None:
    assert _blocks_above_grade_c() == []


def test_the_gate_sees_a_complex_function() -> None:
    branches = "\n".join(f"    if x == {n}:\n        return {n}" for n in range(25))
    blocks = cc_visit(f"def tangled(x):\n{branches}\n    return -1\n")
    assert [cc_rank(block.complexity) for block in blocks] == ["D"]
