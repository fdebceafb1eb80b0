// Build every package (tsc project references) and make the CLI entry points executable.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', 'packages/tsmpi'], { stdio: 'inherit' });
for (const bin of ['packages/launcher/dist/bin.js', 'packages/tsmpi/dist/bin.js']) {
  if (existsSync(bin)) chmodSync(bin, 0o755);
}
