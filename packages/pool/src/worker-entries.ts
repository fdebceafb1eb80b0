/**
 * Files that a pool starts by their path (worker threads). Declared in a module at the top of
 * src/ so that `import.meta.url` is the same directory whether this code runs from its own
 * file (dist/worker-entries.js) or from the package's bundle (dist/index.js or a chunk beside it).
 */
export const LOCAL_WORKER = new URL('./backends/local-worker.js', import.meta.url);
