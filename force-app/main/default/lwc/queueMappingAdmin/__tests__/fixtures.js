// Page data as QueueMappingAdminController answers it, with the real rules of the static resource.
const fs = require("fs");
const path = require("path");

export const RULES_JSON = fs.readFileSync(
    path.join(__dirname, "../../../staticresources/SCCAC_Queue_Mapping_Rules.json"),
    "utf8"
);
export const INSTANCE = "11111111-2222-3333-4444-555555555555";

export function arn(n, { region = "us-east-1", instance = INSTANCE, account = "123456789012" } = {}) {
    return `arn:aws:connect:${region}:${account}:instance/${instance}/queue/aaaaaaaa-0000-0000-0000-${String(n).padStart(12, "0")}`;
}

function queue(developerName, name, routingModel) {
    return { queueId: `00G${developerName}`, developerName, name, routingConfig: `${developerName}_Routing`, routingModel };
}

function mapping(recordName, omniQueue, arnValue, connectQueueName, active = true) {
    return { recordName, omniQueue, arn: arnValue, connectQueueName, active };
}

/**
 * Billing: inactive mapping (unmapped); Claims: mapped, most available (not external routing); Escalations: unmapped;
 * Returns: mapped to a queue Connect does not list (stale); Sales: two records (duplicate); Support_Tier_1: ok;
 * Old_Queue: a mapping whose queue is no Omni-Queue.
 */
export function pageData(overrides = {}) {
    return {
        rules: RULES_JSON,
        instanceId: INSTANCE,
        region: "us-east-1",
        namedCredential: "Amazon_Connect_us_east_1",
        omniProblem: null,
        lastDeployment: null,
        queues: [
            queue("Billing", "Billing", "MostAvailable"),
            queue("Claims", "Claims", "MostAvailable"),
            queue("Escalations", "Escalations", "ExternalRouting"),
            queue("Returns", "Returns", "ExternalRouting"),
            queue("Sales", "Sales", "ExternalRouting"),
            queue("Support_Tier_1", "Support Tier 1", "ExternalRouting")
        ],
        mappings: [
            mapping("Billing", "Billing", arn(4), "Billing Connect", false),
            mapping("Claims", "Claims", arn(5), "Claims"),
            mapping("Old_Queue", "Old_Queue", arn(1), "Support"),
            mapping("Returns", "Returns", arn(9), "Returns"),
            mapping("Sales", "Sales", arn(2), "Sales"),
            mapping("Sales_B", "Sales", arn(2), "Sales"),
            mapping("Support_Tier_1", "Support_Tier_1", arn(1), "Support")
        ],
        ...overrides
    };
}

export function connectQueues() {
    return {
        ok: true,
        queues: [
            { arn: arn(1), id: "q1", name: "Support" },
            { arn: arn(2), id: "q2", name: "Sales" },
            { arn: arn(4), id: "q4", name: "Billing Connect" },
            { arn: arn(5), id: "q5", name: "Claims" }
        ],
        namedCredential: "Amazon_Connect_us_east_1",
        instanceId: INSTANCE,
        region: "us-east-1"
    };
}

export const EXPECTED_STATES = {
    Billing: "unmapped",
    Claims: "missing_external_routing",
    Escalations: "unmapped",
    Returns: "stale_arn",
    Sales: "duplicate",
    Support_Tier_1: "ok",
    Old_Queue: "not_omni_queue"
};
