/**
 * Sockets and the launcher channel are unref'd so a finished program exits by
 * itself; while anything is pending (a receive, a send, start-up), one ref'd
 * timer keeps the process alive, so an awaited receive never silently ends it.
 */
let holds = 0;
let timer: NodeJS.Timeout | undefined;

export function hold(): () => void {
  if (holds++ === 0) {
    timer ??= setInterval(() => {}, 1 << 30);
    timer.ref();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holds === 0) timer?.unref();
  };
}
