/**
 * The root's scheduler. Tasks wait in one queue in submission order; a worker
 * is sent a batch whenever it runs low (dynamic load balancing: work goes to
 * whichever worker reports results, never by a fixed split). How many tasks a
 * worker may hold at once (its window) follows the measured run time of the
 * task's function: one for long tasks or unknown ones (mpi4py's one task per
 * worker), up to MAX_WINDOW for tiny ones, so that per-message costs are
 * shared by many tasks without leaving the end of a map stuck behind one busy
 * worker. Tasks that use getCommWorkers() always get a worker to themselves.
 */
import {
  MAX_BATCH, MAX_BATCH_BYTES, MAX_WINDOW, Kind, QUEUE_BUDGET_US, ResultFlag,
} from '../constants.js';
import { afterShutdown, describeTask, poolBroken, rethrown, workerDied, type WorkerLoss } from '../errors.js';
import type { WorkerLink } from '../backends/link.js';
import { eachRow, joinBlobs, pack, type RefEntry, RESULT_FIELDS, type ToRoot, unpack } from '../protocol.js';
import { resolveTask, type ResolvedTask } from '../task/resolve.js';
import type { TaskRef } from '../task/task-ref.js';
import { Future } from './future.js';

export interface DispatchOptions {
  /** Tasks a worker may hold beyond the one it runs; 'auto' follows measured run times. */
  prefetch: number | 'auto';
  /** After a worker death: 'abort' ends the program, 'continue' replaces the worker (when the back end can). */
  onWorkerExit: 'abort' | 'continue';
}

/** Per task function (and mode): its reference index and measured run time. */
interface TaskKind { idx: number; ref: TaskRef; meanUs: number | undefined; collective: boolean }

interface Pending {
  id: number;
  future: Future<unknown>;
  args: Uint8Array;
  mode: number;
  kind?: TaskKind;
  /** Set while the task reference is being looked up. */
  waiting?: Promise<unknown>;
  failed?: unknown;
  cancelled?: boolean;
  worker?: number;
}

export class Dispatcher {
  private queue: (Pending | undefined)[] = [];
  private head = 0;
  private readonly dispatched = new Map<number, Pending>();
  private readonly inflight = new Map<number, number>();
  private readonly sentRefs = new Map<number, Set<number>>();
  private readonly kinds = new Map<string, TaskKind>();
  /** The same, by reference object and mode (the common case: no string key to build per task). */
  private readonly kindsByRef = new Map<number, WeakMap<TaskRef, TaskKind>>();
  private refCount = 0;
  private nextId = 0;
  private outstanding = 0;
  private scheduled = false;
  private rr = 0;
  private closed = false;
  private broken: WorkerLoss | undefined;
  private idleWaiters: (() => void)[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly link: WorkerLink, private readonly o: DispatchOptions) {
    for (const w of link.workers) this.inflight.set(w, 0);
    link.onMessage = (w, m) => this.onResults(w, m);
    link.onLost = (w, reason) => this.onLost(w, reason);
  }

  get numWorkers(): number { return this.link.workers.length; }

  /** Queue `task` with encoded-to-be `args` (an argument list, or for CHUNK a list of them). */
  submit<T>(task: unknown, args: unknown, mode: number): Future<T> {
    if (this.closed) throw afterShutdown();
    if (this.broken) throw poolBroken(this.broken);
    const future = new Future<T>();
    const p: Pending = { id: this.nextId++, future: future as Future<unknown>, args: undefined as unknown as Uint8Array, mode };
    try {
      p.args = pack(args);
      const r = resolveTask(task);
      if (r instanceof Promise) {
        p.waiting = r.then((res) => { p.kind = this.kindOf(res, mode); }, (err) => { p.failed = err; })
          .finally(() => { p.waiting = undefined; this.schedule(); });
      } else {
        p.kind = this.kindOf(r, mode);
      }
    } catch (err) {
      future.reject(err);
      return future;
    }
    future.withdraw = () => {
      if (p.worker !== undefined || p.cancelled) return false;
      p.cancelled = true;
      this.settled();
      return true;
    };
    this.queue.push(p);
    this.outstanding++;
    if (this.outstanding === 1) this.link.setBusy(true);
    this.schedule();
    return future;
  }

  /** No more submissions; cancel what no worker has yet if asked; stop the workers once the rest is done. */
  shutdown(cancelFutures: boolean): Promise<void> {
    this.closed = true;
    if (cancelFutures) {
      for (let i = this.head; i < this.queue.length; i++) this.queue[i]?.future.cancel();
    }
    this.stopping ??= this.whenIdle().then(() => this.link.stop());
    return this.stopping;
  }

  private whenIdle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private kindOf(r: ResolvedTask, mode: number): TaskKind {
    let byRef = this.kindsByRef.get(mode);
    if (!byRef) { byRef = new WeakMap(); this.kindsByRef.set(mode, byRef); }
    const known = byRef.get(r.ref);
    if (known) return known;
    const key = `${mode}:${r.ref.module}#${r.ref.name}`;
    let k = this.kinds.get(key);
    if (!k) {
      k = { idx: this.refCount++, ref: r.ref, meanUs: undefined, collective: false };
      this.kinds.set(key, k);
    }
    byRef.set(r.ref, k);
    return k;
  }

  /** How many tasks of this kind a worker may hold at once. */
  private window(k: TaskKind): number {
    if (k.collective) return 1;
    if (this.o.prefetch !== 'auto') return this.o.prefetch + 1;
    if (k.meanUs === undefined) return 1;
    return Math.min(MAX_WINDOW, 1 + Math.floor(QUEUE_BUDGET_US / Math.max(k.meanUs, 1)));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => { this.scheduled = false; this.dispatch(); });
  }

  /** The next task to send, after dropping cancelled and failed ones; undefined if none is ready. */
  private peek(): Pending | undefined {
    while (this.head < this.queue.length) {
      const p = this.queue[this.head]!;
      if (p.cancelled) { this.queue[this.head++] = undefined; continue; }
      if (p.waiting) return undefined;
      if (p.failed !== undefined || !p.kind) {
        this.queue[this.head++] = undefined;
        p.future.reject(p.failed);
        this.settled();
        continue;
      }
      return p;
    }
    if (this.head > 0) { this.queue = []; this.head = 0; }
    return undefined;
  }

  private dispatch(): void {
    if (this.broken) return;
    const workers = this.link.workers;
    const n = workers.length;
    // Start from the next worker each time, so that a short queue does not always go to the same one.
    const start = this.rr;
    this.rr = (this.rr + 1) % n;
    for (let i = 0; i < n; i++) {
      const first = this.peek();
      if (!first) return;
      const w = workers[(start + i) % n]!;
      let held = this.inflight.get(w)!;
      const win = this.window(first.kind!);
      // Refill at the low-water mark only, so batches stay large.
      if (held >= win || (held > 0 && held > win >> 1)) continue;
      // A fair share of what is queued, so a short queue is spread over the workers.
      const share = Math.max(1, Math.ceil((this.queue.length - this.head) / n));
      const table: number[] = [];
      const blobs: Uint8Array[] = [];
      const refs: RefEntry[] = [];
      let sent = this.sentRefs.get(w);
      if (!sent) { sent = new Set(); this.sentRefs.set(w, sent); }
      let bytes = 0;
      for (;;) {
        const p = blobs.length === 0 ? first : this.peek();
        if (!p || blobs.length >= MAX_BATCH || blobs.length >= share || (blobs.length > 0 && bytes + p.args.byteLength > MAX_BATCH_BYTES)) break;
        const k = p.kind!;
        if (held >= this.window(k)) break;
        this.queue[this.head++] = undefined;
        p.future.setRunning();
        p.worker = w;
        this.dispatched.set(p.id, p);
        if (!sent.has(k.idx)) { sent.add(k.idx); refs.push([k.idx, k.ref.module, k.ref.name]); }
        table.push(p.id, k.idx, p.mode, p.args.byteLength);
        blobs.push(p.args);
        bytes += p.args.byteLength;
        held++;
      }
      if (blobs.length === 0) continue;
      this.inflight.set(w, held);
      this.link.send(w, [Kind.TASKS, refs, Float64Array.from(table), joinBlobs(blobs)]);
    }
  }

  private onResults(w: number, m: ToRoot): void {
    if (m[0] !== Kind.RESULTS) return;
    let held = this.inflight.get(w) ?? 0;
    const table = m[1];
    eachRow(table, RESULT_FIELDS, m[2], (row, blob) => {
      const id = table[row]!, ok = table[row + 1]!, us = table[row + 2]!, flags = table[row + 3]!;
      const p = this.dispatched.get(id);
      if (!p) return;
      this.dispatched.delete(id);
      held--;
      const k = p.kind!;
      k.meanUs = k.meanUs === undefined ? us : 0.8 * k.meanUs + 0.2 * us;
      if (flags & ResultFlag.COLLECTIVE) k.collective = true;
      let value: unknown;
      let good = ok === 1;
      try {
        value = unpack(blob);
      } catch (err) {
        value = err;
        good = false;
      }
      if (good) p.future.resolve(value);
      else p.future.reject(rethrown(value, w, k.ref));
      this.settled();
    });
    this.inflight.set(w, Math.max(0, held));
    this.dispatch();
  }

  /** One task fewer to wait for. */
  private settled(): void {
    if (--this.outstanding > 0) return;
    this.link.setBusy(false);
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  private onLost(w: number, reason: string): void {
    if (this.broken) return;
    const held = [...this.dispatched.values()].filter((p) => p.worker === w).sort((a, b) => a.id - b.id);
    const loss: WorkerLoss = { rank: w, reason, task: held[0]?.kind?.ref };
    const err = workerDied(loss, this.link.where);
    for (const p of held) {
      this.dispatched.delete(p.id);
      p.future.reject(err);
      this.settled();
    }
    this.inflight.set(w, 0);
    this.sentRefs.delete(w);
    if (this.o.onWorkerExit === 'continue' && this.link.replace) {
      this.link.replace(w);
      this.dispatch();
      return;
    }
    // By default a dead worker ends the job, as on ranks (where tsmpiexec ends it).
    this.broken = loss;
    const broken = poolBroken(loss);
    for (const p of [...this.dispatched.values()]) { this.dispatched.delete(p.id); p.future.reject(broken); this.settled(); }
    for (let i = this.head; i < this.queue.length; i++) {
      const p = this.queue[i];
      if (p && !p.cancelled) { p.future.reject(broken); this.settled(); }
    }
    this.queue = [];
    this.head = 0;
    const during = loss.task ? ` while running task ${describeTask(loss.task)}` : '';
    process.stderr.write(`tsmpi pool: worker ${w} (${this.link.where}) ${reason}${during}; ${held.length} future(s) it held failed. `
      + 'Ending the program (exit 1); start the executor with { onWorkerExit: "continue" } to replace the worker instead (local back end)\n');
    process.exitCode = 1;
    // Let the program's handlers see the failed futures first.
    setImmediate(() => process.exit(1));
  }
}
