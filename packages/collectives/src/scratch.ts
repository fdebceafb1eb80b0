/**
 * Reusable receive buffers for the large messages of collective calls.
 *
 * Why: on Linux a fresh large ArrayBuffer is fresh memory from the kernel, and
 * its first touch costs page faults and zeroing (about 2.4 ms of system time
 * per MiB on the VMs this was measured on). A 1 MiB Allreduce on 4 ranks
 * received 1.5 MiB into fresh buffers per call and rank; received into these,
 * the memory is touched once per communicator instead.
 *
 * Safety: a scratch buffer only ever holds data that a collective reduces or
 * copies into the program's own arrays; no view of it is returned to the
 * program. A call hands its buffers back only when it has finished without a
 * failure (every send drained, every receive delivered); after a failure it
 * drops them, so memory a peer might still write into is never reused.
 */
import { SCRATCH_POOL_MAX_BYTES, SCRATCH_POOL_MIN_BYTES } from './constants.js';
import { arena, isArena } from './ops/simd.js';

export class ScratchPool {
  /**
   * Free buffers by exact byte length (most recently returned last); arenas
   * (wasm memory the SIMD kernels work in, ops/simd.ts) under the negated length.
   */
  private readonly free = new Map<number, Uint8Array[]>();
  private held = 0;

  constructor(private readonly maxBytes = SCRATCH_POOL_MAX_BYTES) {}

  /**
   * A buffer of exactly `n` bytes, 8-byte aligned (offset 0), contents
   * unspecified. With `simd`, an arena where one is available (else a plain buffer).
   */
  take(n: number, simd = false): Uint8Array {
    const key = simd ? -n : n;
    const list = this.free.get(key);
    const b = list?.pop();
    if (b) {
      this.held -= n;
      if (list!.length === 0) this.free.delete(key);
      return b;
    }
    return (simd ? arena(n) : undefined) ?? new Uint8Array(n);
  }

  /** Return buffers taken with `take` that nothing refers to any more. */
  give(b: Uint8Array): void {
    const n = b.byteLength;
    const simd = isArena(b.buffer);
    if (n < SCRATCH_POOL_MIN_BYTES || b.byteOffset !== 0 || (!simd && b.buffer.byteLength !== n)) return;
    // Over the cap, drop the oldest sizes first: the current call sizes stay.
    while (this.held + n > this.maxBytes && this.free.size > 0) {
      const [key, list] = this.free.entries().next().value as [number, Uint8Array[]];
      list.pop();
      this.held -= Math.abs(key);
      if (list.length === 0) this.free.delete(key);
    }
    if (this.held + n > this.maxBytes) return;
    const key = simd ? -n : n;
    let list = this.free.get(key);
    if (!list) { list = []; this.free.set(key, list); } else { this.free.delete(key); this.free.set(key, list); }
    list.push(b);
    this.held += n;
  }

  /** Bytes kept for reuse (for tests). */
  get bytes(): number { return this.held; }
}
