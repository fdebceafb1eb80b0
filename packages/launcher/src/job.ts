/**
 * A running job: starts the ranks (here directly, elsewhere through host
 * agents), answers their start-up requests (secret, address table), holds the
 * closing barrier, and decides the one exit code: 0 when every rank exits 0,
 * else the first failure's code (128+signal for a signal death, the code given
 * to abort()), after ending every other rank on every host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';
import { type AgentToRank, type Card, Env, type RankToAgent, type WaitReport } from '@tsmpi/runtime/launch';
import type { AgentConfig, AgentToLauncher } from './agent/protocol.js';
import { ENDING_SIGNALS, ExitCode, FORWARDED_SIGNALS, KILL_GRACE_MS, REPORT_SIGNAL } from './constants.js';
import type { ControlServer, AgentLink } from './control-server.js';
import type { JobPlan } from './plan.js';
import type { Command } from './program.js';
import { mallocTunables } from './malloc-tunables.js';
import { randomHex } from './random-hex.js';
import { nodeRankCaEnv } from './rank-ca-certs.js';
import { rankEnv } from './rank-env.js';
import { type RankExit, RankProcess } from './rank-process.js';
import { RemoteHost, RemoteRank } from './remote-host.js';
import { startSrunAgents, startSshAgent } from './remote-launch.js';
import { formatWaitReport } from './wait-report.js';

export interface JobOptions {
  plan: JobPlan;
  command: Command;
  program: string;
  args: string[];
  transport: 'auto' | 'tcp' | 'ws';
  tagOutput: boolean;
  timeout?: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Remote hosts: how to reach them and what their ranks get. */
  ssh?: string;
  node?: string;
  exportEnv?: string[];
  iface?: string;
  ports?: [number, number];
  connectTimeout?: number;
  /** Print diagnostics (why each failed rank failed) to this stream. */
  log(line: string): void;
}

interface RankHandle { readonly pid: number; send(m: AgentToRank): void; kill(signal: NodeJS.Signals): void }

interface RankState {
  handle: RankHandle;
  host: string;
  remote?: RemoteHost;
  card?: Card;
  finalizing: boolean;
  exit?: RankExit;
  aborted?: boolean;
  waiting?: WaitReport;
}

/** Signals this launcher sends to end a job: a rank that dies by one of them once the job is ending did not fail by itself. */
const ENDED_BY_LAUNCHER = new Set<NodeJS.Signals>(['SIGTERM', 'SIGKILL']);
/** An agent that stays silent this long is taken for lost. */
const AGENT_SILENCE_MS = 6000;
/** The exit code when a host cannot be reached or its agent is lost (as ssh's own failure code). */
export const HOST_FAILED = 255;

const signalNumber = (s: NodeJS.Signals) => (osConstants.signals as Record<string, number>)[s] ?? 0;

export class Job {
  private ranks: RankState[] = [];
  private remotes: RemoteHost[] = [];
  private readonly secret = randomHex(32);
  private readonly jobId = randomHex(6);
  private socketDir: string | undefined;
  private server: ControlServer | undefined;
  private tableSent = false;
  private result: number | undefined;
  private ending = false;
  private killTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private finished!: (code: number) => void;
  readonly done = new Promise<number>((r) => { this.finished = r; });
  private readonly signalHandlers: [NodeJS.Signals, () => void][] = [];
  private reportWaiters: (() => void)[] = [];
  private reportingFailure = false;

  constructor(private readonly o: JobOptions) {}

  async start(): Promise<number> {
    const { plan } = this.o;
    this.installSignals();
    const remotePlans = plan.hosts.filter((h) => !h.local);
    // Where this host's ranks (and the agents' callbacks) listen: loopback for a
    // single-host job, else the interface that routes to the other hosts.
    let bind = '127.0.0.1';
    if (remotePlans.length > 0) {
      // Multi-host only (as the control server below): a single-host job does not load node:dgram and node:dns.
      const { interfaceAddress, routeAddressTo } = await import('./net-address.js');
      try {
        bind = this.o.iface ? interfaceAddress(this.o.iface) ?? fail(`--iface ${this.o.iface}: no IPv4 interface of this host matches`) : await routeAddressTo(remotePlans[0]!.spec.host);
      } catch (err) {
        this.o.log(`tsmpiexec: cannot find the address that reaches ${remotePlans[0]!.spec.host}: ${(err as Error).message}; give --iface`);
        return HOST_FAILED;
      }
    }
    this.ranks = new Array(plan.np);
    plan.hosts.forEach((h, hostIndex) => {
      if (h.local) this.startLocal(h.ranks, hostIndex, bind);
      else {
        const remote = new RemoteHost(hostIndex, h.spec.host, h.ranks);
        this.remotes.push(remote);
        for (const r of h.ranks) this.ranks[r] = { handle: new RemoteRank(remote, r), host: h.spec.host, remote, finalizing: false };
      }
    });
    if (this.remotes.length) await this.startRemotes(bind);
    if (this.o.timeout && this.o.timeout > 0) {
      this.timeoutTimer = setTimeout(() => {
        void this.report('timeout').then(() => {
          this.o.log(`tsmpiexec: the job did not finish within its time limit of ${this.o.timeout} s; ending it (exit ${ExitCode.TIMEOUT})`);
          this.fail(ExitCode.TIMEOUT);
        });
      }, this.o.timeout * 1000);
    }
    return this.done;
  }

  private startLocal(ranks: number[], hostIndex: number, bind: string): void {
    this.socketDir ??= mkdtempSync(join(tmpdir(), `tsmpi-${this.jobId}-`));
    const jobEnv: Record<string, string> = {
      [Env.JOB]: this.jobId,
      [Env.HOST_ID]: `${hostname()}#${hostIndex}`,
      [Env.TRANSPORT]: this.o.transport,
      [Env.BIND]: bind,
      [Env.SOCKET_DIR]: this.socketDir,
      // Ranks' stderr is a pipe; tell them when it ends on a terminal (redraw lines pass through).
      ...((this.o.stderr as { isTTY?: boolean }).isTTY ? { [Env.STDERR_TTY]: String((this.o.stderr as { columns?: number }).columns || 80) } : {}),
      ...(this.o.ports ? { [Env.PORTS]: `${this.o.ports[0]}-${this.o.ports[1]}` } : {}),
      ...mallocTunables(this.o.env.GLIBC_TUNABLES),
    };
    // A Node rank of this Node starts with only the extra certificates Node lacks (its program sees them as set).
    const { command } = this.o;
    const baseEnv = command.kind === 'node' && command.file === process.execPath ? nodeRankCaEnv(this.o.env, this.o.cwd) : this.o.env;
    ranks.forEach((rank, localRank) => {
      const env = { ...baseEnv, ...rankEnv({ rank, size: this.o.plan.np, localRank, localSize: ranks.length, nodeRank: hostIndex }, jobEnv) };
      const proc = new RankProcess({
        rank, command: this.o.command, env, cwd: this.o.cwd, stdin: rank === 0, tagOutput: this.o.tagOutput,
        stdout: this.o.stdout, stderr: this.o.stderr,
        onMessage: (r, m) => this.onMessage(r, m),
        onExit: (e) => this.onExit(e),
      });
      this.ranks[rank] = { handle: proc, host: hostname(), finalizing: false };
    });
  }

  /** Environment for remote ranks: only what -x names (local ranks inherit everything). */
  private forwardedEnv(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const x of this.o.exportEnv ?? []) {
      const eq = x.indexOf('=');
      if (eq > 0) out[x.slice(0, eq)] = x.slice(eq + 1);
      else if (this.o.env[x] !== undefined) out[x] = this.o.env[x]!;
    }
    if (this.o.ports) out[Env.PORTS] = `${this.o.ports[0]}-${this.o.ports[1]}`;
    // How ranks wait is a setting of the job, not of one host (as mpirun forwards OMPI_MCA_*).
    for (const k of [Env.WAIT, Env.POLL_US]) if (this.o.env[k] !== undefined) out[k] ??= this.o.env[k]!;
    return out;
  }

  private async startRemotes(bind: string): Promise<void> {
    const { ControlServer } = await import('./control-server.js');
    this.server = new ControlServer(Buffer.from(this.secret, 'hex'), (hostIndex, link) => this.onAgent(hostIndex, link));
    try {
      await this.server.listen(bind, this.o.ports);
    } catch (err) {
      this.o.log(`tsmpiexec: cannot listen for host agents on ${bind}: ${(err as Error).message}`);
      this.fail(HOST_FAILED);
      return;
    }
    const base: Omit<AgentConfig, 'hostIndex'> = {
      secret: this.secret, job: this.jobId, launcher: { host: bind, port: this.server.port },
      hosts: this.o.plan.hosts.map((h) => ({ host: h.spec.host, ranks: h.ranks.map((rank, localRank) => ({ rank, localRank })) })),
      size: this.o.plan.np, program: this.o.program, args: this.o.args, wdir: this.o.cwd, node: this.o.node ?? 'node',
      env: this.forwardedEnv(), transport: this.o.transport, iface: this.o.iface, ports: this.o.ports, tagOutput: this.o.tagOutput,
    };
    const timeoutS = this.o.connectTimeout ?? 10;
    if (this.o.plan.launcher === 'slurm') {
      // One srun starts every agent; each finds its host by SLURM_NODEID.
      const started = startSrunAgents(this.remotes.map((h) => h.name), { ...base, hostIndex: this.remotes[0]!.index });
      for (const h of this.remotes) { h.starter = started.child; h.starterStderr = started.stderr; }
      started.child.on('exit', (code, signal) => this.onStarterExit(this.remotes, code, signal));
    } else {
      for (const h of this.remotes) {
        const spec = this.o.plan.hosts[h.index]!.spec;
        const target = spec.user ? `${spec.user}@${spec.host}` : spec.host;
        const started = startSshAgent(this.o.ssh ?? 'ssh', target, timeoutS, { ...base, hostIndex: h.index });
        h.starter = started.child;
        h.starterStderr = started.stderr;
        started.child.on('exit', (code, signal) => this.onStarterExit([h], code, signal));
      }
    }
    // Agents that never call back (a hung ssh, a firewall) fail the job instead of hanging it.
    setTimeout(() => {
      const missing = this.remotes.filter((h) => !h.link);
      if (missing.length && !this.ending) {
        for (const h of missing) this.o.log(`tsmpiexec: host ${h.name}: its agent did not connect back within ${timeoutS + 10} s (ssh said: ${h.sshMessage()}); check --iface and firewalls (docs/multi-host.md)`);
        this.fail(HOST_FAILED);
      }
    }, (timeoutS + 10) * 1000).unref();
    this.heartbeat = setInterval(() => {
      for (const h of this.remotes) {
        if (!h.link) continue;
        h.link.send({ t: 'ping' });
        const pending = h.ranks.some((r) => !this.ranks[r]!.exit);
        if (pending && Date.now() - h.lastHeard > AGENT_SILENCE_MS && !this.ending) {
          this.o.log(`tsmpiexec: host ${h.name}: its agent stopped answering; ending the job`);
          this.fail(HOST_FAILED);
        }
      }
    }, 1000);
    this.heartbeat.unref();
  }

  private onStarterExit(hosts: RemoteHost[], code: number | null, signal: NodeJS.Signals | null): void {
    for (const h of hosts) {
      const pending = h.ranks.filter((r) => !this.ranks[r]!.exit);
      if (pending.length === 0) continue;
      if (!this.ending) {
        const how = h.link ? 'the connection to its agent was lost' : 'could not start its agent';
        this.o.log(`tsmpiexec: host ${h.name}: ${how} (${this.o.plan.launcher} exited with ${signal ?? `code ${code}`}: ${h.sshMessage()})`);
        this.fail(HOST_FAILED);
      }
      // Nothing more will be heard of these ranks: count them as gone.
      for (const r of pending) this.recordExit({ rank: r, pid: this.ranks[r]!.handle.pid, code: null, signal: 'SIGKILL' }, true);
    }
  }

  private onAgent(hostIndex: number, link: AgentLink): void {
    const h = this.remotes.find((x) => x.index === hostIndex);
    if (!h || h.link) { link.stream.destroy(); return; }
    h.attach(link);
    link.onMessage = (m) => this.onAgentMessage(h, m);
    link.onClose = () => {
      if (h.ranks.some((r) => !this.ranks[r]!.exit) && !this.ending) {
        this.o.log(`tsmpiexec: host ${h.name}: lost the connection to its agent; ending the job`);
        this.fail(HOST_FAILED);
      }
    };
    if (this.ending) h.kill('SIGTERM');
  }

  private onAgentMessage(h: RemoteHost, m: AgentToLauncher): void {
    h.lastHeard = Date.now();
    switch (m.t) {
      case 'cards':
        for (const [r, card] of Object.entries(m.cards)) { const st = this.ranks[Number(r)]; if (st) st.card = card; }
        this.maybeSendTable();
        break;
      case 'rank':
        if (h.ranks.includes(m.rank)) this.onMessage(m.rank, m.m);
        break;
      case 'out':
        (m.fd === 1 ? this.o.stdout : this.o.stderr).write(m.data);
        break;
      case 'exit':
        if (h.ranks.includes(m.rank)) {
          h.pids.set(m.rank, m.pid);
          this.onExit({ rank: m.rank, pid: m.pid, code: m.code, signal: m.signal, spawnError: m.error ? new Error(m.error) : undefined });
        }
        break;
      default:
        break;
    }
  }

  private onMessage(rank: number, m: RankToAgent): void {
    const st = this.ranks[rank]!;
    switch (m.t) {
      case 'hello':
        st.handle.send({ t: 'secret', secret: this.secret });
        break;
      case 'card':
        st.card = m.card;
        this.maybeSendTable();
        break;
      case 'finalize':
        st.finalizing = true;
        this.maybeRelease();
        break;
      case 'abort':
        st.aborted = true;
        this.o.log(`tsmpiexec: rank ${rank} (pid ${st.handle.pid}) on ${st.host} called abort(${m.code}); ending the job`);
        this.fail(m.code & 0xff, true);
        break;
      case 'waiting':
        st.waiting = m.report;
        if (this.ranks.every((r) => r.waiting || r.exit)) for (const w of this.reportWaiters.splice(0)) w();
        break;
      default:
        break;
    }
  }

  private maybeSendTable(): void {
    if (this.tableSent) return;
    const missing = this.ranks.filter((r) => !r.card);
    if (missing.length === 0) {
      this.tableSent = true;
      const cards = this.ranks.map((r) => r.card!);
      // One message per remote host; local ranks each get theirs on their own channel.
      for (const h of this.remotes) h.send({ t: 'table', cards });
      for (const r of this.ranks) if (!r.remote) r.handle.send({ t: 'table', cards });
      return;
    }
    // A rank that exited cleanly without ever calling init() cannot join: tell the waiting ones.
    // (One that failed ends the job anyway; its failure is the one to report.)
    const gone = missing.find((r) => r.exit && r.exit.code === 0 && !r.exit.signal);
    if (gone && !this.ending && !this.reportingFailure) {
      const message = `rank ${gone.exit!.rank} exited before calling init(); every rank of a job must call init()`;
      for (const r of this.ranks) if (r.card && !r.exit) r.handle.send({ t: 'table-failed', message });
    }
  }

  private maybeRelease(): void {
    if (!this.ranks.every((r) => r.finalizing || r.exit)) return;
    for (const r of this.ranks) if (r.finalizing && !r.exit) r.handle.send({ t: 'release' });
  }

  private onExit(e: RankExit): void {
    this.recordExit(e, false);
  }

  private recordExit(e: RankExit, lost: boolean): void {
    const st = this.ranks[e.rank]!;
    if (st.exit) return;
    st.exit = e;
    const failure = lost ? undefined : this.failureOf(e, st.host);
    // One line per rank that failed by itself (not the ranks this launcher is ending, nor one that
    // already said abort); the first failure's code is the job's.
    if (failure && !st.aborted && !(this.ending && e.signal && ENDED_BY_LAUNCHER.has(e.signal))) {
      this.o.log(failure.line);
      this.failWithReport(failure.code);
    } else if (!failure && !this.ending) {
      this.maybeSendTable();
      this.maybeRelease();
    }
    if (this.reportWaiters.length && this.ranks.every((r) => r.waiting || r.exit)) for (const w of this.reportWaiters.splice(0)) w();
    if (this.ranks.every((r) => r.exit)) this.finish();
  }

  private failureOf(e: RankExit, host: string): { code: number; line: string } | undefined {
    const where = `rank ${e.rank} (pid ${e.pid}) on ${host}`;
    if (e.spawnError) return { code: ExitCode.CANNOT_RUN, line: `tsmpiexec: rank ${e.rank} on ${host} could not start ${this.o.program}: ${e.spawnError.message}` };
    if (e.signal) return { code: 128 + signalNumber(e.signal), line: `tsmpiexec: ${where} was killed by signal ${e.signal}` };
    if (e.code !== 0) return { code: e.code ?? ExitCode.FAILURE, line: `tsmpiexec: ${where} exited with code ${e.code}` };
    return undefined;
  }

  /**
   * A rank failed by itself: say where every other rank was waiting (asking
   * for at most 300 ms), then end the job. A second failure meanwhile ends it at once.
   */
  private failWithReport(code: number): void {
    if (this.ending || this.reportingFailure || this.ranks.every((r) => r.exit)) { this.fail(code); return; }
    this.reportingFailure = true;
    this.result ??= code;
    void this.report('failure').then(() => this.fail(code));
  }

  /** End the job with `code` (the first failure wins; an abort overrides an exit code it caused). */
  fail(code: number, fromAbort = false): void {
    if (this.result === undefined || (fromAbort && !this.ending)) this.result = code;
    if (this.ending) return;
    this.ending = true;
    const alive = this.ranks.filter((r) => r && !r.exit);
    if (alive.length) this.o.log(`tsmpiexec: ending ${alive.length} remaining rank${alive.length > 1 ? 's' : ''}`);
    for (const r of alive) if (!r.remote) { r.handle.kill('SIGCONT'); r.handle.kill('SIGTERM'); }
    for (const h of this.remotes) h.kill('SIGTERM');
    this.killTimer = setTimeout(() => {
      for (const r of this.ranks) if (r && !r.exit && !r.remote) r.handle.kill('SIGKILL');
      for (const h of this.remotes) h.kill('SIGKILL');
      // Remote hosts that still say nothing: stop their ssh, which ends their agents.
      setTimeout(() => {
        for (const h of this.remotes) {
          if (h.starter?.pid !== undefined && h.starter.exitCode === null) { try { process.kill(-h.starter.pid, 'SIGKILL'); } catch { /* gone */ } }
        }
      }, KILL_GRACE_MS).unref();
    }, KILL_GRACE_MS);
    this.killTimer.unref();
    if (this.ranks.every((r) => r && r.exit)) this.finish();
  }

  /**
   * Ask every rank what it is waiting on and print the report (with any
   * deadlock cycle). Ranks that do not answer in time (a second; 300 ms after a failure) are named.
   */
  report(why: 'timeout' | 'signal' | 'failure'): Promise<void> {
    for (const r of this.ranks) if (r) r.waiting = undefined;
    for (const r of this.ranks) if (r && !r.exit) r.handle.send({ t: 'report' });
    return new Promise<void>((resolve) => {
      const done = () => { clearTimeout(t); resolve(); };
      // After a failure, waste little time: the surviving ranks are idle in their waits and answer at once.
      const t = setTimeout(done, why === 'failure' ? 300 : 1000);
      this.reportWaiters.push(done);
    }).then(() => {
      this.o.log(formatWaitReport(this.ranks.map((r) => ({ host: r.host, exited: r.exit !== undefined, finalizing: r.finalizing, report: r.waiting })), why));
    });
  }

  private installSignals(): void {
    for (const s of ENDING_SIGNALS) {
      const h = () => {
        this.o.log(`tsmpiexec: received ${s}; ending the job`);
        this.fail(128 + signalNumber(s));
      };
      process.on(s, h);
      this.signalHandlers.push([s, h]);
    }
    for (const s of FORWARDED_SIGNALS) {
      const h = () => { for (const r of this.ranks) if (r && !r.remote) r.handle.kill(s); for (const x of this.remotes) x.kill(s); };
      process.on(s, h);
      this.signalHandlers.push([s, h]);
    }
    const onReport = () => { void this.report('signal'); };
    process.on(REPORT_SIGNAL, onReport);
    this.signalHandlers.push([REPORT_SIGNAL, onReport]);
  }

  private finish(): void {
    clearTimeout(this.killTimer);
    clearTimeout(this.timeoutTimer);
    clearInterval(this.heartbeat);
    for (const [s, h] of this.signalHandlers) process.off(s, h);
    if (this.socketDir) rmSync(this.socketDir, { recursive: true, force: true });
    // Agents exit once their ranks have; don't wait for their ssh to wind down.
    for (const h of this.remotes) h.link?.stream.end();
    this.server?.close();
    this.finished(this.result ?? ExitCode.OK);
  }
}

function fail(message: string): never {
  throw new Error(message);
}
