/**
 * Connect Queue Mappings page: every Omni-Queue with its Amazon Connect queue and mapping state, filter and search,
 * map / remap / unmap in place, then one deployment of the Connect_Queue_Mapping__mdt records whose result is polled.
 * States come from c/queueMappingRules (the rules of the static resource SCCAC_Queue_Mapping_Rules).
 */
import { LightningElement } from "lwc";
import loadPage from "@salesforce/apex/QueueMappingAdminController.loadPage";
import connectQueues from "@salesforce/apex/QueueMappingAdminController.connectQueues";
import refreshConnectQueues from "@salesforce/apex/QueueMappingAdminController.refreshConnectQueues";
import saveChanges from "@salesforce/apex/QueueMappingAdminController.saveChanges";
import deploymentStatus from "@salesforce/apex/QueueMappingAdminController.deploymentStatus";
import { buildRows, parseRules } from "c/queueMappingRules";

export const POLL_MS = 2000;
/** 150 polls of 2 s: a mapping deploy normally takes seconds; after 5 minutes the page stops asking. */
export const MAX_POLLS = 150;
const ALL = "all";
const CHANGED = "changed";

/** What the page calls the piece of setup that is missing (codes from ConnectQueueLister). */
const MISSING = {
    named_credential_setting: "Named Credential setting",
    instance_id: "Connect instance id",
    named_credential: "Named Credential",
    aws_keys: "AWS keys or principal access",
    permission: "IAM permission",
    connect_error: "Amazon Connect answer"
};

function errorText(error) {
    if (error && error.body && error.body.message) {
        return error.body.message;
    }
    return error && error.message ? error.message : String(error);
}

export default class QueueMappingAdmin extends LightningElement {
    loading = true;
    loadError;
    pageData;
    rules;
    connect;
    connectLoading = false;
    draft = {};
    filterState = ALL;
    searchText = "";
    pickerQueue;
    pickerFilter = "";
    pickerArn = "";
    saving = false;
    saveErrors = [];
    deployment;
    statusMessage = "";
    pollCount = 0;
    focusSelector;
    pollTimer;

    connectedCallback() {
        this.load();
    }

    disconnectedCallback() {
        clearTimeout(this.pollTimer);
    }

    renderedCallback() {
        // Focus moves only after a user action asked for it (opening or closing the picker).
        if (this.focusSelector) {
            const target = this.template.querySelector(this.focusSelector);
            this.focusSelector = null;
            if (target) {
                target.focus();
            }
        }
    }

    async load() {
        this.loading = true;
        this.loadError = null;
        try {
            const page = await loadPage();
            this.rules = parseRules(page.rules);
            this.pageData = page;
            if (page.lastDeployment && !page.lastDeployment.done) {
                this.startPolling(page.lastDeployment, "is still running");
            }
        } catch (error) {
            this.loadError = errorText(error);
        }
        this.loading = false;
        if (this.pageData) {
            await this.loadConnectQueues(false);
        }
    }

    async loadConnectQueues(fresh) {
        this.connectLoading = true;
        try {
            this.connect = await (fresh ? refreshConnectQueues() : connectQueues());
        } catch (error) {
            this.connect = { ok: false, queues: [], missing: "connect_error", problem: errorText(error) };
        }
        this.connectLoading = false;
        this.announce(
            this.connect.ok
                ? `${this.connect.queues.length} Amazon Connect queues loaded.`
                : "Amazon Connect queues are not available: " + this.connect.problem
        );
    }

    // ---- rows, filter, search

    get rows() {
        if (!this.pageData || !this.rules) {
            return [];
        }
        const listed = this.connect && this.connect.ok ? this.connect.queues : null;
        return buildRows(this.rules, this.pageData, listed, this.draft);
    }

    get visibleRows() {
        const search = this.searchText.trim().toLowerCase();
        return this.rows
            // A row with a pending change stays in view under any state filter: mapping an unmapped queue must not
            // make it vanish (and take the keyboard focus with it) while the admin is working on it.
            .filter((row) => this.filterState === ALL || row.change !== null || row.state === this.filterState)
            .filter(
                (row) =>
                    !search ||
                    [row.omniQueue, row.label, row.connectQueueName, row.arn, row.routingConfig].some((text) =>
                        (text || "").toLowerCase().includes(search)
                    )
            )
            .map((row) => ({
                ...row,
                badgeClass: `slds-badge state-badge state-${row.severity}`,
                mapLabel: row.mapped ? "Remap" : "Map",
                mapAssistiveText: `${row.mapped ? "Remap" : "Map"} ${row.omniQueue}`,
                unmapAssistiveText: `Unmap ${row.omniQueue}`,
                canUnmap: row.mapped,
                changeText: row.change ? `Pending: ${row.change}` : "",
                routingText: row.routingConfig ? `${row.routingConfig} (${row.routingModel || "no model"})` : "none",
                connectText: row.arn ? row.connectQueueName || "(name unknown)" : "Not mapped",
                problemList: row.problems.map((p, index) => ({ key: `${row.key}-${index}`, text: p.fix ? `${p.message} ${p.fix}` : p.message }))
            }));
    }

    get filterOptions() {
        const counts = {};
        this.rows.forEach((row) => {
            counts[row.state] = (counts[row.state] || 0) + 1;
        });
        const changed = this.rows.filter((row) => row.change !== null).length;
        const options = [{ value: ALL, label: `All (${this.rows.length})` }];
        this.rules.states.forEach((state) => options.push({ value: state.id, label: `${state.label} (${counts[state.id] || 0})` }));
        options.push({ value: CHANGED, label: `Pending changes (${changed})` });
        return options.map((option) => ({ ...option, selected: option.value === this.filterState }));
    }

    get showingText() {
        return `Showing ${this.visibleRows.length} of ${this.rows.length} queues`;
    }

    get hasRows() {
        return this.visibleRows.length > 0;
    }

    get ready() {
        return !this.loading && !this.loadError && Boolean(this.pageData);
    }

    get instanceText() {
        if (!this.pageData) {
            return "";
        }
        const instance = this.pageData.instanceId || "not set";
        const region = this.pageData.region || "region not set";
        return `Connect instance ${instance} (${region}) through Named Credential ${this.pageData.namedCredential || "(not set)"}`;
    }

    get connectSummary() {
        if (this.connectLoading) {
            return "Loading Amazon Connect queues…";
        }
        if (!this.connect) {
            return "";
        }
        return this.connect.ok ? `${this.connect.queues.length} Amazon Connect queues` : "";
    }

    get connectUnavailable() {
        return Boolean(this.connect && !this.connect.ok);
    }

    get connectMissingLabel() {
        return this.connect ? MISSING[this.connect.missing] || "Amazon Connect" : "";
    }

    handleFilter(event) {
        this.filterState = event.target.value;
    }

    handleSearch(event) {
        this.searchText = event.target.value;
    }

    handleReloadConnect() {
        this.loadConnectQueues(true);
    }

    // ---- picker

    get pickerOpen() {
        return Boolean(this.pickerQueue);
    }

    get pickerHeading() {
        return `Choose the Amazon Connect queue for ${this.pickerQueue}`;
    }

    get pickerOptions() {
        if (!this.connect || !this.connect.ok) {
            return [];
        }
        const filter = this.pickerFilter.trim().toLowerCase();
        return this.connect.queues
            .filter((queue) => !filter || queue.name.toLowerCase().includes(filter) || queue.arn.toLowerCase().includes(filter))
            .slice()
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((queue) => ({ ...queue, selected: queue.arn === this.pickerArn }));
    }

    get pickerHasOptions() {
        return this.pickerOptions.length > 0;
    }

    get pickerCountText() {
        const total = this.connect && this.connect.ok ? this.connect.queues.length : 0;
        return `${this.pickerOptions.length} of ${total} Connect queues match`;
    }

    get applyDisabled() {
        return !this.pickerArn || !this.pickerOptions.some((queue) => queue.arn === this.pickerArn);
    }

    handleMap(event) {
        const queue = event.currentTarget.dataset.queue;
        const row = this.rows.find((r) => r.omniQueue === queue);
        this.pickerQueue = queue;
        this.pickerFilter = "";
        this.pickerArn = row && row.arn ? row.arn : "";
        this.focusSelector = this.connectUnavailable ? "[data-id='picker-cancel']" : "[data-id='picker-filter']";
    }

    handlePickerFilter(event) {
        this.pickerFilter = event.target.value;
    }

    handlePickerSelect(event) {
        this.pickerArn = event.target.value;
    }

    handlePickerKeydown(event) {
        // preventDefault: focus moves back to the queue's button before the key's default action, which would
        // otherwise press that button (Enter) and open the picker again.
        if (event.key === "Escape") {
            event.preventDefault();
            this.closePicker();
        } else if (event.key === "Enter" && event.target.tagName === "SELECT" && !this.applyDisabled) {
            event.preventDefault();
            this.handleApply();
        }
    }

    handleApply() {
        const chosen = this.connect.queues.find((queue) => queue.arn === this.pickerArn);
        if (!chosen) {
            return;
        }
        this.setChange(this.pickerQueue, { arn: chosen.arn, connectQueueName: chosen.name });
        this.announce(`${this.pickerQueue} will be mapped to ${chosen.name} when you save.`);
        this.closePicker();
    }

    handleCancelPicker() {
        this.closePicker();
    }

    closePicker() {
        const queue = this.pickerQueue;
        this.pickerQueue = null;
        this.focusSelector = `[data-map='${queue}']`;
    }

    handleUnmap(event) {
        const queue = event.currentTarget.dataset.queue;
        this.setChange(queue, { arn: null, connectQueueName: null });
        this.announce(`${queue} will be unmapped when you save.`);
    }

    handleUndo(event) {
        const queue = event.currentTarget.dataset.queue;
        const draft = { ...this.draft };
        delete draft[queue];
        this.draft = draft;
        this.announce(`Change to ${queue} undone.`);
    }

    setChange(queue, change) {
        this.draft = { ...this.draft, [queue]: change };
        this.saveErrors = [];
    }

    // ---- save and deployment

    get changeCount() {
        return Object.keys(this.draft).length;
    }

    get hasChanges() {
        return this.changeCount > 0;
    }

    get saveLabel() {
        if (this.changeCount === 0) {
            return "Save changes";
        }
        return this.changeCount === 1 ? "Save 1 change" : `Save ${this.changeCount} changes`;
    }

    get saveDisabled() {
        return !this.hasChanges || this.saving || this.deploying;
    }

    get deploying() {
        return Boolean(this.deployment && !this.deployment.done);
    }

    get hasSaveErrors() {
        return this.saveErrors.length > 0;
    }

    get saveErrorList() {
        return this.saveErrors.map((text, index) => ({ key: `e${index}`, text }));
    }

    get deploymentFailed() {
        return Boolean(this.deployment && this.deployment.done && !this.deployment.success);
    }

    get deploymentSucceeded() {
        return Boolean(this.deployment && this.deployment.done && this.deployment.success);
    }

    get deploymentText() {
        const d = this.deployment;
        if (!d) {
            return "";
        }
        if (!d.done) {
            return `Deployment ${d.jobId} is running (${d.status}), checked ${this.pollCount} times.`;
        }
        return `Deployment ${d.jobId}: ${d.status}. ${d.message || ""}`.trim();
    }

    handleDiscard() {
        this.draft = {};
        this.saveErrors = [];
        this.announce("Pending changes discarded.");
    }

    async handleSave() {
        const changes = Object.keys(this.draft).map((queue) => ({
            omniQueue: queue,
            arn: this.draft[queue].arn,
            connectQueueName: this.draft[queue].connectQueueName
        }));
        this.saving = true;
        this.saveErrors = [];
        this.announce(`Checking and saving ${changes.length} changes…`);
        try {
            const outcome = await saveChanges({ changesJson: JSON.stringify(changes) });
            if (outcome.ok) {
                this.startPolling({ jobId: outcome.jobId, status: "Queued", summary: outcome.summary, done: false });
            } else {
                this.saveErrors = outcome.errors;
                this.announce(`Nothing was deployed: ${outcome.errors.length} problems to fix.`);
            }
        } catch (error) {
            this.saveErrors = [errorText(error)];
            this.announce("Nothing was deployed: " + errorText(error));
        }
        this.saving = false;
    }

    startPolling(deployment, what = "started") {
        this.deployment = deployment;
        this.pollCount = 0;
        this.announce(`Deployment ${deployment.jobId} ${what}. The page reports its result.`);
        this.schedulePoll();
    }

    schedulePoll() {
        clearTimeout(this.pollTimer);
        // The deploy callback records the result asynchronously; the page asks every POLL_MS until it is there.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.pollTimer = setTimeout(() => this.poll(), POLL_MS);
    }

    async poll() {
        this.pollCount += 1;
        try {
            const status = await deploymentStatus({ jobId: this.deployment.jobId });
            this.deployment = status;
        } catch (error) {
            this.deployment = { ...this.deployment, done: true, success: false, status: "Unknown", message: errorText(error) };
        }
        if (!this.deployment.done) {
            if (this.pollCount >= MAX_POLLS) {
                this.deployment = {
                    ...this.deployment,
                    done: true,
                    success: false,
                    status: "Still running",
                    message: "The page stopped waiting. See Setup > Deployment Status, then reload this page."
                };
                this.announce(this.deploymentText);
                return;
            }
            this.schedulePoll();
            return;
        }
        this.announce(this.deploymentText);
        if (this.deployment.success) {
            this.draft = {};
            await this.reloadMappings();
        }
    }

    async reloadMappings() {
        try {
            const page = await loadPage();
            this.rules = parseRules(page.rules);
            this.pageData = page;
        } catch (error) {
            this.loadError = errorText(error);
        }
    }

    announce(text) {
        this.statusMessage = text;
    }
}
