/**
 * The host agent: started on each remote host (by ssh or srun) with its
 * configuration on standard input. It connects back to tsmpiexec, proves it
 * knows the job secret, starts this host's ranks, relays their output, exit
 * statuses and control messages, and ends them all if tsmpiexec goes away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Card, connectHandshake, Env } from '@tsmpi/runtime/launch';
import { programCommand } from '../program.js';
import { mallocTunables } from '../malloc-tunables.js';
import { rankEnv } from '../rank-env.js';
import { RankProcess } from '../rank-process.js';
import { interfaceAddress, routeAddressTo } from '../net-address.js';
import { ControlLink } from './control-link.js';
import { AGENT_ID_BASE, type AgentConfig, type AgentToLauncher, type LauncherToAgent } from './protocol.js';

const HEARTBEAT_MS = 1000;
const LOST_AFTER_MS = 6000;
/** Signals that end an agent from outside (sshd, Slurm, a Ctrl-C to srun): it removes the socket directory, then ends by them. */
const AGENT_END_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

function readConfig(): Promise<AgentConfig> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (c: Buffer) => {
      text += c.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      process.stdin.off('data', onData);
      process.stdin.pause();
      try { resolve(JSON.parse(text.slice(0, nl)) as AgentConfig); } catch (e) { reject(e); }
    };
    process.stdin.on('data', onData);
    process.stdin.once('end', () => reject(new Error('no configuration on standard input')));
  });
}

function die(msg: string, code = 1): never {
  process.stderr.write(`tsmpi-agent: ${msg}\n`);
  process.exit(code);
}

export async function agentMain(): Promise<void> {
  const cfg = await readConfig().catch((e) => die(`cannot read the job configuration: ${(e as Error).message}`));
  const hostIndex = process.env.SLURM_NODEID !== undefined && cfg.hosts.length > 1 ? Number(process.env.SLURM_NODEID) : cfg.hostIndex;
  const me = cfg.hosts[hostIndex];
  if (!me) die(`no ranks for host index ${hostIndex}`);
  let bind: string;
  if (cfg.iface) {
    const a = interfaceAddress(cfg.iface);
    if (!a) die(`--iface ${cfg.iface}: no IPv4 interface matches on this host`);
    bind = a;
  } else {
    bind = await routeAddressTo(cfg.launcher.host).catch((e) => die(`cannot find a route to tsmpiexec at ${cfg.launcher.host}: ${(e as Error).message}`));
  }
  const socket = net.connect({ host: cfg.launcher.host, port: cfg.launcher.port });
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('error', (e) => die(`cannot connect to tsmpiexec at ${cfg.launcher.host}:${cfg.launcher.port}: ${e.message}`));
  });
  socket.setNoDelay(true);
  const secret = Buffer.from(cfg.secret, 'hex');
  const { rest } = await connectHandshake(socket, secret, AGENT_ID_BASE + hostIndex).catch((e) => die(`tsmpiexec did not authenticate: ${(e as Error).message}`));
  const link = new ControlLink<LauncherToAgent, AgentToLauncher>(socket, rest);

  const socketDir = mkdtempSync(join(tmpdir(), `tsmpi-${cfg.job}-`));
  const ranks = new Map<number, RankProcess>();
  const cards: Record<number, Card> = {};
  let exited = 0;
  let lastHeard = Date.now();

  // The socket directory goes first whenever this host's part of the job ends early: the ranks
  // being ended keep the sockets they opened, and nothing guarantees this agent a later turn
  // (ssh or Slurm may end it at once; a write to a gone ssh's stderr fails).
  const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true });
  process.stderr.on('error', () => { /* ssh is gone: nobody to tell */ });
  for (const sig of AGENT_END_SIGNALS) {
    process.once(sig, () => {
      removeSocketDir();
      // Then end as the signal would have ended it (the ranks notice the lost channel and exit).
      process.kill(process.pid, sig);
    });
  }
  const killAll = (signal: NodeJS.Signals) => { for (const r of ranks.values()) r.kill(signal); };
  const shutdown = (why: string) => {
    removeSocketDir();
    if (ranks.size > exited) process.stderr.write(`tsmpi-agent on ${me.host}: ${why}; ending this host's ranks\n`);
    killAll('SIGTERM');
    setTimeout(() => { killAll('SIGKILL'); removeSocketDir(); process.exit(1); }, 1000).unref();
  };
  link.onClose = (why) => shutdown(`lost tsmpiexec (${why})`);
  const watchdog = setInterval(() => {
    if (Date.now() - lastHeard > LOST_AFTER_MS) shutdown('tsmpiexec stopped answering');
    link.send({ t: 'ping' });
  }, HEARTBEAT_MS);

  link.onMessage = (m) => {
    lastHeard = Date.now();
    switch (m.t) {
      case 'table': for (const r of ranks.values()) r.send({ t: 'table', cards: m.cards }); break;
      case 'table-failed': for (const r of ranks.values()) r.send({ t: 'table-failed', message: m.message }); break;
      case 'rank': ranks.get(m.rank)?.send(m.m); break;
      case 'kill': killAll(m.signal); break;
      default: break;
    }
  };
  link.send({ t: 'ready', hostIndex, address: bind, pid: process.pid });

  const lineSink = (rank: number, fd: 1 | 2) => new Writable({
    write(chunk: Buffer | string, _enc, cb) { link.send({ t: 'out', rank, fd, data: chunk.toString() }); cb(); },
  });
  const jobEnv: Record<string, string> = {
    [Env.JOB]: cfg.job,
    [Env.HOST_ID]: `${me.host}#${hostIndex}`,
    [Env.TRANSPORT]: cfg.transport,
    [Env.BIND]: bind,
    [Env.SOCKET_DIR]: socketDir,
    // This host's platform and the environment its ranks inherit (what -x forwarded included).
    ...mallocTunables(cfg.env.GLIBC_TUNABLES ?? process.env.GLIBC_TUNABLES),
  };
  let command;
  try {
    command = programCommand(cfg.program, cfg.args, cfg.node, cfg.wdir);
  } catch (e) {
    die(`${(e as Error).message} (on host ${me.host}, in ${cfg.wdir})`, 127);
  }
  for (const { rank, localRank } of me.ranks) {
    const env = { ...process.env, ...cfg.env, ...rankEnv({ rank, size: cfg.size, localRank, localSize: me.ranks.length, nodeRank: hostIndex }, jobEnv) };
    const proc = new RankProcess({
      rank, command, env, cwd: cfg.wdir, stdin: false, tagOutput: cfg.tagOutput,
      stdout: lineSink(rank, 1), stderr: lineSink(rank, 2),
      onMessage: (r, msg) => {
        if (msg.t === 'hello') { ranks.get(r)?.send({ t: 'secret', secret: cfg.secret }); return; }
        if (msg.t === 'card') {
          cards[r] = msg.card;
          if (Object.keys(cards).length === me.ranks.length) link.send({ t: 'cards', cards });
          return;
        }
        link.send({ t: 'rank', rank: r, m: msg });
      },
      onExit: (e) => {
        exited++;
        link.send({ t: 'exit', rank: e.rank, pid: e.pid, code: e.code, signal: e.signal, error: e.spawnError?.message });
        if (exited === me.ranks.length) {
          clearInterval(watchdog);
          removeSocketDir();
          // Leave once tsmpiexec has read everything and closed its side. Exiting at once could
          // reset the connection (its pings unread here) and drop our last exit messages there.
          link.onClose = () => process.exit(0);
          socket.end();
          setTimeout(() => process.exit(0), 10_000).unref();
        }
      },
    });
    ranks.set(rank, proc);
  }
}
