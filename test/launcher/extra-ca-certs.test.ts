// NODE_EXTRA_CA_CERTS costs every Node process its start-up parse of the certificates. tsmpiexec, run
// as the command users run, starts its own process without it (it makes no TLS connection), and so
// does each guardian; every rank program still gets it exactly as the user set it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rootCertificates } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMS, runJob, type JobResult } from '../helpers/run-job.js';
import { leftoversMarked, marked } from './helpers.js';

interface CaLine { rank: number; certs: string | null; stash: string | null; parent: string | null }

/** A real certificate file (Node warns about a missing one), outside the jobs' TMPDIRs (which must end empty). */
let file: string;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsmpi-ca-test-'));
  file = join(dir, 'extra-ca.pem');
  writeFileSync(file, rootCertificates[0]!);
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** A marked job environment with NODE_EXTRA_CA_CERTS naming that file. */
function withCerts(): { marker: string; env: Record<string, string> } {
  const { marker, env } = marked();
  return { marker, env: { ...env, NODE_EXTRA_CA_CERTS: file } };
}

function lines(res: JobResult, np: number): CaLine[] {
  expect(res.code, res.stderr).toBe(0);
  expect(res.stderr).toBe('');
  const out = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as CaLine).sort((a, b) => a.rank - b.rank);
  expect(out.map((l) => l.rank)).toEqual(Array.from({ length: np }, (_, i) => i));
  return out;
}

/** A shell rank (through the guardian): its NODE_EXTRA_CA_CERTS, the stash, and whether its parent (the guardian) started with it. */
const SHELL_RANK = 'printf \'{"rank":%s,"certs":"%s","stash":"%s","parent":"%s"}\\n\' "$TSMPI_RANK" "${NODE_EXTRA_CA_CERTS-null}" "${TSMPI_LAUNCHER_EXTRA_CA_CERTS-null}" "$(tr "\\0" "\\n" < /proc/$PPID/environ | sed -n "s/^NODE_EXTRA_CA_CERTS=//p")"';

describe('NODE_EXTRA_CA_CERTS', () => {
  it('run as a command, tsmpiexec starts without it; its Node ranks get it as set', async () => {
    const { marker, env } = withCerts();
    const res = await runJob(['-n', '3', join(PROGRAMS, 'launcher-ca-env.mjs')], { env, asCommand: true, timeoutMs: 30_000 });
    for (const l of lines(res, 3)) expect(l).toMatchObject({ certs: file, stash: null, parent: null });
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('run as a command, a guardian starts without it; its program gets it as set', async () => {
    const { marker, env } = withCerts();
    const res = await runJob(['-n', '2', 'sh', '-c', SHELL_RANK], { env, asCommand: true, timeoutMs: 30_000 });
    for (const l of lines(res, 2)) expect(l).toMatchObject({ certs: file, stash: 'null', parent: '' });
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('started as `node dist/bin.js`, tsmpiexec has it (it cannot be kept from that process), and so do the ranks', async () => {
    const { marker, env } = withCerts();
    const res = await runJob(['-n', '2', join(PROGRAMS, 'launcher-ca-env.mjs')], { env, timeoutMs: 30_000 });
    for (const l of lines(res, 2)) expect(l).toMatchObject({ certs: file, stash: null, parent: file });
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('unset stays unset, even with a stray stash variable in the environment', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '2', join(PROGRAMS, 'launcher-ca-env.mjs')], {
      env: { ...env, NODE_EXTRA_CA_CERTS: '', TSMPI_LAUNCHER_EXTRA_CA_CERTS: '/nonexistent/stray.pem' }, asCommand: true, timeoutMs: 30_000,
    });
    for (const l of lines(res, 2)) expect(l).toMatchObject({ certs: '', stash: null, parent: '' });
    expect(await leftoversMarked(marker)).toEqual([]);
  });
});
