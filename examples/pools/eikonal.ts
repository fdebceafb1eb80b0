// The solver of travel-times.ts, in a module of its own (as in the Python codes this pattern comes from): first
// arrival times of a wave from a point source through a 2-D velocity grid, by Dijkstra's shortest paths on the
// grid graph (each node linked to its 8 neighbours and the 8 knight's-move nodes, an edge's time being its
// length times the mean slowness of its ends), a standard approximation of the eikonal equation |grad T| = 1/v.
// `travelTimeField` is an exported function of a module: a pool task that workers import by itself.

/** Velocities (km/s) of an nx x nz grid with spacing h (km), row-major: v[iz * nx + ix]. */
export interface VelocityModel { nx: number; nz: number; h: number; v: Float64Array }

/**
 * A layered crust over a faster half-space, with a slow lens: the kind of model the pattern is run on.
 * Deterministic, so every process builds the same one.
 */
export function layeredModel(nx: number, nz: number, h: number): VelocityModel {
  const v = new Float64Array(nx * nz);
  for (let iz = 0; iz < nz; iz++) {
    for (let ix = 0; ix < nx; ix++) {
      const x = ix * h, z = iz * h;
      const moho = 0.6 * nz * h + 0.08 * nz * h * Math.sin((2 * Math.PI * x) / (nx * h));
      let vel = z < moho ? 2.0 + 1.5 * (z / moho) : 4.5;
      const dx = x - 0.6 * nx * h, dz = z - 0.3 * nz * h;
      vel -= 0.8 * Math.exp(-(dx * dx + dz * dz) / (0.02 * nx * h * nx * h));
      v[iz * nx + ix] = vel;
    }
  }
  return { nx, nz, h, v };
}

// The 16 neighbours: 8 adjacent nodes and 8 knight's moves.
const DX = [1, -1, 0, 0, 1, 1, -1, -1, 2, 2, -2, -2, 1, 1, -1, -1];
const DZ = [0, 0, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 2, -2, 2, -2];

/** Travel times (s) from the source node (ix, iz) to every node of the grid. */
export function travelTimeField(model: VelocityModel, source: [ix: number, iz: number]): Float64Array {
  const { nx, nz, h, v } = model;
  const n = nx * nz;
  const t = new Float64Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  const heap = new MinHeap(n);
  const s = source[1] * nx + source[0];
  t[s] = 0;
  heap.push(s, 0);
  while (heap.size > 0) {
    const [i, ti] = heap.pop();
    if (done[i] || ti > t[i]!) continue;
    done[i] = 1;
    const ix = i % nx, iz = (i - ix) / nx;
    const si = 1 / v[i]!;
    for (let k = 0; k < 16; k++) {
      const jx = ix + DX[k]!, jz = iz + DZ[k]!;
      if (jx < 0 || jx >= nx || jz < 0 || jz >= nz) continue;
      const j = jz * nx + jx;
      if (done[j]) continue;
      const len = h * Math.hypot(DX[k]!, DZ[k]!);
      const tj = ti + len * 0.5 * (si + 1 / v[j]!);
      if (tj < t[j]!) {
        t[j] = tj;
        heap.push(j, tj);
      }
    }
  }
  return t;
}

/** A binary min-heap of (node, time) with lazy deletion (stale entries are skipped when popped). */
class MinHeap {
  private nodes: Int32Array;
  private keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.nodes = new Int32Array(Math.max(16, capacity));
    this.keys = new Float64Array(Math.max(16, capacity));
  }

  push(node: number, key: number): void {
    if (this.size === this.nodes.length) {
      const nodes = new Int32Array(this.size * 2); nodes.set(this.nodes); this.nodes = nodes;
      const keys = new Float64Array(this.size * 2); keys.set(this.keys); this.keys = keys;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! <= key) break;
      this.nodes[i] = this.nodes[p]!; this.keys[i] = this.keys[p]!;
      i = p;
    }
    this.nodes[i] = node; this.keys[i] = key;
  }

  pop(): [number, number] {
    const top: [number, number] = [this.nodes[0]!, this.keys[0]!];
    const last = --this.size;
    const node = this.nodes[last]!, key = this.keys[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && this.keys[c + 1]! < this.keys[c]!) c++;
      if (this.keys[c]! >= key) break;
      this.nodes[i] = this.nodes[c]!; this.keys[i] = this.keys[c]!;
      i = c;
    }
    this.nodes[i] = node; this.keys[i] = key;
    return top;
  }
}
