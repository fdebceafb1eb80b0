/**
 * One remote host of a job, seen from tsmpiexec: the ssh (or srun) process
 * that started its agent, and the agent's authenticated control link once it
 * connected back. Messages for the host wait until the link is up.
 */
import type { ChildProcess } from 'node:child_process';
import type { AgentToRank } from '@tsmpi/runtime/launch';
import type { LauncherToAgent } from './agent/protocol.js';
import type { AgentLink } from './control-server.js';

export class RemoteHost {
  link: AgentLink | undefined;
  private queue: LauncherToAgent[] = [];
  /** The ssh process (for srun, the one shared srun). */
  starter: ChildProcess | undefined;
  starterStderr: () => string = () => '';
  pids = new Map<number, number>();
  lastHeard = Date.now();

  constructor(readonly index: number, readonly name: string, readonly ranks: number[]) {}

  attach(link: AgentLink): void {
    this.link = link;
    for (const m of this.queue) link.send(m);
    this.queue = [];
  }

  send(m: LauncherToAgent): void {
    if (this.link) this.link.send(m); else this.queue.push(m);
  }

  sendRank(rank: number, m: AgentToRank): void { this.send({ t: 'rank', rank, m }); }

  kill(signal: NodeJS.Signals): void {
    if (this.link) { this.link.send({ t: 'kill', signal }); return; }
    // No agent yet: stop the connection attempt itself.
    if (this.starter?.pid !== undefined && this.starter.exitCode === null) {
      try { process.kill(-this.starter.pid, 'SIGTERM'); } catch { /* gone */ }
    }
  }

  /** The last lines ssh or srun wrote to stderr, quoted in error messages. */
  sshMessage(): string {
    const text = this.starterStderr().trim();
    return text ? text.split('\n').slice(-3).join(' | ') : '(no message)';
  }
}

/** A rank on a remote host: what the job needs from any rank. */
export class RemoteRank {
  constructor(readonly host: RemoteHost, readonly rank: number) {}
  get pid(): number { return this.host.pids.get(this.rank) ?? -1; }
  send(m: AgentToRank): void { this.host.sendRank(this.rank, m); }
  kill(signal: NodeJS.Signals): void { this.host.kill(signal); }
}
