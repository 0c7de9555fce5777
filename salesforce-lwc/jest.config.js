// sfdx-lwc-jest's defaults (jsdom, the LWC transformer, `c/*` resolution from sfdx-project.json).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
  testTimeout: 10000,
};
