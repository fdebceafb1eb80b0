/**
 * What a program that imports tsmpi does not load until it uses it (each
 * cost every rank's start-up, see docs/performance.md): the pool's machinery
 * with node:worker_threads (loaded when a pool starts), node:crypto (on the
 * first connection's handshake), and tsmpiexec's multi-host modules with
 * node:dns and node:crypto (a single-host job needs none; node:dgram comes
 * with node:child_process anyway).
 * Checked in fresh Node processes by the builtins they loaded.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-job.js';

/** The public builtins (`node:x`) that importing `specifier` loads, after `setup` ran. */
function builtinsLoadedBy(specifier: string, setup = ''): string[] {
  const code = `${setup}
const before = new Set(process.moduleLoadList);
await import(${JSON.stringify(specifier)});
${'console.log'}(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m) && /^NativeModule (?!internal\\/)/.test(m)).map((m) => m.slice(13))));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out) as string[];
}

describe('lazy loading', () => {
  it('importing tsmpi loads neither node:worker_threads nor node:crypto', () => {
    const loaded = builtinsLoadedBy('tsmpi');
    expect(loaded).toContain('net'); // the check sees what the runtime loads
    expect(loaded).not.toContain('worker_threads');
    expect(loaded).not.toContain('crypto');
  });

  it('tsmpiexec running a single-host job loads neither node:dns nor node:crypto', () => {
    // A preload that prints, as the launcher exits, every public builtin it loaded.
    const report = "import { writeSync } from 'node:fs'; process.on('exit', () => writeSync(2, '\\nLOADED ' + "
      + "JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (?!internal\\/)/.test(m)).map((m) => m.slice(13))) + '\\n'));";
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(report)}`,
      join(ROOT, 'packages', 'launcher', 'dist', 'bin.js'), '-n', '2', join(ROOT, 'bench', 'programs', 'hello.mjs')],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.match(/Hello, World!/g)).toHaveLength(2);
    const loaded = JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)![1]!) as string[];
    expect(loaded).toContain('child_process');
    for (const m of ['dns', 'dns/promises', 'crypto']) expect(loaded).not.toContain(m);
  });
});
