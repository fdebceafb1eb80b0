#!/usr/bin/env node
/** Entry point of the host agent that tsmpiexec starts on remote hosts (see agent/agent-main.ts). */
import { agentMain } from './agent/agent-main.js';

agentMain().catch((err) => {
  process.stderr.write(`tsmpi-agent: ${err?.stack ?? err}\n`);
  process.exit(1);
});
