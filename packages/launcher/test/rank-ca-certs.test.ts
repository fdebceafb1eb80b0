// The NODE_EXTRA_CA_CERTS a Node rank starts with: the user's certificates minus those Node bundles,
// from a per-user cache, or the variable as set whenever the file is not read exactly.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'tsmpi-rank-ca-'));
const cacheDir = join(dir, 'cache');
let mod: typeof import('../src/rank-ca-certs.js');
beforeAll(async () => {
  // The cache directory is read once per process: this file's own, before the module's first use.
  process.env.TSMPI_TS_CACHE = cacheDir;
  mod = await import('../src/rank-ca-certs.js');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CA = readFileSync(join(import.meta.dirname, '../../../test/programs/tls/ca.pem'), 'utf8');
const [R0, R1] = [rootCertificates[0]!, rootCertificates[1]!];
const body = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
let n = 0;
function file(...parts: string[]): string {
  const f = join(dir, `certs-${n++}.pem`);
  writeFileSync(f, parts.join('\n'));
  return f;
}

describe('pemCertificates', () => {
  it('reads certificate blocks in order, skipping text between them, with CRLF or LF lines', () => {
    const text = `# a comment\n${R0}\nsome words\r\n${CA.replace(/\n/g, '\r\n')}`;
    expect(mod.pemCertificates(text)!.map((c) => c.body)).toEqual([body(R0), body(CA)]);
  });

  it('gives up on anything OpenSSL might read differently', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
    expect(mod.pemCertificates(R0 + key)).toBeUndefined();
    expect(mod.pemCertificates(`  ${R0}`)).toBeUndefined(); // an indented marker
    expect(mod.pemCertificates(R0.replace('\n', '\nProc-Type: 4,ENCRYPTED\n'))).toBeUndefined(); // a header
    expect(mod.pemCertificates(R0.replace(/-----END CERTIFICATE-----\n?$/, ''))).toBeUndefined(); // unterminated
    expect(mod.pemCertificates('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')).toBeUndefined(); // empty
  });

  it('an empty file has no certificates', () => {
    expect(mod.pemCertificates('')).toEqual([]);
  });
});

describe('certificatesNotBundled', () => {
  it('compares certificates by their bytes, whatever the line length', () => {
    const rewrapped = `-----BEGIN CERTIFICATE-----\n${body(R1).replace(/(.{76})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    const out = mod.certificatesNotBundled([R0, CA, rewrapped].join('\n'), rootCertificates)!;
    expect(out.map(body)).toEqual([body(CA)]);
  });
});

describe('nodeRankCaEnv', () => {
  const VAR = 'NODE_EXTRA_CA_CERTS';
  const STASH = 'TSMPI_LAUNCHER_EXTRA_CA_CERTS';

  it('leaves an environment without the variable (or with it empty) as it is', () => {
    const env = { A: '1' };
    expect(mod.nodeRankCaEnv(env, dir)).toBe(env);
    const empty = { [VAR]: '' };
    expect(mod.nodeRankCaEnv(empty, dir)).toBe(empty);
  });

  it('drops the variable when Node bundles every certificate, and stashes its value', () => {
    const f = file(R0, R1);
    const out = mod.nodeRankCaEnv({ A: '1', [VAR]: f }, dir);
    expect(out).toEqual({ A: '1', [STASH]: f });
  });

  it('starts with a cached file of the certificates Node lacks, reused while the file is the same', () => {
    const f = file(R0, '# ours', CA);
    const out = mod.nodeRankCaEnv({ [VAR]: f }, dir);
    expect(out[STASH]).toBe(f);
    const started = out[VAR]!;
    expect(started.startsWith(cacheDir)).toBe(true);
    expect(mod.pemCertificates(readFileSync(started, 'utf8'))!.map((c) => c.body)).toEqual([body(CA)]);
    expect(mod.nodeRankCaEnv({ [VAR]: f }, dir)[VAR]).toBe(started);
    // Changed (its size, times): worked out anew.
    writeFileSync(f, [CA, R1].join('\n') + '\n');
    const again = mod.nodeRankCaEnv({ [VAR]: f }, dir)[VAR]!;
    expect(again).not.toBe(started);
    expect(mod.pemCertificates(readFileSync(again, 'utf8'))!.map((c) => c.body)).toEqual([body(CA)]);
  });

  it('reuses the cache entry of a file whose path is not ASCII', () => {
    const f = join(dir, 'certificats-élevés.pem');
    writeFileSync(f, [R0, CA].join('\n'));
    const started = mod.nodeRankCaEnv({ [VAR]: f }, dir)[VAR]!;
    expect(started.startsWith(cacheDir)).toBe(true);
    expect(mod.nodeRankCaEnv({ [VAR]: f }, dir)[VAR]).toBe(started);
  });

  it('resolves a relative path in the rank\'s working directory', () => {
    const f = file(R0);
    const out = mod.nodeRankCaEnv({ [VAR]: f.slice(dir.length + 1) }, dir);
    expect(out).toEqual({ [STASH]: f.slice(dir.length + 1) });
  });

  it('ignores a cache entry made for another file and works the file out again', () => {
    const f = file(R0, CA);
    const started = mod.nodeRankCaEnv({ [VAR]: f }, dir)[VAR]!;
    // An entry whose key line is not this file's (as after a name collision): not used as it is.
    writeFileSync(started, readFileSync(started, 'utf8').replace(/^# tsmpi .*\n/, '# tsmpi ["another"]\n'));
    expect(mod.nodeRankCaEnv({ [VAR]: f }, dir)[VAR]).toBe(started);
    expect(readFileSync(started, 'utf8').split('\n')[0]).toContain(JSON.stringify(f));
  });

  it('keeps the variable as set for a missing file, a file it does not read exactly, a certificate that does not parse, and --use-openssl-ca', () => {
    const cases: NodeJS.ProcessEnv[] = [
      { [VAR]: join(dir, 'missing.pem') },
      { [VAR]: file(R0, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----') },
      { [VAR]: file(CA, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----') },
      { [VAR]: file(CA), NODE_OPTIONS: '--use-openssl-ca' },
    ];
    for (const env of cases) expect(mod.nodeRankCaEnv(env, dir)).toBe(env);
  });

  it('keeps only complete entries in the cache (no temporary files left)', () => {
    expect(readdirSync(cacheDir).filter((e) => !/^extra-ca-[0-9a-f]{8}\.pem$/.test(e))).toEqual([]);
  });
});
