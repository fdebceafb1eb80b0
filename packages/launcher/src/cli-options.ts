/**
 * tsmpiexec's options once read from the command line: their checks and
 * defaults, shared by the yargs parser (cli.ts, every form and --help) and
 * the quick one for the common command lines (cli-quick.ts).
 */
import { parsePortRange } from '@tsmpi/runtime/launch';

export interface CliOptions {
  /** Undefined: one rank per slot (hosts given or in an allocation), else an error later. */
  np: number | undefined;
  host?: string;
  hostfile?: string;
  mapBy: 'slot' | 'node';
  oversubscribe: boolean;
  displayMap: boolean;
  launcher?: 'ssh' | 'slurm' | 'local';
  ssh: string;
  node: string;
  exportEnv: string[];
  iface?: string;
  ports?: [number, number];
  connectTimeout: number;
  program: string;
  args: string[];
  transport: 'auto' | 'tcp' | 'ws';
  /** --wait: how every rank waits for messages (TSMPI_WAIT); undefined: as tsmpiexec's environment says. */
  wait?: 'auto' | 'poll' | 'block';
  tagOutput: boolean;
  timeout?: number;
  wdir: string;
}

export class UsageError extends Error {}

/** Thrown after yargs printed --help or --version. */
export class HelpShown extends Error {}

/** The options as a parser read them (strings as typed, or as yargs converted them), before the checks. */
export interface ReadOptions {
  n?: string;
  /** The program and its arguments. */
  rest: string[];
  transport: CliOptions['transport'];
  wait?: CliOptions['wait'];
  tagOutput: boolean;
  timeout?: string;
  wdir?: string;
  host?: string;
  hostfile?: string;
  mapBy: CliOptions['mapBy'];
  oversubscribe: boolean;
  displayMap: boolean;
  launcher?: CliOptions['launcher'];
  ssh?: string;
  node: string;
  x: string[];
  iface?: string;
  ports?: string;
  connectTimeout: number;
}

/** Check what was read and fill in the defaults; `env` gives MPIEXEC_TIMEOUT, TSMPI_SSH and an allocation. Throws UsageError. */
export function checkOptions(a: ReadOptions, env: NodeJS.ProcessEnv): CliOptions {
  if (a.rest.length === 0) throw new UsageError('missing the program to run: tsmpiexec -n N program [args...]');
  let np: number | undefined;
  const allocation = env.SLURM_JOB_NODELIST ?? env.SLURM_NODELIST ?? env.PBS_NODEFILE;
  if (a.n === undefined && !a.host && !a.hostfile && !allocation) throw new UsageError('missing -n N: how many ranks to start');
  if (a.n !== undefined) {
    np = wholeNumber(a.n);
    if (np === undefined || np < 1) throw new UsageError(`-n ${a.n}: the number of ranks must be a whole number of at least 1`);
  }
  let ports: [number, number] | undefined;
  try { ports = parsePortRange(a.ports); } catch (e) { throw new UsageError(`--ports: ${(e as Error).message}`); }
  const timeout = parseTimeout(a.timeout, env.MPIEXEC_TIMEOUT);
  return {
    np,
    program: a.rest[0]!,
    args: a.rest.slice(1),
    transport: a.transport,
    wait: a.wait,
    tagOutput: a.tagOutput,
    timeout,
    wdir: a.wdir ?? process.cwd(),
    host: a.host,
    hostfile: a.hostfile,
    mapBy: a.mapBy,
    oversubscribe: a.oversubscribe,
    displayMap: a.displayMap,
    launcher: a.launcher,
    ssh: a.ssh ?? env.TSMPI_SSH ?? 'ssh',
    node: a.node,
    exportEnv: a.x,
    iface: a.iface,
    ports,
    connectTimeout: a.connectTimeout,
  };
}

function wholeNumber(s: string): number | undefined {
  return /^\s*\d+\s*$/.test(s) ? Number(s) : undefined;
}

/** Seconds from --timeout, else from MPIEXEC_TIMEOUT (as Open MPI reads it); undefined: no limit. */
function parseTimeout(flag: string | undefined, fromEnv: string | undefined): number | undefined {
  const [given, where] = flag !== undefined ? [flag, '--timeout'] : [fromEnv, 'MPIEXEC_TIMEOUT='];
  if (given === undefined || (flag === undefined && given.trim() === '')) return undefined;
  const s = Number(given.trim() === '' ? NaN : given);
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new UsageError(`${where}${where.endsWith('=') ? '' : ' '}${given}: give the time limit as a number of seconds above 0`);
  }
  return s;
}
