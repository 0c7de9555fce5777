// Salesforce's recommended LWC rules (the config lwc-recipes uses), with Jest globals for the tests.
const lwcRecommended = require('@salesforce/eslint-config-lwc/recommended');
const globals = require('globals');

module.exports = [
  ...lwcRecommended.map((config) => ({ ...config, files: ['**/lwc/**/*.js'] })),
  {
    files: ['**/lwc/**/__tests__/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
      // Tests flush promises with a zero timeout, as lwc-recipes does; no component may.
      '@lwc/lwc/no-async-operation': 'off',
    },
  },
];
