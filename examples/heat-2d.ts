// Mirrors the 2-D heat-diffusion stencil of LLNL's MPI tutorial, mpi_heat2D.c (B. Barney): an NX x NY grid,
// initial temperature ix*(NX-ix-1)*iy*(NY-iy-1) (hot in the middle, zero on the edges), edges held at zero,
// and STEPS explicit updates
//   u2[ix][iy] = u1[ix][iy] + cx*(u1[ix+1][iy] + u1[ix-1][iy] - 2*u1[ix][iy])
//                           + cy*(u1[ix][iy+1] + u1[ix][iy-1] - 2*u1[ix][iy])      cx = cy = 0.1
// with the original's defaults (20 x 20, 100 steps). Where the original splits the grid into row strips handed
// out by a master, this port splits it into 2-D blocks on a Cartesian communicator, as stencil codes do:
// computeDims + createCart (MPI_Dims_create, MPI_Cart_create), cart.shift (MPI_Cart_shift) and a halo
// exchange with sendrecv (PROC_NULL past the edges). Doubles instead of the original's floats.
//
// The check: rank 0 gathers the blocks and compares the grid with a serial run of the same update; every cell
// is computed by the same operations in the same order, so they must be identical. The peak temperature is
// also reduced with MAX and compared.
// Usage:  npx tsmpiexec -n 4 examples/heat-2d.ts [NX NY STEPS]      Runs on any number of ranks.
import assert from 'node:assert/strict';
import { computeDims, init, MAX } from 'tsmpi';

const [NX = 20, NY = 20, STEPS = 100] = process.argv.slice(2).map(Number);
for (const v of [NX, NY, STEPS]) assert.ok(Number.isInteger(v) && v > 0, 'usage: heat-2d.ts [NX NY STEPS], positive integers');
const cx = 0.1, cy = 0.1;
const TAG_DOWN = 1, TAG_UP = 2, TAG_RIGHT = 3, TAG_LEFT = 4;

/** The original's inidat: the initial temperature of global cell (ix, iy). */
const inidat = (ix: number, iy: number) => ix * (NX - ix - 1) * iy * (NY - iy - 1);

/** The original's update of one cell from its old value and its north, south, west and east neighbours. */
const cell = (c: number, n: number, s: number, w: number, e: number) =>
  c + cx * (s + n - 2.0 * c) + cy * (e + w - 2.0 * c);

const world = await init();
const dims = computeDims(world.size, 2);
const cart = await world.createCart(dims, [false, false]);
assert.ok(cart, 'every rank belongs to the Cartesian grid (dims cover all ranks)');
const [px, py] = cart.coords as [number, number];

// This rank's block: global rows x0..x0+nr-1 and columns y0..y0+nc-1 (as even as the sizes allow).
const split = (n: number, parts: number, i: number) => [Math.floor((i * n) / parts), Math.floor(((i + 1) * n) / parts)] as const;
const [x0, x1] = split(NX, dims[0]!, px);
const [y0, y1] = split(NY, dims[1]!, py);
const nr = x1 - x0, nc = y1 - y0;
assert.ok(nr > 0 && nc > 0, `a ${NX}x${NY} grid is too small for ${dims.join('x')} ranks: give a larger NX NY`);

// Local grids with a one-cell halo: (nr+2) x (nc+2), row-major; interior cell (i, j), 1 <= i <= nr, is global
// (x0+i-1, y0+j-1).
const W = nc + 2;
const idx = (i: number, j: number) => i * W + j;
let u1 = new Float64Array((nr + 2) * W);
let u2 = new Float64Array((nr + 2) * W);
for (let i = 1; i <= nr; i++) for (let j = 1; j <= nc; j++) u1[idx(i, j)] = inidat(x0 + i - 1, y0 + j - 1);

const [up, down] = cart.shift(0, 1); // neighbours at x-1 and x+1 (PROC_NULL at the edges)
const [left, right] = cart.shift(1, 1); // neighbours at y-1 and y+1

const row = (u: Float64Array, i: number) => u.slice(idx(i, 1), idx(i, 1) + nc);
const col = (u: Float64Array, j: number) => Float64Array.from({ length: nr }, (_, k) => u[idx(k + 1, j)]!);
const setRow = (u: Float64Array, i: number, v: Float64Array | null) => { if (v) u.set(v, idx(i, 1)); };
const setCol = (u: Float64Array, j: number, v: Float64Array | null) => { if (v) for (let k = 0; k < nr; k++) u[idx(k + 1, j)] = v[k]!; };

async function exchangeHalo(u: Float64Array): Promise<void> {
  // Last row down, first halo row from above; first row up, last halo row from below; then the columns.
  setRow(u, 0, await cart!.sendrecv(row(u, nr), down, TAG_DOWN, up, TAG_DOWN));
  setRow(u, nr + 1, await cart!.sendrecv(row(u, 1), up, TAG_UP, down, TAG_UP));
  setCol(u, 0, await cart!.sendrecv(col(u, nc), right, TAG_RIGHT, left, TAG_RIGHT));
  setCol(u, nc + 1, await cart!.sendrecv(col(u, 1), left, TAG_LEFT, right, TAG_LEFT));
}

for (let step = 0; step < STEPS; step++) {
  await exchangeHalo(u1);
  for (let i = 1; i <= nr; i++) {
    const gx = x0 + i - 1;
    if (gx === 0 || gx === NX - 1) continue; // edges are held at zero
    for (let j = 1; j <= nc; j++) {
      const gy = y0 + j - 1;
      if (gy === 0 || gy === NY - 1) continue;
      u2[idx(i, j)] = cell(u1[idx(i, j)]!, u1[idx(i - 1, j)]!, u1[idx(i + 1, j)]!, u1[idx(i, j - 1)]!, u1[idx(i, j + 1)]!);
    }
  }
  [u1, u2] = [u2, u1];
}

// Peak temperature, everywhere.
let localMax = -Infinity;
for (let i = 1; i <= nr; i++) for (let j = 1; j <= nc; j++) localMax = Math.max(localMax, u1[idx(i, j)]!);
const peak: number = await cart.allreduce(localMax, MAX);

// Rank 0 assembles the grid and checks it against a serial run.
const interior = new Float64Array(nr * nc);
for (let i = 1; i <= nr; i++) interior.set(u1.subarray(idx(i, 1), idx(i, 1) + nc), (i - 1) * nc);
const blocks: { x0: number; y0: number; nr: number; nc: number; data: Float64Array }[] | null =
  await cart.gather({ x0, y0, nr, nc, data: interior }, 0);

if (cart.rank === 0) {
  assert.ok(blocks !== null);
  const grid = new Float64Array(NX * NY);
  for (const b of blocks) {
    for (let i = 0; i < b.nr; i++) grid.set(b.data.subarray(i * b.nc, (i + 1) * b.nc), (b.x0 + i) * NY + b.y0);
  }
  const serial = serialRun();
  let maxDiff = 0;
  for (let k = 0; k < NX * NY; k++) maxDiff = Math.max(maxDiff, Math.abs(grid[k]! - serial[k]!));
  assert.equal(maxDiff, 0, `the parallel grid differs from the serial run by up to ${maxDiff}`);
  assert.equal(peak, serial.reduce((m, v) => Math.max(m, v), -Infinity), 'the reduced peak temperature differs from the serial one');
  console.log(`heat-2d: ${NX}x${NY} grid, ${STEPS} steps on ${dims.join('x')} ranks matches the serial run; peak temperature ${peak.toFixed(6)}`);
}

/** The whole grid on one rank, updated exactly as the blocks are. */
function serialRun(): Float64Array {
  let a = new Float64Array(NX * NY), b = new Float64Array(NX * NY);
  for (let ix = 0; ix < NX; ix++) for (let iy = 0; iy < NY; iy++) a[ix * NY + iy] = inidat(ix, iy);
  for (let step = 0; step < STEPS; step++) {
    for (let ix = 1; ix < NX - 1; ix++) {
      for (let iy = 1; iy < NY - 1; iy++) {
        const k = ix * NY + iy;
        b[k] = cell(a[k]!, a[k - NY]!, a[k + NY]!, a[k - 1]!, a[k + 1]!);
      }
    }
    [a, b] = [b, a];
  }
  return a;
}
