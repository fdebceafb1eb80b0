/**
 * A one-line progress bar for long maps, on stderr, only when stderr is a
 * terminal (directly, or through tsmpiexec, which says so in TSMPI_STDERR_TTY): it appears once a map has run PROGRESS_DELAY_MS (a short map never
 * flickers one), redraws at most every PROGRESS_INTERVAL_MS, and leaves its
 * final state on its own line. Off with `{ progress: false }` or TSMPI_POOL_PROGRESS=0.
 */
import { Env } from '@tsmpi/runtime';
import { PROGRESS_DELAY_MS, PROGRESS_INTERVAL_MS, PoolEnv } from '../constants.js';

/** The part of a stream the bar uses (a tty.WriteStream in practice). */
export interface ProgressStream { isTTY?: boolean; columns?: number; write(s: string): unknown }

export interface ProgressOptions { stream?: ProgressStream; delayMs?: number; intervalMs?: number }

/** Whether a map started now should have a bar: asked (default yes), allowed by the environment, and on a terminal. */
export function progressWanted(option: boolean | undefined, stream: ProgressStream = process.stderr): boolean {
  if (option === false) return false;
  if (process.env[PoolEnv.PROGRESS] === '0') return false;
  // Under tsmpiexec stderr is a pipe; tsmpiexec says when it ends on a terminal.
  return stream.isTTY === true || (stream === process.stderr && process.env[Env.STDERR_TTY] !== undefined);
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function rate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(1)}M` : r >= 1e3 ? `${(r / 1e3).toFixed(1)}k` : r.toFixed(r < 10 ? 1 : 0);
}

export class ProgressBar {
  private done = 0;
  private readonly t0 = performance.now();
  private shown = false;
  private stopped = false;
  private readonly delay: NodeJS.Timeout;
  private interval: NodeJS.Timeout | undefined;
  private readonly stream: ProgressStream;

  constructor(private readonly total: number, private readonly label: string, o: ProgressOptions = {}) {
    this.stream = o.stream ?? process.stderr;
    this.delay = setTimeout(() => {
      this.shown = true;
      this.draw();
      this.interval = setInterval(() => this.draw(), o.intervalMs ?? PROGRESS_INTERVAL_MS);
      this.interval.unref();
    }, o.delayMs ?? PROGRESS_DELAY_MS);
    this.delay.unref();
  }

  /** `n` more items are done; the bar stops by itself at the total. */
  add(n: number): void {
    this.done += n;
    if (this.done >= this.total) this.stop();
  }

  /** Remove the timers; a bar that was shown is drawn one last time and ends its line. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.delay);
    if (this.interval) clearInterval(this.interval);
    if (this.shown) {
      this.draw();
      this.stream.write('\n');
    }
  }

  /** The line as it would be drawn now (for tests). */
  line(width = this.stream.columns || Number(process.env[Env.STDERR_TTY]) || 80): string {
    const secs = (performance.now() - this.t0) / 1000;
    const r = this.done / Math.max(secs, 1e-9);
    const pct = this.total === 0 ? 100 : Math.floor((100 * this.done) / this.total);
    const tail = ` ${String(pct).padStart(3)}% ${this.done}/${this.total} ${rate(r)}/s eta ${this.done >= this.total ? '0s' : duration((this.total - this.done) / r)}`;
    const head = `${this.label} `;
    const barWidth = Math.max(0, Math.min(40, width - 1 - head.length - tail.length - 2));
    const fill = this.total === 0 ? barWidth : Math.floor((barWidth * this.done) / this.total);
    const bar = barWidth > 0 ? `|${'█'.repeat(fill)}${'░'.repeat(barWidth - fill)}|` : '';
    return `${head}${bar}${tail}`.slice(0, Math.max(1, width - 1));
  }

  private draw(): void {
    this.stream.write(`\r${this.line()}\x1b[K`);
  }
}
