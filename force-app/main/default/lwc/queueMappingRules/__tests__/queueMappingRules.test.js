import { buildRows, fill, isExternalRouting, parseArn, parseRules } from "c/queueMappingRules";

const fs = require("fs");
const path = require("path");

const RULES = parseRules(
    fs.readFileSync(path.join(__dirname, "../../../staticresources/SCCAC_Queue_Mapping_Rules.json"), "utf8")
);
const INSTANCE = "11111111-2222-3333-4444-555555555555";
const arn = (n, region = "us-east-1", instance = INSTANCE, account = "123456789012") =>
    `arn:aws:connect:${region}:${account}:instance/${instance}/queue/aaaaaaaa-0000-0000-0000-${String(n).padStart(12, "0")}`;
const omni = (developerName, routingModel = "ExternalRouting") => ({ developerName, name: developerName, routingModel });
const active = (omniQueue, value, recordName = omniQueue) => ({ recordName, omniQueue, arn: value, active: true });

function stateOf(page, connect, draft) {
    const rows = buildRows(RULES, { instanceId: INSTANCE, region: "us-east-1", ...page }, connect, draft);
    return Object.fromEntries(rows.map((row) => [row.omniQueue, row.state]));
}

describe("c-queue-mapping-rules", () => {
    it("splits an ARN and names what does not match the instance", () => {
        const parsed = parseArn(RULES, ` ${arn(3)} `, { region: "us-east-1", instanceId: INSTANCE, account: "123456789012" });
        expect(parsed).toMatchObject({ region: "us-east-1", account: "123456789012", instanceId: INSTANCE, problem: null });
        expect(parseArn(RULES, "arn:aws:connect:us-east-1:1:instance/x/queue/y").problem).toContain("does not match");
        expect(parseArn(RULES, arn(3, "eu-west-2"), { region: "us-east-1" }).problem).toBe(
            "it is in region eu-west-2, the instance is in us-east-1."
        );
        const otherInstance = "99999999-2222-3333-4444-555555555555";
        expect(parseArn(RULES, arn(3, "us-east-1", otherInstance), { instanceId: INSTANCE }).problem).toContain(
            `instance ${otherInstance}`
        );
        expect(parseArn(RULES, arn(3, "us-east-1", INSTANCE, "000000000000"), { account: "123456789012" }).problem).toContain(
            "AWS account 000000000000"
        );
    });

    it("gives each state of the resource, most severe first", () => {
        const states = stateOf(
            {
                queues: [omni("Ok"), omni("Unmapped"), omni("Stale"), omni("Dup"), omni("Local", "MostAvailable"), omni("Bad")],
                mappings: [
                    active("Ok", arn(1)),
                    active("Stale", arn(7)),
                    active("Dup", arn(1)),
                    active("Dup", arn(2), "Dup_2"),
                    active("Local", arn(1)),
                    active("Bad", arn(1, "eu-west-2")),
                    active("Gone", arn(1)),
                    { recordName: "Unmapped", omniQueue: "Unmapped", arn: arn(1), active: false }
                ]
            },
            [{ arn: arn(1), name: "One" }, { arn: arn(2), name: "Two" }]
        );
        expect(states).toEqual({
            Ok: "ok",
            Unmapped: "unmapped",
            Stale: "stale_arn",
            Dup: "duplicate",
            Local: "missing_external_routing",
            Bad: "invalid_arn",
            Gone: "not_omni_queue"
        });
        expect(RULES.states.map((s) => s.id)).toEqual([
            "not_omni_queue",
            "duplicate",
            "invalid_arn",
            "stale_arn",
            "missing_external_routing",
            "unmapped",
            "ok"
        ]);
    });

    it("takes the region from Connect's queues when the settings have none", () => {
        const rows = buildRows(
            RULES,
            { instanceId: INSTANCE, region: null, queues: [omni("Other")], mappings: [active("Other", arn(1, "eu-west-2"))] },
            [{ arn: arn(1), name: "One" }]
        );
        expect(rows[0].state).toBe("invalid_arn");
        expect(rows[0].problems[0].message).toContain("it is in region eu-west-2, the instance is in us-east-1.");
    });

    it("does not call an ARN stale when Connect could not be asked", () => {
        expect(stateOf({ queues: [omni("Stale")], mappings: [active("Stale", arn(7))] }, null)).toEqual({ Stale: "ok" });
    });

    it("applies the draft: a map, a remap that resolves a duplicate, an unmap", () => {
        const page = {
            queues: [omni("New"), omni("Dup"), omni("Gone")],
            mappings: [active("Dup", arn(1)), active("Dup", arn(2), "Dup_2"), active("Gone", arn(1))]
        };
        const connect = [{ arn: arn(1), name: "One" }, { arn: arn(2), name: "Two" }];
        const rows = buildRows(RULES, { instanceId: INSTANCE, region: "us-east-1", ...page }, connect, {
            New: { arn: arn(2), connectQueueName: "Two" },
            Dup: { arn: arn(1), connectQueueName: "One" },
            Gone: { arn: null }
        });
        expect(rows.map((r) => [r.omniQueue, r.state, r.change, r.connectQueueName])).toEqual([
            ["New", "ok", "map", "Two"],
            ["Dup", "ok", "remap", "One"],
            ["Gone", "unmapped", "unmap", ""]
        ]);
    });

    it("fills messages and recognises external routing in both spellings", () => {
        expect(fill("{queue} uses {model}{missing}", { queue: "Sales", model: "MostAvailable" })).toBe("Sales uses MostAvailable");
        expect(isExternalRouting("ExternalRouting")).toBe(true);
        expect(isExternalRouting("EXTERNAL_ROUTING")).toBe(true);
        expect(isExternalRouting("MostAvailable")).toBe(false);
        expect(isExternalRouting(undefined)).toBe(false);
    });
});
