export { main } from './main.js';
export { parseCli, type CliOptions, UsageError, HelpShown } from './cli.js';
export { parseQuickCli } from './cli-quick.js';
export { Job, type JobOptions } from './job.js';
export { ExitCode } from './constants.js';
export { programCommand, findExecutable, ProgramNotFound, type Command, GUARDIAN, TS_LOADER } from './program.js';
export { relayLines, guardPipe } from './output-relay.js';
export { rankEnv } from './rank-env.js';
export { mallocTunables } from './malloc-tunables.js';
