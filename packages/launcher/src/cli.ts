/** `tsmpiexec` command line (yargs): options in mpirun's spelling where one exists. */
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { type CliOptions, checkOptions, HelpShown, UsageError } from './cli-options.js';
import { ExitCode } from './constants.js';

export { type CliOptions, HelpShown, UsageError } from './cli-options.js';

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const EXAMPLES: [string, string][] = [
  ['tsmpiexec -n 4 job.ts', 'run job.ts (TypeScript, no build step) on 4 local ranks'],
  ['tsmpiexec -n 2 --tag-output node job.js', 'prefix every output line with its rank'],
  ['tsmpiexec -n 8 --timeout 60 job.ts', 'end the job (exit 124) if it runs longer than 60 s'],
  ['tsmpiexec -n 2 --transport ws job.ts', 'ranks talk over WebSocket instead of TCP'],
  ['tsmpiexec -n 2 hostname', 'any executable works; it sees TSMPI_RANK, OMPI_COMM_WORLD_RANK, PMI_RANK'],
];

/** Parse tsmpiexec's command line; `env` gives MPIEXEC_TIMEOUT. Throws UsageError, or HelpShown after --help/--version. */
// Paragraphs (yargs wraps them to the terminal's width).
const EPILOGUE = [
  'Each rank gets TSMPI_RANK, TSMPI_SIZE, TSMPI_LOCAL_RANK, TSMPI_LOCAL_SIZE, OMPI_COMM_WORLD_RANK/SIZE/LOCAL_RANK/LOCAL_SIZE, ' +
    'PMI_RANK and PMI_SIZE. Output is relayed in whole lines; stdin goes to rank 0, other ranks read end-of-file.',
  `Exit status: ${ExitCode.OK} when every rank exits 0; else the first failing rank's code (128+N for a rank killed by signal N, ` +
    `the code given to abort()), after the other ranks are ended; ${ExitCode.TIMEOUT} when --timeout expires; 128+N when tsmpiexec ` +
    `gets signal N (130: SIGINT, 143: SIGTERM); ${ExitCode.USAGE} for bad arguments; ${ExitCode.CANNOT_RUN} when the program is not found.`,
].join('\n\n');

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let failure: string | undefined;
  const y = yargs(argv)
    .scriptName('tsmpiexec')
    .usage('Usage: tsmpiexec -n N [options] program [args...]\n\nStart N ranks of one program that talk through tsmpi.')
    // halt-at-non-option: everything from the program on is the program's. No short-option groups,
    // so mpirun's single-dash `-np 4` means --np 4 (not -n -p). A repeated option: the last one counts
    // (only -x collects every occurrence). The program's arguments stay as typed: no "007" → "7", "1e3" → "1000".
    .parserConfiguration({ 'halt-at-non-option': true, 'unknown-options-as-args': false, 'short-option-groups': false, 'duplicate-arguments-array': true, 'parse-positional-numbers': false })
    // No `type` on -n and --timeout: we check them ourselves, so an error can quote what was typed.
    .option('n', { alias: ['np'], describe: 'number of ranks (mpirun spelling -np also works)', requiresArg: true })
    .option('transport', { choices: ['auto', 'tcp', 'ws'] as const, default: 'auto' as const, describe: 'auto: Unix sockets between ranks of one host, TCP between hosts; tcp: TCP only; ws: WebSocket' })
    .option('wait', { choices: ['auto', 'poll', 'block'] as const, describe: 'how ranks wait for messages: poll (spin, lowest latency), block (sleep), auto (poll while a host\'s ranks do not outnumber its cores; the default); sets TSMPI_WAIT' })
    .option('tag-output', { alias: ['l'], type: 'boolean', default: false, describe: 'prefix each output line with [rank]' })
    .option('timeout', { describe: `end the job after S seconds (exit ${ExitCode.TIMEOUT}); also MPIEXEC_TIMEOUT`, requiresArg: true })
    .option('wdir', { type: 'string', describe: 'working directory of the ranks (default: the current one)', requiresArg: true })
    .option('host', { alias: ['H', 'hosts'], type: 'string', describe: 'hosts and slots: h1:4,h2:4 (no :N = 1 slot)', requiresArg: true })
    .option('hostfile', { alias: ['machinefile'], type: 'string', describe: 'file of hosts: "host slots=N [max_slots=M]" (Open MPI) or "host:N" (Hydra)', requiresArg: true })
    .option('map-by', { choices: ['slot', 'node'] as const, default: 'slot' as const, describe: 'slot: fill each host in turn; node: round-robin over hosts' })
    .option('oversubscribe', { type: 'boolean', default: false, describe: 'allow more ranks than slots' })
    .option('display-map', { type: 'boolean', default: false, describe: 'print the placement (rank → host) and exit without running' })
    .option('launcher', { choices: ['ssh', 'slurm', 'local'] as const, describe: 'how to start remote agents (default: slurm inside an allocation, else ssh)' })
    .option('ssh', { type: 'string', describe: 'the ssh command (default: TSMPI_SSH or "ssh"), e.g. "ssh -p 2222 -i key"', requiresArg: true })
    .option('node', { type: 'string', default: 'node', describe: 'Node on remote hosts (default: node on the remote PATH)', requiresArg: true })
    .option('x', { type: 'string', array: true, nargs: 1, describe: 'forward VAR (or set VAR=value) for remote ranks; repeatable', requiresArg: true })
    .option('iface', { type: 'string', describe: 'network interface (name or CIDR) ranks and agents use between hosts', requiresArg: true })
    .option('ports', { type: 'string', describe: 'listen only on ports LOW-HIGH (for firewalls)', requiresArg: true })
    .option('connect-timeout', { type: 'number', default: 10, describe: 'seconds to wait for ssh to connect to a host', requiresArg: true })
    .example(EXAMPLES)
    .epilogue(EPILOGUE)
    .version(version)
    .alias('V', 'version')
    .help('help')
    .alias('h', 'help')
    .strictOptions()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    // One line: yargs spreads some messages ("Invalid values: ...") over several.
    .fail((msg, err) => { failure = (msg ?? err?.message ?? 'invalid arguments').replace(/\s*\n\s*/g, ' '); });
  const parsed = y.parseSync();
  const a = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, k === 'x' || k === '_' || !Array.isArray(v) ? v : v[v.length - 1]])) as typeof parsed;
  if (failure) throw new UsageError(failure);
  if (a.help || a.version) throw new HelpShown();
  return checkOptions({
    n: a.n === undefined ? undefined : String(a.n),
    rest: (a._ ?? []).map(String),
    transport: a.transport,
    wait: a.wait,
    tagOutput: a['tag-output'],
    timeout: a.timeout === undefined ? undefined : String(a.timeout),
    wdir: a.wdir,
    host: a.host,
    hostfile: a.hostfile,
    mapBy: a['map-by'],
    oversubscribe: a.oversubscribe,
    displayMap: a['display-map'],
    launcher: a.launcher,
    ssh: a.ssh,
    node: a.node,
    x: (a.x ?? []).map(String),
    iface: a.iface,
    ports: a.ports,
    connectTimeout: a['connect-timeout'],
  }, env);
}
