/**
 * The pool examples (examples/pools/) on each back end: the seismic travel-time pattern gives the same summed
 * field, bit for bit, serially, on worker threads and on ranks (and equals the fields computed in process);
 * the Julia set is byte for byte the image of the Julia-set example of mpi4py.futures' documentation; pi is computed by the
 * workers together, on every back end.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendEnv, runNode } from '../../packages/pool/test/helpers/run-node.js';
import { EXAMPLES, runJob, type JobResult } from '../helpers/run-job.js';

const POOLS = join(EXAMPLES, 'pools');
const TIMEOUT_MS = 60_000;
const describeRun = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
const ok = (r: { code: number | null; stdout: string; stderr: string }) => { expect(r.code, describeRun(r)).toBe(0); return r.stdout; };
const ranks = (n: number, file: string, args: string[]): Promise<JobResult> =>
  runJob(['-n', String(n), join(POOLS, file), ...args], { timeoutMs: TIMEOUT_MS, env: { TSMPI_POOL: undefined } });

/** SHA-256 of the 1280x960 PGM written by the Julia-set example of mpi4py.futures' documentation (Python 3.11). */
const MPI4PY_JULIA_SHA256 = 'c9b7215a136958917dfa0f4af079a4162a7316185815300036600e9b7b8e91f3';

describe('pool examples', () => {
  it('travel-times: the same summed field serially, on worker threads and on ranks', async () => {
    const args = ['--check', '120', '60', '24'];
    const [onRanks, serial, local] = await Promise.all([
      ranks(4, 'travel-times.ts', args),
      runNode(join(POOLS, 'travel-times.ts'), args, { env: backendEnv('serial'), timeoutMs: TIMEOUT_MS }),
      runNode(join(POOLS, 'travel-times.ts'), args, { env: backendEnv('local', { TSMPI_POOL_WORKERS: '2' }), timeoutMs: TIMEOUT_MS }),
    ]);
    const out = ok(onRanks);
    expect(out).toMatch(/^travel-times: 24 sources on a 120x60 grid \(h = 0\.1 km\), checked against the fields computed in process\nsummed field: min \d+\.\d{6} s, max \d+\.\d{6} s, mean \d+\.\d{6} s, sha256 [0-9a-f]{64}\n$/);
    expect(ok(serial)).toBe(out);
    expect(ok(local)).toBe(out);
    expect(onRanks.stderr).toMatch(/ranks back end, 3 worker\(s\)/);
    expect(serial.stderr).toMatch(/serial back end, 1 worker\(s\)/);
    expect(local.stderr).toMatch(/local back end, 2 worker\(s\)/);
  }, 3 * TIMEOUT_MS);

  it('julia: the image of mpi4py\'s demo, row by row with map, on ranks and on worker threads', async () => {
    const files = [join(tmpdir(), `tsmpi-julia-ranks-${process.pid}.pgm`), join(tmpdir(), `tsmpi-julia-local-${process.pid}.pgm`)];
    try {
      const [onRanks, local] = await Promise.all([
        ranks(3, 'julia.ts', ['--out', files[0]!]),
        runNode(join(POOLS, 'julia.ts'), ['--out', files[1]!, '--chunksize', '16'], { env: backendEnv('local', { TSMPI_POOL_WORKERS: '2' }), timeoutMs: TIMEOUT_MS }),
      ]);
      expect(ok(onRanks)).toBe(`julia: 1280x960 image in ${files[0]} (sha256 ${MPI4PY_JULIA_SHA256})\n`);
      expect(ok(local)).toBe(`julia: 1280x960 image in ${files[1]} (sha256 ${MPI4PY_JULIA_SHA256})\n`);
      const pgm = readFileSync(files[0]!);
      expect(pgm.subarray(0, 16).toString('latin1')).toBe('P5 1280 960 255\n');
      expect(pgm.length).toBe(16 + 1280 * 960);
    } finally {
      for (const f of files) rmSync(f, { force: true });
    }
  }, 3 * TIMEOUT_MS);

  it('pi: the workers allreduce their shares, on ranks, worker threads and serially', async () => {
    const [five, one, local, serial] = await Promise.all([
      ranks(5, 'pi.ts', []),
      ranks(1, 'pi.ts', ['100']),
      runNode(join(POOLS, 'pi.ts'), [], { env: backendEnv('local', { TSMPI_POOL_WORKERS: '3' }), timeoutMs: TIMEOUT_MS }),
      runNode(join(POOLS, 'pi.ts'), [], { env: backendEnv('serial'), timeoutMs: TIMEOUT_MS }),
    ]);
    // mpi4py's demo prints pi: 3.141593922..., error: 1.27e-06 for 256 intervals; the last digits depend on
    // the order of the additions, i.e. on the number of workers.
    expect(ok(five)).toMatch(/^pi: 3\.14159392515554\d, error: 1\.272e-06 \(256 intervals, 4 workers\)\n$/);
    expect(ok(one)).toBe('pi: 3.141600986923125, error: 8.333e-06 (100 intervals, 1 workers)\n');
    expect(ok(local)).toMatch(/^pi: 3\.14159392515554\d, error: 1\.272e-06 \(256 intervals, 3 workers\)\n$/);
    expect(ok(serial)).toBe('pi: 3.141593925155547, error: 1.272e-06 (256 intervals, 1 workers)\n');
  }, 3 * TIMEOUT_MS);
});
