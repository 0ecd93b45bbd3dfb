"""Progress on a terminal while a check runs: the Java tools take tens of seconds and print nothing meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_CLEAR_LINE = "\r\x1b[K"


class TerminalProgress:
    """``with progress(name):`` keeps one status line (check name, seconds so far) up to date on ``stream``."""

    def __init__(self, stream: TextIO, interval: float = 1.0) -> None:
        self.stream = stream
        self.interval = interval

    def _show(self, text: str, end: str = "") -> None:
        self.stream.write(f"{_CLEAR_LINE}{text}{end}")
        self.stream.flush()

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        done = threading.Event()

        def tick() -> None:
            while not done.wait(self.interval):
                self._show(f"running {name} ... {time.monotonic() - start:.0f} s")

        self._show(f"running {name} ...")
        ticker = threading.Thread(target=tick, name=f"sccac-check-progress-{name}", daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()
            self._show(f"ran {name} in {time.monotonic() - start:.1f} s", end="\n")


def for_stream(stream: TextIO) -> TerminalProgress | None:
    """Progress only for a terminal: logs and pipes get the summary alone."""
    isatty = getattr(stream, "isatty", None)
    return TerminalProgress(stream) if callable(isatty) and isatty() else None
