import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Each extension bundles from its own root, as HubSpot's build does: React and the extension runtime come
// from the host; everything else from inside the root or from what its package.json depends on (the
// extensions' package, built into its dist/, and zod), never through a parent folder.

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/app');
const PACKAGE_DIST = path.join(APP, 'packages/abm-client/dist');

const ENTRIES = [
  ['cards', 'AbmCompanyCard.tsx'],
  ['pages', 'Home.tsx'],
  ['settings', 'Settings.tsx'],
] as const;

describe('extension bundles', () => {
  it.each(ENTRIES)(
    'bundles %s/%s from its root and the built package, importing nothing through ../',
    async (root, entry) => {
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
      const inputs = Object.entries(result.metafile.inputs);
      const where = (input: string) => {
        const file = path.resolve(input);
        if (file.startsWith(path.join(APP, root) + path.sep)) return 'root';
        if (file.startsWith(PACKAGE_DIST + path.sep)) return 'package';
        return input.includes('node_modules/zod/') ? 'zod' : 'elsewhere';
      };
      expect(inputs.map(([input]) => input).filter((input) => where(input) === 'elsewhere')).toEqual([]);
      expect(inputs.some(([input]) => where(input) === 'package')).toBe(true);
      const parentImports = inputs.flatMap(([input, { imports }]) =>
        where(input) === 'root'
          ? imports
              .filter((imported) => imported.original?.startsWith('../'))
              .map((imported) => `${input} → ${imported.original}`)
          : [],
      );
      expect(parentImports).toEqual([]);
      const [output] = result.outputFiles;
      expect(output?.text).toMatch(/hubspot\d*\.extend\(/);
    },
  );
});
