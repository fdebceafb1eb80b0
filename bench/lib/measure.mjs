/**
 * Helpers shared by every measuring program (tsmpi ranks and the raw Node
 * echo client): the configuration passed on the command line, the result line
 * the orchestrator picks up, statistics, and memory readings from /proc.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

/** The orchestrator looks for lines starting with this marker. */
export const RESULT_MARKER = '@@BENCH ';

/** The JSON configuration given as the program's last argument. */
export function config() {
  const raw = process.argv[process.argv.length - 1];
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`expected a JSON configuration as the last argument, got ${raw}`);
  }
}

/** Print one result record for the orchestrator. */
export function emit(record) {
  process.stdout.write(RESULT_MARKER + JSON.stringify(record) + '\n');
}

export const now = () => performance.now();

export function median(xs) {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const mean = (xs) => { let t = 0; for (const x of xs) t += x; return t / xs.length; };

export const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

/** Summary of per-iteration times in milliseconds, reported in microseconds. */
export function summarize(timesMs) {
  return { median_us: median(timesMs) * 1000, mean_us: mean(timesMs) * 1000, n: timesMs.length };
}

/**
 * Iterations for a timed loop: enough to fill `budget` seconds given an
 * estimate of one iteration (ms), within [min, max].
 */
export function iterationsFor(estimateMs, budgetS, min, max) {
  return Math.round(clamp(Math.ceil((budgetS * 1000) / Math.max(estimateMs, 1e-4)), min, max));
}

/** Warm-up iterations before a measurement of `size`-byte messages. */
export function warmupFor(size, quick) {
  const w = size <= 1024 ? 400 : size <= 65536 ? 80 : size <= 1 << 20 ? 8 : 2;
  return quick ? Math.max(2, w >> 1) : w;
}

/** Minimum timed iterations for `size`-byte messages (statistics need a few even for 16 MiB). */
export function minItersFor(size) {
  return size <= 65536 ? 200 : size <= 1 << 20 ? 20 : 5;
}

// ---- memory ----

let gcFn;
/** A full garbage collection (expose-gc switched on at run time). */
export function gc() {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc');
  }
  gcFn(); gcFn();
}

function status(field) {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Resident set size now, bytes. */
export const rssBytes = () => status('VmRSS');
/** Peak resident set size since the last resetPeak(), bytes. */
export const peakRssBytes = () => status('VmHWM');
/** Reset the kernel's peak-RSS mark to the current RSS (Linux: clear_refs 5). */
export function resetPeak() {
  writeFileSync('/proc/self/clear_refs', '5');
}

/**
 * Merge repeated result records of the same shape: every numeric leaf becomes
 * the median of its values across the records (records that are missing, or
 * lack a leaf, are skipped). Strings and flags come from the first record.
 */
export function medianMerge(records) {
  const ok = records.filter((r) => r && !r.missing);
  if (ok.length === 0) return records[0];
  if (ok.length === 1) return ok[0];
  const merge = (vals) => {
    const first = vals[0];
    if (typeof first === 'number') return median(vals.filter((v) => typeof v === 'number'));
    if (Array.isArray(first)) return first.map((_, i) => merge(vals.map((v) => v?.[i]).filter((v) => v !== undefined)));
    if (first && typeof first === 'object') {
      const out = {};
      for (const k of Object.keys(first)) out[k] = merge(vals.map((v) => v?.[k]).filter((v) => v !== undefined));
      return out;
    }
    return first;
  };
  return { ...merge(ok), repeats: ok.length };
}
