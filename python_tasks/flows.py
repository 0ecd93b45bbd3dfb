"""CumulusCI tasks over `sccac.flows`: build the five SCC-AC contact flows and lint flow files."""

from __future__ import annotations

from pathlib import Path

from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.core.tasks import BaseTask

from sccac.flows.builders import FlowKind, FlowSettings, FlowSettingsError
from sccac.flows.files import EXAMPLE_SETTINGS, lint_file, write_flows
from sccac.flows.lint.kinds import KIND_CHOICES, parse_kind
from sccac.flows.lint.report import exit_code, render_human

_SETTING_OPTIONS = ("session_lambda_arn", "routing_lambda_arn", "channel_address_identifier", "fallback_queue_arn")


class BuildContactFlows(BaseTask):
    task_docs = "Writes the five SCC-AC flows (inbound chat, agent and queue transfer, transcription module, task routing) as flow-language JSON."
    task_options = {
        "path": {"description": "Folder for the <kind>.json files (default: out/flows)"},
        **{name: {"description": f"{name.replace('_', ' ')} (default: an example value)"} for name in _SETTING_OPTIONS},
        "retry_count": {"description": "Lambda attempts in each retry loop, 1..100 (default: 3)"},
        "name_prefix": {"description": "Prefix of the flow names (default: SCCAC)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        values = {name: self.options.get(name) or EXAMPLE_SETTINGS[name] for name in _SETTING_OPTIONS}
        try:
            retry_count = int(self.options.get("retry_count") or 3)
        except ValueError:
            raise TaskOptionsError(f"retry_count must be a whole number, not {self.options['retry_count']!r}") from None
        try:
            self.settings = FlowSettings(**values, retry_count=retry_count, name_prefix=self.options.get("name_prefix") or "SCCAC")
        except FlowSettingsError as exc:
            raise TaskOptionsError(f"Option {exc.field}: {exc}") from None
        self.out_dir = Path(self.options.get("path") or "out/flows")

    def _run_task(self):
        for built, path in write_flows(self.settings, self.out_dir):
            self.logger.info(f"Wrote {path} ({built.connect_type}, {built.name}, {len(built.flow.actions)} actions)")
        self.return_values = {"path": str(self.out_dir)}


class LintContactFlows(BaseTask):
    task_docs = "Lints Amazon Connect flow JSON files (ours or an admin's export) against the SCC-AC rules; fails on error findings."
    task_options = {
        "path": {"description": "A flow JSON file or a folder of them", "required": True},
        "kind": {
            "description": f"Lint every file as this flow kind ({', '.join(KIND_CHOICES)}; generic = structural rules only); default: detect"
        },
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        path = Path(self.options["path"])
        self.files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if not self.files or not all(f.exists() for f in self.files):
            raise TaskOptionsError(f"path {path} has no flow JSON files; build them first (cci task run build_contact_flows)")
        kind = self.options.get("kind")
        try:
            self.kind, self.generic = parse_kind(kind)
        except ValueError:
            raise TaskOptionsError(f"kind must be one of {', '.join(KIND_CHOICES)}, not {kind!r}") from None

    def _run_task(self):
        reports = []
        for path in self.files:
            report = lint_file(path, self.kind, generic=self.generic)
            reports.append(report)
            self.logger.info(f"Linted {path}: {len(report.result.findings) if report.result else 'unreadable'}")
        for line in render_human(reports).splitlines():
            self.logger.info(line)
        if exit_code(reports):
            raise CumulusCIFailure(f"Flow lint found errors in {', '.join(r.path for r in reports if exit_code([r]))}")
