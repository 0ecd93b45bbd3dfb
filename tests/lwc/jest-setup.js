// Registers @sa11y/jest's toBeAccessible() matcher (axe-core with Salesforce's rule set) for the LWC tests.
const { registerSa11yMatcher } = require("@sa11y/jest");

registerSa11yMatcher();
