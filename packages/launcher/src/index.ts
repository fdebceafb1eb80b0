export { main } from './main.js';
export { parseCli, type CliOptions, UsageError } from './cli.js';
export { Job, type JobOptions } from './job.js';
export { ExitCode } from './constants.js';
export { programCommand } from './program.js';
