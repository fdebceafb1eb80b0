// Property: random schedules of sends and receives (2–5 ranks; every value
// kind; 0 B to several MiB; sources and tags including ANY_SOURCE/ANY_TAG)
// deliver every message exactly once, intact, and without overtaking. Many
// schedules in one process (the in-process world, with shrinking), and a
// handful through the real tsmpiexec (their seeds are printed on failure).
// The schedules and the checks are in test/programs/property-schedule.mjs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Communicator } from '@tsmpi/collectives';
import { createInProcessWorld } from '@tsmpi/runtime';
import { PROGRAMS, runJob } from '../helpers/run-job.js';
import { leftoversMarked, marked } from '../launcher/helpers.js';

interface Schedule { np: number; messages: { src: number; dest: number; tag: number; value: unknown; recv: string }[] }
interface Shared {
  scheduleArb(np?: number, o?: { minMessages?: number; maxMessages?: number }): fc.Arbitrary<Schedule>;
  scheduleOf(seed: number, np: number, o?: { minMessages?: number; maxMessages?: number }): Schedule;
  everyKindSchedule(): Schedule;
  runRank(comm: unknown, sched: Schedule): Promise<{ problems: string[]; received: number }>;
  difference(got: unknown, want: unknown): string | undefined;
}
const P = (await import(pathToFileURL(join(PROGRAMS, 'property-schedule.mjs')).href)) as Shared;

/** The property's runs in one process; TSMPI_PROPERTY_RUNS raises it for a longer search. */
const IN_PROCESS_RUNS = Number(process.env.TSMPI_PROPERTY_RUNS ?? 500);
const JOB_RUNS = 4;
/** A schedule that does not complete within this is a hang. */
const HANG_MS = 5_000;

const byteSize = (v: unknown): number => (ArrayBuffer.isView(v) || v instanceof ArrayBuffer ? v.byteLength : typeof v === 'string' ? v.length : 0);

describe('the strict comparison the property relies on', () => {
  it('tells apart what must not be confused', () => {
    const pairs: [unknown, unknown][] = [
      [-0, 0], [NaN, 0], [1n, 1], [new Map([['a', 1]]), { a: 1 }], [new Set([1]), [1]],
      [new Int8Array([1]), new Uint8Array([1])], [Buffer.from([1]), new Uint8Array([1])], [new Uint8Array([1]).buffer, new Uint8Array([1])],
      [new Uint8ClampedArray([1]), new Uint8Array([1])], [[, 1], [undefined, 1]], [{ a: undefined }, {}], [new Date(0), new Date(1)],
      [new Float64Array([-0]), new Float64Array([0])], ['\u00e9', 'e\u0301'], [[1, [2, { x: -0 }]], [1, [2, { x: 0 }]]],
    ];
    for (const [a, b] of pairs) expect(P.difference(a, b), `${String(a)} vs ${String(b)}`).toBeDefined();
    expect(P.difference(new Map([[NaN, [-0, new Float32Array([NaN])]]]), new Map([[NaN, [-0, new Float32Array([NaN])]]]))).toBeUndefined();
  });
});

describe('every message exactly once, intact, non-overtaking', () => {
  it(`in one process: ${IN_PROCESS_RUNS} random schedules over 2-5 ranks`, async () => {
    let messages = 0, largest = 0, empty = 0, wildcards = 0;
    await fc.assert(fc.asyncProperty(P.scheduleArb(), async (sched) => {
      const { comms } = createInProcessWorld(sched.np, Communicator);
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`schedule did not complete within ${HANG_MS} ms (a hang)`)), HANG_MS); });
      try {
        const results = await Promise.race([Promise.all(comms.map((c) => P.runRank(c, sched))), hang]);
        const problems = results.flatMap((r) => r.problems);
        expect(problems).toEqual([]);
        expect(results.reduce((n, r) => n + r.received, 0)).toBe(sched.messages.length);
      } finally {
        clearTimeout(timer);
      }
      messages += sched.messages.length;
      for (const m of sched.messages) {
        const n = byteSize(m.value);
        largest = Math.max(largest, n);
        if (n === 0 && (ArrayBuffer.isView(m.value) || m.value instanceof ArrayBuffer)) empty++;
        if (m.recv !== 'specific') wildcards++;
      }
    // Shrinking stops after a while (a hang costs HANG_MS per attempt); an interrupted search fails the test.
    }), { numRuns: IN_PROCESS_RUNS, examples: [[P.everyKindSchedule()]], interruptAfterTimeLimit: 100_000, markInterruptAsFailure: true });
    // What the runs covered: many messages, empty binaries, values of megabytes, wildcard receives.
    expect(messages).toBeGreaterThan(IN_PROCESS_RUNS);
    expect(empty).toBeGreaterThan(0);
    expect(largest).toBeGreaterThan(1 << 20);
    expect(wildcards).toBeGreaterThan(0);
  }, 180_000);

  it.each(['auto', 'ws'])('through tsmpiexec (%s): one message of every value kind, 0 B to 3 MiB, every receive form', async (transport) => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '3', '--transport', transport, join(PROGRAMS, 'property-rank.mjs'), 'every-kind'], { env, timeoutMs: 60_000 });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const received = [...res.stdout.matchAll(/^property: rank \d+ received (\d+) messages$/gm)].map((m) => Number(m[1]));
    expect(received.reduce((a, b) => a + b, 0), res.stdout).toBe(P.everyKindSchedule().messages.length);
    expect(await leftoversMarked(marker)).toEqual([]);
  }, 90_000);

  it(`through tsmpiexec: ${JOB_RUNS} random schedules of 20-60 messages over 2-5 ranks`, async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (np, seed) => {
      const { marker, env } = marked();
      const res = await runJob(['-n', String(np), join(PROGRAMS, 'property-rank.mjs'), String(seed)], { env, timeoutMs: 60_000 });
      const what = `tsmpiexec -n ${np} property-rank.mjs ${seed} (schedule: scheduleOf(${seed}, ${np}, { minMessages: 20, maxMessages: 60 }))\n${res.stdout}${res.stderr}`;
      expect(res.code, what).toBe(0);
      const sched = P.scheduleOf(seed, np, { minMessages: 20, maxMessages: 60 });
      const received = [...res.stdout.matchAll(/^property: rank \d+ received (\d+) messages$/gm)].map((m) => Number(m[1]));
      expect(received, what).toHaveLength(np);
      expect(received.reduce((a, b) => a + b, 0), what).toBe(sched.messages.length);
      expect(await leftoversMarked(marker), what).toEqual([]);
    }), { numRuns: JOB_RUNS, endOnFailure: true });
  }, 240_000);
});
