import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'sandbox/**/*.test.ts',
      'server/**/*.test.ts',
      'tests/**/*.test.ts',
      'hubspot-app/**/*.test.{ts,tsx}',
      'web/**/*.test.{ts,tsx}',
    ],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
