/**
 * Run a point-to-point test program through the real tsmpiexec on one
 * transport, with a unique marker as its first argument, and check that it
 * exits 0 and that no process of the job is left afterwards.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type JobResult, leftovers, PROGRAMS, runJob } from '../helpers/run-job.js';

/** `auto` is the default (Unix sockets between ranks of one host): no flag at all. */
export const TRANSPORTS = ['auto', 'tcp', 'ws'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

export const transportArgs = (t: TransportName): string[] => (t === 'auto' ? [] : ['--transport', t]);

export const marker = (what: string): string => `p2p-${what}-${randomBytes(5).toString('hex')}`;

/** `flags`: more tsmpiexec options, before the program. */
export interface P2PJob { program: string; np: number; transport: TransportName; args?: string[]; timeoutS?: number; env?: Record<string, string>; flags?: string[] }

export async function runP2P(o: P2PJob): Promise<JobResult> {
  const mark = marker(o.program.replace(/\W/g, ''));
  const timeoutS = o.timeoutS ?? 90;
  const res = await runJob(
    ['-n', String(o.np), '--timeout', String(timeoutS), ...transportArgs(o.transport), ...(o.flags ?? []), join(PROGRAMS, o.program), mark, ...(o.args ?? [])],
    { timeoutMs: (timeoutS + 15) * 1000, env: o.env },
  );
  const report = `tsmpiexec -n ${o.np} (${o.transport}) ${o.program} exited ${res.code}${res.signal ? ` (${res.signal})` : ''} in ${res.ms} ms\n--- stdout\n${res.stdout}\n--- stderr\n${res.stderr}`;
  const left = await leftovers(mark);
  expect(res.code, report).toBe(0);
  expect(left, `processes left behind by ${o.program}`).toEqual([]);
  return res;
}

/** Lines of `text` that match `re`. */
export const linesMatching = (text: string, re: RegExp): string[] => text.split('\n').filter((l) => re.test(l));

/** p2p-ring.ts on `np` ranks: exit 0 and one "ring ok" line from rank 0. */
export async function checkRing(np: number, transport: TransportName, huge: boolean, env?: Record<string, string>): Promise<void> {
  const res = await runP2P({ program: 'p2p-ring.ts', np, transport, args: huge ? ['--huge'] : [], env });
  const ok = linesMatching(res.stdout, /^ring ok: \d+ values/);
  expect(ok, res.stdout).toHaveLength(1);
  expect(ok[0]).toContain(`round ${np} ranks`);
  if (huge) expect(ok[0]).toMatch(/\((8\d|9\d|\d{3})\.\d MiB\)/);
  expect(res.stderr).toBe('');
}
