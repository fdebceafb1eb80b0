/**
 * Sockets and the launcher channel are unref'd so a finished program exits by
 * itself; while anything is pending (a receive, a send, start-up), one ref'd
 * timer keeps the process alive, so an awaited receive never silently ends it.
 */
let holds = 0;
let timer: NodeJS.Timeout | undefined;

/** Keep the process alive until a matching `letGo()` (no closure: the per-receive form). */
export function keep(): void {
  if (holds++ === 0) {
    timer ??= setInterval(() => {}, 1 << 30);
    timer.ref();
  }
}

/** Undo one `keep()`. */
export function letGo(): void {
  if (--holds === 0) timer?.unref();
}

/** `keep()`, and the function that undoes it (once, however often it is called). */
export function hold(): () => void {
  keep();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    letGo();
  };
}
