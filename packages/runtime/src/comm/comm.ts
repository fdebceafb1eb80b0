/**
 * The point-to-point half of a communicator. Collective operations are added
 * by @tsmpi/collectives, which subclasses this class and uses only its public
 * point-to-point methods on a shadow context (`collectiveChannel()`).
 */
import { ANY_SOURCE, ANY_TAG, Encoding, PROC_NULL, SMALL_BINARY_BYTES } from '../constants.js';
import { ErrorCode, TsmpiError, tsmpiError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import type { Message } from '../engine/message.js';
import { decodeMessage, encodeMessage, messageBytes } from './message-codec.js';
import { type Bytes, copyInto, prefix, windows } from '../codec/bytes.js';
import { Request } from './request.js';
import { smallBinaryParts } from './small-binary.js';
import { type TypedArray, viewCode } from '../codec/typed-arrays.js';
import { Status } from './status.js';
import { checkBinary, checkDest, checkSource, checkTag } from './validate.js';
import { receiveView } from './receive-views.js';

type BufferArg = ArrayBufferView | ArrayBuffer;

/** The parts of an empty message (one shared list). */
const NO_PARTS: readonly Uint8Array[] = [];

/** Handlers the runtime installs (abort goes to the launcher). */
export interface CommHooks { abort(code: number): never }

export class Comm {
  /** @internal */ readonly engine: Engine;
  /** @internal context id of this communicator's point-to-point traffic. */ readonly context: number;
  /** @internal world rank of each member, by rank in this communicator. */ readonly group: readonly number[];
  readonly rank: number;
  readonly size: number;
  /** @internal */ readonly hooks: CommHooks;
  /** World rank → rank here; undefined when the group is the world in order (no map needed). */
  private readonly toLocal: Map<number, number> | undefined;
  private freed = false;
  private shadow: Comm | undefined;

  /** @internal Communicators are made by `init()`, `dup()`, `split()` and `createCart()`. */
  constructor(engine: Engine, context: number, group: readonly number[], hooks: CommHooks) {
    this.engine = engine;
    this.context = context;
    this.group = group;
    this.size = group.length;
    this.hooks = hooks;
    const identity = group.length === engine.size && group.every((w, i) => w === i);
    this.toLocal = identity ? undefined : new Map(group.map((w, i) => [w, i]));
    const me = this.localRank(engine.rank);
    if (me === undefined) throw tsmpiError(ErrorCode.INTERNAL, 'rank is not a member of its communicator');
    this.rank = me;
  }

  /** This communicator's rank of a world rank (undefined if not a member). */
  private localRank(world: number): number | undefined {
    return this.toLocal ? this.toLocal.get(world) : world >= 0 && world < this.size ? world : undefined;
  }

  /** mpi4py spelling. */
  Get_rank(): number { return this.rank; }
  Get_size(): number { return this.size; }

  /** @internal A communicator of the same class over another context and group. */
  derive(context: number, group: readonly number[]): this {
    const Ctor = this.constructor as new (e: Engine, c: number, g: readonly number[], h: CommHooks) => this;
    return new Ctor(this.engine, context, group, this.hooks);
  }

  /**
   * @internal A point-to-point communicator on this one's collective context:
   * collectives talk through it, so their messages never match user receives.
   */
  collectiveChannel(): Comm {
    this.shadow ??= new Comm(this.engine, this.context + 1, this.group, this.hooks);
    return this.shadow;
  }

  /** Release this communicator (further calls fail with TSMPI_ERR_STATE). */
  free(): void { this.freed = true; }
  /** mpi4py spelling. */
  Free(): void { this.free(); }

  protected alive(): void {
    if (this.freed) throw tsmpiError(ErrorCode.STATE, 'this communicator was freed; use one that is still valid');
  }

  /** The value of a message; a payload that does not decode is blamed on its sender by rank and tag. */
  private decode(m: Message): unknown {
    try {
      return decodeMessage(m.enc, m.payload);
    } catch (err) {
      const code = TsmpiError.is(err) ? err.code : ErrorCode.PROTOCOL;
      throw tsmpiError(code, `message from rank ${this.localRank(m.src) ?? m.src} (tag ${m.tag}): ${(err as Error).message}`, err);
    }
  }

  private statusOf(m: Message) {
    return { source: this.localRank(m.src) ?? m.src, tag: m.tag, count: m.payload.byteLength };
  }

  // ---- values (lowercase, mpi4py's pickle family) ----

  /** Send any value; resolves once it is on its way (buffered or handed to the OS). */
  send(value: unknown, dest: number, tag = 0): Promise<void> {
    // The blocking form needs no Request: the engine's own promise (already settled for a small message).
    try {
      return this.sendNow(value, dest, tag);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  isend(value: unknown, dest: number, tag = 0): Request<undefined> {
    if (dest === PROC_NULL) {
      this.alive();
      checkTag(tag, false);
      return Request.resolved(undefined);
    }
    return Request.from(this.sendNow(value, dest, tag) as Promise<undefined>);
  }

  /**
   * @internal isend without a Request, for the collectives (one promise per
   * message instead of four). Throws at once on a bad argument or a value that
   * cannot be encoded; the promise settles when the send does.
   */
  sendNow(value: unknown, dest: number, tag: number): Promise<void> {
    this.alive();
    const d = checkDest(dest, this.size);
    const t = checkTag(tag, false);
    if (d === PROC_NULL) return Promise.resolve();
    // A small typed array other than bytes: copied, not viewed (small-binary.ts).
    if (ArrayBuffer.isView(value) && value.byteLength <= SMALL_BINARY_BYTES && !(value instanceof Uint8Array)) {
      const code = viewCode(value);
      if (code !== undefined) return this.engine.send(this.context, this.group[d]!, t, code, smallBinaryParts(value as TypedArray, code), value.byteLength);
    }
    const out = encodeMessage(value);
    return this.engine.send(this.context, this.group[d]!, t, out.enc, out.parts, out.byteLength);
  }

  /**
   * @internal irecv without a Request, for the collectives: `deliver` gets
   * the decoded value (null from PROC_NULL), or `failed` the error, when the
   * message matches. Throws at once on a bad argument. `into`, if given, may
   * name where a large message's payload (any encoding) is received in place
   * (see Posted.into): the value is then decoded from those bytes. Returns a
   * function that withdraws the receive if it has not matched yet (true then).
   */
  recvNow(source: number, tag: number, deliver: (value: unknown) => void, failed: (err: unknown) => void, into?: (byteLength: number, enc: number) => Bytes | undefined): () => boolean {
    this.alive();
    const s = checkSource(source, this.size);
    const t = checkTag(tag, true);
    if (s === PROC_NULL) { deliver(null); return () => false; }
    return this.engine.post(this.context, s === ANY_SOURCE ? ANY_SOURCE : this.group[s]!, t, (m) => {
      let v: unknown;
      try {
        v = this.decode(m);
      } catch (err) {
        failed(err);
        return;
      }
      deliver(v);
    }, into);
  }

  /**
   * @internal A collective's synchronisation signal (the barrier's): an empty
   * binary message, handed straight to the engine: no encoder, no checks (the
   * collectives pass valid ranks and tags). Settled at once (SENT) unless the
   * connection to `dest` is still being opened.
   */
  signalNow(dest: number, tag: number): Promise<void> {
    return this.engine.send(this.context, this.group[dest]!, tag, Encoding.UINT8, NO_PARTS, 0);
  }

  /**
   * @internal The receive of a signal (see signalNow): resolves with the raw
   * message, undecoded (a signal carries nothing to decode). `isSignal` tells
   * a signal from anything else a peer sent with the tag (a failure note of a
   * collective the peer called instead), which `valueOfRaw` decodes.
   */
  signalFrom(source: number, tag: number): Promise<Message> {
    return new Promise<Message>((resolve) => { this.engine.receive(this.context, this.group[source]!, tag, resolve); });
  }

  /** @internal True when `m` is a signal (signalNow): an empty binary message. */
  static isSignal(m: Message): boolean {
    return m.enc === Encoding.UINT8 && m.payload.byteLength === 0;
  }

  /** @internal The value of a message received raw (signalFrom); throws what recv() would reject with. */
  valueOfRaw(m: Message): unknown {
    return this.decode(m);
  }

  /** Receive a value. `status`, if given, is filled with source, tag and byte count. */
  recv<T = any>(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): Promise<T> {
    // The blocking form needs no Request: one promise, settled where the message matches.
    try {
      this.alive();
      const s = checkSource(source, this.size);
      const t = checkTag(tag, true);
      if (s === PROC_NULL) {
        status?.assign({ source: PROC_NULL, tag: ANY_TAG, count: 0 });
        return Promise.resolve(null as T);
      }
      return new Promise<T>((resolve, reject) => {
        this.engine.receive(this.context, s === ANY_SOURCE ? ANY_SOURCE : this.group[s]!, t, (m) => {
          let v: T;
          try {
            v = this.decode(m) as T;
          } catch (err) {
            status?.assign({ ...this.statusOf(m), error: (err as { code?: string }).code });
            reject(err);
            return;
          }
          status?.assign(this.statusOf(m));
          resolve(v);
        });
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  irecv<T = any>(source: number = ANY_SOURCE, tag: number = ANY_TAG): Request<T> {
    return this.post(source, tag, (m) => this.decode(m) as T, null as T);
  }

  private post<T>(source: number, tag: number, take: (m: Message) => T, nullValue: T, into?: (byteLength: number, enc: number) => Bytes | undefined): Request<T> {
    this.alive();
    const s = checkSource(source, this.size);
    const t = checkTag(tag, true);
    if (s === PROC_NULL) return Request.resolved(nullValue, { source: PROC_NULL, tag: ANY_TAG, count: 0 });
    const r = new Request<T>();
    const world = s === ANY_SOURCE ? ANY_SOURCE : this.group[s]!;
    r.canceller = this.engine.post(this.context, world, t, (m) => {
      const st = this.statusOf(m);
      try {
        r.complete(take(m), st);
      } catch (err) {
        r.fail(err, st);
      }
    }, into);
    return r;
  }

  /** Send `value` to `dest` and receive from `source` at once (no deadlock in a ring). */
  async sendrecv<T = any>(value: unknown, dest: number, sendtag = 0, source: number = ANY_SOURCE, recvtag: number = ANY_TAG, status?: Status): Promise<T> {
    const r = this.irecv<T>(source, recvtag);
    const s = this.isend(value, dest, sendtag);
    const [v] = await Promise.all([r.wait(status), s.wait()]);
    return v;
  }

  /** Wait for a matching message without receiving it; resolves with its Status. */
  async probe(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): Promise<Status> {
    this.alive();
    const s = checkSource(source, this.size);
    const t = checkTag(tag, true);
    const st = status ?? new Status();
    if (s === PROC_NULL) { st.assign({ source: PROC_NULL, tag: ANY_TAG, count: 0 }); return st; }
    const m = await this.engine.probe(this.context, s === ANY_SOURCE ? ANY_SOURCE : this.group[s]!, t);
    st.assign(this.statusOf(m));
    return st;
  }

  /** True if a matching message is waiting now (fills `status`). */
  iprobe(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): boolean {
    this.alive();
    const s = checkSource(source, this.size);
    const t = checkTag(tag, true);
    if (s === PROC_NULL) { status?.assign({ source: PROC_NULL, tag: ANY_TAG, count: 0 }); return true; }
    const m = this.engine.peek(this.context, s === ANY_SOURCE ? ANY_SOURCE : this.group[s]!, t);
    if (m && status) status.assign(this.statusOf(m));
    return m !== undefined;
  }

  // ---- buffers (Uppercase, mpi4py's buffer family) ----

  /** Send the raw bytes of a typed array (any kind), Buffer or ArrayBuffer. */
  Send(buf: BufferArg, dest: number, tag = 0): Promise<void> {
    // The blocking form needs no Request (as send()): the engine's promise, settled at once when small.
    try {
      checkBinary(buf, 'Send buffer');
      return this.sendNow(buf, dest, tag);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  Isend(buf: BufferArg, dest: number, tag = 0): Request<undefined> {
    checkBinary(buf, 'Send buffer');
    return this.isend(buf, dest, tag);
  }

  /**
   * Receive into `buf` in place. A message larger than `buf` fails with
   * TSMPI_ERR_TRUNCATE (and is consumed: later messages are still delivered).
   * Resolves with the Status.
   */
  Recv(buf: BufferArg, source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): Promise<Status> {
    // The blocking form needs no Request (as recv()): one promise, settled where the message matches.
    try {
      checkBinary(buf, 'Recv buffer');
      const dst = receiveView(buf);
      this.alive();
      const s = checkSource(source, this.size);
      const t = checkTag(tag, true);
      const st = status ?? new Status();
      if (s === PROC_NULL) {
        st.assign({ source: PROC_NULL, tag: ANY_TAG, count: 0 });
        return Promise.resolve(st);
      }
      return new Promise<Status>((resolve, reject) => {
        this.engine.receive(this.context, s === ANY_SOURCE ? ANY_SOURCE : this.group[s]!, t, (m) => {
          const info = this.statusOf(m);
          try {
            this.copyToBuffer(dst, m);
          } catch (err) {
            st.assign({ ...info, error: (err as { code?: string }).code });
            reject(err);
            return;
          }
          st.assign(info);
          resolve(st);
        }, this.claimFor(dst));
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  Irecv(buf: BufferArg, source: number = ANY_SOURCE, tag: number = ANY_TAG): Request<undefined> {
    checkBinary(buf, 'Recv buffer');
    const dst = receiveView(buf);
    return this.post(source, tag, (m) => { this.copyToBuffer(dst, m); return undefined; }, undefined, this.claimFor(dst));
  }

  /** Put a matched message's bytes into a receive buffer (in place already when the receive claimed it). */
  private copyToBuffer(dst: Bytes, m: Message): void {
    const bytes = messageBytes(m.enc, m.payload);
    if (!bytes) {
      throw tsmpiError(ErrorCode.BUFFER, `the message from rank ${this.localRank(m.src)} (tag ${m.tag}) is a value sent with send(), not a buffer; receive it with recv()`);
    }
    if (bytes.byteLength > dst.byteLength) {
      throw tsmpiError(ErrorCode.TRUNCATE, `message of ${bytes.byteLength} bytes from rank ${this.localRank(m.src)} (tag ${m.tag}) does not fit the receive buffer of ${dst.byteLength} bytes; pass a larger buffer (probe() tells the size first)`);
    }
    // A large message claimed by this receive was written into `dst` already.
    if (bytes.buffer !== dst.buffer || bytes.byteOffset !== dst.byteOffset) copyInto(dst, windows(bytes));
  }

  /** Where a receive into `dst` takes a binary message in place (see Posted.into). */
  private claimFor(dst: Bytes): (byteLength: number, enc: number) => Bytes | undefined {
    return (byteLength, enc) => (enc !== Encoding.VALUE && byteLength <= dst.byteLength ? prefix(dst, byteLength) : undefined);
  }

  /** Buffer-mode sendrecv: send `sendbuf`, receive into `recvbuf`. */
  async Sendrecv(sendbuf: BufferArg, dest: number, sendtag: number, recvbuf: BufferArg, source: number = ANY_SOURCE, recvtag: number = ANY_TAG, status?: Status): Promise<Status> {
    const st = status ?? new Status();
    const r = this.Irecv(recvbuf, source, recvtag);
    const s = this.Isend(sendbuf, dest, sendtag);
    await Promise.all([r.wait(st), s.wait()]);
    return st;
  }

  /** End the whole job with `code` (mpi4py's `Comm.Abort`). Does not return. */
  abort(code = 1): never { return this.hooks.abort(code); }
  Abort(code = 1): never { return this.abort(code); }
}
// The bundle turns this declaration into `var Comm = class _Comm`; the name users see stays Comm
// (test/packaging/export-names.test.ts).
Object.defineProperty(Comm, 'name', { value: 'Comm' });
