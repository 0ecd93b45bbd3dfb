"""CumulusCI tasks over `sccac.flows`: build the five SCC-AC contact flows and lint flow files."""

from __future__ import annotations

from pathlib import Path

from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.core.tasks import BaseTask
from cumulusci.core.utils import process_bool_arg, process_list_arg

from sccac.flows.builders import FlowSettings, FlowSettingsError
from sccac.flows.outputs import OutputPathError
from sccac.flows.files import EXAMPLE_SETTINGS, REQUIRED_SETTINGS, lint_file, write_flows
from sccac.flows.lint.ignore import unknown as unknown_prefixes
from sccac.flows.lint.kinds import KIND_CHOICES, parse_kind
from sccac.flows.lint.report import exit_code, render_human


class BuildContactFlows(BaseTask):
    task_docs = (
        "Writes the five SCC-AC flows (inbound chat, agent and queue transfer, transcription module, task routing) "
        "as flow-language JSON. The four org-specific values are required unless example is True."
    )
    task_options = {
        "path": {"description": "Folder for the <kind>.json files (default: out/flows)"},
        **{name: {"description": f"{name.replace('_', ' ')} (required unless example is True)"} for name in REQUIRED_SETTINGS},
        "retry_count": {"description": "Lambda attempts in each retry loop, 1..100 (default: 3)"},
        "name_prefix": {"description": "Prefix of the flow names (default: SCCAC)"},
        "force": {"description": "True: replace flow files in path that an earlier build did not write (default: False)"},
        "example": {
            "description": "True: fill the missing values with example values (account 123456789012); "
            "the flows are not for Connect and fail lint (SCCAC-FLOW-026). Default: False"
        },
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        self.example = process_bool_arg(self.options.get("example") or False)
        missing = [name for name in REQUIRED_SETTINGS if not self.options.get(name)]
        if missing and not self.example:
            raise TaskOptionsError(
                f"Missing option(s) {', '.join(missing)}: the flows need the org's real values "
                "(or set example: True for example flows that are not for Connect)"
            )
        self.example_options = missing
        values = {name: self.options.get(name) or EXAMPLE_SETTINGS[name] for name in REQUIRED_SETTINGS}
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
        if self.example_options:
            self.logger.warning(
                f"Example flows: {', '.join(self.example_options)} set to example values; "
                "not for Connect (lint rejects the example channel address identifier, SCCAC-FLOW-026)"
            )
        try:
            written = write_flows(self.settings, self.out_dir, force=process_bool_arg(self.options.get("force") or False))
        except OutputPathError as exc:
            raise TaskOptionsError(str(exc)) from None
        for built, path in written:
            self.logger.info(f"Wrote {path} ({built.connect_type}, {built.name}, {len(built.flow.actions)} actions)")
        self.return_values = {"path": str(self.out_dir)}


class LintContactFlows(BaseTask):
    task_docs = "Lints Amazon Connect flow JSON files (ours or an admin's export) against the SCC-AC rules; fails on error findings."
    task_options = {
        "path": {"description": "A flow JSON file or a folder of them", "required": True},
        "kind": {
            "description": f"Lint every file as this flow kind ({', '.join(KIND_CHOICES)}; generic = structural rules only); default: detect"
        },
        "ignore_rules": {"description": "Comma-separated rule-id prefixes not to run (e.g. SCCAC-DESIGNER,SCCAC-FLOW-017); default: none"},
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
        self.ignore_rules = process_list_arg(self.options.get("ignore_rules")) or []
        if unknown_prefixes(self.ignore_rules):
            raise TaskOptionsError(f"ignore_rules: {', '.join(map(repr, unknown_prefixes(self.ignore_rules)))} matches no lint rule (see docs/flows.md)")

    def _run_task(self):
        reports = []
        for path in self.files:
            report = lint_file(path, self.kind, generic=self.generic, ignore_rules=self.ignore_rules)
            reports.append(report)
            outcome = f"{len(report.result.findings)} finding(s)" if report.result else f"not linted: {report.failure}"
            self.logger.info(f"Linted {path}: {outcome}")
        for line in render_human(reports).splitlines():
            self.logger.info(line)
        if exit_code(reports):
            raise CumulusCIFailure(f"Flow lint found errors in {', '.join(r.path for r in reports if exit_code([r]))}")
