// Mirrors the Julia-set example of mpi4py.futures' documentation (julia.py; mpi4py's demo/futures/run_julia.py
// is its timed variant): the Julia set of c = 0.65i on [-2, 2] x [-1.5, 1.5], one image row per task with
// executor.map, written as a binary PGM file (P5, 255 grey levels) in row order. The original is 1280x960;
// the last line printed names the file and the SHA-256 of its bytes, which is the same on every back end and
// any number of workers — and, at 1280x960, the same as the Python original's file (c9b7215a...91f3).
//
// Usage:  npx tsmpiexec -n 5 examples/pools/julia.ts [--out FILE] [--chunksize N] [W H]
//         npx tsx examples/pools/julia.ts ...            (worker threads; TSMPI_POOL=serial: in process)
// Writes julia.pgm in the current directory unless --out says otherwise. Runs on any number of ranks.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defineTask, PoolExecutor } from 'tsmpi';

const x0 = -2.0, x1 = +2.0;
const y0 = -1.5, y1 = +1.5;
const cr = 0.0, ci = 0.65;

/** Escape count of z = x + iy under z -> z^2 + c, from 255 down (the original's `julia(x, y)`). */
export function julia(x: number, y: number): number {
  let zr = x, zi = y;
  let n = 255;
  while (zr * zr + zi * zi < 9 && n > 1) {
    const t = zr * zr - zi * zi + cr;
    zi = 2 * zr * zi + ci;
    zr = t;
    n -= 1;
  }
  return n;
}

/** Row k of a w x h image (the original's `julia_line`). */
export function juliaLine(k: number, w: number, h: number): Uint8Array {
  const dx = (x1 - x0) / w;
  const dy = (y1 - y0) / h;
  const line = new Uint8Array(w);
  const y = y1 - k * dy;
  for (let j = 0; j < w; j++) line[j] = julia(x0 + j * dx, y);
  return line;
}
// A task of the main script: registered, so that workers (which run this file too) find it.
defineTask(import.meta.url, juliaLine);

const executor = await PoolExecutor.create();
const { values, positionals } = parseArgs({ options: { out: { type: 'string', default: 'julia.pgm' }, chunksize: { type: 'string', default: '1' } }, allowPositionals: true });
const [w, h] = positionals.length > 0 ? positionals.map(Number) : [1280, 960];
assert(Number.isInteger(w) && Number.isInteger(h) && w! > 0 && h! > 0, `W and H must be positive whole numbers, not ${positionals.join(' ')}`);

const header = Buffer.from(`P5 ${w} ${h} 255\n`, 'latin1');
const image = new Uint8Array(header.length + w! * h!);
image.set(header);
let k = 0;
for await (const line of executor.starmap(juliaLine, Array.from({ length: h! }, (_, row) => [row, w!, h!] as [number, number, number]), { chunksize: Number(values.chunksize) })) {
  assert.equal(line.length, w);
  image.set(line, header.length + k * w!);
  k++;
}
assert.equal(k, h);
await executor.shutdown();
// Written whole, then renamed: runs writing the same file at once never leave a torn one.
const tmp = `${values.out}.${process.pid}.tmp`;
writeFileSync(tmp, image);
renameSync(tmp, values.out!);
console.log(`julia: ${w}x${h} image in ${values.out} (sha256 ${createHash('sha256').update(image).digest('hex')})`);
