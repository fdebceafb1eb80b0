/**
 * One rank's process on this host: started in its own process group (so the
 * launcher can end it and everything it started), with a control channel,
 * its output relayed in whole lines, and stdin only for rank 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { AgentToRank, RankToAgent } from '@tsmpi/runtime/launch';
import { withoutExtraCaCerts } from './extra-ca-certs.js';
import { relayLines } from './output-relay.js';
import type { GuardianMessage } from './guardian.js';
import type { Command } from './program.js';

export interface RankExit { rank: number; pid: number; code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }

export interface RankProcessOptions {
  rank: number;
  command: Command;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: boolean;
  tagOutput: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  onMessage(rank: number, m: RankToAgent): void;
  onExit(e: RankExit): void;
}

export class RankProcess {
  readonly child: ChildProcess;
  exited = false;
  private programPid: number | undefined;

  constructor(readonly o: RankProcessOptions) {
    this.child = spawn(o.command.file, o.command.args, {
      cwd: o.cwd,
      // A guardian makes no TLS connection: it starts without NODE_EXTRA_CA_CERTS and gives it back to its program.
      env: o.command.kind === 'guarded' ? withoutExtraCaCerts(o.env) : o.env,
      detached: true,
      stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const prefix = o.tagOutput ? `[${o.rank}] ` : '';
    const outDone = relayLines(this.child.stdout!, o.stdout as NodeJS.WritableStream & import('node:stream').Writable, prefix);
    const errDone = relayLines(this.child.stderr!, o.stderr as NodeJS.WritableStream & import('node:stream').Writable, prefix, (o.stderr as { isTTY?: boolean }).isTTY === true);
    if (o.stdin && this.child.stdin) {
      this.child.stdin.on('error', () => { /* the rank closed its stdin: fine */ });
      process.stdin.pipe(this.child.stdin);
    }
    this.child.on('message', (m: RankToAgent | GuardianMessage) => {
      // A guardian (non-Node program) names the program's own pid; everything else is the rank's.
      if (m.t === 'guardian-pid') this.programPid = m.pid;
      else o.onMessage(o.rank, m);
    });
    this.child.on('error', () => { /* the channel to a dying rank; exit is reported by 'exit'/'close' */ });
    let spawnError: Error | undefined;
    this.child.once('error', (err) => { spawnError = err; });
    // 'close' waits for the output streams too, so no line is lost after exit.
    this.child.on('close', (code, signal) => {
      void Promise.all([outDone, errDone]).then(() => {
        this.exited = true;
        if (o.stdin && this.child.stdin) process.stdin.unpipe(this.child.stdin);
        o.onExit({ rank: o.rank, pid: this.pid, code, signal, spawnError });
      });
    });
  }

  /** The rank program's pid (for a guarded program, its own, not the guardian's). */
  get pid(): number { return this.programPid ?? this.child.pid ?? -1; }

  send(m: AgentToRank): void {
    if (this.exited || !this.child.connected) return;
    this.child.send(m, (err) => { void err; /* a rank that just died: its exit is handled elsewhere */ });
  }

  /** Signal the rank's whole process group. */
  kill(signal: NodeJS.Signals): void {
    if (this.exited || this.child.pid === undefined) return;
    // The group is the rank's process (or its guardian) and everything it started.
    try { process.kill(-this.child.pid, signal); } catch { /* already gone */ }
  }
}
