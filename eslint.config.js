// ESLint for the Lightning web components: Salesforce's recommended LWC rules (@salesforce/eslint-config-lwc),
// with Jest and Node globals in the components' tests. `make lwc` runs it before the Jest suites.
const lwcConfig = require("@salesforce/eslint-config-lwc");
const jestPlugin = require("eslint-plugin-jest");
const globals = require("globals");

const LWC = "force-app/main/default/lwc/**/*.js";
const LWC_TESTS = "force-app/main/default/lwc/**/__tests__/**/*.js";

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
    }
];
