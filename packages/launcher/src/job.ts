/**
 * A running job: starts the ranks, answers their start-up requests (secret,
 * address table), holds the closing barrier, and decides the one exit code:
 * 0 when every rank exits 0, else the first failure's code (128+signal for a
 * signal death, the code given to abort()), after ending every other rank.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';
import { type Card, Env, type RankToAgent } from '@tsmpi/runtime';
import { ENDING_SIGNALS, ExitCode, FORWARDED_SIGNALS, KILL_GRACE_MS } from './constants.js';
import type { Command } from './program.js';
import { rankEnv } from './rank-env.js';
import { type RankExit, RankProcess } from './rank-process.js';

export interface JobOptions {
  np: number;
  command: Command;
  transport: 'auto' | 'tcp' | 'ws';
  tagOutput: boolean;
  timeout?: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Print diagnostics (why each failed rank failed) to this stream. */
  log(line: string): void;
}

interface RankState { proc: RankProcess; card?: Card; finalizing: boolean; exit?: RankExit; aborted?: boolean }

/** Signals this launcher sends to end a job: a rank that dies by one of them once the job is ending did not fail by itself. */
const ENDED_BY_LAUNCHER = new Set<NodeJS.Signals>(['SIGTERM', 'SIGKILL']);

const signalNumber = (s: NodeJS.Signals) => (osConstants.signals as Record<string, number>)[s] ?? 0;

export class Job {
  private ranks: RankState[] = [];
  private readonly secret = randomBytes(32).toString('hex');
  private readonly jobId = randomBytes(6).toString('hex');
  private socketDir: string | undefined;
  private tableSent = false;
  private result: number | undefined;
  private ending = false;
  private killTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private finished!: (code: number) => void;
  readonly done = new Promise<number>((r) => { this.finished = r; });
  private readonly signalHandlers: [NodeJS.Signals, () => void][] = [];

  constructor(private readonly o: JobOptions) {}

  start(): Promise<number> {
    const { np } = this.o;
    this.socketDir = mkdtempSync(join(tmpdir(), `tsmpi-${this.jobId}-`));
    const jobEnv: Record<string, string> = {
      [Env.JOB]: this.jobId,
      [Env.HOST_ID]: hostname(),
      [Env.TRANSPORT]: this.o.transport,
      [Env.BIND]: '127.0.0.1',
      [Env.SOCKET_DIR]: this.socketDir,
    };
    this.installSignals();
    for (let rank = 0; rank < np; rank++) {
      const env = { ...this.o.env, ...rankEnv({ rank, size: np, localRank: rank, localSize: np, nodeRank: 0 }, jobEnv) };
      const proc = new RankProcess({
        rank, command: this.o.command, env, cwd: this.o.cwd, stdin: rank === 0, tagOutput: this.o.tagOutput,
        stdout: this.o.stdout, stderr: this.o.stderr,
        onMessage: (r, m) => this.onMessage(r, m),
        onExit: (e) => this.onExit(e),
      });
      this.ranks.push({ proc, finalizing: false });
    }
    if (this.o.timeout && this.o.timeout > 0) {
      this.timeoutTimer = setTimeout(() => {
        this.o.log(`tsmpiexec: the job did not finish within --timeout ${this.o.timeout} s; ending it (exit ${ExitCode.TIMEOUT})`);
        this.fail(ExitCode.TIMEOUT);
      }, this.o.timeout * 1000);
    }
    return this.done;
  }

  private onMessage(rank: number, m: RankToAgent): void {
    const st = this.ranks[rank]!;
    switch (m.t) {
      case 'hello':
        st.proc.send({ t: 'secret', secret: this.secret });
        break;
      case 'card':
        st.card = m.card;
        this.maybeSendTable();
        break;
      case 'finalize':
        st.finalizing = true;
        this.maybeRelease();
        break;
      case 'abort':
        st.aborted = true;
        this.o.log(`tsmpiexec: rank ${rank} (pid ${st.proc.pid}) on ${hostname()} called abort(${m.code}); ending the job`);
        this.fail(m.code & 0xff, true);
        break;
      default:
        break;
    }
  }

  private maybeSendTable(): void {
    if (this.tableSent) return;
    const missing = this.ranks.filter((r) => !r.card);
    if (missing.length === 0) {
      this.tableSent = true;
      const cards = this.ranks.map((r) => r.card!);
      for (const r of this.ranks) r.proc.send({ t: 'table', cards });
      return;
    }
    // A rank that exited without ever calling init() cannot join: tell the waiting ones.
    const gone = missing.find((r) => r.exit);
    if (gone) {
      const message = `rank ${gone.exit!.rank} exited before calling init(); every rank of a job must call init()`;
      for (const r of this.ranks) if (r.card && !r.exit) r.proc.send({ t: 'table-failed', message });
    }
  }

  private maybeRelease(): void {
    if (!this.ranks.every((r) => r.finalizing || r.exit)) return;
    for (const r of this.ranks) if (r.finalizing && !r.exit) r.proc.send({ t: 'release' });
  }

  private onExit(e: RankExit): void {
    const st = this.ranks[e.rank]!;
    st.exit = e;
    const failure = this.failureOf(e);
    // One line per rank that failed by itself (not the ranks this launcher is ending, nor one that
    // already said abort); the first failure's code is the job's.
    if (failure && !st.aborted && !(this.ending && e.signal && ENDED_BY_LAUNCHER.has(e.signal))) {
      this.o.log(failure.line);
      this.fail(failure.code);
    } else if (!failure && !this.ending) {
      this.maybeSendTable();
      this.maybeRelease();
    }
    if (this.ranks.every((r) => r.exit)) this.finish();
  }

  private failureOf(e: RankExit): { code: number; line: string } | undefined {
    const where = `rank ${e.rank} (pid ${e.pid}) on ${hostname()}`;
    if (e.spawnError) return { code: ExitCode.CANNOT_RUN, line: `tsmpiexec: rank ${e.rank} could not start ${this.o.command.program}: ${e.spawnError.message}` };
    if (e.signal) return { code: 128 + signalNumber(e.signal), line: `tsmpiexec: ${where} was killed by signal ${e.signal}` };
    if (e.code !== 0) return { code: e.code ?? ExitCode.FAILURE, line: `tsmpiexec: ${where} exited with code ${e.code}` };
    return undefined;
  }

  /** End the job with `code` (the first failure wins; an abort overrides an exit code it caused). */
  fail(code: number, fromAbort = false): void {
    if (this.result === undefined || (fromAbort && !this.ending)) this.result = code;
    if (this.ending) return;
    this.ending = true;
    const alive = this.ranks.filter((r) => !r.exit);
    if (alive.length) this.o.log(`tsmpiexec: ending ${alive.length} remaining rank${alive.length > 1 ? 's' : ''}`);
    for (const r of alive) { r.proc.kill('SIGCONT'); r.proc.kill('SIGTERM'); }
    this.killTimer = setTimeout(() => { for (const r of this.ranks) if (!r.exit) r.proc.kill('SIGKILL'); }, KILL_GRACE_MS);
    this.killTimer.unref();
    if (this.ranks.every((r) => r.exit)) this.finish();
  }

  private installSignals(): void {
    for (const s of ENDING_SIGNALS) {
      const h = () => {
        this.o.log(`tsmpiexec: received ${s}; ending the job`);
        this.fail(128 + signalNumber(s));
      };
      process.on(s, h);
      this.signalHandlers.push([s, h]);
    }
    for (const s of FORWARDED_SIGNALS) {
      const h = () => { for (const r of this.ranks) r.proc.kill(s); };
      process.on(s, h);
      this.signalHandlers.push([s, h]);
    }
  }

  private finish(): void {
    clearTimeout(this.killTimer);
    clearTimeout(this.timeoutTimer);
    for (const [s, h] of this.signalHandlers) process.off(s, h);
    if (this.socketDir) rmSync(this.socketDir, { recursive: true, force: true });
    this.finished(this.result ?? ExitCode.OK);
  }
}
