import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { EXTENSION_ROOTS, renderGeneratedFiles } from './sharedCopy.ts';

// Rewrites every extension root's `generated/` folder from shared/src and hubspot-app/lib.

const HUBSPOT_APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const files = await renderGeneratedFiles();
for (const root of EXTENSION_ROOTS)
  rmSync(path.join(HUBSPOT_APP, root, 'generated'), { recursive: true, force: true });
for (const [file, text] of files) {
  const target = path.join(HUBSPOT_APP, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
}
process.stdout.write(`wrote ${files.size} files\n`);
