// Strangers at the door of a running job, on every transport (the default:
// Unix sockets only on a single host; --transport tcp; --transport ws): random bytes,
// truncated and oversized frames, wrong secrets, garbage HTTP and WebSocket
// frames, and connections that never speak, before and while the job works.
// Each bad connection is closed by the rank without a proof of the secret; the
// job (rank 0 waits for `go` on its stdin, then point-to-point and collective
// rounds, every result checked) finishes with exit 0. The ranks listen on
// Unix sockets or loopback only, and the job's secret is on no command line and in no
// environment (`ps`, /proc/<pid>/cmdline and /proc/<pid>/environ).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS } from '../helpers/run-job.js';
import { leftoversMarked, marked, processesMarked, startJob } from '../launcher/helpers.js';
import { halfOpen, type Outcome, streamAttacks, type Target, wsAttacks, wsHalfOpen } from './attacks.js';

const PROGRAM = join(PROGRAMS, 'hostile-job.mjs');
const NP = 3;
const ROUNDS = '8';
const MAGIC = Buffer.from('TSMPI\x00\x01\x00', 'latin1');

interface Listening { tcp: { host: string; port: number; pid: number }[]; unix: { path: string; pid: number }[] }

/** The listening sockets of `pids`, from `ss`. */
function listeningSockets(pids: number[]): Listening {
  const owner = (line: string) => pids.find((p) => line.includes(`pid=${p},`));
  const tcp = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' }).split('\n').flatMap((line) => {
    const pid = owner(line);
    if (pid === undefined) return [];
    const local = line.trim().split(/\s+/)[3]!;
    const i = local.lastIndexOf(':');
    return [{ host: local.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(local.slice(i + 1)), pid }];
  });
  const unix = execFileSync('ss', ['-lxpH'], { encoding: 'utf8' }).split('\n').flatMap((line) => {
    const pid = owner(line);
    return pid === undefined ? [] : [{ path: line.trim().split(/\s+/)[4]!, pid }];
  });
  return { tcp, unix };
}

/** Where the secret shows: in `ps` (command lines and environments), or in /proc/<pid>/{cmdline,environ}. */
function secretSightings(secretHex: string, pids: number[]): string[] {
  const raw = Buffer.from(secretHex, 'hex');
  const forms = [secretHex, secretHex.toUpperCase(), raw.toString('base64'), raw.toString('base64url')];
  const seen: string[] = [];
  for (const args of [['-eo', 'pid,args'], ['auxeww']]) {
    const out = execFileSync('ps', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const f of forms) if (out.includes(f)) seen.push(`ps ${args.join(' ')} shows ${f}`);
  }
  for (const pid of pids) {
    for (const file of ['cmdline', 'environ']) {
      let bytes: Buffer;
      try { bytes = readFileSync(`/proc/${pid}/${file}`); } catch { continue; }
      for (const f of [...forms.map((x) => Buffer.from(x)), raw]) if (bytes.includes(f)) seen.push(`/proc/${pid}/${file} holds the secret (${f.length} bytes form)`);
    }
  }
  return seen;
}

function checkOutcome(o: Outcome, kind: 'stream' | 'ws'): string | undefined {
  const what = `${o.attack} on ${o.target}`;
  if (o.error) return `${what}: ${o.error}`;
  if (!o.closedByRank) return `${what}: the rank did not close the connection`;
  if (kind === 'stream') {
    // The rank spoke first (its hello) and said nothing after the bad answer: no proof of the secret.
    if (!o.greeting.subarray(0, MAGIC.length).equals(MAGIC)) return `${what}: greeted with ${o.greeting.toString('hex')}`;
    if (/secret/.test(o.attack) && o.after.length !== 0) return `${what}: the rank answered ${o.after.length} bytes`;
  } else if (/secret/.test(o.attack) && o.after.includes(Buffer.from([0x82, 0x20]))) {
    return `${what}: the rank sent a 32-byte binary message (a proof?)`;
  }
  return undefined;
}

describe.each(['auto', 'tcp', 'ws'] as const)('hostile input against a job over %s', (transport) => {
  it('strangers are dropped, the job finishes with correct results, the secret shows nowhere', async () => {
    const { marker, env } = marked();
    const job = startJob(['-n', String(NP), '--transport', transport, PROGRAM, ROUNDS, 'reveal-secret'], { env, timeoutMs: 120_000 });
    const pids: number[] = [];
    for (let r = 0; r < NP; r++) {
      await job.waitFor(new RegExp(`^rank ${r} pid \\d+ ready$`, 'm'));
      pids.push(Number(new RegExp(`^rank ${r} pid (\\d+) ready$`, 'm').exec(job.stdout())![1]));
    }
    await job.waitFor(/^secret [0-9a-f]{64}$/m);
    const secret = /^secret ([0-9a-f]{64})$/m.exec(job.stdout())![1]!;

    // Where the ranks listen: one TCP (or ws) port each on loopback only, or (the default transport) a Unix socket each.
    const { tcp, unix } = listeningSockets(pids);
    // A single-host job on auto has every peer on its Unix sockets: no TCP listener at all.
    expect(tcp.map((t) => t.pid).sort(), JSON.stringify(tcp)).toEqual(transport === 'auto' ? [] : [...pids].sort());
    for (const t of tcp) expect(t.host, 'a single-host job listens on loopback only').toBe('127.0.0.1');
    expect(unix.map((u) => u.pid).sort()).toEqual(transport === 'auto' ? [...pids].sort() : []);

    // The secret is on no command line and in no environment: the launcher, the ranks, anything of the job.
    const jobPids = [job.pid, ...processesMarked(marker).map((l) => Number(l.split(' ')[0]))];
    expect(secretSightings(secret, jobPids)).toEqual([]);

    // Wave 1, before the work starts: every attack on every door, all at once, plus doors held open in silence.
    const targets: Target[] = [...tcp.map(({ host, port }) => ({ host, port })), ...unix.map(({ path }) => ({ path }))];
    const ws = transport === 'ws';
    const attacks = ws ? Object.values(wsAttacks) : Object.values(streamAttacks);
    const silent = await Promise.all(targets.flatMap((t) => ws
      ? [halfOpen(t, false), wsHalfOpen(t as { host: string; port: number })]
      : [halfOpen(t, false), halfOpen(t, true)]));
    const wave = await Promise.all(targets.flatMap((t) => attacks.map((a) => a(t as { host: string; port: number }))));
    const problems = wave.map((o) => checkOutcome(o, ws ? 'ws' : 'stream')).filter(Boolean);
    expect(problems).toEqual([]);
    expect(wave.length).toBe(targets.length * attacks.length);

    // Wave 2, while the ranks work: a storm of random bytes and wrong secrets until the job ends.
    let stop = false;
    const storm: Outcome[] = [];
    const stormDone = (async () => {
      for (let i = 0; !stop; i++) {
        const t = targets[i % targets.length]!;
        const a = ws ? [wsAttacks.random, wsAttacks.wrongSecret, wsAttacks.garbageFrames][i % 3]! : [streamAttacks.random, streamAttacks.wrongSecret, streamAttacks.hugeLengths][i % 3]!;
        storm.push(await a(t as { host: string; port: number }));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const go = Date.now();
    job.stdin.write('go\n');
    const res = await job.done;
    const workedMs = Date.now() - go;
    stop = true;
    await stormDone;
    for (const s of silent) s.close();

    expect(res.code, res.stderr).toBe(0);
    for (let r = 0; r < NP; r++) expect(res.stdout).toContain(`rank ${r}: ok`);
    // Nor did they slow it down or hold its end (the work takes about a second; a silent
    // stranger on the ws port once held every rank's exit for 90 s).
    expect(workedMs).toBeLessThan(20_000);
    // Strangers are dropped silently: nothing on stderr.
    expect(res.stderr).toBe('');
    // The storm ran while the job worked, and every stranger that got in was shown out.
    const stormWhileUp = storm.filter((o) => !o.error);
    expect(stormWhileUp.length).toBeGreaterThan(0);
    // A stranger that reaches a rank already finalizing is closed at once, before the rank's hello: a
    // silent drop (nothing sent at all), which the storm meets when it runs into the job's end.
    const droppedAtEnd = (o: Outcome) => o.closedByRank && o.greeting.length === 0 && o.after.length === 0;
    expect(stormWhileUp.filter((o) => !droppedAtEnd(o)).map((o) => checkOutcome(o, ws ? 'ws' : 'stream')).filter(Boolean)).toEqual([]);
    // ...and that rank was indeed ending: no later stranger on the same door got a hello.
    storm.forEach((o, i) => {
      if (o.error || !droppedAtEnd(o)) return;
      const greetedLater = storm.slice(i + 1).filter((l) => l.target === o.target && !l.error && !droppedAtEnd(l));
      expect(greetedLater, `${o.attack} on ${o.target} was dropped silently, yet the rank greeted later strangers`).toEqual([]);
    });
    expect(await leftoversMarked(marker)).toEqual([]);
  }, 150_000);
});
