"""Flow files on disk: write the built flows, lint a file, and the example settings of `build --example`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sccac.flows.builders import EXAMPLE_CHANNEL_ADDRESS_IDENTIFIER, BuiltFlow, FlowKind, FlowSettings, build_all
from sccac.flows.lint import LintResult, lint_flow
from sccac.flows.lint.report import RENDERERS, FileReport
from sccac.flows.outputs import OutputPathError
from sccac.written import foreign_files, record, refusal
from sccac.flows.model import FlowFormatError, read_flow_for_lint
from sccac.flows.reading import DocumentError, read_text
from sccac.vocabulary import TEXT_FORMAT

# Obviously-example values (account 123456789012) for `build --example` (and the task's
# `example: True`): no placeholder may reach Connect, so the example channel address
# identifier is flagged by the placeholder rule (SCCAC-FLOW-026) and the example flows fail lint.
EXAMPLE_ACCOUNT = "123456789012"
EXAMPLE_INSTANCE = "5f1c9c1e-2a8b-4d6e-9c3f-7b2a1d4e6f80"
# The four org-specific values `build` requires (unless --example).
REQUIRED_SETTINGS = ("session_lambda_arn", "routing_lambda_arn", "channel_address_identifier", "fallback_queue_arn")
EXAMPLE_SETTINGS = {
    "session_lambda_arn": f"arn:aws:lambda:us-east-1:{EXAMPLE_ACCOUNT}:function:sccac-CreateMessagingSession",
    "routing_lambda_arn": f"arn:aws:lambda:us-east-1:{EXAMPLE_ACCOUNT}:function:sccac-Routing",
    "channel_address_identifier": EXAMPLE_CHANNEL_ADDRESS_IDENTIFIER,
    "fallback_queue_arn": (
        f"arn:aws:connect:us-east-1:{EXAMPLE_ACCOUNT}:instance/{EXAMPLE_INSTANCE}/queue/0e4d2b7a-9c1f-4a6e-8b3d-5f7a9c2e1b40"
    ),
}


#: The lint report formats by the names the CLI and the task take: the renderer called "human" is the `text`
#: format, as everywhere else.
LINT_FORMATS = {TEXT_FORMAT if name == "human" else name: name for name in RENDERERS}

#: The record of the flow files `build` wrote into its folder (see sccac.written).
BUILD_MANIFEST = ".sccac-flow-files"  # no .json suffix: `flows lint <folder>` lints *.json


def write_flows(settings: FlowSettings, out_dir: Path, *, force: bool = False) -> list[tuple[BuiltFlow, Path]]:
    """Build the flows and write each as ``<kind>.json`` (deterministic bytes). A file of that name the build did
    not write before (a user's) is refused with :class:`OutputPathError` before anything is written, unless ``force``."""
    flows = build_all(settings)
    targets = [out_dir / f"{built.kind.value}.json" for built in flows]
    foreign = [] if force or not out_dir.is_dir() else foreign_files(out_dir, targets, BUILD_MANIFEST)
    if foreign:
        raise OutputPathError(refusal(out_dir, foreign))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for built, path in zip(flows, targets):
        path.write_text(built.flow.to_json(), encoding="utf-8")
        written.append((built, path))
    record(out_dir, targets, BUILD_MANIFEST)
    return written


def lint_file(path: Path, kind: FlowKind | None = None, *, generic: bool = False, ignore_rules: Iterable[str] = ()) -> FileReport:
    """Lint one file; unreadable or unparseable input becomes a report with the reason, not an exception."""
    try:
        text = read_text(path)
    except DocumentError as exc:
        return FileReport(str(path), None, None, str(exc))
    try:
        result = lint_text(text, kind, generic=generic, ignore_rules=ignore_rules)
    except FlowFormatError as exc:
        return FileReport(str(path), text, None, str(exc))
    return FileReport(str(path), text, result)


def lint_text(
    text: str, kind: FlowKind | None = None, *, generic: bool = False, ignore_rules: Iterable[str] = (), source: str | None = None
) -> LintResult:
    """Read flow JSON ``text`` and lint it (what `flows lint` does for each file); :class:`FlowFormatError` when it is no flow."""
    # The text's length bounds the content size, so the size rule need not serialise the flow.
    return lint_flow(read_flow_for_lint(text, source), kind, generic=generic, text_chars=len(text), ignore_rules=ignore_rules)
