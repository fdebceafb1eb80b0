/**
 * Element-wise loops over typed arrays, compiled once per (op, element kind).
 *
 * Why generated code: one loop body shared by every kind (even as separate
 * closures, which share V8's type feedback) turns megamorphic and runs 20-40x
 * slower than a loop that only ever sees one kind. A function compiled from
 * source per kind stays monomorphic, so SUM over a Float64Array runs at a few
 * nanoseconds per element. Each source names its (op, kind): V8 caches
 * `new Function` by source text, and identical sources would share feedback.
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { type TypedArray, type TypedArrayCtor, ctorOf, isBigKind, kindOf } from '../buffers.js';
import { simdReduce } from './simd.js';

/** `out[i] = lo[i] op hi[i]`; `out` may be `lo` or `hi` (each element is read before it is written). */
export type Kernel = (lo: TypedArray, hi: TypedArray, out: TypedArray) => void;

const compiled = new Map<string, Kernel>();

/**
 * A kernel computing `expr` (over `a = lo[i]` and `b = hi[i]`) element by
 * element. `ONE` and `ZERO` in `expr` become the kind's 1 and 0 (1n/0n for
 * BigInt arrays).
 */
export function elementKernel(name: string, expr: string, integerOnly = false): Kernel {
  // Looked up by constructor on every call (no "name:kind" string to build and hash per call: for a
  // 1 KiB Allreduce that was a good part of the kernel's own cost).
  const byKind = new Map<TypedArrayCtor, { loop: Kernel; key: string }>();
  const compile = (out: TypedArray) => {
    const kind = kindOf(out);
    const key = `${name}:${kind}`;
    if (integerOnly && (out instanceof Float32Array || out instanceof Float64Array)) {
      throw tsmpiError(ErrorCode.OP, `${name} is a bitwise op and needs integer elements, not ${kind}; use an integer typed array`);
    }
    const big = isBigKind(out);
    const e = expr.replaceAll('ONE', big ? '1n' : '1').replaceAll('ZERO', big ? '0n' : '0');
    const entry = { loop: new Function('lo', 'hi', 'out', `/* ${key} */ ${unrolled(e)}`) as Kernel, key };
    byKind.set(ctorOf(out), entry);
    return entry;
  };
  return (lo, hi, out) => {
    const { loop, key } = byKind.get(ctorOf(out)) ?? compile(out);
    // Operands in a wasm arena (large Allreduce) take the vector loop; see simd.ts.
    const done = simdReduce(key, lo, hi, out);
    if (done === 0) loop(lo, hi, out);
    else if (done < out.length) loop(lo.subarray(done), hi.subarray(done), out.subarray(done));
  };
}

/**
 * The loop of an element kernel, four elements per iteration: all reads of a
 * group come before its writes (so `out` may still be `lo` or `hi`). V8 loads
 * and checks each typed array's base and length around every access; four at
 * a time it runs a 64K-element Float64Array SUM in about 6 cycles per element
 * instead of 9-12 (perf stat, Node 20 on this machine kind).
 */
function unrolled(expr: string): string {
  const lane = (j: number) => expr.replace(/\b([ab])\b/g, `$1${j}`);
  const at = (j: number) => (j === 0 ? 'i' : `i + ${j}`);
  const reads = [0, 1, 2, 3].map((j) => `a${j} = lo[${at(j)}], b${j} = hi[${at(j)}]`).join(', ');
  const writes = [0, 1, 2, 3].map((j) => `out[${at(j)}] = ${lane(j)};`).join(' ');
  return `const n = out.length; let i = 0;
    for (; i + 3 < n; i += 4) { const ${reads}; ${writes} }
    for (; i < n; i++) { const a = lo[i], b = hi[i]; out[i] = ${expr}; }`;
}

/**
 * MAXLOC / MINLOC over interleaved (value, index) pairs: the greater (lesser)
 * value wins, a tie goes to the lower index.
 */
export function locKernel(name: string, better: '>' | '<'): Kernel {
  return (lo, hi, out) => {
    const kind = kindOf(out);
    const key = `${name}:${kind}`;
    let k = compiled.get(key);
    if (!k) {
      k = new Function('lo', 'hi', 'out', `/* ${key} */ for (let i = 0, n = out.length - 1; i < n; i += 2) {
        const va = lo[i], ia = lo[i + 1], vb = hi[i], ib = hi[i + 1];
        if (vb ${better} va || (vb === va && ib < ia)) { out[i] = vb; out[i + 1] = ib; } else { out[i] = va; out[i + 1] = ia; }
      }`) as Kernel;
      compiled.set(key, k);
    }
    k(lo, hi, out);
  };
}

/** A user function applied to each pair of elements (unit 1) or of `unit`-element items. */
export function functionKernel(fn: (a: any, b: any) => any, unit: number): Kernel {
  if (unit === 1) {
    return (lo, hi, out) => {
      const l = lo as unknown as ArrayLike<unknown>, h = hi as unknown as ArrayLike<unknown>;
      const o = out as unknown as Record<number, unknown>;
      for (let i = 0, n = out.length; i < n; i++) o[i] = fn(l[i], h[i]);
    };
  }
  return (lo, hi, out) => {
    for (let i = 0, n = out.length; i < n; i += unit) {
      const r = fn(lo.subarray(i, i + unit), hi.subarray(i, i + unit)) as ArrayLike<number | bigint>;
      if (r === null || typeof r !== 'object' || r.length !== unit) {
        throw tsmpiError(ErrorCode.OP, `an op with unit ${unit} must return ${unit} elements for each item (got ${r === null || typeof r !== 'object' ? typeof r : r.length})`);
      }
      out.set(r as never, i);
    }
  };
}
