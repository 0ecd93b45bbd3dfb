"""Lint the six built flows from their JSON text N rounds, for valgrind's instruction count.

Instructions are steadier than time on a shared machine. Run it under callgrind with 0 and 40
rounds; the difference divided by 240 (40 rounds of six flows) is the count a flow:

  PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python bench/flows_instructions.py sccac 40

Add --cache-sim=yes --branch-sim=yes for the first-level cache misses and mispredicted branches
(valgrind's summary lines "I1  misses", "D1  misses" and "Mispredicts", taken the same way).

(PYTHONHASHSEED=0: with random string hashes, set and dict layouts change from run to run and
the count by about 1%.)

`connect-flow` in place of `sccac` counts that linter (parse + check) on the same texts
(PYTHONPATH=/tmp/flowtools, see bench/flows_bench.py). Every linter lints each flow once before
the counted rounds, so imports and first-call caches are in the 0-round run too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows_bench import SETTINGS  # noqa: E402  (bench/ is the script's folder)
from sccac.flows.builders import build_all  # noqa: E402
from sccac.flows.files import lint_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("linter", choices=["sccac", "connect-flow"])
    parser.add_argument("rounds", type=int)
    args = parser.parse_args()
    built = build_all(SETTINGS)
    texts = [(b.flow.to_json(), b.kind) for b in built]
    if args.linter == "sccac":
        def lint(text: str, kind: object) -> object:
            return lint_text(text, kind)  # type: ignore[arg-type]
    else:
        from connect_flow import flow as document, lint as checks  # connect-flow 0.3.1, not a dependency

        def lint(text: str, kind: object) -> object:
            return checks.check(document.parse(text))
    for text, kind in texts:
        lint(text, kind)
    for _ in range(args.rounds):
        for text, kind in texts:
            lint(text, kind)


if __name__ == "__main__":
    main()
