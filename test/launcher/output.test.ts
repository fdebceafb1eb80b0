// Output and input through tsmpiexec: every rank's stdout and stderr relayed in
// whole lines (never spliced, even when written in pieces by 4 ranks at once),
// --tag-output prefixes, stdin to rank 0 only (others read EOF at once, while
// tsmpiexec's stdin is still open), and `| head -1` does not crash tsmpiexec.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, ROOT, runJob, TSMPIEXEC } from '../helpers/run-job.js';
import { launcherLines, leftoversMarked, marked, startJob } from './helpers.js';

const LINES = join(PROGRAMS, 'launcher-lines.ts');

/** Line i of rank r as launcher-lines.ts writes it. */
function expectedLine(r: number, i: number, length: number): string {
  const head = `r${r} i${i} `, tail = ` end${r}`;
  return head + String.fromCharCode(97 + (r % 26)).repeat(Math.max(0, length - head.length - tail.length)) + tail;
}

/** Every line is one rank's complete line, and each rank's lines all arrived, in order. */
function checkWholeLines(text: string, np: number, count: number, length: number, tagged: boolean): void {
  expect(text.endsWith('\n')).toBe(true);
  const perRank: string[][] = Array.from({ length: np }, () => []);
  const bad: string[] = [];   // collected, then checked once (16,000 expect() calls would be slow)
  for (const line of text.slice(0, -1).split('\n')) {
    const m = /^(?:\[(\d+)\] )?r(\d+) i(\d+) /.exec(line);
    const r = Number(m?.[2]);
    const body = m && tagged ? line.slice(`[${r}] `.length) : line;
    const tagOk = m && (tagged ? m[1] === String(r) : m[1] === undefined);
    if (!m || !tagOk || r >= np || body !== expectedLine(r, Number(m[3]), length)) bad.push(line.slice(0, 100));
    else perRank[r]!.push(body);
  }
  expect(bad, 'spliced, cut or wrongly tagged lines').toEqual([]);
  perRank.forEach((lines, r) => expect(lines).toEqual(Array.from({ length: count }, (_, i) => expectedLine(r, i, length))));
}

describe('tsmpiexec relays output', () => {
  it('in whole lines: 4 ranks × 2000 long lines written in pieces, on stdout and stderr', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '4', LINES, '2000', '300'], { env, timeoutMs: 40_000 });
    expect(res.code, res.stderr.slice(-2000)).toBe(0);
    checkWholeLines(res.stdout, 4, 2000, 300, false);
    checkWholeLines(res.stderr, 4, 2000, 300, false);
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('with --tag-output, each line prefixed "[rank] "', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '4', '--tag-output', LINES, '500', '120'], { env, timeoutMs: 40_000 });
    expect(res.code, res.stderr.slice(-2000)).toBe(0);
    checkWholeLines(res.stdout, 4, 500, 120, true);
    checkWholeLines(res.stderr, 4, 500, 120, true);
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('with -l (the short form), also for a non-Node program, and ends an unterminated last line', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '2', '-l', 'sh', '-c', 'echo "out $TSMPI_RANK"; echo "err $TSMPI_RANK" >&2; printf "tail $TSMPI_RANK"'], { env, timeoutMs: 20_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('\n').filter(Boolean).sort()).toEqual(['[0] out 0', '[0] tail 0', '[1] out 1', '[1] tail 1']);
    expect(res.stderr.split('\n').filter(Boolean).sort()).toEqual(['[0] err 0', '[1] err 1']);
    expect(await leftoversMarked(marker)).toEqual([]);
  });
});

describe('tsmpiexec gives stdin to rank 0 only', () => {
  it('rank 0 reads what is piped in; the other ranks read EOF at once, before the input ends', async () => {
    const { marker, env } = marked();
    const job = startJob(['-n', '3', join(PROGRAMS, 'launcher-stdin.ts')], { env, timeoutMs: 30_000 });
    // Ranks 1 and 2 finish reading while tsmpiexec's stdin is still open: they never waited for it.
    await job.waitFor(/"rank":1,"bytes":0/);
    await job.waitFor(/"rank":2,"bytes":0/);
    expect(job.stdout()).not.toMatch(/"rank":0/);
    job.stdin.write('first line\n');
    job.stdin.end('second line, ünïcode ✓\n');
    const res = await job.done;
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('rank 0 read: '))).toEqual(['rank 0 read: first line', 'rank 0 read: second line, ünïcode ✓']);
    const reports = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { rank: number; bytes: number; eofMs: number });
    expect(reports.sort((a, b) => a.rank - b.rank).map((r) => [r.rank, r.bytes])).toEqual([[0, Buffer.byteLength('first line\nsecond line, ünïcode ✓\n')], [1, 0], [2, 0]]);
    for (const r of reports.slice(1)) expect(r.eofMs).toBeLessThan(1000);
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('the same for a non-Node program (through the guardian)', async () => {
    const { marker, env } = marked();
    const job = startJob(['-n', '2', 'sh', '-c', 'cat; echo "eof $TSMPI_RANK"'], { env, timeoutMs: 20_000 });
    await job.waitFor(/eof 1/);
    expect(job.stdout()).toBe('eof 1\n');
    job.stdin.end('to rank 0\n');
    const res = await job.done;
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('eof 1\nto rank 0\neof 0\n');
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('a job whose stdin is /dev/null or closed runs normally', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '2', 'sh', '-c', 'cat; echo "done $TSMPI_RANK"'], { env, timeoutMs: 20_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('\n').filter(Boolean).sort()).toEqual(['done 0', 'done 1']);
    expect(await leftoversMarked(marker)).toEqual([]);
  });
});

describe('tsmpiexec ... | head -1', () => {
  /** `sh -c '{ tsmpiexec ...; echo "tsmpiexec exit $?" >&2; } | head -1'`: what head printed, what the launcher said and its exit status. */
  function throughHead(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const script = `{ '${process.execPath}' '${TSMPIEXEC}' ${quoted}; echo "tsmpiexec exit $?" >&2; } | head -1`;
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`did not finish: ${script}\n${stderr}`)); }, 40_000);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    });
  }

  it('does not crash tsmpiexec: the ranks finish, exit status 0, no EPIPE error', async () => {
    const { marker, env } = marked();
    const res = await throughHead(['-n', '4', LINES, '2000', '300'], env);
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')).toHaveLength(2);
    expect(res.stdout).toMatch(/^r\d i0 [a-d]+ end\d\n$/);
    expect(res.stderr).toMatch(/^tsmpiexec exit 0$/m);
    expect(res.stderr).not.toMatch(/EPIPE|Error|internal error/);
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('and the exit status stays honest when a rank fails', async () => {
    const { marker, env } = marked();
    const res = await throughHead(['-n', '2', 'sh', '-c', 'yes "line $TSMPI_RANK" | head -n 20000; exit 3'], env);
    expect(res.stdout).toMatch(/^line [01]\n$/);
    expect(res.stderr).toMatch(/^tsmpiexec exit 3$/m);
    expect(launcherLines(res.stderr).some((l) => / exited with code 3$/.test(l))).toBe(true);
    expect(res.stderr).not.toMatch(/EPIPE|internal error/);
    expect(await leftoversMarked(marker)).toEqual([]);
  });
});
