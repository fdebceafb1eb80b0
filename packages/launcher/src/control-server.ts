/**
 * tsmpiexec's listener for host agents: every connection must prove it knows
 * the job secret before anything it sends is read; strangers are dropped and
 * the job goes on.
 */
import net from 'node:net';

import { ControlLink } from './agent/control-link.js';
import { AGENT_ID_BASE, type AgentToLauncher, type LauncherToAgent } from './agent/protocol.js';
import { acceptHandshake, listenInRange } from '@tsmpi/runtime/launch';

export type AgentLink = ControlLink<AgentToLauncher, LauncherToAgent>;

export class ControlServer {
  private server: net.Server | undefined;
  private links = new Set<AgentLink>();
  port = 0;

  constructor(private readonly secret: Buffer, private readonly onAgent: (hostIndex: number, link: AgentLink) => void) {}

  async listen(host: string, ports?: [number, number]): Promise<void> {
    this.server = net.createServer((s) => {
      s.setNoDelay(true);
      s.on('error', () => {});
      acceptHandshake(s, this.secret).then(({ id, rest }) => {
        const hostIndex = id - AGENT_ID_BASE;
        if (hostIndex < 0) { s.destroy(); return; }
        const link: AgentLink = new ControlLink(s, rest);
        this.links.add(link);
        this.onAgent(hostIndex, link);
      }, () => { /* not one of ours: already closed */ });
    });
    this.port = await listenInRange(this.server, host, ports);
  }

  close(): void {
    this.server?.close();
    for (const l of this.links) l.stream.destroy();
  }
}
