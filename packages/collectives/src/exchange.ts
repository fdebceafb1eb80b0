/**
 * The messages of one collective call. Every message goes through the
 * communicator's shadow channel with the call's tag, so calls in flight never
 * match each other. An Exchange can renumber the ranks (a tree rooted at
 * `root`, or the power-of-two core of a non-power-of-two group) without
 * touching the algorithm.
 *
 * Failures never hang the other ranks. A rank that fails (bad arguments, an
 * op that throws, a value that cannot be encoded) keeps running the
 * algorithm's schedule but sends a failure note instead of data; a rank that
 * receives a note does the same, so the error reaches every rank whose result
 * depends on the failed data, and each of them rejects. Errors that only
 * concern the local result (a receive buffer of the wrong size in Bcast) are
 * `defer`red: the rank forwards correct data and rejects at the end.
 */
import { Comm, ErrorCode, type Message, SENT, TsmpiError, tsmpiError } from '@tsmpi/runtime';
import { FAILURE_KEY } from './constants.js';
import type { ScratchPool } from './scratch.js';

/** A receive posted ahead of its round (Exchange.expect). */
export interface Expected {
  got: Promise<unknown>;
  /** Withdraw the receive if nothing matched it yet. */
  cancel(): void;
}

/** Where a large message's payload may be received in place (undefined: a buffer of the runtime's). */
export type Into = (byteLength: number, enc: number) => Uint8Array | undefined;

/** What travels in place of data after a failure. */
export interface FailureNote { [FAILURE_KEY]: true; code: ErrorCode; message: string }

export function isFailureNote(m: unknown): m is FailureNote {
  return typeof m === 'object' && m !== null && (m as Record<string, unknown>)[FAILURE_KEY] === true;
}

interface State {
  /** The error this rank rejects with at the end. */
  error: unknown;
  /** Set once this rank's outgoing data is poisoned. */
  note: FailureNote | undefined;
  /** Sends of the call not settled yet; `drained` runs when this drops to 0. */
  pending: number;
  drained: (() => void) | undefined;
  /** The communicator's scratch buffers, and those this call took (given back by `finish`). */
  pool: ScratchPool | undefined;
  taken: Uint8Array[] | undefined;
}

export class Exchange {
  private constructor(
    private readonly chan: Comm,
    readonly tag: number,
    /** The call's name, for messages. */
    readonly what: string,
    readonly rank: number,
    readonly size: number,
    /** Rank of `chan` of this exchange's rank v; undefined when they are the same. */
    private readonly real: ((rank: number) => number) | undefined,
    private readonly state: State,
  ) {}

  static open(chan: Comm, tag: number, what: string, pool?: ScratchPool): Exchange {
    return new Exchange(chan, tag, what, chan.rank, chan.size, undefined, { error: undefined, note: undefined, pending: 0, drained: undefined, pool, taken: undefined });
  }

  /** The same call with ranks renumbered: this rank is `rank` of `size`, and rank v is `toOuter(v)` here. */
  renumber(rank: number, size: number, toOuter: (v: number) => number): Exchange {
    const real = this.real;
    return new Exchange(this.chan, this.tag, this.what, rank, size, real ? (v) => real(toOuter(v)) : toOuter, this.state);
  }

  /** Rank v of this exchange as a rank of `chan`. */
  private outer(v: number): number {
    return this.real ? this.real(v) : v;
  }

  /** Ranks relative to `root`: the root is rank 0. */
  rooted(root: number): Exchange {
    if (root === 0) return this;
    const p = this.size;
    return this.renumber((this.rank - root + p) % p, p, (v) => (v + root) % p);
  }

  /** True once this rank sends failure notes instead of data. */
  get failed(): boolean { return this.state.note !== undefined; }

  /** Fail this rank and poison everything it sends from now on. */
  fail(err: unknown): void {
    if (this.state.error === undefined) this.state.error = err;
    this.passOn(err);
  }

  /**
   * Poison everything this rank sends from now on, but let its own call
   * succeed: for data that only passes through this rank on its way to the
   * ranks that need it (a gather's inner ranks), which fail on the note.
   * `err` may be a note received from another rank: it is passed on as it is.
   */
  passOn(err: unknown): void {
    this.state.note ??= isFailureNote(err) ? err : {
      [FAILURE_KEY]: true,
      code: TsmpiError.is(err) ? err.code : ErrorCode.INTERNAL,
      message: `rank ${this.chan.rank}: ${err instanceof Error ? err.message : String(err)}`,
    };
  }

  /** Reject at the end with `err`, but keep sending correct data. */
  defer(err: unknown): void {
    if (this.state.error === undefined) this.state.error = err;
  }

  /** Run `fn`; on a throw, fail (poison) and return undefined. */
  attempt<T>(fn: () => T): T | undefined {
    try { return fn(); } catch (err) { this.fail(err); return undefined; }
  }

  /** Run `fn`; on a throw, defer the error and return undefined. */
  attemptLocal<T>(fn: () => T): T | undefined {
    try { return fn(); } catch (err) { this.defer(err); return undefined; }
  }

  /** What to send: the payload, or the failure note once failed. */
  out(payload: unknown): unknown { return this.state.note ?? payload; }

  /** What a received message means: its data, or undefined for a note (adopted) or when failed. */
  in(msg: unknown): unknown {
    if (isFailureNote(msg)) {
      if (!this.state.note) {
        this.state.note = msg;
        if (this.state.error === undefined) {
          this.state.error = tsmpiError(msg.code, `${this.what} could not complete: ${msg.message}`);
        }
      }
      return undefined;
    }
    return this.failed ? undefined : msg;
  }

  /**
   * One round of a synchronisation (the barrier): a signal, an empty message,
   * to rank `dest`, and the message of rank `src`, raw. Signals skip the value
   * path on both sides (nothing to encode, decode or check: per message about
   * a fifth of a barrier's CPU); pass what arrives to `signalled`. A failed rank
   * sends its note instead, as `send` would.
   */
  signal(dest: number, src: number): Promise<Message> {
    const got = this.chan.signalFrom(this.outer(src), this.tag);
    if (this.state.note) this.sendRaw(dest, this.state.note);
    else this.track(this.chan.signalNow(this.outer(dest), this.tag));
    return got;
  }

  /** What `signal` received, taken as `recv` takes a message: anything but a signal is decoded (a note is adopted). */
  signalled(m: Message): void {
    if (Comm.isSignal(m)) return;
    try {
      this.in(this.chan.valueOfRaw(m));
    } catch (err) {
      this.fail(err);
    }
  }

  /** Send `payload` (or the note) to rank `dest`. The promise never rejects. */
  send(dest: number, payload: unknown): Promise<void> {
    return this.sendRaw(dest, this.out(payload));
  }

  /** Send a message that embeds `out()` itself (a header plus payload). */
  sendRaw(dest: number, msg: unknown): Promise<void> {
    const to = this.outer(dest);
    let sent: Promise<void>;
    try {
      sent = this.chan.sendNow(msg, to, this.tag);
    } catch (err) {
      // The value could not be encoded: tell the receiver instead.
      this.fail(err);
      sent = this.chan.sendNow(this.state.note, to, this.tag);
    }
    return this.track(sent);
  }

  /** Count a send until it settles (`finish` waits for it); a failed one fails this rank. */
  private track(sent: Promise<void>): Promise<void> {
    // A small frame is taken over at once (SENT): nothing to wait for, no promise of the call's own.
    if (sent === SENT) return sent;
    const st = this.state;
    st.pending++;
    const settle = () => { if (--st.pending === 0 && st.drained) { const f = st.drained; st.drained = undefined; f(); } };
    return sent.then(settle, (err: unknown) => { this.fail(err); settle(); });
  }

  /**
   * Receive from rank `src`: data, or undefined after a failure. With `into`,
   * a large message may be received straight into the memory it names.
   */
  recv(src: number, into?: Into): Promise<unknown> {
    return this.receive(src, true, into);
  }

  /** Receive the raw message (a note is not adopted); undefined if the receive itself failed. */
  recvRaw(src: number, into?: Into): Promise<unknown> {
    return this.receive(src, false, into);
  }

  private receive(src: number, adopt: boolean, into: Into | undefined): Promise<unknown> {
    return this.post(src, adopt, into).got;
  }

  private post(src: number, adopt: boolean, into: Into | undefined): Expected {
    let cancel = () => false;
    const got = new Promise<unknown>((resolve) => {
      const failed = (err: unknown) => { this.fail(err); resolve(undefined); };
      try {
        cancel = this.chan.recvNow(this.outer(src), this.tag, (m) => resolve(adopt ? this.in(m) : m), failed, into);
      } catch (err) {
        failed(err);
      }
    });
    return { got, cancel };
  }

  /**
   * Post a receive from `src` now, ahead of the round that needs it (`recv`
   * form: a note is adopted): a large message can then be received in place
   * (`into`) even if it arrives before that round starts. A receive that the
   * schedule may end up not needing must be withdrawn with `cancel`.
   */
  expect(src: number, into?: Into): Expected {
    return this.post(src, true, into);
  }

  /** `expect` for messages that embed `out()` themselves (a note is not adopted). */
  expectRaw(src: number, into?: Into): Expected {
    return this.post(src, false, into);
  }

  /** Send to `dest` and receive from `src` at once; resolves when both are done. */
  sendrecv(dest: number, payload: unknown, src: number = dest, into?: Into): Promise<unknown> {
    const sent = this.send(dest, payload);
    return this.afterSend(sent, this.recv(src, into));
  }

  /** Raw form of sendrecv (messages that embed `out()` themselves). */
  sendrecvRaw(dest: number, msg: unknown, src: number = dest, into?: Into): Promise<unknown> {
    const sent = this.sendRaw(dest, msg);
    return this.afterSend(sent, this.recvRaw(src, into));
  }

  /**
   * An `Into` that receives any large message into a scratch buffer of this
   * call (reused across calls; see scratch.ts). Only for messages whose data
   * the algorithm reduces or copies into the program's arrays, never returns.
   */
  readonly intoScratch: Into = (n) => this.scratch(n);

  /**
   * A scratch buffer of `n` bytes for this call, given back to the pool by
   * `finish` (same rules as `intoScratch`); with `simd`, an arena the SIMD
   * kernels work in where there is one (ops/simd.ts). Undefined without a pool.
   */
  scratch(n: number, simd = false): Uint8Array | undefined {
    const st = this.state;
    if (!st.pool) return undefined;
    const b = st.pool.take(n, simd);
    (st.taken ??= []).push(b);
    return b;
  }

  /**
   * `received`'s message once `sent` has settled too. A send taken over at once (SENT, every
   * small message) adds no promise hop: the receive's own promise is returned.
   */
  afterSend(sent: Promise<void>, received: Promise<unknown>): Promise<unknown> {
    if (sent === SENT) return received;
    return received.then((m) => (this.state.pending === 0 ? m : sent.then(() => m)));
  }

  /**
   * Once every send of the call has settled: `result`, or a throw of the call's error. Returns
   * `result` itself (no promise) when nothing is pending, the usual case: the async calls that
   * `return ex.finish(...)` then resolve without the extra ticks of adopting a promise.
   */
  finish<T>(result: T): T | Promise<T> {
    const st = this.state;
    if (st.pending > 0) return new Promise<void>((resolve) => { st.drained = resolve; }).then(() => this.settled(result));
    return this.settled(result);
  }

  private settled<T>(result: T): T {
    const st = this.state;
    if (st.error !== undefined) throw st.error;
    // Every send has drained and every receive was delivered: the scratch buffers are free.
    // (After a failure they are dropped instead: a peer could still be writing into one.)
    if (st.taken) { for (const b of st.taken) st.pool!.give(b); st.taken = undefined; }
    return result;
  }
}

/** A malformed collective message: a peer is not running the same collective. */
export function protocolError(ex: Exchange, detail: string): TsmpiError {
  return tsmpiError(ErrorCode.PROTOCOL, `${ex.what}: ${detail}; every rank must call the same collectives in the same order`);
}
