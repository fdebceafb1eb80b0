/**
 * A non-blocking operation in progress (mpi4py's `Request`). Completion is
 * recorded synchronously when the engine matches the message, so `test()`
 * sees it without awaiting.
 */
import { UNDEFINED } from '../constants.js';
import { Status } from './status.js';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class Request<T = unknown> {
  private settled: Settled<T> | undefined;
  private readonly status = new Status();
  private waiters: (() => void)[] = [];
  private promise: Promise<T> | undefined;
  /**
   * Set once the completion was handed to the program (wait, test, or a helper):
   * as in MPI, the request is then inactive and the any/some helpers skip it.
   */
  private reported = false;
  /** @internal cancel hook set by the operation. */
  canceller: (() => boolean) | undefined;

  /** A request that is already complete. */
  static resolved<T>(value: T, status?: { source: number; tag: number; count: number }): Request<T> {
    const r = new Request<T>();
    r.complete(value, status);
    return r;
  }

  /** A request that completes when `p` settles (used for collectives and sends). */
  static from<T>(p: Promise<T>): Request<T> {
    const r = new Request<T>();
    p.then((v) => r.complete(v), (e) => r.fail(e));
    return r;
  }

  /** @internal */
  complete(value: T, status?: { source: number; tag: number; count: number }): void {
    if (this.settled) return;
    if (status) this.status.assign(status);
    this.settled = { ok: true, value };
    this.wake();
  }

  /** @internal */
  fail(error: unknown, status?: { source: number; tag: number; count: number }): void {
    if (this.settled) return;
    if (status) this.status.assign({ ...status, error: (error as { code?: string }).code });
    this.settled = { ok: false, error };
    this.wake();
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** True once the operation has completed (successfully or not). */
  get done(): boolean { return this.settled !== undefined; }

  /** Wait for completion; resolves with the received value (undefined for a send). */
  wait(status?: Status): Promise<T> {
    this.promise ??= new Promise<T>((resolve, reject) => {
      const finish = () => {
        const s = this.settled!;
        this.reported = true;
        if (s.ok) resolve(s.value); else reject(s.error);
      };
      if (this.settled) finish(); else this.waiters.push(finish);
    });
    if (!status) return this.promise;
    return this.promise.then((v) => { status.assign(this.status); return v; }, (e) => { status.assign(this.status); throw e; });
  }

  /** `[done, value]` now, without waiting. Throws the operation's error if it failed. */
  test(status?: Status): [boolean, T | undefined] {
    const s = this.settled;
    if (!s) return [false, undefined];
    if (status) status.assign(this.status);
    this.reported = true;
    if (!s.ok) throw s.error;
    return [true, s.value];
  }

  /** Cancel a receive that has not matched yet. Returns true if it was cancelled. */
  cancel(): boolean {
    if (this.settled || !this.canceller) return false;
    if (!this.canceller()) return false;
    this.status.assign({ source: -1, tag: -1, count: 0, cancelled: true });
    this.settled = { ok: true, value: undefined as T };
    this.wake();
    return true;
  }

  /** Resolve when every request has completed; a send's entry is undefined. */
  static waitall<T>(requests: readonly Request<T>[], statuses?: Status[]): Promise<T[]> {
    return Promise.all(requests.map((r, i) => r.wait(statuses?.[i])));
  }

  /** Completed, and not yet handed to the program. */
  private get fresh(): boolean { return this.settled !== undefined && !this.reported; }

  /**
   * `[index, value]` of the first request to complete; requests already
   * reported are skipped, and `[UNDEFINED, undefined]` means none is left.
   */
  static async waitany<T>(requests: readonly Request<T>[], status?: Status): Promise<[number, T | undefined]> {
    const now = requests.findIndex((r) => r.fresh);
    if (now >= 0) return [now, await requests[now]!.wait(status)];
    if (requests.every((r) => r.reported)) return [UNDEFINED, undefined];
    const index = await Request.firstToSettle(requests);
    return [index, await requests[index]!.wait(status)];
  }

  /** `[allDone, values]` now, without waiting (values undefined unless all done). */
  static testall<T>(requests: readonly Request<T>[]): [boolean, T[] | undefined] {
    if (!requests.every((r) => r.done)) return [false, undefined];
    return [true, requests.map((r) => r.test()[1] as T)];
  }

  /** `[index, done, value]` of a completed request now, or `[UNDEFINED, false, undefined]`. */
  static testany<T>(requests: readonly Request<T>[]): [number, boolean, T | undefined] {
    const i = requests.findIndex((r) => r.fresh);
    if (i < 0) return [UNDEFINED, false, undefined];
    return [i, true, requests[i]!.test()[1]];
  }

  /** Wait until at least one completes; `[indices, values]` of all completed by then. */
  static async waitsome<T>(requests: readonly Request<T>[]): Promise<[number[], T[]]> {
    if (!requests.some((r) => r.fresh) && !requests.every((r) => r.reported)) await Request.firstToSettle(requests);
    return Request.testsome(requests);
  }

  /** Index of the first of the pending requests to complete. */
  private static firstToSettle(requests: readonly Request<unknown>[]): Promise<number> {
    return new Promise<number>((resolve) => {
      let fired = false;
      requests.forEach((r, i) => { if (!r.done) r.waiters.push(() => { if (!fired) { fired = true; resolve(i); } }); });
    });
  }

  /** `[indices, values]` of the requests completed now. */
  static testsome<T>(requests: readonly Request<T>[]): [number[], T[]] {
    const idx: number[] = [], vals: T[] = [];
    requests.forEach((r, i) => { if (r.fresh) { idx.push(i); vals.push(r.test()[1] as T); } });
    return [idx, vals];
  }
}
// The bundle turns this declaration into `var Request = class _Request`; the name users see stays Request
// (test/packaging/export-names.test.ts).
Object.defineProperty(Request, 'name', { value: 'Request' });
