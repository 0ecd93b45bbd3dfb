/**
 * Queue mapping states, evaluated in the browser from the rules of the static resource
 * SCCAC_Queue_Mapping_Rules (the Apex of the page checks the same file before it deploys).
 * Pure functions: the page's component owns the data and the draft of changes.
 */

const EXTERNAL = "EXTERNALROUTING";

/** Parses the resource's JSON once; the pattern becomes a RegExp. */
export function parseRules(json) {
    const rules = typeof json === "string" ? JSON.parse(json) : json;
    // The pattern is matched against the whole value.
    return { ...rules, arnRegExp: new RegExp(`^(?:${rules.arnPattern})$`) };
}

/** Replaces {name} placeholders; unknown ones become empty. */
export function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, (match, key) => {
        const value = values[key];
        return value === undefined || value === null ? "" : String(value);
    });
}

/** The ARN's parts and, when it cannot be used, why (checked against region, instance and account when known). */
export function parseArn(rules, value, expected = {}) {
    const text = (value || "").trim();
    const match = rules.arnRegExp.exec(text);
    const problems = rules.arnProblems;
    if (!match) {
        return { value: text, problem: problems.format };
    }
    const groups = rules.arnGroups;
    const arn = {
        value: text,
        region: match[groups.region],
        account: match[groups.account],
        instanceId: match[groups.instance],
        queueId: match[groups.queue],
        problem: null
    };
    const differs = (actual, wanted) => wanted && actual.toLowerCase() !== String(wanted).trim().toLowerCase();
    if (differs(arn.region, expected.region)) {
        arn.problem = fill(problems.region, { actual: arn.region, expected: expected.region });
    } else if (differs(arn.instanceId, expected.instanceId)) {
        arn.problem = fill(problems.instance, { actual: arn.instanceId, expected: expected.instanceId });
    } else if (differs(arn.account, expected.account)) {
        arn.problem = fill(problems.account, { actual: arn.account, expected: expected.account });
    }
    return arn;
}

/** Whether a QueueRoutingConfig routing model (SOQL MostAvailable / ExternalRouting, or EXTERNAL_ROUTING) is external. */
export function isExternalRouting(model) {
    return (model || "").toUpperCase().replace(/[^A-Z]/g, "") === EXTERNAL;
}

function stateById(rules) {
    const byId = {};
    rules.states.forEach((state, index) => {
        byId[state.id] = { ...state, rank: index };
    });
    return byId;
}

/** The region and account of the instance's queues (from the first ARN Connect listed), or nulls. */
function connectSide(rules, connectQueues) {
    if (!connectQueues || connectQueues.length === 0) {
        return { region: null, account: null };
    }
    const first = parseArn(rules, connectQueues[0].arn);
    return { region: first.region || null, account: first.account || null };
}

/**
 * One row per Omni-Queue, plus one per queue that active mappings name but that is no Omni-Queue.
 * draft: { [omniQueue]: { arn, connectQueueName } } maps or remaps; { arn: null } unmaps.
 * connectQueues: the instance's queues, or null when they could not be listed (no stale check then).
 */
export function buildRows(rules, page, connectQueues, draft = {}) {
    const states = stateById(rules);
    const activeByQueue = {};
    (page.mappings || []).forEach((mapping) => {
        if (mapping.active && mapping.omniQueue) {
            (activeByQueue[mapping.omniQueue] = activeByQueue[mapping.omniQueue] || []).push(mapping);
        }
    });
    const omniNames = new Set((page.queues || []).map((queue) => queue.developerName));
    const sources = (page.queues || []).map((queue) => ({ queue, isOmniQueue: true, name: queue.developerName }));
    Object.keys(activeByQueue)
        .filter((name) => !omniNames.has(name))
        .sort()
        .forEach((name) => sources.push({ queue: { developerName: name }, isOmniQueue: false, name }));

    const connectArns = connectQueues ? new Map(connectQueues.map((queue) => [queue.arn, queue])) : null;
    // The settings' region when set (Region__c is optional), else the region of the queues Connect listed.
    const listed = connectSide(rules, connectQueues);
    const expected = {
        region: page.region || listed.region,
        instanceId: page.instanceId,
        account: listed.account
    };
    return sources.map((source) =>
        evaluate(rules, states, source, activeByQueue[source.name] || [], draft[source.name], connectArns, expected)
    );
}

function evaluate(rules, states, source, records, change, connectArns, expected) {
    const effective = change
        ? change.arn
            ? [{ arn: change.arn, connectQueueName: change.connectQueueName, recordName: null }]
            : []
        : records;
    const current = effective[0];
    const values = {
        queue: source.name,
        arn: current ? current.arn : "",
        records: records.map((r) => r.recordName).join(", "),
        model: source.queue.routingModel || "no routing model"
    };
    const found = [];
    const add = (id, extra = {}) => found.push({ id, ...extra });
    if (!source.isOmniQueue && effective.length > 0) {
        add("not_omni_queue");
    }
    if (effective.length > 1) {
        add("duplicate");
    }
    if (current) {
        const arn = parseArn(rules, current.arn, expected);
        if (arn.problem) {
            add("invalid_arn", { problem: arn.problem });
        } else if (connectArns && !connectArns.has(arn.value)) {
            add("stale_arn");
        }
        if (source.isOmniQueue && !isExternalRouting(source.queue.routingModel)) {
            add("missing_external_routing");
        }
    } else if (source.isOmniQueue) {
        add("unmapped");
    }
    const problems = found.map((item) => {
        const state = states[item.id];
        const filled = { ...values, problem: item.problem };
        return {
            id: item.id,
            label: state.label,
            severity: state.severity,
            message: fill(state.message, filled),
            fix: fill(state.fix, filled)
        };
    });
    problems.sort((a, b) => states[a.id].rank - states[b.id].rank);
    const top = problems[0] || { id: "ok", label: states.ok.label, severity: "ok", message: fill(states.ok.message, values), fix: "" };
    const connectName = current ? current.connectQueueName || connectNameOf(connectArns, current.arn) : "";
    return {
        key: source.name,
        omniQueue: source.name,
        label: source.queue.name || source.name,
        isOmniQueue: source.isOmniQueue,
        routingConfig: source.queue.routingConfig || "",
        routingModel: source.queue.routingModel || "",
        arn: current ? current.arn : "",
        connectQueueName: connectName || "",
        mapped: Boolean(current),
        state: top.id,
        stateLabel: top.label,
        severity: top.severity,
        problems: problems.length ? problems : [top],
        change: change ? (change.arn ? (records.length ? "remap" : "map") : "unmap") : null
    };
}

function connectNameOf(connectArns, arn) {
    const queue = connectArns && connectArns.get(arn);
    return queue ? queue.name : "";
}
