/**
 * Real hosts on one machine: network namespaces joined by a bridge, a real
 * sshd in each (recipe: shared/reference/test-cluster.md). Every name carries
 * a random suffix so parallel or leftover runs never collide; `teardown()`
 * kills the sshds and deletes the namespaces and the bridge.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  hosts: string[];
  bridgeIp: string;
  dir: string;
  /** The `--ssh` command for tsmpiexec (key, no host-key prompts, batch mode). */
  ssh: string;
  /** Run a command in namespace i. */
  exec(i: number, cmd: string[]): string;
  /** Stop sshd on host i (to make it refuse connections). */
  stopSshd(i: number): void;
  /** Pids of every process in namespace i. */
  pids(i: number): number[];
  teardown(): void;
}

/** Why cluster tests cannot run here, or undefined when they can. */
export function clusterUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'multi-host tests need Linux network namespaces';
  if (process.getuid?.() !== 0) return 'multi-host tests need root (ip netns, sshd); run as root or in CI';
  for (const bin of ['/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/ssh-keygen']) if (!existsSync(bin)) return `multi-host tests need ${bin} (apt-get install openssh-server openssh-client)`;
  if (spawnSync('ip', ['netns', 'list']).status !== 0) return 'multi-host tests need iproute2 with netns support';
  return undefined;
}

const sh = (args: string[]) => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function createCluster(n: number): Cluster {
  const tag = Math.random().toString(36).slice(2, 7);
  const subnet = 20 + Math.floor(Math.random() * 200);
  const bridge = `tsbr${tag}`;
  const ns = Array.from({ length: n }, (_, i) => `tsh${tag}${i}`);
  const dir = mkdtempSync(join(tmpdir(), `tsmpi-cluster-${tag}-`));
  const bridgeIp = `10.77.${subnet}.1`;
  const hosts = ns.map((_, i) => `10.77.${subnet}.${i + 2}`);
  const pidFiles: string[] = [];
  const cleanup: (() => void)[] = [];
  const teardown = () => {
    for (const f of pidFiles) {
      try { process.kill(Number(readFileSync(f, 'utf8').trim()), 'SIGKILL'); } catch { /* gone */ }
    }
    for (const name of ns) {
      // Any process left inside a namespace dies with it only if we kill it: do so.
      const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout?.trim().split(/\s+/).filter(Boolean) ?? [];
      for (const p of pids) { try { process.kill(Number(p), 'SIGKILL'); } catch { /* gone */ } }
      spawnSync('ip', ['netns', 'del', name]);
    }
    spawnSync('ip', ['link', 'del', bridge]);
    for (const c of cleanup) c();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    sh(['ip', 'link', 'add', bridge, 'type', 'bridge']);
    sh(['ip', 'addr', 'add', `${bridgeIp}/24`, 'dev', bridge]);
    sh(['ip', 'link', 'set', bridge, 'up']);
    sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
    sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'hostkey')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')));
    sh(['mkdir', '-p', '/run/sshd']);
    ns.forEach((name, i) => {
      const veth = `tsv${tag}${i}`;
      sh(['ip', 'netns', 'add', name]);
      sh(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      sh(['ip', 'link', 'set', veth, 'master', bridge]);
      sh(['ip', 'link', 'set', veth, 'up']);
      sh(['ip', 'netns', 'exec', name, 'ip', 'addr', 'add', `${hosts[i]}/24`, 'dev', 'eth0']);
      sh(['ip', 'netns', 'exec', name, 'ip', 'link', 'set', 'eth0', 'up']);
      sh(['ip', 'netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
      sh(['ip', 'netns', 'exec', name, 'ip', 'route', 'add', 'default', 'via', bridgeIp]);
      const pid = join(dir, `sshd${i}.pid`);
      pidFiles.push(pid);
      sh(['ip', 'netns', 'exec', name, '/usr/sbin/sshd', '-o', `PidFile=${pid}`, '-o', `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`,
        '-o', 'PermitRootLogin=prohibit-password', '-o', 'StrictModes=no', '-o', `HostKey=${join(dir, 'hostkey')}`,
        '-o', 'UsePAM=no', '-o', 'ListenAddress=0.0.0.0', '-o', 'LogLevel=ERROR']);
    });
    // Wait for every sshd to write its pid file.
    const end = Date.now() + 5000;
    while (!pidFiles.every((f) => existsSync(f)) && Date.now() < end) spawnSync('sleep', ['0.05']);
  } catch (err) {
    teardown();
    throw err;
  }
  const ssh = `ssh -i ${join(dir, 'id')} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`;
  return {
    hosts, bridgeIp, dir, ssh,
    exec: (i, cmd) => sh(['ip', 'netns', 'exec', ns[i]!, ...cmd]),
    pids: (i) => (spawnSync('ip', ['netns', 'pids', ns[i]!], { encoding: 'utf8' }).stdout ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
    stopSshd: (i) => { try { process.kill(Number(readFileSync(pidFiles[i]!, 'utf8').trim()), 'SIGKILL'); } catch { /* gone */ } },
    teardown,
  };
}

/** Processes running inside the cluster's namespaces whose command line mentions `marker`. */
export function clusterProcesses(c: Cluster, marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}
