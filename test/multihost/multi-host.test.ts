/**
 * Multi-host jobs on real hosts: network namespaces joined by a bridge, a real
 * sshd in each, tsmpiexec starting agents over the system ssh. Needs root and
 * openssh-server; otherwise every test here is skipped with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, clusterUnavailable, createCluster } from '../helpers/netns-cluster.js';
import { PROGRAMS, leftovers, runJob } from '../helpers/run-job.js';

const why = clusterUnavailable();
if (why) console.warn(`multi-host tests skipped: ${why}`);
const JOB = join(PROGRAMS, 'multihost-job.ts');

describe.skipIf(!!why)('multi-host over ssh (3 namespaces, real sshd)', () => {
  let c: Cluster;
  beforeAll(() => { c = createCluster(3); }, 60_000);
  afterAll(() => { c?.teardown(); });

  /** Processes other than the sshd listener in any of the cluster's namespaces, after the job. */
  async function strays(ms = 8000): Promise<string[]> {
    const end = Date.now() + ms;
    for (;;) {
      const left: string[] = [];
      c.hosts.forEach((_, i) => {
        for (const pid of c.pids(i)) {
          const args = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
          if (args && !/^(sshd: )?\/usr\/sbin\/sshd -o.*(\[listener\])?/.test(args)) left.push(`${c.hosts[i]} ${pid} ${args}`);
        }
      });
      if (left.length === 0 || Date.now() > end) return left;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const hosts = () => c.hosts.map((h) => `${h}:2`).join(',');

  it('runs 6 ranks on 3 hosts with point-to-point and collective traffic across the bridge', async () => {
    const r = await runJob(['--host', hosts(), '--ssh', c.ssh, '--timeout', '60', JOB, 'ok'], { timeoutMs: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (let k = 0; k < 6; k++) expect(r.stdout).toContain(`rank ${k} of 6 ok on ${c.hosts[Math.floor(k / 2)]}`);
    // Ranks listen on their own host's address: the traffic crossed the bridge.
    const binds = JSON.parse(/binds (.*)/.exec(r.stdout)![1]!);
    expect(binds).toEqual([0, 0, 1, 1, 2, 2].map((i) => c.hosts[i]));
    expect(await strays()).toEqual([]);
  }, 120_000);

  it('places ranks round-robin with --map-by node and from a hostfile, and --display-map runs nothing', async () => {
    const file = join(c.dir, 'hosts');
    writeFileSync(file, `# test hosts\n${c.hosts[0]} slots=2\n\n${c.hosts[1]}:2   # hydra style\nroot@${c.hosts[2]} slots=2 max_slots=4\n`);
    const map = await runJob(['--hostfile', file, '--map-by', 'node', '--display-map', JOB], { timeoutMs: 20_000 });
    expect(map.code).toBe(0);
    for (let k = 0; k < 6; k++) expect(map.stdout).toContain(`rank ${k} -> ${c.hosts[k % 3]}`);
    const r = await runJob(['--hostfile', file, '--map-by', 'node', '--ssh', c.ssh, '--timeout', '60', JOB, 'ok'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    for (let k = 0; k < 6; k++) expect(r.stdout).toContain(`rank ${k} of 6 ok on ${c.hosts[k % 3]}`);
    const over = await runJob(['--hostfile', file, '-n', '7', '--display-map', JOB], { timeoutMs: 20_000 });
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/7 ranks requested but the hosts have only 6 slots/);
    expect(await strays()).toEqual([]);
  }, 150_000);

  it('forwards -x VAR and -x VAR=value to remote ranks, and TSMPI_WAIT by itself, and nothing else', async () => {
    const r = await runJob(['--host', hosts(), '-n', '3', '--ssh', c.ssh, '-x', 'TSMPI_TEST_FORWARDED', '-x', 'TSMPI_TEST_SET=42', JOB, 'env'], {
      timeoutMs: 60_000, env: { TSMPI_TEST_FORWARDED: 'yes', TSMPI_TEST_NOT: 'no', TSMPI_WAIT: 'block' },
    });
    expect(r.code, r.stderr).toBe(0);
    for (let k = 0; k < 3; k++) expect(r.stdout).toContain(`rank ${k} FORWARDED=yes SET=42 WAIT=block`);
  }, 90_000);

  it('a rank failing on a remote host ends the job everywhere with its code', async () => {
    const r = await runJob(['--host', hosts(), '--ssh', c.ssh, '--timeout', '60', JOB, 'fail-remote'], { timeoutMs: 90_000 });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(new RegExp(`rank 5 \\(pid \\d+\\) on ${c.hosts[2]!.replace(/\./g, '\\.')} exited with code 5`));
    expect(await strays()).toEqual([]);
  }, 120_000);

  it('kill -9 of tsmpiexec leaves no process on any host', async () => {
    let pid = 0;
    const run = runJob(['--host', hosts(), '--ssh', c.ssh, JOB, 'hang'], { timeoutMs: 60_000, onStart: (p) => { pid = p; } });
    // Wait until every rank is up and blocked.
    const end = Date.now() + 40_000;
    while (Date.now() < end) {
      const n = c.hosts.reduce((a, _, i) => a + c.pids(i).length, 0);
      if (n >= 3 + 3 * 3) break; // sshd + session + agent + 2 ranks per host, at least
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(pid, 'SIGKILL');
    await run;
    expect(await strays(10_000)).toEqual([]);
  }, 120_000);

  /** Start a job that blocks, and resolve once every rank is listening. */
  async function startHanging(extra: string[]): Promise<{ pid: number; run: Promise<import('../helpers/run-job.js').JobResult> }> {
    let pid = 0;
    const run = runJob(['--host', hosts(), '--ssh', c.ssh, '--tag-output', ...extra, JOB, 'hang'], { timeoutMs: 60_000, onStart: (p) => { pid = p; } });
    let out = '';
    void run.then((r) => { out = r.stdout; });
    const end = Date.now() + 40_000;
    while (Date.now() < end) {
      const listening = c.hosts.map((_, i) => c.exec(i, ['ss', '-ltnH']).split('\n').filter((l) => l.trim() && !/:22\s/.test(l)).length);
      if (listening.every((n) => n >= 2)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    void out;
    return { pid, run };
  }

  it('--iface and --ports choose the interface and the ports every rank listens on', async () => {
    const subnet = c.hosts[0]!.replace(/\.\d+$/, '.0/24');
    const { pid, run } = await startHanging(['--iface', subnet, '--ports', '41000-41050']);
    const ports = c.hosts.flatMap((_, i) => c.exec(i, ['ss', '-ltnH']).split('\n').filter((l) => l.trim() && !/:22\s/.test(l)).map((l) => l.trim().split(/\s+/)[3]!));
    expect(ports.length).toBeGreaterThanOrEqual(6);
    for (const p of ports) {
      const port = Number(p.slice(p.lastIndexOf(':') + 1));
      expect(port, p).toBeGreaterThanOrEqual(41000);
      expect(port, p).toBeLessThanOrEqual(41050);
      expect(p.startsWith('10.77.'), p).toBe(true);
    }
    process.kill(pid, 'SIGTERM');
    const r = await run;
    expect(r.code).toBe(143);
    expect(await strays()).toEqual([]);
  }, 120_000);

  it('a dropped ssh connection ends every rank on every host', async () => {
    const { pid, run } = await startHanging([]);
    const sshPids = execFileSync('pgrep', ['-P', String(pid), '-x', 'ssh'], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    expect(sshPids.length).toBe(3);
    process.kill(sshPids[1]!, 'SIGKILL');
    const r = await run;
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(new RegExp(`host ${c.hosts[1]!.replace(/\./g, '\\.')}: the connection to its agent was lost`));
    expect(await strays()).toEqual([]);
  }, 120_000);

  // sshd or Slurm may end an agent from outside (a hang-up, a Ctrl-C, a TERM at the end of a step):
  // it removes its ranks' socket directory, then ends by that signal.
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`an agent ended by ${sig} removes its socket directory, and the job ends everywhere`, async () => {
      const { run } = await startHanging([]);
      const agent = c.pids(1).find((pid) => /agent/.test(spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout));
      expect(agent, 'the agent on the second host').toBeDefined();
      const ranks = execFileSync('pgrep', ['-P', String(agent)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      const dirs = new Set(ranks.map((pid) => /(?:^|\0)TSMPI_SOCKET_DIR=([^\0]*)/.exec(readFileSync(`/proc/${pid}/environ`, 'latin1'))?.[1]));
      expect(dirs.size).toBe(1);
      const dir = [...dirs][0]!;
      expect(readdirSync(dir).filter((f) => f.endsWith('.sock')).length, dir).toBe(2);
      // Its ranks killed at the same moment (as a step's end may), so only the agent can clean up.
      process.kill(agent!, sig);
      for (const pid of ranks) process.kill(pid, 'SIGKILL');
      const r = await run;
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`host ${c.hosts[1]!.replace(/\./g, '\\.')}: lost the connection to its agent`));
      expect(existsSync(dir), dir).toBe(false);
      expect(await strays()).toEqual([]);
    }, 120_000);
  }

  it('a host that refuses ssh gives a clear error naming it, quickly, and leaves nothing', async () => {
    c.stopSshd(1);
    const r = await runJob(['--host', hosts(), '--ssh', c.ssh, '--connect-timeout', '5', JOB, 'ok'], { timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`host ${c.hosts[1]!.replace(/\./g, '\\.')}: .*(refused|Connection)`));
    expect(r.ms).toBeLessThan(30_000);
    expect(await strays()).toEqual([]);
  }, 90_000);

  it('refused authentication (a key the hosts do not accept) gives a clear error quoting ssh', async () => {
    const stranger = join(c.dir, 'stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const ssh = c.ssh.replace(/-i \S+/, `-i ${stranger}`);
    const r = await runJob(['--host', `${c.hosts[0]}:1,${c.hosts[2]}:1`, '--ssh', ssh, JOB, 'ok'], { timeoutMs: 60_000 });
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/host 10\.77\.\d+\.\d+: could not start its agent .*Permission denied/);
    expect(await strays()).toEqual([]);
  }, 90_000);

  it('no node on the remote host gives an error naming the host', async () => {
    const r = await runJob(['--host', `${c.hosts[0]}:1,${c.hosts[2]}:1`, '--ssh', c.ssh, '--node', '/nonexistent/node', JOB, 'ok'], { timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/host 10\.77\.\d+\.\d+: could not start its agent .*(not found|No such file)/);
    expect(await strays()).toEqual([]);
  }, 90_000);
});
