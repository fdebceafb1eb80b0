/**
 * A real one-node Slurm for tests (recipe: shared/reference/test-cluster.md):
 * munge, slurmctld and slurmd with a private configuration, state and ports,
 * stopped by `teardown()`. Commands reach it through SLURM_CONF.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Slurm { conf: string; dir: string; env: NodeJS.ProcessEnv; teardown(): void }

export function slurmUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'Slurm tests need Linux';
  if (process.getuid?.() !== 0) return 'Slurm tests need root (they start slurmctld, slurmd and munged); run as root or in CI';
  for (const bin of ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/salloc', '/usr/bin/sbatch', '/usr/bin/srun']) {
    if (!existsSync(bin)) return `Slurm tests need ${bin} (apt-get install slurm-wlm munge)`;
  }
  if (!existsSync('/etc/munge/munge.key')) return 'Slurm tests need /etc/munge/munge.key (created by the munge package)';
  return undefined;
}

function wait(what: string, ok: () => boolean, ms: number): void {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Slurm test cluster: ${what} did not happen within ${ms} ms`);
    spawnSync('sleep', ['0.2']);
  }
}

export function startSlurm(): Slurm {
  const dir = mkdtempSync(join(tmpdir(), 'tsmpi-slurm-'));
  const h = hostname();
  const port = 20000 + Math.floor(Math.random() * 20000);
  mkdirSync(join(dir, 'state')); mkdirSync(join(dir, 'spool'));
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=tsmpi', `SlurmctldHost=${h}`, 'SlurmUser=root', 'AuthType=auth/munge',
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'MpiDefault=none', 'ReturnToService=2',
    'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core',
    `SlurmctldPidFile=${dir}/slurmctld.pid`, `SlurmdPidFile=${dir}/slurmd.pid`,
    `StateSaveLocation=${dir}/state`, `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPort=${port}`, `SlurmdPort=${port + 1}`,
    `SlurmctldLogFile=${dir}/slurmctld.log`, `SlurmdLogFile=${dir}/slurmd.log`,
    `NodeName=${h} CPUs=2 State=UNKNOWN`,
    `PartitionName=debug Nodes=${h} Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4`, '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: conf };
  let startedMunge = false;
  const pidOf = (f: string) => { try { return Number(readFileSync(join(dir, f), 'utf8').trim()); } catch { return 0; } };
  const teardown = () => {
    for (const f of ['slurmd.pid', 'slurmctld.pid']) { const p = pidOf(f); if (p) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } } }
    // Job steps left by a failed test (slurmstepd) belong to this cluster only while it runs.
    spawnSync('pkill', ['-KILL', '-f', `slurmstepd.*${dir}`]);
    if (startedMunge) spawnSync('pkill', ['-x', 'munged']);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (spawnSync('pgrep', ['-x', 'munged']).status !== 0) {
      mkdirSync('/run/munge', { recursive: true });
      execFileSync('chown', ['munge:munge', '/run/munge']);
      execFileSync('runuser', ['-u', 'munge', '--', '/usr/sbin/munged']);
      startedMunge = true;
    }
    execFileSync('/usr/sbin/slurmctld', ['-f', conf], { env });
    execFileSync('/usr/sbin/slurmd', ['-f', conf], { env });
    wait('the node becoming idle', () => /idle/.test(spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout ?? ''), 20_000);
  } catch (err) {
    teardown();
    throw err;
  }
  return { conf, dir, env, teardown };
}
