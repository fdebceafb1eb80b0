/** The progress bar: only on a terminal, only for maps that last, and off when asked. */
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressBar, type ProgressStream } from '@tsmpi/pool';
import { progressWanted } from '../dist/executor/progress.js';

function fakeTerminal(columns = 80): ProgressStream & { out: string } {
  return { isTTY: true, columns, out: '', write(s: string) { this.out += s; return true; } };
}
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('progress bar', () => {
  const saved = process.env.TSMPI_POOL_PROGRESS;
  afterEach(() => {
    if (saved === undefined) delete process.env.TSMPI_POOL_PROGRESS; else process.env.TSMPI_POOL_PROGRESS = saved;
  });

  it('is wanted on a terminal only, unless turned off', () => {
    delete process.env.TSMPI_POOL_PROGRESS;
    expect(progressWanted(undefined, fakeTerminal())).toBe(true);
    expect(progressWanted(true, { isTTY: false, write: () => true })).toBe(false);
    expect(progressWanted(false, fakeTerminal())).toBe(false);
    process.env.TSMPI_POOL_PROGRESS = '0';
    expect(progressWanted(true, fakeTerminal())).toBe(false);
  });

  it('draws after its delay, redraws, and ends its line at the total', async () => {
    const term = fakeTerminal(70);
    const bar = new ProgressBar(10, 'square', { stream: term, delayMs: 10, intervalMs: 5 });
    bar.add(3);
    await wait(40);
    expect(term.out).toMatch(/^\rsquare \|█+░+\|  30% 3\/10 \S+\/s eta \S+\x1b\[K/);
    bar.add(7);
    expect(term.out.endsWith('\n')).toBe(true);
    const last = term.out.trimEnd().split('\r').at(-1)!;
    expect(last).toMatch(/^square \|█+\| 100% 10\/10 \S+\/s eta 0s\x1b\[K$/);
    expect(last.replace('\x1b[K', '').length).toBeLessThan(70);
    const drawn = term.out.length;
    await wait(20);
    expect(term.out.length).toBe(drawn);
  });

  it('a map shorter than the delay draws nothing', async () => {
    const term = fakeTerminal();
    const bar = new ProgressBar(5, 'quick', { stream: term, delayMs: 30 });
    bar.add(5);
    await wait(50);
    expect(term.out).toBe('');
    const stopped = new ProgressBar(5, 'stopped', { stream: term, delayMs: 10 });
    stopped.stop();
    await wait(30);
    expect(term.out).toBe('');
  });

  it('fits narrow terminals', () => {
    const bar = new ProgressBar(1000, 'a-long-task-name', { stream: fakeTerminal(30), delayMs: 1e6 });
    bar.add(250);
    expect(bar.line(30).length).toBeLessThanOrEqual(29);
    expect(bar.line(200)).toMatch(/^a-long-task-name \|█{10}░{30}\|  25% 250\/1000/);
    bar.stop();
  });
});
