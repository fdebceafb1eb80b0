// tsmpiexec's command line: what each option gives, and a clear one-line
// UsageError for every kind of bad input.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HelpShown, parseCli, UsageError } from '@tsmpi/launcher';

function usageError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCli(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`parseCli(${JSON.stringify(argv)}) accepted bad arguments`);
}

describe('parseCli', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('reads -n, the program and its arguments, with defaults for the rest', () => {
    expect(parseCli(['-n', '4', 'job.ts', 'a', 'b'], {})).toMatchObject({
      np: 4, program: 'job.ts', args: ['a', 'b'], transport: 'auto', tagOutput: false, timeout: undefined, wdir: process.cwd(),
    });
  });

  it('accepts the spellings mpirun users type: -n N, -n=N, --np N, -np N', () => {
    for (const argv of [['-n', '3', 'x'], ['-n=3', 'x'], ['--np', '3', 'x'], ['-np', '3', 'x'], ['--np=3', 'x']]) {
      expect(parseCli(argv, {}).np, argv.join(' ')).toBe(3);
    }
  });

  it('leaves everything from the program on to the program', () => {
    const o = parseCli(['-n', '2', 'prog', '-n', '5', '--tag-output', '--timeout', 'x', '--bogus'], {});
    expect(o).toMatchObject({ np: 2, program: 'prog', args: ['-n', '5', '--tag-output', '--timeout', 'x', '--bogus'], tagOutput: false, timeout: undefined });
    expect(parseCli(['-n', '2', '--', 'prog', '--help'], {})).toMatchObject({ program: 'prog', args: ['--help'] });
  });

  it("passes the program's arguments as typed (no number conversion)", () => {
    expect(parseCli(['-n', '2', 'prog', '007', '1e3', '0x10', '-5'], {}).args).toEqual(['007', '1e3', '0x10', '-5']);
  });

  it('reads --tag-output (-l), --transport, --wdir', () => {
    expect(parseCli(['-n', '1', '--tag-output', 'x'], {}).tagOutput).toBe(true);
    expect(parseCli(['-n', '1', '-l', 'x'], {}).tagOutput).toBe(true);
    expect(parseCli(['-n', '1', '--transport', 'ws', 'x'], {}).transport).toBe('ws');
    expect(parseCli(['-n', '1', '--transport', 'tcp', 'x'], {}).transport).toBe('tcp');
    expect(parseCli(['-n', '1', '--wdir', '/tmp', 'x'], {}).wdir).toBe('/tmp');
  });

  it('reads --wait (how ranks wait: TSMPI_WAIT), undefined when not given', () => {
    for (const w of ['auto', 'poll', 'block'] as const) expect(parseCli(['-n', '1', '--wait', w, 'x'], {}).wait).toBe(w);
    expect(parseCli(['-n', '1', 'x'], {}).wait).toBeUndefined();
  });

  it('takes the time limit from --timeout, else from MPIEXEC_TIMEOUT', () => {
    expect(parseCli(['-n', '1', '--timeout', '5', 'x'], {}).timeout).toBe(5);
    expect(parseCli(['-n', '1', '--timeout', '0.5', 'x'], {}).timeout).toBe(0.5);
    expect(parseCli(['-n', '1', 'x'], { MPIEXEC_TIMEOUT: '7' }).timeout).toBe(7);
    expect(parseCli(['-n', '1', '--timeout', '5', 'x'], { MPIEXEC_TIMEOUT: '7' }).timeout).toBe(5);
    expect(parseCli(['-n', '1', 'x'], { MPIEXEC_TIMEOUT: '' }).timeout).toBeUndefined();
  });

  it('rejects a missing, zero, negative, fractional or non-numeric -n with a message quoting it', () => {
    expect(usageError(['x.ts'])).toMatch(/missing -n/);
    expect(usageError(['-n', '0', 'x.ts'])).toMatch(/^-n 0: .*at least 1/);
    expect(usageError(['-n', 'abc', 'x.ts'])).toMatch(/^-n abc: /);
    expect(usageError(['-n', '1.5', 'x.ts'])).toMatch(/^-n 1\.5: /);
    expect(usageError(['-n', '-1', 'x.ts'])).toMatch(/-1/);
    expect(usageError(['-n'])).toMatch(/\bn\b/);
  });

  it('rejects a missing program', () => {
    expect(usageError(['-n', '2'])).toMatch(/missing the program/);
    expect(usageError([])).toMatch(/missing/);
  });

  it('rejects unknown options before the program', () => {
    expect(usageError(['-n', '2', '--bogus', 'x.ts'])).toMatch(/bogus/);
    expect(usageError(['-x', '-n', '2', 'x.ts'])).toMatch(/\bx\b/);
  });

  it('rejects a bad --timeout, MPIEXEC_TIMEOUT or --transport', () => {
    expect(usageError(['-n', '1', '--timeout', '0', 'x'])).toMatch(/^--timeout 0: .*seconds/);
    expect(usageError(['-n', '1', '--timeout', 'abc', 'x'])).toMatch(/^--timeout abc: /);
    expect(usageError(['-n', '1', '--timeout', '-3', 'x'])).toMatch(/-3/);
    expect(usageError(['-n', '1', 'x'], { MPIEXEC_TIMEOUT: 'soon' })).toMatch(/^MPIEXEC_TIMEOUT=soon: /);
    expect(usageError(['-n', '1', '--transport', 'carrier-pigeon', 'x'])).toMatch(/transport.*carrier-pigeon/);
    expect(usageError(['-n', '1', '--wait', 'spin', 'x'])).toMatch(/wait.*spin.*auto.*poll.*block/);
  });

  it('gives every usage error on one line', () => {
    const bad = [['x'], ['-n', '0', 'x'], ['-n', '2'], ['-n', '2', '--bogus', 'x'], ['-n', '1', '--transport', 'foo', 'x'], ['-n']];
    for (const argv of bad) expect(usageError(argv), argv.join(' ')).not.toContain('\n');
  });

  it('prints --help (with examples) and --version, then says so with HelpShown', () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { printed.push(a.join(' ')); });
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { printed.push(String(s)); return true; });
    expect(() => parseCli(['--help'], {})).toThrow(HelpShown);
    const help = printed.join('\n');
    expect(help).toMatch(/Usage: tsmpiexec -n N/);
    expect(help).toMatch(/Examples:/);
    expect(help).toMatch(/tsmpiexec -n 4 job\.ts/);
    expect(help).toMatch(/Exit status/);
    printed.length = 0;
    expect(() => parseCli(['--version'], {})).toThrow(HelpShown);
    expect(printed.join('')).toMatch(/^\d+\.\d+\.\d+/);
  });
});
