// Build every package: tsc (project references) emits each package's declarations and one .js
// per module into dist/; then esbuild bundles each package's entry points over those .js files,
// so a process loads a handful of files instead of ~90 modules (see scripts/bundle.mjs).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bundleAll } from './bundle.mjs';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', 'packages/tsmpi'], { stdio: 'inherit' });
await bundleAll();
for (const bin of ['packages/launcher/dist/bin.js', 'packages/tsmpi/dist/bin.js']) {
  if (existsSync(bin)) chmodSync(bin, 0o755);
}
