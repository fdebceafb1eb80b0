// The real tsmpiexec's command line: --help with examples and --version exit 0;
// bad arguments give one clear line (and a pointer to --help) with exit 2; a
// program that cannot be found gives exit 127; no job is started for either.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runJob } from '../helpers/run-job.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'packages', 'launcher', 'package.json'), 'utf8')) as { version: string }).version;

describe('tsmpiexec --help and --version', () => {
  it('--help shows usage and examples, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const res = await runJob([flag], { timeoutMs: 15_000 });
      expect(res.code).toBe(0);
      expect(res.stderr).toBe('');
      expect(res.stdout).toMatch(/^Usage: tsmpiexec -n N \[options\] program \[args\.\.\.\]/);
      expect(res.stdout).toMatch(/Examples:\n\s+tsmpiexec -n 4 job\.ts/);
      for (const opt of ['--np', '--tag-output', '--timeout', '--transport', '--wdir', '--version']) expect(res.stdout).toContain(opt);
      expect(res.stdout).toMatch(/MPIEXEC_TIMEOUT/);
      expect(res.stdout).toMatch(/Exit status/);
    }
  });

  it('--version (-V) prints the version, exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const res = await runJob([flag], { timeoutMs: 15_000 });
      expect(res.code).toBe(0);
      expect(res.stdout).toBe(`${version}\n`);
    }
  });
});

describe('tsmpiexec with bad arguments', () => {
  const cases: [string[], RegExp, number][] = [
    [['-n', '0', 'job.ts'], /^tsmpiexec: -n 0: .*at least 1$/, 2],
    [['-n', 'abc', 'job.ts'], /^tsmpiexec: -n abc: /, 2],
    [['-n', '-2', 'hostname'], /-2/, 2],
    [['-n', '2'], /^tsmpiexec: missing the program/, 2],
    [['hostname'], /^tsmpiexec: missing -n N/, 2],
    [[], /^tsmpiexec: missing/, 2],
    [['-n', '2', '--frobnicate', 'hostname'], /^tsmpiexec: .*frobnicate/, 2],
    [['-n'], /^tsmpiexec: .*\bn\b/, 2],
    [['-n', '2', '--timeout', 'soon', 'hostname'], /^tsmpiexec: --timeout soon: /, 2],
    [['-n', '2', '--transport', 'smoke', 'hostname'], /^tsmpiexec: .*transport.*smoke/, 2],
    [['-n', '2', 'test/programs/no-such-program.ts'], /^tsmpiexec: program not found: test\/programs\/no-such-program\.ts/, 127],
    [['-n', '2', 'no-such-command-tsmpi-test'], /^tsmpiexec: program not found: no-such-command-tsmpi-test/, 127],
  ];
  for (const [args, message, code] of cases) {
    it(`tsmpiexec ${args.join(' ')} → exit ${code}`, async () => {
      const res = await runJob(args, { timeoutMs: 15_000 });
      expect(res.code, res.stderr).toBe(code);
      expect(res.stdout).toBe('');
      const lines = res.stderr.trimEnd().split('\n');
      // One line saying what is wrong; for usage errors a second one pointing to --help.
      expect(lines[0]).toMatch(message);
      expect(lines).toEqual(code === 2 ? [lines[0], "Run 'tsmpiexec --help' for usage and examples."] : [lines[0]]);
    });
  }

  it('MPIEXEC_TIMEOUT that is not a number is a usage error naming the variable', async () => {
    const res = await runJob(['-n', '1', 'hostname'], { env: { MPIEXEC_TIMEOUT: 'ten' }, timeoutMs: 15_000 });
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')[0]).toMatch(/^tsmpiexec: MPIEXEC_TIMEOUT=ten: /);
  });
});
