/** `tsmpiexec` command line (yargs): options in mpirun's spelling where one exists. */
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { ExitCode } from './constants.js';

export interface CliOptions {
  np: number;
  program: string;
  args: string[];
  transport: 'auto' | 'tcp' | 'ws';
  tagOutput: boolean;
  timeout?: number;
  wdir: string;
}

export class UsageError extends Error {}

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const EXAMPLES: [string, string][] = [
  ['tsmpiexec -n 4 job.ts', 'run job.ts (TypeScript, no build step) on 4 local ranks'],
  ['tsmpiexec -n 2 --tag-output node job.js', 'prefix every output line with its rank'],
  ['tsmpiexec -n 8 --timeout 60 job.ts', 'end the job (exit 124) if it runs longer than 60 s'],
  ['tsmpiexec -n 2 --transport ws job.ts', 'ranks talk over WebSocket instead of TCP'],
  ['tsmpiexec -n 2 hostname', 'any executable works; it sees TSMPI_RANK, OMPI_COMM_WORLD_RANK, PMI_RANK'],
];

export function parseCli(argv: string[]): CliOptions {
  let failure: string | undefined;
  const y = yargs(argv)
    .scriptName('tsmpiexec')
    .usage('Usage: tsmpiexec -n N [options] program [args...]\n\nStart N ranks of one program that talk through tsmpi.')
    .parserConfiguration({ 'halt-at-non-option': true, 'unknown-options-as-args': false })
    .option('n', { alias: ['np'], type: 'number', describe: 'number of ranks', requiresArg: true })
    .option('transport', { choices: ['auto', 'tcp', 'ws'] as const, default: 'auto' as const, describe: 'auto: Unix sockets between ranks of one host, TCP between hosts; tcp: TCP only; ws: WebSocket' })
    .option('tag-output', { alias: ['l'], type: 'boolean', default: false, describe: 'prefix each output line with [rank]' })
    .option('timeout', { type: 'number', describe: `end the job after S seconds (exit ${ExitCode.TIMEOUT}); also MPIEXEC_TIMEOUT`, requiresArg: true })
    .option('wdir', { type: 'string', describe: 'working directory of the ranks (default: the current one)', requiresArg: true })
    .example(EXAMPLES)
    .version(version)
    .alias('V', 'version')
    .help('help')
    .alias('h', 'help')
    .strictOptions()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => { failure = msg ?? err?.message ?? 'invalid arguments'; });
  const a = y.parseSync();
  if (failure) throw new UsageError(failure);
  if (a.help || a.version) throw new HelpShown();
  const rest = (a._ ?? []).map(String);
  if (rest.length === 0) throw new UsageError('missing the program to run: tsmpiexec -n N program [args...]');
  const np = a.n;
  if (np === undefined) throw new UsageError('missing -n N: how many ranks to start');
  if (!Number.isInteger(np) || np < 1) throw new UsageError(`-n ${np}: the number of ranks must be an integer of at least 1`);
  const envTimeout = process.env.MPIEXEC_TIMEOUT ? Number(process.env.MPIEXEC_TIMEOUT) : undefined;
  const timeout = a.timeout ?? envTimeout;
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout ${timeout}: give a number of seconds above 0`);
  return {
    np,
    program: rest[0]!,
    args: rest.slice(1),
    transport: a.transport,
    tagOutput: a['tag-output'],
    timeout,
    wdir: a.wdir ?? process.cwd(),
  };
}

/** Thrown after yargs printed --help or --version. */
export class HelpShown extends Error {}
