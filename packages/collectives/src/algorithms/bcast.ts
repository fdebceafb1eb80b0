/**
 * Broadcast of bytes from rank 0 of a rooted exchange, for Bcast and for the
 * encoded value of bcast. The root picks the algorithm and every message
 * says which one, so ranks can never disagree (even when their buffer sizes
 * differ):
 *
 * - TREE (small payloads): a binomial tree; each rank forwards the payload it
 *   received to its children, largest subtree first. ⌈log2 p⌉ rounds, but the
 *   whole payload crosses log2 p links on the critical path.
 * - SCATTER (payloads of `tuning.largeMessageBytes` or more, on 3 ranks or
 *   more and at least `tuning.bcastScatterMinRanks`): van de Geijn's
 *   scatter + allgather. The payload is cut in p chunks, a binomial scatter
 *   gives each rank its chunk, and Bruck's allgather gives everyone all of
 *   them: 2⌈log2 p⌉ rounds, but only about 2n bytes per rank instead of
 *   n·log2 p on the critical path. On few ranks the tree still wins (fewer
 *   bytes and messages in all; see DEFAULT_BCAST_SCATTER_MIN_RANKS). When p
 *   is a power of two the allgather is recursive doubling instead, which moves
 *   the same bytes in the same rounds, but each round's chunks form one range
 *   of the result: it travels as bare bytes and is received straight into its
 *   place (Bruck's rounds wrap around, so their chunks went through the value
 *   codec into scratch and were copied out: on 8 ranks, 7/8 of the buffer per
 *   rank and call).
 *
 * Messages are `[mode, byteLength, kind, ...byteViews]`, the views sent
 * without copying.
 */
import { BcastMode } from '../constants.js';
import { type Exchange, type Into, protocolError } from '../exchange.js';
import { tuning } from '../tuning.js';
import { bruckAllgather, doublingAllgather } from './allgather.js';
import { ceilPow2, lowBit } from './ranks.js';

export interface Broadcast { bytes: Uint8Array; kind: string }

/**
 * `data` and `kind` are the root's. On other ranks `target(n, kind)` may
 * name where the n bytes should land (else a new array is used). Every rank
 * gets the bytes (undefined after a failure). `into`, if given, receives
 * large messages (scratch: only when the caller copies the bytes out).
 */
export async function bcastBytes(
  ex: Exchange, data: Uint8Array | undefined, kind: string,
  target?: (n: number, kind: string) => Uint8Array | undefined,
  into?: Into,
): Promise<Broadcast | undefined> {
  const p = ex.size, v = ex.rank;
  let mask: number;
  let msg: unknown[];
  if (v === 0) {
    mask = ceilPow2(p);
    const n = data?.byteLength ?? 0;
    const scatter = data !== undefined && n >= tuning.largeMessageBytes && p > 2 && p >= tuning.bcastScatterMinRanks;
    const mode = scatter ? BcastMode.SCATTER : BcastMode.TREE;
    msg = [mode, n, kind];
    if (mode === BcastMode.TREE) msg.push(data);
    else for (let i = 0; i < p; i++) msg.push(data!.subarray(chunkStart(i, n, p), chunkStart(i + 1, n, p)));
  } else {
    mask = lowBit(v);
    const got = await ex.recv(v - mask, into);
    if (got !== undefined && !isHeader(got)) ex.fail(protocolError(ex, 'malformed broadcast message'));
    if (ex.failed) {
      // Only a failed root sends notes, and it always uses the tree: pass them on.
      for (let m = mask / 2; m >= 1; m /= 2) if (v + m < p) ex.send(v + m, undefined);
      return undefined;
    }
    msg = got as unknown[];
  }
  const [mode, n, k] = msg as [number, number, string];
  if (mode === BcastMode.TREE) {
    for (let m = mask / 2; m >= 1; m /= 2) if (v + m < p) ex.send(v + m, msg);
    return ex.failed ? undefined : { bytes: msg[3] as Uint8Array, kind: k };
  }
  // SCATTER: msg[3 + j] is the chunk of relative rank v + j.
  const chunks = msg.slice(3) as Uint8Array[];
  const at = (i: number) => chunkStart(i, n, p);
  if (chunks.length !== Math.min(mask, p - v) || chunks[0]!.byteLength !== at(v + 1) - at(v)) {
    ex.fail(protocolError(ex, 'malformed broadcast chunks'));
  }
  for (let m = mask / 2; m >= 1; m /= 2) {
    if (v + m < p) ex.send(v + m, [mode, n, k, ...chunks.slice(m, m + Math.min(m, p - v - m))]);
  }
  const dst = v === 0 ? data! : target?.(n, k) ?? new Uint8Array(n);
  if (v !== 0 && !ex.failed) dst.set(chunks[0]!, at(v));
  if ((p & (p - 1)) === 0) {
    // Every range as plain bytes on both sides (a Buffer would travel under another code). The root
    // receives too, into its own buffer: the same bytes it holds, and no scratch or fresh memory for them.
    await doublingAllgather(ex, (first, count) => new Uint8Array(dst.buffer, dst.byteOffset + at(first), at(first + count) - at(first)), (first, count, b) => {
      if (!(b instanceof Uint8Array) || b.byteLength !== at(first + count) - at(first)) throw protocolError(ex, 'malformed broadcast range');
      if (b.buffer !== dst.buffer || b.byteOffset !== dst.byteOffset + at(first)) dst.set(b, at(first));
    });
  } else {
    await bruckAllgather(ex, {
      get: (i) => dst.subarray(at(i), at(i + 1)),
      put: (i, b) => {
        if (!(b instanceof Uint8Array) || b.byteLength !== at(i + 1) - at(i)) throw protocolError(ex, 'malformed broadcast chunk');
        dst.set(b, at(i));
      },
    }, into);
  }
  return ex.failed ? undefined : { bytes: dst, kind: k };
}

/** First byte of chunk i when n bytes are cut in p near-equal chunks. */
function chunkStart(i: number, n: number, p: number): number {
  return Math.floor((i * n) / p);
}

function isHeader(m: unknown): boolean {
  if (!Array.isArray(m) || m.length < 4) return false;
  const [mode, n, kind] = m as unknown[];
  return (mode === BcastMode.TREE || mode === BcastMode.SCATTER) && typeof n === 'number' && typeof kind === 'string'
    && m.slice(3).every((c) => c instanceof Uint8Array);
}
