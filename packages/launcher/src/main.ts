/** `tsmpiexec` entry: parse, start the job, exit with its code. */
import { ExitCode } from './constants.js';
import { HelpShown, parseCli, UsageError } from './cli.js';
import { Job } from './job.js';
import { guardPipe } from './output-relay.js';
import { ProgramNotFound, programCommand } from './program.js';

export async function main(argv: string[]): Promise<number> {
  guardPipe(process.stdout);
  guardPipe(process.stderr);
  let opts;
  try {
    opts = parseCli(argv);
  } catch (err) {
    if (err instanceof HelpShown) return ExitCode.OK;
    if (err instanceof UsageError) {
      process.stderr.write(`tsmpiexec: ${err.message}\nRun 'tsmpiexec --help' for usage and examples.\n`);
      return ExitCode.USAGE;
    }
    throw err;
  }
  let command;
  try {
    command = programCommand(opts.program, opts.args, process.execPath, opts.wdir, process.env);
  } catch (err) {
    if (err instanceof ProgramNotFound) {
      process.stderr.write(`tsmpiexec: ${err.message}\n`);
      return ExitCode.CANNOT_RUN;
    }
    throw err;
  }
  const job = new Job({
    np: opts.np,
    command,
    transport: opts.transport,
    tagOutput: opts.tagOutput,
    timeout: opts.timeout,
    cwd: opts.wdir,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    log: (line) => process.stderr.write(line + '\n'),
  });
  return job.start();
}
