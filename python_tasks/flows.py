"""CumulusCI tasks over `sccac.flows`: build the six SCC-AC contact flows and lint flow files."""

from __future__ import annotations

from pathlib import Path

from cumulusci.core.exceptions import CumulusCIFailure, TaskOptionsError
from cumulusci.core.tasks import BaseTask
from cumulusci.core.utils import process_bool_arg, process_list_arg

from python_tasks.support import apply_renamed_options, cumulusci_errors, renamed_options
from sccac.flows.files import LINT_FORMATS, lint_file, write_flows
from sccac.flows.lint.ignore import unknown as unknown_prefixes
from sccac.flows.lint.kinds import KIND_CHOICES, parse_kind
from sccac.flows.lint.report import RENDERERS, exit_code, render_human
from sccac.flows.outputs import check_file_target
from sccac.flows.settings import EXAMPLE_NOTE, SETTING_OPTIONS, example_filled, settings_from_options, task_option
from sccac.vocabulary import FORMAT_ALIASES, TEXT_FORMAT, split_values


@renamed_options({"path": "out"})
class BuildContactFlows(BaseTask):
    task_docs = (
        "Writes the six SCC-AC flows (inbound chat, agent and queue transfer, transcription module, task routing, "
        "disconnect with re-queue) as flow-language JSON. Every flow setting is an option named after it, as the "
        "flags of `sccac flows build`; the four org-specific values are required unless example is True."
    )
    task_options = {
        "out": {"description": "Folder for the <kind>.json files (default: out/flows)"},
        **{option.name: {"description": option.describe(task_option, "Required unless example is True.")}
           for option in SETTING_OPTIONS},
        "force": {"description": "True: replace flow files in out that an earlier build did not write (default: False)"},
        "example": {
            "description": "True: fill the missing values with example values (account 123456789012); "
            "the flows are not for Connect and fail lint (SCCAC-FLOW-026). Default: False"
        },
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        apply_renamed_options(self)
        with cumulusci_errors():
            self.settings = settings_from_options(self.options)
        self.example_options = example_filled(self.options)
        self.out_dir = Path(self.options.get("out") or "out/flows")

    def _run_task(self):
        if self.example_options:
            self.logger.warning(f"Example flows: {', '.join(self.example_options)} {EXAMPLE_NOTE}")
        with cumulusci_errors():
            written = write_flows(self.settings, self.out_dir, force=process_bool_arg(self.options.get("force") or False))
        for built, path in written:
            self.logger.info(f"Wrote {path} ({built.connect_type}, {built.name}, {len(built.flow.actions)} actions)")
        self.return_values = {"out": str(self.out_dir)}


class LintContactFlows(BaseTask):
    task_docs = (
        "Lints Amazon Connect flow JSON files (ours or an admin's export) against the SCC-AC rules; fails on error "
        "findings. The options are `sccac flows lint`'s: path (files or folders), kind, format, out, ignore_rules."
    )
    task_options = {
        "path": {"description": "Flow JSON files or folders of them (comma-separated)", "required": True},
        "kind": {
            "description": f"Lint every file as this flow kind ({', '.join(KIND_CHOICES)}; generic = structural rules only); default: detect"
        },
        "format": {"description": f"Report format written to out: {', '.join(sorted(LINT_FORMATS))} (default: {TEXT_FORMAT})"},
        "out": {"description": "Also write the report here (default: only the log)"},
        "ignore_rules": {"description": "Comma-separated rule-id prefixes not to run (e.g. SCCAC-DESIGNER,SCCAC-FLOW-017); default: none"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        paths = [Path(p) for p in split_values(process_list_arg(self.options["path"]) or [])]
        self.files = [f for path in paths for f in (sorted(path.glob("*.json")) if path.is_dir() else [path])]
        if not self.files or not all(f.exists() for f in self.files):
            shown = ", ".join(str(p) for p in paths)
            raise TaskOptionsError(f"path {shown} has no flow JSON files; build them first (cci task run build_contact_flows)")
        kind = self.options.get("kind")
        try:
            self.kind, self.generic = parse_kind(kind)
        except ValueError:
            raise TaskOptionsError(f"kind must be one of {', '.join(KIND_CHOICES)}, not {kind!r}") from None
        self.format = _lint_format(self.options.get("format"))
        if self.options.get("format") in FORMAT_ALIASES:
            self.logger.warning(f"format {self.options['format']} is deprecated; use {self.format}")
        self.out = Path(self.options["out"]) if self.options.get("out") else None
        if self.out is not None:
            with cumulusci_errors():
                check_file_target(self.out, "out", self.files)
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
        if self.out is not None:
            self.out.write_text(RENDERERS[LINT_FORMATS[self.format]](reports), encoding="utf-8")
            self.logger.info(f"Wrote {self.out}")
        if exit_code(reports):
            raise CumulusCIFailure(f"Flow lint found errors in {', '.join(r.path for r in reports if exit_code([r]))}")


def _lint_format(value: str | None) -> str:
    """The report format by the CLI's names (``text``, ``json``, ``sarif``; the old ``human`` is ``text``)."""
    name = FORMAT_ALIASES.get(value or TEXT_FORMAT, value or TEXT_FORMAT)
    if name not in LINT_FORMATS:
        raise TaskOptionsError(f"format must be one of {', '.join(sorted(LINT_FORMATS))}, not {value!r}")
    return name
