/**
 * The engine of one rank: sends frames through the transport (or straight to
 * itself), sorts arrivals into per-context matchers, and keeps the logical
 * clock that measures rounds on the critical path.
 */
import { CLAIM_MIN_BYTES, FrameKind, PEER_FAILURE_GRACE_MS } from '../constants.js';
import { type Bytes, concatBytes } from '../codec/bytes.js';
import { ErrorCode, TsmpiError, tsmpiError } from '../errors.js';
import { typedArrayByCode } from '../codec/typed-arrays.js';
import { type Claim, SENT, type Transport } from '../transport/transport.js';
import type { FrameHeader } from '../wire/header.js';
import { hold, keep, letGo } from './keep-alive.js';
import { Matcher, type Posted, type Probe } from './matcher.js';
import type { PollWait } from './poll-wait.js';
import type { Message } from './message.js';
import type { WaitReport } from '../launch/control-messages.js';

/** What Matcher.claim returns: the claimed receive, and where its payload goes. */
type Claimed = Claim & { posted: Posted };

export class Engine {
  /** Logical clock: 1 + the deepest message this rank's sends depend on. */
  clock = 0;
  /** Next free context id (kept in step on all ranks by communicator creation). */
  nextContext: number;
  private readonly matchers = new Map<number, Matcher>();
  /** Sends handed to the transport and not yet settled; flush() waits for 0. */
  private sending = 0;
  private flushed: (() => void)[] = [];
  private fatal: Error | undefined;
  transport: Transport | undefined;
  /** Set when this rank polls while it waits (see poll-wait.ts). */
  poll: PollWait | undefined;

  constructor(readonly rank: number, readonly size: number, firstFreeContext: number) {
    this.nextContext = firstFreeContext;
  }

  matcher(ctx: number): Matcher {
    let m = this.matchers.get(ctx);
    if (!m) { m = new Matcher(); this.matchers.set(ctx, m); }
    return m;
  }

  /**
   * Called by the transport when a large frame's header has arrived: if the
   * receive it matches takes its bytes in place, that receive is matched now
   * and the payload is written into its buffer (no second copy of it in memory).
   */
  claim(header: FrameHeader, byteLength: number): Claim | undefined {
    if (header.kind !== FrameKind.MSG || byteLength < CLAIM_MIN_BYTES) return undefined;
    return this.matchers.get(header.ctx)?.claim(header.src, header.tag, byteLength, header.enc);
  }

  /** Called by the transport for every arriving frame (with its claim, if one was made). */
  onFrame(header: FrameHeader, payload: Bytes, claim?: Claim): void {
    if (header.kind !== FrameKind.MSG) return;
    if (header.src < 0 || header.src >= this.size) {
      this.onFatal(tsmpiError(ErrorCode.PROTOCOL, `frame from rank ${header.src}, outside the job of ${this.size}`));
      return;
    }
    // A typed array is a whole number of elements (else a receiver would get a silently shortened array).
    const element = typedArrayByCode[header.enc]?.BYTES_PER_ELEMENT ?? 1;
    if (payload.byteLength % element !== 0) {
      this.onFatal(tsmpiError(ErrorCode.PROTOCOL, `rank ${header.src} sent a payload of ${payload.byteLength} bytes as ${element}-byte elements (encoding ${header.enc}): it is not a compatible tsmpi rank`));
      return;
    }
    const m: Message = { src: header.src, tag: header.tag, enc: header.enc, payload, depth: header.depth };
    if (claim) (claim as Claimed).posted.deliver(m); else this.matcher(header.ctx).arrive(m);
  }

  /**
   * A broken peer leaves the job in an unknown state: by default report and end
   * this rank, so the launcher ends the job instead of letting it hang.
   */
  fatalHandler: (err: Error) => void = (err) => {
    const code = TsmpiError.is(err) ? `${err.code}: ` : '';
    process.stderr.write(`tsmpi: rank ${this.rank}: ${code}${err.message}\n`);
    // A lost connection is most often the sign of a peer that failed: let tsmpiexec see that
    // failure first and end this rank (without the grace, this rank's exit 1 could reach
    // tsmpiexec before the failed rank's own code and become the job's).
    if (TsmpiError.is(err) && err.code === ErrorCode.RANK_FAILED) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PEER_FAILURE_GRACE_MS);
    }
    process.exit(1);
  };

  onFatal(err: Error): void {
    if (this.fatal) return;
    this.fatal = err;
    this.fatalHandler(err);
  }

  send(ctx: number, dest: number, tag: number, enc: number, parts: readonly Uint8Array[], byteLength: number): Promise<void> {
    const header: FrameHeader = { kind: FrameKind.MSG, ctx, src: this.rank, tag, enc, depth: this.clock + 1 };
    if (dest === this.rank) {
      const payload = concatBytes(parts, byteLength);
      // Deliver asynchronously, as a remote message would arrive.
      queueMicrotask(() => this.onFrame(header, payload));
      return SENT;
    }
    if (!this.transport) return Promise.reject(tsmpiError(ErrorCode.INTERNAL, 'no transport'));
    const p = this.transport.send(dest, header, parts, byteLength);
    // Taken over at once (a small frame): nothing to keep alive or wait for (transport.flush covers it).
    if (p === SENT) return p;
    const release = hold();
    this.sending++;
    const settled = () => {
      release();
      if (--this.sending === 0) for (const f of this.flushed.splice(0)) f();
    };
    p.then(settled, settled);
    return p;
  }

  /**
   * Post a receive. The delivery callback runs synchronously at match time.
   * `into` offers a buffer to receive a large binary message in place (Posted.into).
   * Returns the receive's cancel function (false once matched).
   */
  post(ctx: number, source: number, tag: number, deliver: (m: Message) => void, into?: Posted['into']): () => boolean {
    const r = this.receive(ctx, source, tag, deliver, into);
    if (!r) return () => false;
    return () => {
      if (!this.matcher(ctx).cancel(r)) return false;
      (r as Receive).release(); // receive() returns its own Receive
      return true;
    };
  }

  /**
   * Post a receive that is never cancelled (the blocking forms and the
   * collectives): no cancel function is made. Returns the queued receive,
   * or undefined when it matched at once.
   */
  receive(ctx: number, source: number, tag: number, deliver: (m: Message) => void, into?: Posted['into']): Posted | undefined {
    const r = new Receive(this, source, tag, deliver, into);
    if (this.matcher(ctx).match(r)) return undefined;
    // Queued: only now does it keep the process alive, take its time and begin a wait. A receive
    // whose message is already here (most of a barrier's: its peer ran first) pays none of that.
    r.queue(this.poll);
    return r;
  }

  peek(ctx: number, source: number, tag: number): Message | undefined {
    return this.matcher(ctx).peek(source, tag);
  }

  probe(ctx: number, source: number, tag: number): Promise<Message> {
    const release = hold();
    const poll = this.poll;
    poll?.begin();
    return new Promise((resolve) => {
      const p: Probe = { source, tag, since: performance.now(), found: (m) => { release(); poll?.end(); resolve(m); } };
      this.matcher(ctx).probe(p);
    });
  }

  /** Wait until every send so far has been handed to the operating system. */
  async flush(): Promise<void> {
    if (this.sending > 0) await new Promise<void>((r) => this.flushed.push(r));
    await this.transport?.flush();
  }

  /** Receives and probes still waiting, by context (for the timeout report). */
  waiting(): WaitReport {
    const now = performance.now();
    const ops: WaitReport['ops'] = [];
    for (const [ctx, m] of this.matchers) {
      for (const w of m.waiting()) {
        // Odd contexts carry collectives: the tag is the collective's sequence number.
        const op = ctx % 2 === 1 ? (w.kind === 'recv' ? 'collective (recv)' : 'collective (probe)') : w.kind;
        ops.push({ op, comm: ctx - (ctx % 2), peer: w.source, tag: ctx % 2 === 1 ? -1 : w.tag, sinceMs: Math.round(now - w.since) });
      }
    }
    return { ops };
  }
}

/**
 * A posted receive: one object per receive (no closures), which keeps the
 * process alive until it matches and advances the logical clock when it does.
 */
class Receive implements Posted {
  /** When it was queued, for the wait report. */
  since = 0;
  /** Queued (not matched when posted): it holds the process alive until it matches. */
  private queued = false;
  /** Queued while this rank polls: its match ends a polling wait. */
  private polled = false;

  constructor(
    private readonly engine: Engine,
    readonly source: number,
    readonly tag: number,
    private readonly then: (m: Message) => void,
    readonly into: Posted['into'],
  ) {}

  /** The receive waits for its message: keep the process alive, and poll if this rank does. */
  queue(poll: PollWait | undefined): void {
    keep();
    this.queued = true;
    this.since = performance.now();
    if (poll) { this.polled = true; poll.begin(); }
  }

  /** A queued receive that matched or was cancelled: the process need not stay alive for it, nor poll. */
  release(): void {
    if (!this.queued) return;
    letGo();
    if (this.polled) this.engine.poll!.end();
  }

  deliver(m: Message): void {
    this.release();
    if (m.depth > this.engine.clock) this.engine.clock = m.depth;
    this.then(m);
  }
}
