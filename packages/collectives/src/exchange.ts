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
import { type Comm, ErrorCode, TsmpiError, tsmpiError } from '@tsmpi/runtime';
import { FAILURE_KEY } from './constants.js';

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
  sends: Promise<void>[];
}

export class Exchange {
  private constructor(
    private readonly chan: Comm,
    readonly tag: number,
    /** The call's name, for messages. */
    readonly what: string,
    readonly rank: number,
    readonly size: number,
    private readonly real: (rank: number) => number,
    private readonly state: State,
  ) {}

  static open(chan: Comm, tag: number, what: string): Exchange {
    return new Exchange(chan, tag, what, chan.rank, chan.size, (r) => r, { error: undefined, note: undefined, sends: [] });
  }

  /** The same call with ranks renumbered: this rank is `rank` of `size`, and rank v is `toOuter(v)` here. */
  renumber(rank: number, size: number, toOuter: (v: number) => number): Exchange {
    const real = this.real;
    return new Exchange(this.chan, this.tag, this.what, rank, size, (v) => real(toOuter(v)), this.state);
  }

  /** Ranks relative to `root`: the root is rank 0. */
  rooted(root: number): Exchange {
    const p = this.size;
    return this.renumber((this.rank - root + p) % p, p, (v) => (v + root) % p);
  }

  /** True once this rank sends failure notes instead of data. */
  get failed(): boolean { return this.state.note !== undefined; }

  /** Fail this rank and poison everything it sends from now on. */
  fail(err: unknown): void {
    if (this.state.error === undefined) this.state.error = err;
    this.state.note ??= {
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

  /** Send `payload` (or the note) to rank `dest`. The promise never rejects. */
  send(dest: number, payload: unknown): Promise<void> {
    return this.sendRaw(dest, this.out(payload));
  }

  /** Send a message that embeds `out()` itself (a header plus payload). */
  sendRaw(dest: number, msg: unknown): Promise<void> {
    const to = this.real(dest);
    let sent: Promise<unknown>;
    try {
      sent = this.chan.isend(msg, to, this.tag).wait();
    } catch (err) {
      // The value could not be encoded: tell the receiver instead.
      this.fail(err);
      sent = this.chan.isend(this.state.note, to, this.tag).wait();
    }
    const p = sent.then(() => undefined, (err: unknown) => this.fail(err));
    this.state.sends.push(p);
    return p;
  }

  /** Receive from rank `src`: data, or undefined after a failure. */
  async recv(src: number): Promise<unknown> {
    return this.in(await this.recvRaw(src));
  }

  /** Receive the raw message (a note is not adopted); undefined if the receive itself failed. */
  async recvRaw(src: number): Promise<unknown> {
    try {
      return await this.chan.recv(this.real(src), this.tag);
    } catch (err) {
      this.fail(err);
      return undefined;
    }
  }

  /** Send to `dest` and receive from `src` at once; resolves when both are done. */
  async sendrecv(dest: number, payload: unknown, src: number = dest): Promise<unknown> {
    const s = this.send(dest, payload);
    const m = await this.recv(src);
    await s;
    return m;
  }

  /** Raw form of sendrecv (messages that embed `out()` themselves). */
  async sendrecvRaw(dest: number, msg: unknown, src: number = dest): Promise<unknown> {
    const s = this.sendRaw(dest, msg);
    const m = await this.recvRaw(src);
    await s;
    return m;
  }

  /** Wait for every send of the call, then resolve with `result` or reject with the call's error. */
  async finish<T>(result: T): Promise<T> {
    await Promise.all(this.state.sends);
    if (this.state.error !== undefined) throw this.state.error;
    return result;
  }
}

/** A malformed collective message: a peer is not running the same collective. */
export function protocolError(ex: Exchange, detail: string): TsmpiError {
  return tsmpiError(ErrorCode.PROTOCOL, `${ex.what}: ${detail}; every rank must call the same collectives in the same order`);
}
