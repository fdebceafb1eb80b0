/** Typed-array kinds and builders for the buffer tests. */
import type { TypedArray } from '@tsmpi/runtime';

export type Kind = { new (n: number): TypedArray; readonly name: string; readonly BYTES_PER_ELEMENT: number };

export const ALL_KINDS: Kind[] = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
];

export const isBig = (K: Kind) => K === BigInt64Array || K === BigUint64Array;

/** An array of kind K with element i = f(i) (converted to bigint for BigInt kinds). */
export function make(K: Kind, n: number, f: (i: number) => number): TypedArray {
  const a = new K(n) as unknown as Record<number, number | bigint>;
  for (let i = 0; i < n; i++) a[i] = isBig(K) ? BigInt(f(i)) : f(i);
  return a as unknown as TypedArray;
}

/** Plain numbers of a typed array (bigints converted) for comparisons. */
export const nums = (a: TypedArray): number[] => Array.from(a as ArrayLike<number | bigint>, Number);
