/**
 * One ref'd timer keeps the process alive while the pool waits for results
 * from worker threads (whose own handles are unref'd, so an idle pool never
 * keeps a finished program running).
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
