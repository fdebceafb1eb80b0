/**
 * Each package's published entry points as bundled ES modules (esbuild), written over the
 * entry files tsc emitted in dist/.
 *
 * Why: Node pays for every module it loads (resolve, read, compile, link); a rank that imports
 * tsmpi loaded ~90 of them: `import('tsmpi')` took ~400 M instructions, ~250 M as 11 files (bare
 * Node: 100 M).
 *
 * How:
 * - Bundled from src/ (esbuild compiles the TypeScript), so source maps point to the .ts lines.
 * - Every bare import stays external: the other tsmpi packages (so a program that imports both
 *   `tsmpi` and `@tsmpi/runtime` has one runtime: one engine, one TsmpiError class) and the
 *   third-party dependencies (resolved by Node as before).
 * - Code splitting: the entries of one package share their modules through chunk files instead
 *   of each carrying a copy (`@tsmpi/runtime` and `@tsmpi/runtime/launch` share one AgentChannel),
 *   and a dynamic import (ws, a topology) stays lazy.
 * - The per-rank preloads (STANDALONE) are bundled without splitting, one file each.
 * - Chunks sit at the top of dist/, as the top-level src/ modules they mostly hold: code that
 *   finds a file beside itself with `new URL('./x.js', import.meta.url)` lives in a top-level
 *   module (launcher/src/program.ts, pool/src/worker-entries.ts) and finds it from a chunk too.
 *   A file that is started or registered by its path is an entry, at its tsc path.
 * - tsc's one-file-per-module output stays in dist/ beside the bundles (the .d.ts files describe
 *   it; a few unit tests import internal modules from it). No module imports an entry file by a
 *   relative path, so a program only ever loads the bundles.
 */
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(new URL('../packages/launcher/package.json', import.meta.url));

/** Per package: the src/ modules (without extension) that package.json exports, or Node starts by path. */
export const ENTRIES = {
  'packages/runtime': ['index', 'launch/index'],
  'packages/collectives': ['index'],
  'packages/pool': ['index', 'backends/local-worker'],
  'packages/launcher': ['bin', 'index', 'rank-watch', 'guardian', 'agent', 'typescript/register', 'typescript/hooks'],
  'packages/tsmpi': ['index', 'bin'],
};

/**
 * Entries built apart from their package's others (listed in ENTRIES too), so that the process
 * that starts them loads fewer files: Node pays per file it loads (resolve, read, compile, link).
 * - Without splitting, one file each: what Node preloads or starts in every rank beside the
 *   program (the rank preload, the guardian, the TypeScript loader and its hooks thread). They
 *   hold no literal dynamic import (which would then be inlined, with its imports made eager).
 * - tsmpiexec's own process (`bin`): with splitting, so that yargs and the multi-host modules stay
 *   lazy chunks, and with `@tsmpi/runtime/launch` bundled in (`inline`): no package to resolve and
 *   two files fewer before the first rank starts. Nothing else in that process loads the runtime.
 */
export const OWN_BUILDS = [
  { pkg: 'packages/launcher', entries: ['rank-watch', 'guardian', 'typescript/register', 'typescript/hooks'], splitting: false },
  { pkg: 'packages/launcher', entries: ['bin'], splitting: true, inline: ['@tsmpi/runtime'] },
];

/** Every bare import external (as `packages: 'external'`) but those of the packages in `inline`. */
function externalExcept(inline) {
  return {
    name: 'external-except',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        inline.some((p) => args.path === p || args.path.startsWith(`${p}/`)) ? undefined : { path: args.path, external: true });
    },
  };
}

const CHUNK = /^[\w-]+\.[A-Z0-9]{8}\.js(\.map)?$/;

function safeList(dir) {
  try { return readdirSync(dir); } catch { return []; }
}

export async function bundleAll(root = new URL('..', import.meta.url).pathname) {
  const esbuild = require('esbuild');
  // Chunk names change with their content: drop the previous build's.
  for (const pkg of Object.keys(ENTRIES)) {
    const dist = join(root, pkg, 'dist');
    for (const f of safeList(dist)) if (CHUNK.test(f)) rmSync(join(dist, f));
  }
  const own = (pkg) => new Set(OWN_BUILDS.filter((b) => b.pkg === pkg).flatMap((b) => b.entries));
  const shared = Object.entries(ENTRIES).map(([pkg, entries]) => ({ pkg, entries: entries.filter((e) => !own(pkg).has(e)), splitting: true }));
  // The shared builds first: an own build's chunk may have the same name (same content) as one of theirs.
  await build(esbuild, root, shared);
  await build(esbuild, root, OWN_BUILDS);
}

function build(esbuild, root, builds) {
  return Promise.all(builds.map(({ pkg, entries, splitting, inline }) => esbuild.build({
    absWorkingDir: join(root, pkg),
    entryPoints: entries.map((e) => `src/${e}.ts`),
    outbase: 'src',
    outdir: 'dist',
    bundle: true,
    splitting,
    chunkNames: '[name].[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    ...(inline ? { plugins: [externalExcept(inline)] } : { packages: 'external' }),
    sourcemap: 'linked',
    // No keepNames: its __name() helper runs Object.defineProperty on every closure the hot paths
    // create (a quarter of the user instructions of a barrier loop). Names survive anyway: nothing is
    // minified, esbuild renames only on a clash (a test in test/packaging checks), and TsmpiError sets its
    // `name` itself.
    keepNames: false,
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  })));
}
