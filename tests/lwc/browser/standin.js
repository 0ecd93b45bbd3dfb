// A local stand-in for the page's Apex (QueueMappingAdminController) on 127.0.0.1: it serves the compiled page
// and answers /apex/<Class.method> from in-memory org state, with the save checks of the rules file, so the
// browser suite walks the real component through a whole admin workflow. Scenarios: ?scenario=<name>.
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");

const REPO = path.resolve(__dirname, "../../..");
const RULES_JSON = fs.readFileSync(path.join(REPO, "force-app/main/default/staticresources/SCCAC_Queue_Mapping_Rules.json"), "utf8");
const RULES = JSON.parse(RULES_JSON);
const INSTANCE = "11111111-2222-3333-4444-555555555555";
const CREDENTIAL = "Amazon_Connect_us_east_1";

const arn = (n) => `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-${String(n).padStart(12, "0")}`;
const queue = (developerName, name, routingModel) => ({
    queueId: `00G${developerName}`,
    developerName,
    name,
    routingConfig: routingModel === "ExternalRouting" ? "SCCAC_External_Routing" : `${developerName}_Routing`,
    routingModel
});
const saveMessage = (id, values) =>
    RULES.saveChecks.find((check) => check.id === id).message.replace(/\{(\w+)\}/g, (m, key) => values[key] || "");

/** The scenarios the suite opens; each request to "/" with ?scenario= starts a fresh org state. */
const SCENARIOS = {
    "happy-path": { connectOk: true, deployFails: false },
    "missing-credential": { connectOk: false, deployFails: false },
    "deploy-fails": { connectOk: true, deployFails: true }
};

function freshOrg(scenario) {
    return {
        scenario,
        queues: [
            queue("Billing", "Billing", "MostAvailable"),
            queue("Escalations", "Escalations", "ExternalRouting"),
            queue("Returns", "Returns", "ExternalRouting"),
            queue("Sales", "Sales", "ExternalRouting"),
            queue("Support_Tier_1", "Support Tier 1", "ExternalRouting")
        ],
        mappings: [
            { recordName: "Returns", omniQueue: "Returns", arn: arn(9), connectQueueName: "Returns", active: true },
            { recordName: "Sales", omniQueue: "Sales", arn: arn(2), connectQueueName: "Sales", active: true },
            { recordName: "Sales_B", omniQueue: "Sales", arn: arn(2), connectQueueName: "Sales", active: true },
            { recordName: "Support_Tier_1", omniQueue: "Support_Tier_1", arn: arn(1), connectQueueName: "Support", active: true }
        ],
        connectQueues: [
            { arn: arn(1), id: "q1", name: "Support" },
            { arn: arn(2), id: "q2", name: "Sales" },
            { arn: arn(4), id: "q4", name: "Billing Connect" },
            { arn: arn(5), id: "q5", name: "Escalations Connect" }
        ],
        deployments: {},
        jobs: 0
    };
}

function connectResult(org) {
    if (!SCENARIOS[org.scenario].connectOk) {
        return {
            ok: false,
            queues: [],
            missing: "named_credential_setting",
            problem:
                "No Named Credential is set: Connect_Routing_Setting__mdt.Default.Named_Credential__c is empty. Enter the Named " +
                "Credential Case routing uses (e.g. Amazon_Connect_us_east_1) in Setup > Custom Metadata Types > Connect Routing Setting > Default."
        };
    }
    return { ok: true, queues: org.connectQueues, namedCredential: CREDENTIAL, instanceId: INSTANCE, region: "us-east-1" };
}

function save(org, changes) {
    const errors = [];
    const listed = connectResult(org);
    const seen = new Set();
    changes.forEach((change) => {
        if (seen.has(change.omniQueue)) {
            errors.push(saveMessage("duplicate", { queue: change.omniQueue }));
        }
        seen.add(change.omniQueue);
        if (change.arn && !listed.ok) {
            errors.push(saveMessage("connect_unavailable", { problem: listed.problem }));
        } else if (change.arn && !listed.queues.some((q) => q.arn === change.arn)) {
            errors.push(saveMessage("unknown_connect_queue", { queue: change.omniQueue, arn: change.arn }));
        }
    });
    if (errors.length) {
        return { ok: false, errors };
    }
    org.jobs += 1;
    const jobId = `0Af00000000000${org.jobs}`;
    org.deployments[jobId] = { jobId, status: "Queued", done: false, success: false, polls: 0, changes };
    return { ok: true, jobId, errors: [], summary: changes.map((c) => `${c.arn ? "Map" : "Unmap"} ${c.omniQueue}`).join("\n") };
}

/** The deploy "finishes" on the second poll, as the deploy callback would record it. */
function deploymentStatus(org, jobId) {
    const d = org.deployments[jobId];
    d.polls += 1;
    if (d.polls < 2 || d.done) {
        return d;
    }
    if (SCENARIOS[org.scenario].deployFails) {
        Object.assign(d, {
            status: "Failed",
            done: true,
            message: "The deployment Failed.\nConnect_Queue_Mapping.Billing: Connect Queue ARN must look like arn:aws:connect:..."
        });
        return d;
    }
    d.changes.forEach((change) => {
        org.mappings = org.mappings.filter((m) => m.omniQueue !== change.omniQueue);
        org.mappings.push({ recordName: change.omniQueue, omniQueue: change.omniQueue, arn: change.arn || arn(0), connectQueueName: change.connectQueueName, active: Boolean(change.arn) });
    });
    Object.assign(d, { status: "Succeeded", done: true, success: true, message: `Deployed ${d.changes.length} mapping record(s).` });
    return d;
}

function apex(org, method, params) {
    switch (method) {
        case "QueueMappingAdminController.loadPage":
            return {
                rules: RULES_JSON,
                instanceId: INSTANCE,
                region: "us-east-1",
                namedCredential: CREDENTIAL,
                queues: org.queues,
                omniProblem: null,
                mappings: org.mappings,
                lastDeployment: null
            };
        case "QueueMappingAdminController.connectQueues":
        case "QueueMappingAdminController.refreshConnectQueues":
            return connectResult(org);
        case "QueueMappingAdminController.saveChanges":
            return save(org, JSON.parse(params.changesJson));
        case "QueueMappingAdminController.deploymentStatus":
            return deploymentStatus(org, params.jobId);
        default:
            return null;
    }
}

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Connect Queue Mappings (browser suite)</title>
<script>window.process = { env: { NODE_ENV: "production" } };</script></head>
<body><main></main><script src="/bundle.js"></script></body></html>`;

/** Starts the stand-in on a free loopback port; resolves to { url, close() }. */
function start(bundleFile) {
    let org = freshOrg("happy-path");
    const server = http.createServer((req, res) => {
        const url = new URL(req.url, "http://127.0.0.1");
        const send = (status, type, body) => {
            res.writeHead(status, { "Content-Type": type });
            res.end(body);
        };
        if (url.pathname === "/") {
            org = freshOrg(SCENARIOS[url.searchParams.get("scenario")] ? url.searchParams.get("scenario") : "happy-path");
            send(200, "text/html", PAGE);
        } else if (url.pathname === "/bundle.js") {
            send(200, "text/javascript", fs.readFileSync(bundleFile));
        } else if (url.pathname.startsWith("/apex/") && req.method === "POST") {
            let body = "";
            req.on("data", (chunk) => {
                body += chunk;
            });
            req.on("end", () => {
                const answer = apex(org, url.pathname.slice("/apex/".length), JSON.parse(body || "{}"));
                if (answer === null) {
                    send(404, "application/json", JSON.stringify({ message: `No such Apex method ${url.pathname}` }));
                } else {
                    send(200, "application/json", JSON.stringify(answer));
                }
            });
        } else {
            send(404, "text/plain", "not found");
        }
    });
    return new Promise((resolve) => {
        server.listen(0, "127.0.0.1", () => {
            resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) });
        });
    });
}

module.exports = { start };
