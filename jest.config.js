// LWC Jest (sfdx-lwc-jest): Salesforce's preset, plus @sa11y/jest's toBeAccessible matcher in every test file.
const { jestConfig } = require("@salesforce/sfdx-lwc-jest/config");

module.exports = {
    ...jestConfig,
    setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv || []), "<rootDir>/tests/lwc/jest-setup.js"],
    // Only the components' own tests: the browser suite (tests/lwc/browser) runs under Node, not Jest.
    testMatch: ["<rootDir>/force-app/main/default/lwc/**/__tests__/**/*.test.js"],
    modulePathIgnorePatterns: ["<rootDir>/.localdevserver", "<rootDir>/out/"]
};
