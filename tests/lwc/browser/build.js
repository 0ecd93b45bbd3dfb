// Compiles the admin page's components with the LWC compiler (@lwc/rollup-plugin) into one browser bundle.
// Apex imports (@salesforce/apex/Class.method) become fetch() calls to the local stand-in (standin.js).
"use strict";

const path = require("path");
const { rollup } = require("rollup");
const lwc = require("@lwc/rollup-plugin");

const REPO = path.resolve(__dirname, "../../..");
const LWC_DIR = path.join(REPO, "force-app/main/default/lwc");
const COMPONENTS = ["queueMappingAdmin", "queueMappingRules"];
const APEX_PREFIX = "@salesforce/apex/";

/** Each Apex method is a function that POSTs its parameters to /apex/<Class.method> and rejects like Lightning does. */
function apexStandIn() {
    return {
        name: "sccac-apex-stand-in",
        resolveId(id) {
            return id.startsWith(APEX_PREFIX) ? `\0apex:${id.slice(APEX_PREFIX.length)}` : null;
        },
        load(id) {
            if (!id.startsWith("\0apex:")) {
                return null;
            }
            const method = id.slice("\0apex:".length);
            return `export default async function (params) {
    const response = await fetch("/apex/${method}", { method: "POST", body: JSON.stringify(params || {}) });
    const body = await response.json();
    if (!response.ok) {
        throw { body };
    }
    return body;
}`;
        }
    };
}

async function build(outFile) {
    const bundle = await rollup({
        input: path.join(__dirname, "main.js"),
        plugins: [
            apexStandIn(),
            lwc({
                rootDir: LWC_DIR,
                modules: COMPONENTS.map((name) => ({ name: `c/${name}`, path: path.join(LWC_DIR, name, `${name}.js`) })),
                defaultModules: [{ npm: "@lwc/engine-dom" }]
            })
        ],
        onwarn(warning, warn) {
            if (warning.code !== "CIRCULAR_DEPENDENCY") {
                warn(warning);
            }
        }
    });
    await bundle.write({ file: outFile, format: "iife" });
    await bundle.close();
    return outFile;
}

module.exports = { build };
