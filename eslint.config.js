import js from '@eslint/js';
import hubspotUiExtensions from '@hubspot/eslint-config-ui-extensions';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// HubSpot's own rules for UI extensions (no-parent-imports, no DOM, no native fetch, no browser storage…),
// as `hs project lint` sets them up. Its config array also carries a block for eslint.config.js files
// (CommonJS globals, script source type), which is not ours to take: only the rules block is.
const hubspotRules = hubspotUiExtensions.configs.default.find((config) => config.plugins !== undefined);
if (hubspotRules === undefined) throw new Error('@hubspot/eslint-config-ui-extensions has no rules block');

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'bench/results/**',
      'coverage/**',
      'test-results/**',
      '**/dist/**',
      // The SFDX project lints with Salesforce's own LWC config (salesforce-lwc/eslint.config.js).
      'salesforce-lwc/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Type-aware: a promise nobody awaits, returns or voids on purpose loses its failure, and one passed
    // where a callback's result is ignored (an array's forEach, a timer) runs unobserved.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Hooks run in the same order on every render, and effects name everything they read.
    files: ['hubspot-app/src/**/*.tsx', 'web/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The domain is pure: no clock, no I/O, no environment. Time is an argument.
    files: ['shared/src/**/*.ts'],
    ignores: ['shared/src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'process', 'fetch', 'setTimeout', 'setInterval'],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass `now` in.' },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Pass `now` in.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Domain code is deterministic.',
        },
        {
          selector: "MemberExpression[object.name='DateTime'][property.name='now']",
          message: 'Pass `now` in.',
        },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'http', 'https', 'express', '@abm-pilot/server*'] },
      ],
    },
  },
  {
    // Tests read JSON answers whose shape is what they assert.
    files: ['**/*.test.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Browser code: the HubSpot cards run in HubSpot's sandboxed worker, the console in a browser.
    files: ['hubspot-app/**/*.{ts,tsx}', 'web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.test.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // What HubSpot builds and runs in its sandboxed worker: the extension roots and their shared package.
    ...hubspotRules,
    files: ['hubspot-app/src/**/*.{ts,tsx}'],
  },
  {
    // Tests run here under Vitest and are never uploaded (hubspot-app/.hsignore): they may reach the
    // repository's recorded answers through a parent folder.
    files: ['hubspot-app/src/**/*.test.{ts,tsx}'],
    rules: { '@hubspot/ui-extensions/no-parent-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.ts', 'sandbox/src/cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
