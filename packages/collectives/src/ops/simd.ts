/**
 * WebAssembly SIMD loops for the element kernels that dominate large
 * reductions (SUM and PROD of Float64Array and Float32Array), run when all
 * three operands are views of one arena: memory that belongs to a wasm
 * instance (see `arena`).
 *
 * Why: V8 compiles a typed-array loop with a bounds check around every access
 * and no vector instructions; SUM over 64K float64s runs at 2-6 ns per
 * element (about 20 instructions each), and in a 1 MiB Allreduce on 4 ranks
 * that loop was half of the user instructions. f64x2/f32x4 lanes run it at
 * about 0.6 ns per element. Results are bitwise those of the JavaScript
 * loop: IEEE addition and multiplication are exactly rounded lane by lane
 * (float32 too: JavaScript rounds the double result to float32, which for one
 * + or * equals the float32 operation).
 *
 * Wasm code can only read its own memory, so the speed-up needs the data
 * there: the collectives receive their partial results into an arena and
 * reduce in it (algorithms/allreduce-buffer.ts); any other operands take the
 * JavaScript loop.
 */
import { SIMD_KERNEL_MIN_BYTES } from '../constants.js';
import type { TypedArray } from '../buffers.js';

/** The vector opcodes (after the 0xfd prefix, LEB128) of the lanes' operation, by kernel name and kind. */
const OPCODES: Record<string, [number, number]> = {
  'SUM:Float64Array': [0xf0, 0x01], // f64x2.add
  'PROD:Float64Array': [0xf2, 0x01], // f64x2.mul
  'SUM:Float32Array': [0xe4, 0x01], // f32x4.add
  'PROD:Float32Array': [0xe6, 0x01], // f32x4.mul
};

/**
 * One exported function per opcode, `(lo, hi, out, bytes)` on byte offsets:
 * `out[i] = lo[i] op hi[i]` 16 bytes at a time, `bytes` a positive multiple
 * of 16. Eight vectors per turn of the main loop (one pointer update,
 * branch and V8 loop check per 128 bytes: a loop of one vector per turn took
 * ~16 instructions per vector, a third of a 1 MiB Allreduce's user
 * instructions on 4 ranks; four per turn ~3.8 instructions per float64,
 * eight ~2.9), then single vectors for the rest. Each vector is read before it is
 * written, so `out` may be `lo` or `hi` (the same offsets).
 */
function moduleBytes(ops: [number, number][]): Uint8Array {
  const LO = 0, HI = 1, OUT = 2, BYTES = 3;
  const get = (l: number) => [0x20, l];
  const i32 = (n: number) => [0x41, ...sleb(n)];
  const vector = (op: [number, number], at: number) => [
    ...get(OUT),
    ...get(LO), 0xfd, 0x00, 0x03, at, // v128.load lo + at
    ...get(HI), 0xfd, 0x00, 0x03, at, // v128.load hi + at
    0xfd, ...op,
    0xfd, 0x0b, 0x03, at, // v128.store out + at
  ];
  // p += n for the three pointers, then bytes -= n, left on the stack (local.tee).
  const advance = (n: number) => [
    ...[LO, HI, OUT].flatMap((l) => [...get(l), ...i32(n), 0x6a, 0x21, l]),
    ...get(BYTES), ...i32(n), 0x6b, 0x22, BYTES,
  ];
  const body = (op: [number, number]) => [
    0x00, // no locals
    0x02, 0x40, // block $done
    0x02, 0x40, // block $tail
    ...get(BYTES), ...i32(128), 0x49, 0x0d, 0x00, // bytes < 128: br $tail
    0x03, 0x40, // loop $eight
    ...[0, 16, 32, 48, 64, 80, 96, 112].flatMap((at) => vector(op, at)),
    ...advance(128), ...i32(128), 0x4f, 0x0d, 0x00, // bytes >= 128: br $eight
    0x0b, // end $four
    0x0b, // end $tail
    ...get(BYTES), 0x45, 0x0d, 0x00, // bytes == 0: br $done
    0x03, 0x40, // loop $one
    ...vector(op, 0),
    ...advance(16), 0x0d, 0x00, // bytes != 0: br $one
    0x0b, // end $one
    0x0b, // end $done
    0x0b, // end function
  ];
  const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];
  const bodies = ops.map((op) => { const b = body(op); return [...leb(b.length), ...b]; });
  const names = ops.map((_, i) => [0x01, 0x61 + i, 0x00, i]); // exports "a", "b", ...: function i
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type 0: (i32 x4) -> ()
    ...section(2, [0x01, 0x01, 0x6d, 0x01, 0x6d, 0x02, 0x00, 0x01]), // import memory "m"."m", min 1 page
    ...section(3, [ops.length, ...ops.map(() => 0x00)]),
    ...section(7, [ops.length, ...names.flat()]),
    ...section(10, [ops.length, ...bodies.flat()]),
  ]);
}

/** Signed LEB128 (i32.const immediates), for small non-negative n. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if (n === 0 && (b & 0x40) === 0) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}

type Loop = (lo: number, hi: number, out: number, bytes: number) => void;

/** The WebAssembly API as used here (the ES lib and Node types this project builds with do not declare it). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
};
interface WasmModule { readonly brand?: never }
const KEYS = Object.keys(OPCODES);

/** The compiled module; undefined where WebAssembly or its SIMD is missing (the JavaScript loops then run). */
const compiled: WasmModule | undefined = (() => {
  try {
    return new WebAssembly.Module(moduleBytes(KEYS.map((k) => OPCODES[k]!)));
  } catch {
    return undefined;
  }
})();

/** The loops of each arena, by its memory's ArrayBuffer. */
const arenas = new WeakMap<ArrayBuffer, Map<string, Loop>>();

const PAGE = 65536;

/**
 * `bytes` of fresh memory that the SIMD loops can work in (offset 0), or
 * undefined where there are none. Its size never changes, so views of it stay valid.
 */
export function arena(bytes: number): Uint8Array | undefined {
  if (!compiled) return undefined;
  let memory: { readonly buffer: ArrayBuffer };
  try {
    memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  } catch {
    return undefined; // beyond what a wasm memory holds (4 GiB): plain buffers then
  }
  const ex = new WebAssembly.Instance(compiled, { m: { m: memory } }).exports as Record<string, Loop>;
  arenas.set(memory.buffer, new Map(KEYS.map((k, i) => [k, ex[String.fromCharCode(0x61 + i)]!])));
  return new Uint8Array(memory.buffer, 0, bytes);
}

/**
 * True when the built-in op named `op` has a SIMD loop for arrays of `kind`'s name
 * ("Float64Array") and this Node can run it: worth receiving its operands into an arena.
 */
export const hasSimdKernel = (op: string, kind: string): boolean => compiled !== undefined && `${op}:${kind}` in OPCODES;

/** True when `b` is (a view of) an arena's memory. */
export const isArena = (buffer: ArrayBufferLike): boolean => arenas.has(buffer as ArrayBuffer);

/**
 * Run the `key` ("SUM:Float64Array") loop when `lo`, `hi` and `out` all lie
 * in one arena. Returns how many leading elements it reduced: 0 when it
 * cannot run (the caller runs the JavaScript loop), else all but the last
 * few that do not fill a 16-byte vector (left to the caller too).
 */
export function simdReduce(key: string, lo: TypedArray, hi: TypedArray, out: TypedArray): number {
  const buffer = out.buffer;
  if (out.byteLength < SIMD_KERNEL_MIN_BYTES || lo.buffer !== buffer || hi.buffer !== buffer) return 0;
  const run = arenas.get(buffer as ArrayBuffer)?.get(key);
  if (!run) return 0;
  const whole = out.byteLength - (out.byteLength % 16);
  run(lo.byteOffset, hi.byteOffset, out.byteOffset, whole);
  return whole / out.BYTES_PER_ELEMENT;
}
