/**
 * The common command lines (`tsmpiexec -n 4 job.ts args...`, with
 * --tag-output, --transport, --wait, --timeout, --wdir) read without yargs, which
 * takes longer to load than the rest of tsmpiexec together. Anything else —
 * other options, other spellings, --help, anything that would be an error —
 * gives undefined, and cli.ts (yargs) reads the line instead, so every
 * message and edge case stays yargs'. For every line this accepts, the result
 * equals cli.ts' (a property test holds them together).
 */
import { type CliOptions, checkOptions, type ReadOptions, UsageError } from './cli-options.js';

const TRANSPORTS = new Set(['auto', 'tcp', 'ws']);
const WAITS = new Set(['auto', 'poll', 'block']);
/** Values taken as they are: no sign, no spaces, nothing yargs would read differently. */
const COUNT = /^\d+$/;
const SECONDS = /^\d+(\.\d+)?$/;

export function parseQuickCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions | undefined {
  const o: ReadOptions = {
    rest: [], transport: 'auto', tagOutput: false, mapBy: 'slot', oversubscribe: false, displayMap: false,
    node: 'node', x: [], connectTimeout: 10,
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') { i++; break; }
    if (!arg.startsWith('-')) break;
    if (arg === '--tag-output' || arg === '-l') {
      // yargs would take a following true/false as the flag's value.
      if (argv[i + 1] === 'true' || argv[i + 1] === 'false') return undefined;
      o.tagOutput = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) return undefined;
    switch (name) {
      case '-n': case '-np': case '--np':
        if (!COUNT.test(value)) return undefined;
        o.n = value;
        break;
      case '--transport':
        if (!TRANSPORTS.has(value)) return undefined;
        o.transport = value as CliOptions['transport'];
        break;
      case '--wait':
        if (!WAITS.has(value)) return undefined;
        o.wait = value as CliOptions['wait'];
        break;
      case '--timeout':
        if (!SECONDS.test(value)) return undefined;
        o.timeout = value;
        break;
      case '--wdir':
        if (value === '' || value.startsWith('-')) return undefined;
        o.wdir = value;
        break;
      default:
        return undefined;
    }
  }
  o.rest = argv.slice(i);
  // A program named like an option, or no -n: let yargs say what it thinks.
  if (o.rest.length === 0 || o.rest[0]!.startsWith('-') || o.n === undefined) return undefined;
  try {
    return checkOptions(o, env);
  } catch (err) {
    if (err instanceof UsageError) return undefined;
    throw err;
  }
}
