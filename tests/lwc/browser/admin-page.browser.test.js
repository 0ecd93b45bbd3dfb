// The Connect Queue Mappings page in a real browser: the component compiled with the LWC compiler, rendered by
// @lwc/engine-dom in headless Chromium (Debian's chromium, driven by playwright-core), its Apex answered by the
// local stand-in. Every step uses the keyboard only, and axe-core checks each state the admin sees.
// Run: node --test tests/lwc/browser/ (make lwc does).
"use strict";
/* global document, window -- only inside page.evaluate() and waitForFunction(), which run in the browser */

const assert = require("node:assert/strict");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { after, before, describe, it } = require("node:test");
const { chromium } = require("playwright-core");
const { build } = require("./build");
const { start } = require("./standin");

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const AXE = require.resolve("axe-core/axe.min.js");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

let browser;
let standIn;
let workDir;

before(async () => {
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    }
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sccac-lwc-browser-"));
    const bundle = await build(path.join(workDir, "bundle.js"));
    standIn = await start(bundle);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
});

after(async () => {
    if (browser) {
        await browser.close();
    }
    if (standIn) {
        await standIn.close();
    }
    if (workDir) {
        fs.rmSync(workDir, { recursive: true, force: true });
    }
});

async function open(scenario) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${standIn.url}/?scenario=${scenario}`);
    // Loaded once the Connect queues are listed (a summary) or known to be unavailable (the problem box).
    await page.waitForFunction(() => {
        const root = document.querySelector("c-queue-mapping-admin")?.shadowRoot;
        return Boolean(root && (root.querySelector("[data-id='connect-problem']") || root.querySelector("[data-id='connect-summary']")?.textContent.includes("queues")));
    });
    page.errors = errors;
    return page;
}

/** What has keyboard focus, through the component's shadow root. */
function focused(page) {
    return page.evaluate(() => {
        let active = document.activeElement;
        while (active && active.shadowRoot && active.shadowRoot.activeElement) {
            active = active.shadowRoot.activeElement;
        }
        if (!active) {
            return null;
        }
        return {
            tag: active.tagName,
            id: active.dataset.id || null,
            name: active.getAttribute("aria-label") || active.textContent.trim(),
            value: active.value === undefined ? null : active.value
        };
    });
}

/** Presses Tab until the focused element matches (at most 60 times): how a keyboard user gets there. */
async function tabTo(page, matches, what) {
    for (let i = 0; i < 60; i++) {
        // eslint-disable-next-line no-await-in-loop
        await page.keyboard.press("Tab");
        // eslint-disable-next-line no-await-in-loop
        const now = await focused(page);
        if (now && matches(now)) {
            return now;
        }
    }
    throw new Error(`Tab never reached ${what}`);
}

async function axeCheck(page, state) {
    await page.addScriptTag({ path: AXE });
    const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), AXE_TAGS);
    const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(violations, [], `axe-core found problems in state "${state}"`);
}

function rows(page) {
    return page.evaluate(() => {
        const root = document.querySelector("c-queue-mapping-admin").shadowRoot;
        return Array.from(root.querySelectorAll("tbody tr")).map((tr) => ({
            queue: tr.dataset.row,
            state: tr.querySelector("[data-state]").dataset.state,
            connect: tr.querySelector("[data-id='connect-name']").textContent,
            pending: tr.querySelector("[data-id='pending']") ? tr.querySelector("[data-id='pending']").textContent : null
        }));
    });
}

const live = (page) => page.locator("[data-id='live']").textContent();

/**
 * Waits until read() answers what is expected (the component re-renders after each key asynchronously), then
 * asserts it, so a failure shows the last answer.
 */
async function eventually(read, expected, message) {
    let last;
    for (let i = 0; i < 50; i++) {
        // eslint-disable-next-line no-await-in-loop
        last = await read();
        if (JSON.stringify(last) === JSON.stringify(expected)) {
            return;
        }
        // eslint-disable-next-line no-await-in-loop
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(last, expected, message);
}

describe("Connect Queue Mappings page in headless Chromium, keyboard only", () => {
    it("filters to unmapped queues, maps one from Connect's list, saves and shows the deployed result", async () => {
        const page = await open("happy-path");
        assert.deepEqual(
            (await rows(page)).map((r) => [r.queue, r.state]),
            [
                ["Billing", "unmapped"],
                ["Escalations", "unmapped"],
                ["Returns", "stale_arn"],
                ["Sales", "duplicate"],
                ["Support_Tier_1", "ok"]
            ]
        );
        await axeCheck(page, "loaded");

        // Show: Unmapped, by typing the option's name on the focused select.
        await tabTo(page, (f) => f.id === "state-filter", "the Show filter");
        await page.keyboard.type("Unmapped");
        await eventually(async () => (await rows(page)).map((r) => r.queue), ["Billing", "Escalations"]);
        assert.equal(await page.locator("[data-id='showing']").textContent(), "Showing 2 of 5 queues");
        await axeCheck(page, "filtered to unmapped");

        // Map Billing: Enter on its button opens the picker with focus in the filter.
        await tabTo(page, (f) => f.name === "Map Billing", "the Map Billing button");
        await page.keyboard.press("Enter");
        await eventually(async () => (await focused(page)).id, "picker-filter");
        await axeCheck(page, "picker open");

        await page.keyboard.type("bill");
        await eventually(() => page.locator("[data-id='picker-count']").textContent(), "1 of 4 Connect queues match");
        await page.keyboard.press("Tab");
        assert.equal((await focused(page)).id, "picker-select");
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("Enter");
        await eventually(() => page.locator("[data-id='picker']").count(), 0, "the picker closed");
        await eventually(async () => (await focused(page)).name, "Remap Billing", "focus is back on the queue's button");
        const billing = (await rows(page)).find((r) => r.queue === "Billing");
        assert.deepEqual([billing.connect, billing.pending, billing.state], ["Billing Connect", "Pending: map", "missing_external_routing"]);
        assert.equal(await live(page), "Billing will be mapped to Billing Connect when you save.");
        await axeCheck(page, "pending change");

        // Save with the keyboard; the page follows the deployment until the callback's result is there.
        await tabTo(page, (f) => f.id === "save", "the Save button");
        await page.keyboard.press("Enter");
        await page.locator("[data-id='deployment-success']").waitFor({ timeout: 15000 });
        assert.match(await page.locator("[data-id='deployment-success']").textContent(), /Succeeded\. Deployed 1 mapping record\(s\)\./);
        assert.match(await live(page), /Succeeded/);
        await tabTo(page, (f) => f.id === "state-filter", "the Show filter");
        await page.keyboard.type("All");
        await eventually(async () => (await rows(page)).length, 5);
        const after = (await rows(page)).find((r) => r.queue === "Billing");
        assert.deepEqual([after.connect, after.pending], ["Billing Connect", null], "reloaded from the org, nothing pending");
        await axeCheck(page, "deployed");
        assert.deepEqual(page.errors, []);
        await page.close();
    });

    it("names the missing credential piece, and Escape leaves the picker", async () => {
        const page = await open("missing-credential");
        const problem = await page.locator("[data-id='connect-problem']").textContent();
        assert.match(problem, /Missing: Named Credential setting\./);
        assert.match(problem, /Named_Credential__c is empty/);
        await axeCheck(page, "credential missing");

        await tabTo(page, (f) => f.name === "Map Escalations", "the Map Escalations button");
        await page.keyboard.press("Enter");
        await eventually(async () => (await focused(page)).id, "picker-cancel");
        assert.match(await page.locator("[data-id='picker-problem']").textContent(), /Named_Credential__c is empty/);
        await axeCheck(page, "picker without Connect");
        await page.keyboard.press("Escape");
        await eventually(() => page.locator("[data-id='picker']").count(), 0);
        await eventually(async () => (await focused(page)).name, "Map Escalations");
        assert.deepEqual(page.errors, []);
        await page.close();
    });

    it("shows a failed deployment and keeps the change pending", async () => {
        const page = await open("deploy-fails");
        await tabTo(page, (f) => f.name === "Map Billing", "the Map Billing button");
        await page.keyboard.press("Enter");
        await eventually(async () => (await focused(page)).id, "picker-filter");
        await page.keyboard.type("billing connect");
        await eventually(() => page.locator("[data-id='picker-count']").textContent(), "1 of 4 Connect queues match");
        await page.keyboard.press("Tab");
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("Enter");
        await eventually(() => page.locator("[data-id='picker']").count(), 0);
        await tabTo(page, (f) => f.id === "save", "the Save button");
        await page.keyboard.press("Enter");

        await page.locator("[data-id='deployment-failure']").waitFor({ timeout: 15000 });
        const failure = await page.locator("[data-id='deployment-failure']").textContent();
        assert.match(failure, /Failed/);
        assert.match(failure, /Connect_Queue_Mapping\.Billing: Connect Queue ARN must look like/);
        assert.equal((await rows(page)).find((r) => r.queue === "Billing").pending, "Pending: map");
        await axeCheck(page, "deployment failed");
        assert.deepEqual(page.errors, []);
        await page.close();
    });
});
