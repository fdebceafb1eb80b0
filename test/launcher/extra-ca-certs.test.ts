// NODE_EXTRA_CA_CERTS costs every Node process its start-up parse of the certificates. tsmpiexec, run
// as the command users run, starts its own process without it (it makes no TLS connection), and so
// does each guardian; every rank program still gets it exactly as the user set it. A Node rank's own
// process starts with only the certificates Node does not bundle already, and still trusts them all.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
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

/** An HTTPS server whose certificate is signed by a CA of the tests' own (test/programs/tls, valid until 2126). */
const TLS = join(PROGRAMS, 'tls');
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer({ key: readFileSync(join(TLS, 'server-key.pem')), cert: readFileSync(join(TLS, 'server-cert.pem')) }, (_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server?.close());

interface HttpsLine { rank: number; trusted: boolean; status?: number; error?: string; startedWith: string | null; certs: string | null }

/** Each rank of a 2-rank job makes one HTTPS request to the server, with NODE_EXTRA_CA_CERTS as given ('': none). */
async function httpsJob(certs: string): Promise<HttpsLine[]> {
  const { marker, env } = marked();
  // A cache of this test's own, so that the certificate files it leaves are removed with it.
  const jobEnv: Record<string, string> = { ...env, TSMPI_TS_CACHE: join(dir, 'cache') };
  const res = await runJob(['-n', '2', join(PROGRAMS, 'launcher-ca-https.mjs'), String(port)], {
    env: { ...jobEnv, NODE_EXTRA_CA_CERTS: certs }, asCommand: true, timeoutMs: 30_000,
  });
  const out = lines(res, 2) as unknown as HttpsLine[];
  expect(await leftoversMarked(marker)).toEqual([]);
  return out;
}

/** A certificate file in the tests' directory. */
function certFile(name: string, ...pems: string[]): string {
  const f = join(dir, name);
  writeFileSync(f, pems.join('\n'));
  return f;
}

/** A marked job environment with NODE_EXTRA_CA_CERTS naming that file. */
function withCerts(): { marker: string; env: Record<string, string> } {
  const { marker, env } = marked();
  // A cache of this file's own (removed with it): tsmpiexec keeps the ranks' certificate files there.
  return { marker, env: { ...env, NODE_EXTRA_CA_CERTS: file, TSMPI_TS_CACHE: join(dir, 'cache') } };
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

  it('a rank trusts a CA of NODE_EXTRA_CA_CERTS that Node does not bundle, started with only that one', async () => {
    const ca = readFileSync(join(TLS, 'ca.pem'), 'utf8');
    // Two of Node's own roots around the test CA, with a comment line as in system bundles.
    const f = certFile('mixed.pem', rootCertificates[0]!, '# the tests\' CA', ca, rootCertificates[1]!);
    for (const l of await httpsJob(f)) {
      expect(l).toMatchObject({ trusted: true, status: 200, certs: f });
      // Its process started with a file of the one certificate Node lacks, not the user's file.
      expect(l.startedWith).not.toBe(f);
      const started = readFileSync(l.startedWith!, 'utf8');
      expect(started.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
      expect(started.replace(/\s+/g, '')).toContain(ca.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
    }
  });

  it('a rank whose NODE_EXTRA_CA_CERTS holds only certificates Node bundles starts without it, and its program sees it', async () => {
    const f = certFile('bundled.pem', rootCertificates[0]!, rootCertificates[1]!);
    for (const l of await httpsJob(f)) {
      // The test CA is not in the file: the server is not trusted, as with plain Node.
      expect(l).toMatchObject({ trusted: false, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', startedWith: null, certs: f });
    }
  });

  it('without NODE_EXTRA_CA_CERTS the test CA is not trusted (the control for the tests above)', async () => {
    for (const l of await httpsJob('')) expect(l).toMatchObject({ trusted: false, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', startedWith: '', certs: '' });
  });

  it('a file with anything but certificates is given to the rank as set, and its certificates are trusted', async () => {
    const ca = readFileSync(join(TLS, 'ca.pem'), 'utf8');
    // OpenSSL skips the key block; tsmpiexec does not second-guess such a file.
    const f = certFile('with-key.pem', rootCertificates[0]!, readFileSync(join(TLS, 'server-key.pem'), 'utf8'), ca);
    for (const l of await httpsJob(f)) expect(l).toMatchObject({ trusted: true, status: 200, startedWith: f, certs: f });
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
