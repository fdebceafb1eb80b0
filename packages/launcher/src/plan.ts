/**
 * From the command line and the environment to a plan: which hosts, how many
 * ranks, which rank where, and how each host is reached (here, ssh, srun).
 */
import { hostname } from 'node:os';
import type { CliOptions } from './cli-options.js';
import { type HostSpec, HostParseError } from './hosts/host-spec.js';
import { parseHostList } from './hosts/host-list.js';
import { readHostfile } from './hosts/hostfile.js';
import { pbsHosts, slurmHosts } from './hosts/resource-manager.js';
import { place } from './hosts/placement.js';

export interface HostPlan {
  spec: HostSpec;
  /** Ranks start here, without an agent. */
  local: boolean;
  ranks: number[];
}

export interface JobPlan {
  np: number;
  hosts: HostPlan[];
  launcher: 'ssh' | 'slurm' | 'local';
  /** Where the hosts came from, for --display-map. */
  source: string;
}

export async function makePlan(o: CliOptions, env: NodeJS.ProcessEnv = process.env): Promise<JobPlan> {
  let hosts: HostSpec[] | undefined;
  let source = 'this host';
  if (o.host && o.hostfile) throw new HostParseError('give --host or --hostfile, not both');
  if (o.host) { hosts = parseHostList(o.host); source = '--host'; }
  else if (o.hostfile) { hosts = readHostfile(o.hostfile); source = `--hostfile ${o.hostfile}`; }
  else if (o.launcher !== 'local' && (hosts = slurmHosts(env))) source = 'the Slurm allocation';
  else if (o.launcher !== 'local' && (hosts = pbsHosts(env))) source = 'PBS_NODEFILE';
  const inSlurm = source === 'the Slurm allocation';
  const launcher = o.launcher ?? (inSlurm ? 'slurm' : 'ssh');
  if (!hosts) {
    if (o.np === undefined) throw new HostParseError('missing -n N: how many ranks to start');
    return { np: o.np, launcher: 'local', source, hosts: [{ spec: { host: hostname(), slots: o.np }, local: true, ranks: range(o.np) }] };
  }
  const p = place(hosts, o.np, o.mapBy, o.oversubscribe);
  const me = hostname();
  // Loaded only for a host list: it brings node:dns and node:dgram.
  const { isLocalHost } = await import('./net-address.js');
  const plans: HostPlan[] = [];
  for (let i = 0; i < hosts.length; i++) {
    // Under srun every host, ours included, gets an agent; --launcher local runs everything here.
    const local = launcher === 'local' || (launcher === 'ssh' && await isLocalHost(hosts[i]!.host, me));
    plans.push({ spec: hosts[i]!, local, ranks: p.ranksOn[i]! });
  }
  return { np: p.hostOf.length, hosts: plans.filter((h) => h.ranks.length > 0), launcher, source };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function describeMap(plan: JobPlan): string {
  const lines = [`tsmpiexec: ${plan.np} rank${plan.np === 1 ? '' : 's'} on ${plan.hosts.length} host${plan.hosts.length === 1 ? '' : 's'} (from ${plan.source}; launcher ${plan.launcher})`];
  for (const h of plan.hosts) {
    lines.push(`  ${h.spec.user ? h.spec.user + '@' : ''}${h.spec.host} (${h.spec.slots} slot${h.spec.slots === 1 ? '' : 's'}${h.local ? ', local' : ''}): ranks ${h.ranks.join(' ')}`);
  }
  const byRank: string[] = [];
  for (const h of plan.hosts) for (const r of h.ranks) byRank[r] = h.spec.host;
  byRank.forEach((host, r) => lines.push(`  rank ${r} -> ${host}`));
  return lines.join('\n');
}
