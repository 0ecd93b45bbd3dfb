// ESLint for the Lightning web components: Salesforce's recommended LWC rules (@salesforce/eslint-config-lwc),
// with Jest and Node globals in the components' tests, and ESLint's recommended rules for the Node test code
// in tests/lwc. `make lwc` runs it before the test suites.
const lwcConfig = require("@salesforce/eslint-config-lwc");
const eslintJs = require("@eslint/js");
const jestPlugin = require("eslint-plugin-jest");
const globals = require("globals");

const LWC = "force-app/main/default/lwc/**/*.js";
const LWC_TESTS = "force-app/main/default/lwc/**/__tests__/**/*.js";
const NODE_TESTS = "tests/lwc/**/*.js";

module.exports = [
    ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: [LWC] })),
    {
        files: [LWC_TESTS],
        plugins: { jest: jestPlugin },
        languageOptions: { globals: { ...globals.node, ...globals.jest } },
        rules: {
            ...jestPlugin.configs.recommended.rules,
            "@lwc/lwc/no-unexpected-wire-adapter-usages": "off"
        }
    },
    {
        // The Jest setup and the real-browser suite (build, Apex stand-in, playwright-core walk) run in Node.
        files: [NODE_TESTS],
        languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: { ...globals.node } },
        rules: { ...eslintJs.configs.recommended.rules, "no-await-in-loop": "error" }
    },
    {
        // The browser entry is an ES module compiled by the LWC rollup plugin.
        files: ["tests/lwc/browser/main.js"],
        languageOptions: { sourceType: "module", globals: { ...globals.browser } }
    }
];
