import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Each extension bundles from its own root, as HubSpot's build does: React and the extension runtime come
// from the host, everything else (our code, the generated contracts, zod) from inside the root or its
// package.json dependencies, never from a parent folder.

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/app');

const ENTRIES = [
  ['cards', 'AbmCompanyCard.tsx'],
  ['pages', 'Home.tsx'],
  ['settings', 'Settings.tsx'],
] as const;

describe('extension bundles', () => {
  it.each(ENTRIES)('bundles %s/%s without error and without leaving its root', async (root, entry) => {
    const result = await build({
      entryPoints: [path.join(APP, root, entry)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      jsx: 'automatic',
      external: ['react', 'react/jsx-runtime', '@hubspot/ui-extensions'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const outsideRoot = Object.keys(result.metafile.inputs).filter(
      (input) =>
        !path.resolve(input).startsWith(path.join(APP, root) + path.sep) &&
        !input.includes('node_modules/zod/'),
    );
    expect(outsideRoot).toEqual([]);
    const [output] = result.outputFiles;
    expect(output?.text).toMatch(/hubspot\d*\.extend\(/);
  });
});
