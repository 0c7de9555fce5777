// sfdx-lwc-jest's defaults (jsdom, the LWC transformer, `c/*` resolution from sfdx-project.json).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  // Without a module, @lwc/jest-transformer would silently give `@salesforce/i18n/*` imports its own
  // defaults (lang `en`, time zone America/Los_Angeles): the tests name the user's language and zone.
  moduleNameMapper: {
    '^@salesforce/i18n/lang$': '<rootDir>/jest-mocks/i18n/lang.js',
    '^@salesforce/i18n/timeZone$': '<rootDir>/jest-mocks/i18n/timeZone.js',
  },
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
  testTimeout: 10000,
};
