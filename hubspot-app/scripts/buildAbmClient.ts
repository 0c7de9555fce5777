import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Plugin } from 'esbuild';
import { build } from 'esbuild';
import ts from 'typescript';

// Builds the extensions' shared package (src/app/packages/abm-client) into its dist/: HubSpot builds each
// extension from what is uploaded, and shared/ is not uploaded, so the package carries what it uses of
// shared (contracts, client, vocabulary) bundled with its own sources, and declarations that name nothing
// outside dist/. Runs in `npm ci` (the root `prepare`) and before `hs project upload` (`npm run upload`);
// dist/ is not committed.

const HUBSPOT_APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPOSITORY = path.resolve(HUBSPOT_APP, '..');
export const PACKAGE_DIR = path.join(HUBSPOT_APP, 'src/app/packages/abm-client');
export const DIST = path.join(PACKAGE_DIR, 'dist');
const SOURCE = path.join(PACKAGE_DIR, 'src');
const ENTRY = path.join(SOURCE, 'index.ts');
const SHARED_SRC = path.join(REPOSITORY, 'shared/src');

/** Resolved by each extension's own install, so an extension bundles one copy of each. */
export const EXTERNAL = ['zod', 'react', 'react/jsx-runtime', '@hubspot/ui-extensions'] as const;

const BANNER = `// Built by hubspot-app/scripts/buildAbmClient.ts from shared/src and this package's src/: do not edit.`;

/**
 * shared's package does not declare itself free of side effects (the server imports all of it), but every
 * module of it is. Saying so lets the bundle drop the modules the extensions never reach (scoring, SLA
 * engine, metrics, luxon) instead of keeping each one imported through shared's index.
 */
const sharedHasNoSideEffects: Plugin = {
  name: 'shared-has-no-side-effects',
  setup(builder) {
    const again = Symbol('resolving through esbuild');
    builder.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === again) return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: again,
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(SHARED_SRC + path.sep)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    jsx: 'automatic',
    external: [...EXTERNAL],
    plugins: [sharedHasNoSideEffects],
    banner: { js: BANNER },
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    // The bundle names its sources relative to this folder: the same text wherever the script runs from.
    absWorkingDir: REPOSITORY,
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no bundle');
  return output.text;
}

/** Where a declaration TypeScript emitted under `outDir` goes in dist/, or `null` for one we do not ship. */
function shippedPath(emitted: string, outDir: string): string | null {
  const fromRepository = path.relative(outDir, emitted);
  const own = path.relative(path.relative(REPOSITORY, SOURCE), fromRepository);
  if (!own.startsWith('..')) return path.posix.join('types', own.split(path.sep).join('/'));
  const shared = path.relative(path.relative(REPOSITORY, SHARED_SRC), fromRepository);
  if (!shared.startsWith('..')) return path.posix.join('types/shared', shared.split(path.sep).join('/'));
  return null;
}

/**
 * Declarations of the package and of every shared module they reach, emitted by TypeScript from the
 * sources (so the types are exactly the server's), with the imports of shared pointed into dist/.
 */
function declarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(HUBSPOT_APP, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error('hubspot-app/tsconfig.json could not be read');
  const outDir = path.join(REPOSITORY, '.declarations');
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: REPOSITORY,
    outDir,
    types: [],
    // Resolved through node_modules, shared would count as a library and get no declarations of its own.
    paths: {
      '@abm-pilot/shared': [path.join(SHARED_SRC, 'index.ts')],
      '@abm-pilot/shared/client': [path.join(SHARED_SRC, 'client/apiClient.ts')],
    },
  };
  const host = ts.createCompilerHost(options);
  const emitted = new Map<string, string>();
  host.writeFile = (file, text) => emitted.set(path.resolve(file), text);
  const program = ts.createProgram([ENTRY], options, host);
  const { diagnostics } = program.emit(undefined, undefined, undefined, true);
  const errors = [...ts.getPreEmitDiagnostics(program), ...diagnostics].filter(
    (diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error,
  );
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, { ...host, getNewLine: () => '\n' }));

  // Where each specifier the declarations may name lands, as the path of its `.ts` source under `outDir`.
  const bare: Readonly<Record<string, string>> = {
    '@abm-pilot/shared': path.join(outDir, 'shared/src/index.ts'),
    '@abm-pilot/shared/client': path.join(outDir, 'shared/src/client/apiClient.ts'),
  };
  const shipped = new Map<string, string>();
  for (const [file, text] of emitted) {
    const target = shippedPath(file, outDir);
    if (target === null) continue;
    const rewritten = text.replace(
      /(from\s+|import\()(['"])([^'"]+)\2/g,
      (whole, lead: string, quote: string, specifier: string) => {
        const source = specifier.startsWith('.')
          ? path.resolve(path.dirname(file), specifier)
          : bare[specifier];
        const moved = source === undefined ? null : shippedPath(source, outDir);
        if (moved === null) return whole;
        const relative = path.posix.relative(path.posix.dirname(target), moved);
        return `${lead}${quote}${relative.startsWith('.') ? relative : `./${relative}`}${quote}`;
      },
    );
    shipped.set(target, rewritten);
  }
  return shipped;
}

/** Every file of dist/, keyed by its path inside dist/. */
export async function buildAbmClient(): Promise<Map<string, string>> {
  const files = new Map<string, string>([['index.js', await bundle()]]);
  for (const [file, text] of declarations()) files.set(file, text);
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await buildAbmClient();
  rmSync(DIST, { recursive: true, force: true });
  for (const [file, text] of files) {
    const target = path.join(DIST, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  process.stdout.write(
    `@abm-pilot/hubspot-abm-client: ${files.size} files in ${path.relative(REPOSITORY, DIST)}\n`,
  );
}
