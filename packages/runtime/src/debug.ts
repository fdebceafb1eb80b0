/** `TSMPI_DEBUG=1` prints the runtime's start-up and shut-down steps to stderr. */
const on = !!process.env.TSMPI_DEBUG;
export function debug(...parts: unknown[]): void {
  if (on) process.stderr.write(`tsmpi[${process.env.TSMPI_RANK ?? 's'}] ${parts.join(' ')}\n`);
}
