/** `tsmpiexec` entry: parse, plan the placement, start the job, exit with its code. */
import { Env } from '@tsmpi/runtime/launch';
import { ExitCode } from './constants.js';
import { HelpShown, UsageError } from './cli-options.js';
import { parseQuickCli } from './cli-quick.js';
import { HostParseError } from './hosts/host-spec.js';
import { Job } from './job.js';
import { guardPipe } from './output-relay.js';
import { describeMap, makePlan } from './plan.js';
import { ProgramNotFound, programCommand } from './program.js';

export async function main(argv: string[]): Promise<number> {
  guardPipe(process.stdout);
  guardPipe(process.stderr);
  let opts;
  let plan;
  try {
    // yargs is loaded only for the command lines the quick reader leaves to it.
    opts = parseQuickCli(argv) ?? (await import('./cli.js')).parseCli(argv);
    plan = await makePlan(opts);
  } catch (err) {
    if (err instanceof HelpShown) return ExitCode.OK;
    if (err instanceof UsageError || err instanceof HostParseError) {
      process.stderr.write(`tsmpiexec: ${err.message}\nRun 'tsmpiexec --help' for usage and examples.\n`);
      return ExitCode.USAGE;
    }
    throw err;
  }
  if (opts.displayMap) {
    process.stdout.write(describeMap(plan) + '\n');
    return ExitCode.OK;
  }
  let command;
  try {
    command = programCommand(opts.program, opts.args, process.execPath, opts.wdir, process.env);
  } catch (err) {
    // On a multi-host job the program only has to exist where ranks run; check here only for local ranks.
    if (err instanceof ProgramNotFound && plan.hosts.some((h) => h.local)) {
      process.stderr.write(`tsmpiexec: ${err.message}\n`);
      return ExitCode.CANNOT_RUN;
    }
    if (!(err instanceof ProgramNotFound)) throw err;
    command = { file: opts.program, args: opts.args, program: opts.program, kind: 'guarded' as const };
  }
  const job = new Job({
    plan,
    command,
    program: opts.program,
    args: opts.args,
    transport: opts.transport,
    tagOutput: opts.tagOutput,
    timeout: opts.timeout,
    cwd: opts.wdir,
    // --wait is TSMPI_WAIT for every rank: local ranks inherit it, remote ones get it forwarded (job.ts).
    env: opts.wait ? { ...process.env, [Env.WAIT]: opts.wait } : process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    ssh: opts.ssh,
    node: opts.node,
    exportEnv: opts.exportEnv,
    iface: opts.iface,
    ports: opts.ports,
    connectTimeout: opts.connectTimeout,
    log: (line) => process.stderr.write(line + '\n'),
  });
  return job.start();
}
