/**
 * The local back end: worker threads of this process, no launcher. Each
 * thread runs local-worker.js with this program's loader flags (so it can
 * import TypeScript task modules when the program runs under tsx), outside any
 * tsmpiexec job (a tsmpi program it evaluates is a world of size 1).
 * Messages are single byte arrays, transferred, not copied.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { Env, ErrorCode, hold, tsmpiError } from '@tsmpi/runtime';
import { Kind, PoolEnv } from '../constants.js';
import { pack, type ToRoot, type ToWorker, unpack } from '../protocol.js';
import { mainScriptUrl } from '../task/main-script.js';
import type { WorkerLink } from './link.js';
import { LOCAL_WORKER } from '../worker-entries.js';


/** The number of threads: the option, else TSMPI_POOL_WORKERS, else the machine's parallelism. */
export function localWorkerCount(option: number | undefined): number {
  const env = process.env[PoolEnv.WORKERS];
  const n = option ?? (env !== undefined && env !== '' ? Number(env) : availableParallelism());
  if (!Number.isInteger(n) || n < 1) {
    throw tsmpiError(ErrorCode.ARG, `${option !== undefined ? 'maxWorkers' : PoolEnv.WORKERS}=${option ?? env}: the number of worker threads must be a whole number of at least 1`);
  }
  return n;
}

/** This process's Node flags minus tsmpiexec's rank watch (a thread is no rank). */
function threadExecArgv(): string[] {
  const out: string[] = [];
  const a = process.execArgv;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--import' && a[i + 1]?.includes('rank-watch')) { i++; continue; }
    if (a[i]!.startsWith('--import=') && a[i]!.includes('rank-watch')) continue;
    out.push(a[i]!);
  }
  return out;
}

/** The values of this process's `--import` flags. */
function preloads(): string[] {
  const a = process.execArgv;
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--import' && a[i + 1] !== undefined) out.push(a[++i]!);
    else if (a[i]!.startsWith('--import=')) out.push(a[i]!.slice('--import='.length));
  }
  return out;
}

/**
 * tsx's module API when this process runs under tsx (as tsmpiexec runs .ts
 * programs, and as `npx tsx` does). On Node 20 tsx's `--import` hook installs
 * itself on the main thread only, so a worker thread registers it through this
 * API to import TypeScript task modules.
 */
function tsxApi(): string | undefined {
  for (const p of preloads()) {
    if (/\/tsx\/dist\/loader\.mjs$/.test(p)) return new URL('./esm/api/index.mjs', p.startsWith('file:') ? p : pathToFileURL(p)).href;
    if (p === 'tsx' || p.startsWith('tsx/')) {
      try {
        const pkg = createRequire(join(process.cwd(), 'noop.js')).resolve('tsx/package.json');
        const api = join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs');
        if (existsSync(api)) return pathToFileURL(api).href;
      } catch { /* no tsx here: TypeScript task modules will not load, and say so */ }
    }
  }
  return undefined;
}

function threadEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.values(Env)) delete env[k];
  return env;
}

export class LocalLink implements WorkerLink {
  readonly workers: number[];
  readonly where = 'worker thread';
  onMessage: (worker: number, message: ToRoot) => void = () => {};
  onLost: (worker: number, reason: string) => void = () => {};
  private readonly threads = new Map<number, Worker>();
  private stopping = false;
  private release: (() => void) | undefined;
  private readonly tsx = tsxApi();

  constructor(n: number) {
    this.workers = Array.from({ length: n }, (_, i) => i + 1);
    // One port per pair of threads, for the communicator among the workers (getCommWorkers()).
    const ports: (MessagePort | undefined)[][] = this.workers.map(() => new Array(n).fill(undefined));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const { port1, port2 } = new MessageChannel();
        ports[i]![j] = port1;
        ports[j]![i] = port2;
      }
    }
    this.workers.forEach((id, i) => this.spawn(id, { rank: i, size: n, ports: ports[i]! }));
  }

  private spawn(id: number, mesh?: { rank: number; size: number; ports: (MessagePort | undefined)[] }): void {
    const transfer = (mesh?.ports.filter((p) => p !== undefined) ?? []) as MessagePort[];
    const t = new Worker(LOCAL_WORKER, {
      workerData: { id, main: mainScriptUrl(), tsx: this.tsx, mesh },
      transferList: transfer,
      execArgv: threadExecArgv(),
      env: threadEnv(),
    });
    let error: Error | undefined;
    t.on('message', (b: Uint8Array) => this.onMessage(id, unpack<ToRoot>(b)));
    t.on('error', (err) => { error = err; });
    t.on('exit', (code) => {
      if (this.threads.get(id) !== t) return;
      this.threads.delete(id);
      if (this.stopping) return;
      this.onLost(id, error ? `threw outside any task: ${error.stack ?? error.message}` : `exited with code ${code}`);
    });
    // After the listeners: adding a 'message' listener refs the worker's port again.
    t.unref();
    this.threads.set(id, t);
  }

  send(worker: number, message: ToWorker): void {
    const b = pack(message);
    this.threads.get(worker)?.postMessage(b, [b.buffer as ArrayBuffer]);
  }

  setBusy(busy: boolean): void {
    if (busy) this.release ??= hold();
    else { this.release?.(); this.release = undefined; }
  }

  replace(worker: number): void {
    this.spawn(worker);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exits = [...this.threads.values()].map((t) => new Promise<void>((r) => { t.once('exit', () => r()); }));
    for (const id of this.threads.keys()) this.send(id, [Kind.STOP]);
    const release = hold();
    try {
      await Promise.all(exits);
    } finally {
      release();
    }
  }
}
