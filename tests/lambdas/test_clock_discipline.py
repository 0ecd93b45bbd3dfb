"""The Lambdas read time only through the clock they are given, and their tests never wait for real time.

Deadlines, the secret cache, the mapping TTL and the INIT charge run on a ``sccac.clock`` object:
real time in the Lambda runtime, a virtual clock in these tests. Real time is left only to the
sockets (the transport's watchdog, through ``RealClock``), so a test may wait for real time only
where a real socket timeout is the point: those few are listed here and say so on the line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAMBDAS = ROOT / "sccac" / "lambdas"
TESTS = ROOT / "tests" / "lambdas"

# (test file, test function) that may call time.sleep: a real socket timeout is the point. None today: the socket
# timeouts are asserted from the error's computed budget, and a test that must wait for the local service to finish
# an answer its client gave up on waits on the service (wait_for_calls), not a sleep.
REAL_SOCKET_TIMEOUT_TESTS: set[tuple[str, str]] = set()
SOCKET_COMMENT = "real socket timeout"
# Calls that read or wait for the real time.
CLOCK_READS = {("time", n) for n in ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "sleep",
                                      "gmtime", "localtime", "strftime")}
CLOCK_READS |= {(cls, n) for cls in ("datetime", "date") for n in ("now", "utcnow", "today")}


def clock_reads(source: str) -> list[tuple[int, str, str]]:
    """(line, enclosing top-level function or "", call) of every direct read of the real time."""
    tree = ast.parse(source)
    found: list[tuple[int, str, str]] = []
    imported_from_time = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                          and node.module == "time" for a in node.names}
    for top in tree.body:
        name = top.name if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else ""
        for node in ast.walk(top):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if (func.value.id, func.attr) in CLOCK_READS:
                    found.append((node.lineno, name, f"{func.value.id}.{func.attr}"))
            elif isinstance(func, ast.Name) and func.id in imported_from_time:
                found.append((node.lineno, name, f"time.{func.id}"))
    return found


def imports_time(source: str) -> bool:
    tree = ast.parse(source)
    return any(
        (isinstance(node, ast.Import) and any(a.name == "time" for a in node.names))
        or (isinstance(node, ast.ImportFrom) and node.module == "time")
        for node in ast.walk(tree)
    )


def test_no_lambda_module_reads_the_time_except_through_a_clock():
    offenders = {
        path.name: [f"line {line}: {call}()" for line, _, call in clock_reads(path.read_text())]
        for path in sorted(LAMBDAS.glob("*.py"))
        if clock_reads(path.read_text()) or imports_time(path.read_text())
    }
    assert offenders == {}, "read the time through the Clock passed in (sccac/clock.py), not the time module"


def test_lambda_tests_sleep_only_where_a_real_socket_timeout_is_the_point():
    sleeps = {}
    for path in sorted(TESTS.glob("*.py")):
        lines = path.read_text().splitlines()
        for line, function, call in clock_reads(path.read_text()):
            if call == "time.sleep":
                sleeps.setdefault((path.name, function), []).append(lines[line - 1])
    assert set(sleeps) - REAL_SOCKET_TIMEOUT_TESTS == set()
    assert set(sleeps) == REAL_SOCKET_TIMEOUT_TESTS, "an allow-listed test no longer sleeps: take it off the list"
    assert all(SOCKET_COMMENT in text for found in sleeps.values() for text in found)


def test_lambda_tests_measure_no_wall_clock_durations():
    measured = {
        path.name: [f"line {line}: {call}()" for line, _, call in clock_reads(path.read_text())
                    if call in ("time.monotonic", "time.perf_counter", "time.time")]
        for path in sorted(TESTS.glob("*.py"))
    }
    assert {name: found for name, found in measured.items() if found} == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import time\ndef f():\n    return time.monotonic()\n", [(3, "f", "time.monotonic")]),
        ("from time import sleep as nap\ndef test_x():\n    nap(1)\n", [(3, "test_x", "time.nap")]),
        ("from datetime import datetime\nclass C:\n    def m(self):\n        return datetime.now()\n",
         [(4, "C", "datetime.now")]),
        ("def f(clock):\n    return clock.monotonic()\n", []),
    ],
)
def test_the_check_finds_every_direct_read_of_the_time(source, expected):
    assert clock_reads(source) == expected


def test_every_sccac_module_the_lambdas_import_is_packaged_with_them():
    # sam build packages sccac/lambdas (CodeUri) with what its Makefile copies beside it.
    outside = set()
    for path in LAMBDAS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sccac."):
                if not node.module.startswith("sccac.lambdas"):
                    outside.add(node.module)
    assert outside == {"sccac.clock"}
    makefile = (LAMBDAS / "Makefile").read_text()
    for module in outside:
        name = module.split(".")[1]
        assert re.search(rf'cp "\$\(SOURCE_DIR\)\.\./{name}\.py" "\$\(ARTIFACTS_DIR\)/sccac/{name}\.py"', makefile)
