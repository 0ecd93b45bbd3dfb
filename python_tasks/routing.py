"""CumulusCI task that points the Case unified routing at the wired Connect instance (the settings record)."""

from __future__ import annotations

from pathlib import Path

from cumulusci.tasks.salesforce import BaseSalesforceApiTask

from python_tasks import support
from sccac.connect.document import DEFAULT_WIRING_DOCUMENT, read_wiring_document
from sccac.salesforce.routing_settings import SHIPPED_RECORD, render_routing_settings, routing_setting_values


@support.renamed_options({"path": "out"})
class ConfigureCaseRouting(BaseSalesforceApiTask):
    task_docs = (
        "Fills the Case routing settings record (Connect_Routing_Setting.Default) with the Connect instance id, the "
        "task-routing flow id and region from the Connect wiring (out/connect/wiring.json) and the Named Credential, "
        "and deploys it. Skipped with one line when the wiring has not run."
    )
    task_options = {
        "wiring": {"description": f"The Connect wiring's output document (default: {DEFAULT_WIRING_DOCUMENT})"},
        "named_credential": {"description": "Named Credential of the Connect callout (default: Amazon_Connect_<region>)"},
        "out": {"description": "Folder the record is rendered into (default: out/render/case_routing)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        support.apply_renamed_options(self)

    def _run_task(self):
        wiring_path = Path(self.options.get("wiring") or DEFAULT_WIRING_DOCUMENT)
        if not wiring_path.is_file():
            self.logger.warning(f"Case routing settings skipped: no {wiring_path} (the Connect wiring has not run); "
                                "run wire_connect, then this task")
            self.return_values = {"skipped": str(wiring_path)}
            return
        with support.cumulusci_errors():
            wiring = read_wiring_document(wiring_path)
        credential = self.options.get("named_credential") or f"Amazon_Connect_{str(wiring['region']).replace('-', '_')}"
        values = routing_setting_values(wiring, credential)
        shipped = Path(self.project_config.repo_root or ".") / SHIPPED_RECORD
        folder = render_routing_settings(values, Path(self.options.get("out") or "out/render/case_routing"), shipped)
        support.deploy_folder(self, folder)
        self.logger.info("Case routing: " + ", ".join(f"{k} = {v}" for k, v in values.items()))
        self.return_values = values
