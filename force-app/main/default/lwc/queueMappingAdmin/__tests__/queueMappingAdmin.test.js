import { createElement } from "lwc";
import QueueMappingAdmin, { MAX_POLLS, POLL_MS } from "c/queueMappingAdmin";
import loadPage from "@salesforce/apex/QueueMappingAdminController.loadPage";
import connectQueues from "@salesforce/apex/QueueMappingAdminController.connectQueues";
import refreshConnectQueues from "@salesforce/apex/QueueMappingAdminController.refreshConnectQueues";
import saveChanges from "@salesforce/apex/QueueMappingAdminController.saveChanges";
import deploymentStatus from "@salesforce/apex/QueueMappingAdminController.deploymentStatus";
import { arn, connectQueues as connectFixture, EXPECTED_STATES, pageData } from "./fixtures";

jest.mock("@salesforce/apex/QueueMappingAdminController.loadPage", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/QueueMappingAdminController.connectQueues", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/QueueMappingAdminController.refreshConnectQueues", () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock("@salesforce/apex/QueueMappingAdminController.saveChanges", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/QueueMappingAdminController.deploymentStatus", () => ({ default: jest.fn() }), {
    virtual: true
});

/** Lets the component's awaited Apex calls and the re-render that follows them finish. */
async function settle() {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

async function mount() {
    const element = createElement("c-queue-mapping-admin", { is: QueueMappingAdmin });
    document.body.appendChild(element);
    await settle();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => Array.from(element.shadowRoot.querySelectorAll(selector));

function statesShown(element) {
    return Object.fromEntries($$(element, "tbody tr").map((tr) => [tr.dataset.row, tr.querySelector("[data-state]").dataset.state]));
}

async function choose(element, selector, value) {
    const control = $(element, selector);
    control.value = value;
    control.dispatchEvent(new CustomEvent(control.tagName === "SELECT" ? "change" : "input"));
    await settle();
}

async function click(element, selector) {
    $(element, selector).click();
    await settle();
}

async function mapBilling(element) {
    await click(element, "[data-map='Billing']");
    await choose(element, "[data-id='picker-filter']", "bill");
    await choose(element, "[data-id='picker-select']", arn(4));
    await click(element, "[data-id='picker-apply']");
}

const live = (element) => $(element, "[data-id='live']").textContent;

describe("c-queue-mapping-admin", () => {
    beforeEach(() => {
        loadPage.mockResolvedValue(pageData());
        connectQueues.mockResolvedValue(connectFixture());
        refreshConnectQueues.mockResolvedValue(connectFixture());
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it("lists every Omni-Queue and orphan mapping with its state", async () => {
        const element = await mount();

        expect(statesShown(element)).toEqual(EXPECTED_STATES);
        expect($(element, "[data-id='showing']").textContent).toBe("Showing 7 of 7 queues");
        expect($(element, "[data-id='connect-summary']").textContent).toBe("4 Amazon Connect queues");
        const sales = $(element, "tr[data-row='Sales']").textContent;
        expect(sales).toContain("more than one active mapping (Sales, Sales_B)");
        const claims = $(element, "tr[data-row='Claims']").textContent;
        expect(claims).toContain("its routing configuration uses MostAvailable");
        expect($(element, "tr[data-row='Old_Queue'] [data-map]")).toBeNull();
        expect(live(element)).toBe("4 Amazon Connect queues loaded.");
        await expect(element).toBeAccessible();
    });

    it("filters to the unmapped queues and searches", async () => {
        const element = await mount();

        await choose(element, "[data-id='state-filter']", "unmapped");
        expect(Object.keys(statesShown(element))).toEqual(["Billing", "Escalations"]);
        expect($(element, "[data-id='showing']").textContent).toBe("Showing 2 of 7 queues");
        const labels = $$(element, "[data-id='state-filter'] option").map((o) => o.textContent);
        expect(labels).toContain("Unmapped (2)");

        await choose(element, "[data-id='state-filter']", "all");
        await choose(element, "[data-id='search']", "SUPPORT");
        expect(Object.keys(statesShown(element))).toEqual(["Support_Tier_1", "Old_Queue"]);

        await choose(element, "[data-id='search']", "nothing-like-this");
        expect($(element, "[data-id='no-rows']").textContent).toContain("No queue matches");
    });

    it("picks a Connect queue for an unmapped queue with the keyboard-usable picker", async () => {
        const element = await mount();

        await click(element, "[data-map='Billing']");
        expect($(element, "[data-id='picker'] h2").textContent).toBe("Choose the Amazon Connect queue for Billing");
        expect(element.shadowRoot.activeElement).toBe($(element, "[data-id='picker-filter']"));
        await expect(element).toBeAccessible();

        await choose(element, "[data-id='picker-filter']", "bill");
        expect($$(element, "[data-id='picker-select'] option").map((o) => o.textContent)).toEqual(["Billing Connect"]);
        expect($(element, "[data-id='picker-count']").textContent).toBe("1 of 4 Connect queues match");
        expect($(element, "[data-id='picker-apply']").disabled).toBe(true);

        await choose(element, "[data-id='picker-select']", arn(4));
        await click(element, "[data-id='picker-apply']");

        expect($(element, "[data-id='picker']")).toBeNull();
        const row = $(element, "tr[data-row='Billing']");
        expect(row.querySelector("[data-id='connect-name']").textContent).toBe("Billing Connect");
        expect(row.querySelector("[data-id='pending']").textContent).toBe("Pending: map");
        expect(statesShown(element).Billing).toBe("missing_external_routing");
        expect($(element, "[data-id='save']").textContent).toBe("Save 1 change");
        expect(live(element)).toBe("Billing will be mapped to Billing Connect when you save.");
        expect(element.shadowRoot.activeElement).toBe($(element, "[data-map='Billing']"));
    });

    it("applies the chosen Connect queue with Enter in the list", async () => {
        const element = await mount();
        await click(element, "[data-map='Escalations']");
        await choose(element, "[data-id='picker-select']", arn(2));

        const enter = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
        $(element, "[data-id='picker-select']").dispatchEvent(enter);
        await settle();

        expect(enter.defaultPrevented).toBe(true);
        expect($(element, "[data-id='picker']")).toBeNull();
        expect($(element, "tr[data-row='Escalations'] [data-id='connect-name']").textContent).toBe("Sales");
        expect(statesShown(element).Escalations).toBe("ok");
    });

    it("keeps a queue just mapped in view under the Unmapped filter, with focus on its button", async () => {
        const element = await mount();
        await choose(element, "[data-id='state-filter']", "unmapped");

        await mapBilling(element);

        expect(Object.keys(statesShown(element))).toEqual(["Billing", "Escalations"]);
        expect(statesShown(element).Billing).toBe("missing_external_routing");
        expect(element.shadowRoot.activeElement).toBe($(element, "[data-map='Billing']"));
        expect($(element, "[data-map='Billing']").getAttribute("aria-label")).toBe("Remap Billing");
    });

    it("closes the picker with Escape and returns focus to the queue's button", async () => {
        const element = await mount();

        await click(element, "[data-map='Escalations']");
        const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
        $(element, "[data-id='picker-filter']").dispatchEvent(escape);
        await settle();

        expect(escape.defaultPrevented).toBe(true); // the key must not also press the button that gets the focus
        expect($(element, "[data-id='picker']")).toBeNull();
        expect(element.shadowRoot.activeElement).toBe($(element, "[data-map='Escalations']"));
        expect($(element, "[data-id='save']").disabled).toBe(true);
    });

    it("saves, follows the deployment to its success and reloads the mappings", async () => {
        jest.useFakeTimers();
        saveChanges.mockResolvedValue({ ok: true, jobId: "0Af000000000001", summary: "Map Billing", errors: [] });
        deploymentStatus
            .mockResolvedValueOnce({ jobId: "0Af000000000001", status: "Queued", done: false, success: false })
            .mockResolvedValueOnce({
                jobId: "0Af000000000001",
                status: "Succeeded",
                done: true,
                success: true,
                message: "Deployed 1 mapping record(s)."
            });
        const element = await mount();
        await mapBilling(element);
        await click(element, "[data-unmap='Claims']");

        await click(element, "[data-id='save']");

        expect(JSON.parse(saveChanges.mock.calls[0][0].changesJson)).toEqual([
            { omniQueue: "Billing", arn: arn(4), connectQueueName: "Billing Connect" },
            { omniQueue: "Claims", arn: null, connectQueueName: null }
        ]);
        expect(live(element)).toBe("Deployment 0Af000000000001 started. The page reports its result.");
        expect($(element, "[data-id='save']").disabled).toBe(true);

        jest.advanceTimersByTime(POLL_MS);
        await settle();
        expect($(element, "[data-id='deployment-progress']").textContent).toContain("is running (Queued)");

        loadPage.mockResolvedValue(
            pageData({
                mappings: [
                    ...pageData().mappings.filter((m) => m.recordName !== "Billing"),
                    { recordName: "Billing", omniQueue: "Billing", arn: arn(4), connectQueueName: "Billing Connect", active: true }
                ]
            })
        );
        jest.advanceTimersByTime(POLL_MS);
        await settle();

        expect(deploymentStatus).toHaveBeenCalledWith({ jobId: "0Af000000000001" });
        expect($(element, "[data-id='deployment-success']").textContent).toBe(
            "Deployment 0Af000000000001: Succeeded. Deployed 1 mapping record(s)."
        );
        expect(live(element)).toContain("Succeeded");
        expect(loadPage).toHaveBeenCalledTimes(2);
        expect($(element, "[data-id='save']").textContent).toBe("Save changes");
        expect($(element, "tr[data-row='Billing'] [data-id='pending']")).toBeNull();
        expect(statesShown(element).Billing).toBe("missing_external_routing");
        jest.useRealTimers(); // axe-core needs real timers
        await expect(element).toBeAccessible();
    });

    it("shows a failed deployment and keeps the changes to fix and save again", async () => {
        jest.useFakeTimers();
        saveChanges.mockResolvedValue({ ok: true, jobId: "0Af000000000002", summary: "Map Billing", errors: [] });
        deploymentStatus.mockResolvedValue({
            jobId: "0Af000000000002",
            status: "Failed",
            done: true,
            success: false,
            message: "Connect_Queue_Mapping.Billing: Connect Queue ARN must look like arn:aws:connect:..."
        });
        const element = await mount();
        await mapBilling(element);
        await click(element, "[data-id='save']");

        jest.advanceTimersByTime(POLL_MS);
        await settle();

        const failure = $(element, "[data-id='deployment-failure']").textContent;
        expect(failure).toContain("Deployment 0Af000000000002: Failed.");
        expect(failure).toContain("Connect_Queue_Mapping.Billing: Connect Queue ARN must look like");
        expect(live(element)).toContain("Failed");
        expect($(element, "[data-id='save']").disabled).toBe(false);
        expect($(element, "tr[data-row='Billing'] [data-id='pending']").textContent).toBe("Pending: map");
        expect(loadPage).toHaveBeenCalledTimes(1);
    });

    it("stops waiting for a deployment after the last poll and says where to look", async () => {
        jest.useFakeTimers();
        saveChanges.mockResolvedValue({ ok: true, jobId: "0Af000000000003", errors: [] });
        deploymentStatus.mockResolvedValue({ jobId: "0Af000000000003", status: "Queued", done: false, success: false });
        const element = await mount();
        await mapBilling(element);
        await click(element, "[data-id='save']");

        for (let i = 0; i < MAX_POLLS; i++) {
            jest.advanceTimersByTime(POLL_MS);
            // eslint-disable-next-line no-await-in-loop
            await settle();
        }

        expect(deploymentStatus).toHaveBeenCalledTimes(MAX_POLLS);
        expect($(element, "[data-id='deployment-failure']").textContent).toContain("Setup > Deployment Status");
    });

    it("picks up a deployment still running when the page opens", async () => {
        jest.useFakeTimers();
        loadPage.mockResolvedValue(
            pageData({ lastDeployment: { jobId: "0Af000000000004", status: "Queued", done: false, success: false } })
        );
        deploymentStatus.mockResolvedValue({
            jobId: "0Af000000000004",
            status: "Succeeded",
            done: true,
            success: true,
            message: "Deployed 2 mapping record(s)."
        });
        const element = await mount();
        expect($(element, "[data-id='deployment-progress']").textContent).toContain("0Af000000000004 is running");

        jest.advanceTimersByTime(POLL_MS);
        await settle();

        expect($(element, "[data-id='deployment-success']").textContent).toContain("Deployed 2 mapping record(s).");
        expect(loadPage).toHaveBeenCalledTimes(2);
    });

    it("shows why nothing was deployed when the Apex refuses the changes", async () => {
        saveChanges.mockResolvedValue({
            ok: false,
            errors: ["Billing: arn:aws:connect:eu-west-2:... is not a queue ARN of the configured Connect instance: it is in region eu-west-2"]
        });
        const element = await mount();
        await mapBilling(element);

        await click(element, "[data-id='save']");

        const alert = $(element, "[data-id='save-errors']");
        expect(alert.getAttribute("role")).toBe("alert");
        expect(alert.textContent).toContain("Nothing was deployed");
        expect(alert.textContent).toContain("it is in region eu-west-2");
        expect(deploymentStatus).not.toHaveBeenCalled();
        expect(live(element)).toBe("Nothing was deployed: 1 problems to fix.");
        await expect(element).toBeAccessible();
    });

    it("names the missing credential piece and still allows unmapping", async () => {
        connectQueues.mockResolvedValue({
            ok: false,
            queues: [],
            missing: "named_credential_setting",
            problem: "No Named Credential is set: Connect_Routing_Setting__mdt.Default.Named_Credential__c is empty."
        });
        const element = await mount();

        const box = $(element, "[data-id='connect-problem']").textContent;
        expect(box).toContain("Missing: Named Credential setting.");
        expect(box).toContain("Named_Credential__c is empty");
        expect(statesShown(element).Returns).toBe("ok"); // not known to be stale without Connect's list
        expect(live(element)).toContain("Amazon Connect queues are not available");

        await click(element, "[data-map='Escalations']");
        expect($(element, "[data-id='picker-problem']").textContent).toContain("Named_Credential__c is empty");
        expect($(element, "[data-id='picker-select']")).toBeNull();
        expect(element.shadowRoot.activeElement).toBe($(element, "[data-id='picker-cancel']"));
        await expect(element).toBeAccessible();

        await click(element, "[data-id='picker-cancel']");
        await click(element, "[data-unmap='Returns']");
        expect(statesShown(element).Returns).toBe("unmapped");
        expect($(element, "[data-id='save']").disabled).toBe(false);
    });

    it("reloads the Connect queues bypassing the cache", async () => {
        const element = await mount();
        refreshConnectQueues.mockResolvedValue({ ...connectFixture(), queues: connectFixture().queues.slice(0, 1) });

        await click(element, "[data-id='reload-connect']");

        expect(refreshConnectQueues).toHaveBeenCalledTimes(1);
        expect(connectQueues).toHaveBeenCalledTimes(1);
        expect($(element, "[data-id='connect-summary']").textContent).toBe("1 Amazon Connect queues");
        expect(statesShown(element).Sales).toBe("duplicate");
        expect(statesShown(element).Claims).toBe("stale_arn");
    });

    it("undoes a pending change", async () => {
        const element = await mount();
        await click(element, "[data-unmap='Support_Tier_1']");
        expect(statesShown(element).Support_Tier_1).toBe("unmapped");

        await click(element, "[data-undo='Support_Tier_1']");

        expect(statesShown(element).Support_Tier_1).toBe("ok");
        expect(live(element)).toBe("Change to Support_Tier_1 undone.");
    });

    it("shows the permission error of the Apex instead of the page", async () => {
        loadPage.mockRejectedValue({ body: { message: "You do not have access to Connect queue mappings: it needs ..." } });
        const element = await mount();

        expect($(element, "[data-id='load-error']").textContent).toContain("You do not have access");
        expect($(element, "table")).toBeNull();
        expect(connectQueues).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });
});
