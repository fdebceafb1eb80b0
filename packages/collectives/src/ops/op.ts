/**
 * A reduction op (mpi4py's `MPI.Op`): how two values combine (lowercase
 * family) and how two typed arrays combine element by element (Uppercase
 * family). Ops are applied in rank order, as `op(lower rank's, higher
 * rank's)`; a commutative op lets the collectives reorder and split the work.
 */
import { ErrorCode, TsmpiError, describe, tsmpiError } from '@tsmpi/runtime';
import { type TypedArray, ctorOf, kindOf } from '../buffers.js';
import { type Kernel, functionKernel } from './kernels.js';

/** Any function `(a, b) => c` works as an op (applied in rank order, not assumed commutative). */
export type OpFunction = (a: any, b: any) => any;
export type OpLike = Op | OpFunction;

export interface OpOptions {
  /**
   * Elements per item in buffers. With 1 (the default) `fn` gets two elements
   * at a time; with k > 1 it gets two k-element views (e.g. 4 for 2x2
   * matrices) and returns k elements. Buffers are never split inside an item.
   */
  unit?: number;
}

/** @internal What a built-in op is made of. */
export interface OpSpec {
  name: string;
  commute: boolean;
  unit: number;
  values(a: unknown, b: unknown): unknown;
  kernel: Kernel;
}

export class Op {
  readonly name: string;
  /** True when `op(a, b)` equals `op(b, a)`: the collectives may then combine in any order. */
  readonly commute: boolean;
  /** Elements per item in buffers (2 for MAXLOC/MINLOC pairs). */
  readonly unit: number;
  private readonly spec: OpSpec;

  /** @internal Use `Op.create()` or a built-in op. */
  constructor(spec: OpSpec) {
    this.spec = spec;
    this.name = spec.name;
    this.commute = spec.commute;
    this.unit = spec.unit;
  }

  /**
   * An op from a function (mpi4py's `Op.Create`). On values `fn(a, b)` gets
   * whole values; on buffers it is applied element by element (or item by
   * item, see `options.unit`). `commute` (default false) declares that order
   * does not matter, which lets the buffer collectives use faster algorithms.
   */
  static create(fn: OpFunction, commute = false, options: OpOptions = {}): Op {
    if (typeof fn !== 'function') throw tsmpiError(ErrorCode.ARG, `Op.create needs a function (a, b) => c, got ${describe(fn)}`);
    const unit = options.unit ?? 1;
    if (!Number.isInteger(unit) || unit < 1) throw tsmpiError(ErrorCode.ARG, `Op.create: unit must be a positive integer, got ${String(unit)}`);
    return new Op({ name: fn.name || 'user op', commute: Boolean(commute), unit, values: fn, kernel: functionKernel(fn, unit) });
  }

  /** mpi4py spelling of `create`. */
  static Create(fn: OpFunction, commute = false, options: OpOptions = {}): Op { return Op.create(fn, commute, options); }

  Is_commutative(): boolean { return this.commute; }

  /** Combine two values: `lower` comes from the lower rank. */
  apply(lower: unknown, higher: unknown): unknown {
    try {
      return this.spec.values(lower, higher);
    } catch (err) {
      throw asOpError(this, err);
    }
  }

  /** Combine two typed arrays of one kind and length element-wise into `out` (which may be either). */
  reduceInto(lower: TypedArray, higher: TypedArray, out: TypedArray): void {
    // Same constructor: same kind (the usual case, no name lookups); else compare by name (arrays of another realm).
    const kind = ctorOf(out);
    if ((ctorOf(lower) !== kind || ctorOf(higher) !== kind) && (kindOf(lower) !== kindOf(higher) || kindOf(lower) !== kindOf(out))) {
      throw tsmpiError(ErrorCode.BUFFER, `${this.name}: buffers of different kinds (${kindOf(lower)}, ${kindOf(higher)}, ${kindOf(out)}); use one typed-array kind on every rank`);
    }
    if (lower.length !== higher.length || lower.length !== out.length) {
      throw tsmpiError(ErrorCode.TRUNCATE, `${this.name}: buffers of ${lower.length}, ${higher.length} and ${out.length} elements; pass buffers of matching sizes on every rank`);
    }
    this.checkUnits(out.length);
    try {
      this.spec.kernel(lower, higher, out);
    } catch (err) {
      throw asOpError(this, err);
    }
  }

  /** mpi4py's `Reduce_local`: `inoutbuf = inbuf op inoutbuf`. */
  Reduce_local(inbuf: TypedArray, inoutbuf: TypedArray): void { this.reduceInto(inbuf, inoutbuf, inoutbuf); }

  /** @internal Throw unless a buffer of `n` elements holds whole items. */
  checkUnits(n: number): void {
    if (n % this.unit !== 0) {
      throw tsmpiError(ErrorCode.ARG, `${this.name} works on items of ${this.unit} elements, but the buffer has ${n}; pass a multiple of ${this.unit}`);
    }
  }

  toString(): string { return `Op(${this.name})`; }
}
// The bundle turns this declaration into `var Op = class _Op`; the name users see stays Op
// (test/packaging/export-names.test.ts).
Object.defineProperty(Op, 'name', { value: 'Op' });

function asOpError(op: Op, err: unknown): TsmpiError {
  if (TsmpiError.is(err)) return err;
  return tsmpiError(ErrorCode.OP, `the reduction op ${op.name} threw: ${err instanceof Error ? err.message : String(err)}`, err);
}

const fromFunctions = new WeakMap<OpFunction, Op>();

/** An Op from an Op or a plain function; TSMPI_ERR_ARG for anything else. */
export function toOp(op: unknown): Op {
  if (op instanceof Op) return op;
  if (typeof op === 'function') {
    const fn = op as OpFunction;
    let o = fromFunctions.get(fn);
    if (!o) { o = Op.create(fn, false); fromFunctions.set(fn, o); }
    return o;
  }
  throw tsmpiError(ErrorCode.ARG, `op must be an Op (SUM, MAX, ...) or a function (a, b) => c, got ${describe(op)}`);
}
