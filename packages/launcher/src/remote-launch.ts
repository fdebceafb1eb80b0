/**
 * Starting host agents: one ssh per remote host (the system ssh, so users'
 * keys, agents and ~/.ssh/config work), or one srun across a Slurm allocation.
 * The agent's configuration, with the job secret, goes on its standard input.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AgentConfig } from './agent/protocol.js';

export const AGENT_SCRIPT = fileURLToPath(new URL('./agent.js', import.meta.url));

/** Split a command given as one string (`ssh -p 2222 -i key`), honouring simple quotes. */
export function splitCommand(s: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(s))) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface Started { child: ChildProcess; stderr: () => string }

function start(file: string, args: string[], config: AgentConfig): Started {
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; if (err.length > 8192) err = err.slice(-8192); });
  child.stdout!.resume();
  child.stdin!.on('error', () => {});
  child.on('error', (e) => { err += e.message; });
  child.stdin!.write(JSON.stringify(config) + '\n');
  return { child, stderr: () => err };
}

export function startSshAgent(sshCommand: string, target: string, connectTimeout: number, config: AgentConfig): Started {
  const [file, ...pre] = splitCommand(sshCommand);
  const remote = `exec ${shq(config.node)} ${shq(AGENT_SCRIPT)}`;
  return start(file!, [...pre, '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${connectTimeout}`, '-T', target, remote], config);
}

export function startSrunAgents(hosts: string[], config: AgentConfig): Started {
  return start('srun', [
    '--ntasks-per-node=1', '--kill-on-bad-exit=1', '--overlap', `--nodes=${hosts.length}`, `--ntasks=${hosts.length}`,
    `--nodelist=${hosts.join(',')}`, '--input=all', config.node, AGENT_SCRIPT,
  ], config);
}
