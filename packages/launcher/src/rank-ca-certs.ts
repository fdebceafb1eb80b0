/**
 * The NODE_EXTRA_CA_CERTS a Node rank's process starts with: only the
 * certificates of the user's file that Node does not trust already.
 *
 * Why: Node 20 builds its root certificate store when a process starts if
 * NODE_EXTRA_CA_CERTS is set (and only at the first TLS connection if not),
 * parsing its ~140 bundled root certificates and then every certificate of
 * the file: measured on the benchmark machine, `node -e 0` is 86 M
 * instructions without the variable, 289 M with a file of one certificate and
 * 506 M with the system bundle (144 certificates, 122 of them among Node's
 * own). That was most of what each rank of a small job cost.
 *
 * What a process trusts is Node's bundled roots plus the file's certificates,
 * so dropping those already bundled changes nothing: the rank starts with a
 * file of the others (kept in the per-user cache, cache-dir.ts), or without
 * the variable when there are none. Its program still sees
 * NODE_EXTRA_CA_CERTS as the user set it (rank-watch.ts puts it back before
 * the program runs, so processes the program starts get it too).
 *
 * Anything this cannot read exactly as Node would — a block other than a
 * plain certificate, a certificate that does not parse, a missing file,
 * NODE_OPTIONS with --use-openssl-ca (another root store) — and the rank
 * starts with the variable as set.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { storeCached, userCacheDir } from './cache-dir.js';
import { STASHED_CA_CERTS_VAR } from './constants.js';

const VAR = 'NODE_EXTRA_CA_CERTS';
/** Bump when what a cache entry holds changes. */
const CACHE_VERSION = 1;
const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';
const BASE64_LINE = /^[A-Za-z0-9+/=]*$/;

/**
 * The certificates (PEM blocks) of a NODE_EXTRA_CA_CERTS file, in order, with
 * the base64 body of each; undefined if the file holds anything else that
 * OpenSSL's reader might take differently (another kind of block, headers,
 * a stray or indented marker).
 */
export function pemCertificates(text: string): { pem: string; body: string }[] | undefined {
  const out: { pem: string; body: string }[] = [];
  let body: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (body === undefined) {
      if (line === BEGIN) body = [];
      // Text between blocks is skipped by OpenSSL as by us, unless it could be read as a marker.
      else if (line.includes('-----')) return undefined;
    } else if (line === END) {
      const b = body.join('');
      if (b === '') return undefined;
      out.push({ pem: `${BEGIN}\n${body.join('\n')}\n${END}\n`, body: b });
      body = undefined;
    } else if (BASE64_LINE.test(line)) {
      body.push(line);
    } else {
      return undefined;
    }
  }
  return body === undefined ? out : undefined;
}

/** The base64 body of a PEM certificate, to compare certificates by their bytes without parsing them. */
export const pemBody = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

/**
 * Of `file`'s certificates, those not among `bundled` (PEM strings, as
 * `tls.rootCertificates`); undefined if the file is not read exactly (see pemCertificates).
 */
export function certificatesNotBundled(text: string, bundled: readonly string[]): string[] | undefined {
  const certs = pemCertificates(text);
  if (!certs) return undefined;
  const known = new Set(bundled.map(pemBody));
  return certs.filter((c) => !known.has(c.body)).map((c) => c.pem);
}

/** What a Node rank starts with: the variable as set, a file of the certificates not bundled, or none. */
type Start = { kind: 'as-set' } | { kind: 'none' } | { kind: 'file'; file: string };

/**
 * The environment a Node rank (this Node, `process.execPath`) starts with,
 * given the job's: NODE_EXTRA_CA_CERTS reduced as above, its value as set in
 * the stash rank-watch.ts restores from. `cwd`: the rank's working directory
 * (a relative path is Node's to resolve there).
 */
export function nodeRankCaEnv(env: NodeJS.ProcessEnv, cwd: string): NodeJS.ProcessEnv {
  const value = env[VAR];
  if (!value) return env;
  if (/--use-openssl-ca\b/.test(env.NODE_OPTIONS ?? '')) return env;
  const start = startFor(resolve(cwd, value));
  if (start.kind === 'as-set') return env;
  const out: NodeJS.ProcessEnv = { ...env, [STASHED_CA_CERTS_VAR]: value };
  if (start.kind === 'file') out[VAR] = start.file;
  else delete out[VAR];
  return out;
}

/** The cache key of the file at `path`: its identity and Node's version (its bundled roots). Throws if it cannot be read. */
function fileKey(path: string): string | undefined {
  const st = statSync(path);
  if (!st.isFile()) return undefined;
  return JSON.stringify([CACHE_VERSION, process.version, path, st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs]);
}

/** From the cache, keyed by fileKey; else worked out and stored. */
function startFor(path: string): Start {
  let key: string | undefined;
  try {
    key = fileKey(path);
  } catch {
    return { kind: 'as-set' }; // Node will say why it cannot read it.
  }
  if (key === undefined) return { kind: 'as-set' };
  const dir = userCacheDir();
  const entry = dir ? join(dir, `extra-ca-${fnv1a(key)}.pem`) : undefined;
  const cached = entry ? readEntry(entry, key) : undefined;
  if (cached) return cached;
  const start = workOut(path, key);
  if (entry) {
    // The entry's first lines say what it is for; OpenSSL skips them as text between blocks.
    const head = `# tsmpi ${key}\n# ${start.kind === 'as-set' ? 'as-set' : 'not-bundled'}\n`;
    storeCached(entry, head + (start.kind === 'file' ? start.pems.join('') : ''));
  }
  if (start.kind === 'file' && entry && readEntry(entry, key)?.kind === 'file') return { kind: 'file', file: entry };
  // No cache to hold the file: start with the variable as set.
  return start.kind === 'file' ? { kind: 'as-set' } : start;
}

function readEntry(entry: string, key: string): Start | undefined {
  let text: string;
  // UTF-8 as written (the key names the file's path, which may not be ASCII; the certificates are).
  try { text = readFileSync(entry, 'utf8'); } catch { return undefined; }
  const [first, second] = text.split('\n', 2);
  if (first !== `# tsmpi ${key}`) return undefined;
  if (second === '# as-set') return { kind: 'as-set' };
  if (second !== '# not-bundled') return undefined;
  return text.includes(BEGIN) ? { kind: 'file', file: entry } : { kind: 'none' };
}

function workOut(path: string, key: string): { kind: 'as-set' } | { kind: 'none' } | { kind: 'file'; pems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
    // Changed while we read it: leave it to Node.
    if (fileKey(path) !== key) return { kind: 'as-set' };
  } catch {
    return { kind: 'as-set' };
  }
  // Loaded here only, on a cache miss: node:tls alone costs tsmpiexec ~35 M instructions.
  const { rootCertificates } = process.getBuiltinModule('node:tls');
  const pems = certificatesNotBundled(text, rootCertificates);
  if (!pems) return { kind: 'as-set' };
  // Node stops at a certificate it cannot parse and warns naming the file: let it, with the user's file.
  const { X509Certificate } = process.getBuiltinModule('node:crypto');
  try { for (const p of pems) new X509Certificate(p); } catch { return { kind: 'as-set' }; }
  return pems.length ? { kind: 'file', pems } : { kind: 'none' };
}

/** 32-bit FNV-1a of `s`, in hex: a cache entry's name (its first line holds the whole key). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
