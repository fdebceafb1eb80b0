#!/usr/bin/env node
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    // Let relayed output drain before leaving; stdin (piped to rank 0) must not hold us.
    process.stdin.destroy();
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  },
  (err) => {
    process.stderr.write(`tsmpiexec: internal error: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
