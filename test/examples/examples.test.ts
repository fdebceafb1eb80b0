/**
 * Conformance: every example (the mpi4py tutorial ports and the demos) runs through the real `tsmpiexec` at
 * the sizes it supports — 1, 2, 4 and an odd size — exits 0 and prints its expected lines. At a size it does
 * not support, an example says so on stderr and exits 77 (the "skipped" code of automake test suites).
 * A failed assertion inside an example makes its rank throw, so the job exits non-zero and the test fails.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect as globalExpect, it, type ExpectStatic } from 'vitest';
import { EXAMPLES, runJob, type JobResult } from '../helpers/run-job.js';

/** Exit code of an example run on a number of ranks it cannot use. */
const SKIPPED = 77;
/** The sizes every example is tried at: 1, 2, 4 and an odd size. */
const SIZES = [1, 2, 4, 3];
/** Time bound of one job (a hang fails the test after this). */
const TIMEOUT_MS = 60_000;
/**
 * Time bound of one test: its job, plus the wait for a free slot behind up to four others (vitest starts at
 * most five concurrent tests; two jobs run at a time).
 */
const TEST_TIMEOUT_MS = 4 * TIMEOUT_MS;
/** Where examples that write files write them (removed after the tests). */
const OUT_DIR = mkdtempSync(join(tmpdir(), 'tsmpi-examples-'));
afterAll(() => rmSync(OUT_DIR, { recursive: true, force: true }));

interface Example {
  /** Path under examples/. */
  file: string;
  args?: string[];
  /** Sizes the example supports (default: all of SIZES). */
  supports?: (n: number) => boolean;
  /** Run only at these of SIZES (default: all). */
  sizes?: number[];
  /** Checks on a successful run's stdout (with the running test's `expect`: the tests are concurrent). */
  check(stdout: string, n: number, expect: ExpectStatic): void;
}

const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);
const ranks = (n: number) => Array.from({ length: n }, (_, r) => r);
const atLeast2 = (n: number) => n >= 2;
const exactly2 = (n: number) => n === 2;
/** OSU tables: a header, then one row per message size up to --max-size. */
const osuTable = (title: string, column: string, sizes: number[]) => (out: string, _n: number, expect: ExpectStatic) => {
  const ls = lines(out);
  expect(ls[0]).toBe(`# ${title}`);
  expect(ls[1]).toMatch(new RegExp(`^# Size \\[B\\]\\s+${column.replace(/[[\]/]/g, '\\$&')}$`));
  const rows = ls.slice(2).map((l) => l.split(/\s+/));
  expect(rows.map((r) => Number(r[0]))).toEqual(sizes);
  for (const r of rows) expect(Number(r[1])).toBeGreaterThanOrEqual(0);
};
const OSU_QUICK = ['--skip', '1', '--loop', '3', '--skip-large', '1', '--loop-large', '2', '--max-size', '65536'];
const pow2 = (max: number) => Array.from({ length: Math.log2(max) + 1 }, (_, i) => 2 ** i);

const examples: Example[] = [
  {
    file: 'hello.ts',
    check(out, n, expect) {
      const seen = lines(out).map((l) => {
        const m = /^Hello, World! I am process (\d+) of (\d+) on (\S+)\.$/.exec(l);
        expect(m, l).not.toBeNull();
        expect(Number(m![2])).toBe(n);
        return Number(m![1]);
      });
      expect(seen.sort((a, b) => a - b)).toEqual(ranks(n));
    },
  },
  {
    file: 'mpi4py-tutorial/01-send-recv-object.ts',
    supports: atLeast2,
    check: (out, _n, expect) => expect(lines(out)).toEqual(['rank 1 received {"a":7,"b":3.14} from rank 0 with tag 11']),
  },
  {
    file: 'mpi4py-tutorial/02-isend-irecv.ts',
    supports: atLeast2,
    check: (out, _n, expect) => expect(lines(out)).toEqual(['rank 1 received {"a":7,"b":3.14} with irecv/wait']),
  },
  {
    file: 'mpi4py-tutorial/03-send-recv-arrays.ts',
    supports: atLeast2,
    check: (out, _n, expect) => expect(lines(out)).toEqual(['rank 1 received 1000 int32 (tag 77) and 100 float64 (tag 13) in place']),
  },
  {
    file: 'mpi4py-tutorial/04-bcast-object.ts',
    check: (out, n, expect) => expect(lines(out)).toEqual([`bcast from rank 0 to ${n} ranks: {"key1":[7,2.72,{"re":2,"im":3}],"key2":["abc","xyz"]}`]),
  },
  {
    file: 'mpi4py-tutorial/05-scatter-object.ts',
    check: (out, n, expect) => expect(lines(out).sort()).toEqual(ranks(n).map((r) => `rank ${r} got ${(r + 1) ** 2} from scatter`).sort()),
  },
  {
    file: 'mpi4py-tutorial/06-gather-object.ts',
    check: (out, n, expect) => expect(lines(out)).toEqual([`rank 0 gathered ${JSON.stringify(ranks(n).map((i) => (i + 1) ** 2))}`]),
  },
  {
    file: 'mpi4py-tutorial/07-bcast-array.ts',
    check: (out, n, expect) => expect(lines(out)).toEqual([`Bcast of arange(100) int32 reached ${n} ranks`]),
  },
  {
    file: 'mpi4py-tutorial/08-scatter-array.ts',
    check: (out, n, expect) => expect(lines(out).sort()).toEqual(ranks(n).map((r) => `rank ${r} got row ${r} of the [${n}, 100] array`).sort()),
  },
  {
    file: 'mpi4py-tutorial/09-gather-array.ts',
    check: (out, n, expect) => expect(lines(out)).toEqual([`rank 0 gathered a [${n}, 100] int32 array, row i all i`]),
  },
  {
    file: 'mpi4py-tutorial/10-matvec.ts',
    args: ['40'],
    check: (out, n, expect) => expect(lines(out)).toEqual([`matvec: ${40 * n}x${40 * n} matrix on ${n} ranks (40 rows each) matches the serial product`]),
  },
  ...[[], ['--buffers']].map((mode): Example => ({
    file: 'compute-pi.ts',
    args: [...mode, '100', '1000'],
    // The buffer variant runs at two sizes only, to keep this file quick.
    sizes: mode.length > 0 ? [2, 3] : undefined,
    check(out, _n, expect) {
      const ls = lines(out);
      expect(ls).toHaveLength(2);
      const [pi100, pi1000] = ls.map((l) => {
        const m = /^pi is approximately (\d\.\d{16}), error is (\d\.\d{16})$/.exec(l);
        expect(m, l).not.toBeNull();
        return Number(m![1]);
      });
      // mpi4py's digits for n = 100, up to the order of the additions (which depends on the number of ranks).
      expect(Math.abs(pi100! - 3.141600986923125)).toBeLessThanOrEqual(4e-15);
      expect(Math.abs(pi1000! - 3.1415927369231227)).toBeLessThanOrEqual(1e-14);
    },
  })),
  {
    file: 'ring.ts',
    check(out, n, expect) {
      const ls = lines(out);
      expect(ls[0]).toBe(`Process 0 sending 10 to ${1 % n}, tag 201 (${n} processes in ring)`);
      expect(ls.filter((l) => l.startsWith('Process 0 decremented value:'))).toHaveLength(10);
      expect(ls.filter((l) => / exiting$/.test(l)).sort()).toEqual(ranks(n).map((r) => `Process ${r} exiting`).sort());
    },
  },
  {
    file: 'heat-2d.ts',
    check: (out, _n, expect) => expect(lines(out)).toEqual([expect.stringMatching(/^heat-2d: 20x20 grid, 100 steps on \d+x\d+ ranks matches the serial run; peak temperature \d+\.\d+$/)]),
  },
  {
    file: 'osu-latency.ts',
    args: OSU_QUICK,
    supports: exactly2,
    check: osuTable('MPI Latency Test', 'Latency [us]', [0, ...pow2(65536)]),
  },
  {
    file: 'osu-bw.ts',
    args: [...OSU_QUICK, '--window', '8'],
    supports: exactly2,
    check: osuTable('MPI Bandwidth Test', 'Bandwidth [MB/s]', pow2(65536)),
  },
  // Task pools (examples/pools/): each on 1 rank (serial) and 3 ranks (2 workers); test/pools/ runs them on every back end.
  {
    file: 'pools/travel-times.ts',
    args: ['--check', '80', '40', '12'],
    sizes: [1, 3],
    check: (out, _n, expect) => expect(lines(out)).toEqual([
      'travel-times: 12 sources on a 80x40 grid (h = 0.1 km), checked against the fields computed in process',
      'summed field: min 12.460473 s, max 22.404205 s, mean 16.876833 s, sha256 05bbe9b807b74939be3a67122bd028b463c966b34f23cdf9431d1ede18f848eb',
    ]),
  },
  ...[1, 3].map((n): Example => ({
    file: 'pools/julia.ts',
    // One file per size: the runs are concurrent.
    args: ['--out', join(OUT_DIR, `julia-${n}.pgm`), '320', '240'],
    sizes: [n],
    check: (out, _n, expect) => expect(lines(out)).toEqual([
      `julia: 320x240 image in ${join(OUT_DIR, `julia-${n}.pgm`)} (sha256 9791ba5523a1ef390c858c494171c7a264dd6bef325232d7ad2c35df1fc738ae)`,
    ]),
  })),
  {
    file: 'pools/pi.ts',
    sizes: [1, 3],
    check: (out, n, expect) => expect(lines(out)).toEqual([expect.stringMatching(new RegExp(`^pi: 3\\.14159392515554\\d, error: 1\\.272e-06 \\(256 intervals, ${Math.max(1, n - 1)} workers\\)$`))]),
  },
];

/** Files under examples/ that are not programs: shared modules, and scratch files named _*. */
const NOT_PROGRAMS = new Set(['mpi4py-tutorial/matvec.ts', 'pools/eikonal.ts']);

/**
 * Jobs run two at a time (tests are concurrent; this queue is the limit): on 2 cores that overlaps one job's
 * start-up with another's work without starving either. The time bound starts when the job does.
 */
const slots = { free: 2, waiting: [] as (() => void)[] };
async function run(n: number, ex: Example): Promise<JobResult> {
  if (slots.free === 0) await new Promise<void>((go) => slots.waiting.push(go));
  else slots.free--;
  try {
    return await runJob(['-n', String(n), join(EXAMPLES, ex.file), ...(ex.args ?? [])], { timeoutMs: TIMEOUT_MS });
  } finally {
    const next = slots.waiting.shift();
    if (next) next(); else slots.free++;
  }
}

function describeFailure(r: JobResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''} after ${r.ms} ms\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

describe('examples run through tsmpiexec', () => {
  for (const ex of examples) {
    const label = [ex.file, ...(ex.args ?? [])].join(' ');
    for (const n of ex.sizes ?? SIZES) {
      const supported = ex.supports?.(n) ?? true;
      if (supported) {
        it.concurrent(`${label} on ${n} rank${n > 1 ? 's' : ''}`, async ({ expect }) => {
          const r = await run(n, ex);
          expect(r.code, describeFailure(r)).toBe(0);
          ex.check(r.stdout, n, expect);
        }, TEST_TIMEOUT_MS);
      } else if (n === 1) {
        // Too few ranks: a clear message and the skip code, no hang.
        it.concurrent(`${label} on ${n} rank${n > 1 ? 's' : ''} says it cannot run`, async ({ expect }) => {
          const r = await run(n, ex);
          expect(r.code, describeFailure(r)).toBe(SKIPPED);
          expect(r.stderr).toMatch(/needs at least 2 ranks|requires exactly two processes/);
          expect(r.stdout).toBe('');
        }, TEST_TIMEOUT_MS);
      }
    }
  }

  it('covers every example program', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && !e.name.startsWith('_')) files.push(relative(EXAMPLES, p));
      }
    };
    walk(EXAMPLES);
    const programs = files.filter((f) => !NOT_PROGRAMS.has(f)).sort();
    globalExpect([...new Set(examples.map((e) => e.file))].sort()).toEqual(programs);
  });
});
