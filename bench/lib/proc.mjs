/**
 * Running the measured programs: each in its own process group, with a time
 * limit (the whole group is killed when it passes), collecting the result
 * lines they print.
 */
import { spawn } from 'node:child_process';
import { RESULT_MARKER } from './measure.mjs';

/**
 * Run `file args` to completion. Resolves with { code, signal, ms, stdout,
 * stderr, records } — `records` are the parsed result lines; never rejects.
 */
export function run(file, args, { timeoutMs = 120_000, exitGraceMs = 20_000, env = process.env, cwd } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let child;
    try {
      child = spawn(file, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: -1, signal: null, ms: 0, stdout: '', stderr: String(err), records: [], timedOut: false });
      return;
    }
    let stdout = '', stderr = '', timedOut = false, hungAfterResult = false, grace;
    const kill = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      // A job that printed its result but does not exit is a bug worth reporting, not worth waiting for.
      if (!grace && stdout.includes(RESULT_MARKER)) grace = setTimeout(() => { hungAfterResult = true; kill(); }, exitGraceMs);
    });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
    child.on('error', (err) => { stderr += String(err); });
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0;
      clearTimeout(timer);
      clearTimeout(grace);
      const records = [];
      for (const line of stdout.split('\n')) {
        const at = line.indexOf(RESULT_MARKER);
        if (at >= 0) {
          try { records.push(JSON.parse(line.slice(at + RESULT_MARKER.length))); } catch { /* a torn line: ignored */ }
        }
      }
      resolve({ code, signal, ms, stdout, stderr, records, timedOut, hungAfterResult });
    });
  });
}

/** Start a long-running helper (an echo server); resolves once it prints "LISTEN addr". */
export function startServer(file, args, { timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const stop = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
    const timer = setTimeout(() => { stop(); reject(new Error(`server did not start: ${err}`)); }, timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /LISTEN (\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ address: m[1], stop }); }
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); if (!/LISTEN/.test(out)) reject(new Error(`server exited (${code}): ${err}`)); });
  });
}

/**
 * The first result record of a run, or { missing } saying why there is none.
 * A run that had to be killed after its result keeps the figures and says so.
 */
export function outcome(r, what) {
  const rec = r.records[0];
  if (!rec) return { missing: `${what} failed (${failure(r)})` };
  if (r.hungAfterResult) return { ...rec, exit_problem: `${what} printed its result but did not exit; killed after the grace period` };
  if (r.code !== 0) return { ...rec, exit_problem: `${what} exited with ${r.code ?? r.signal} after its result: ${failure(r)}` };
  return rec;
}

/** A short description of a failed run, for the report. */
export function failure(r) {
  if (r.timedOut) return 'timed out';
  if (r.hungAfterResult) return 'did not exit after its result (killed)';
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
  return `exit ${r.code ?? r.signal}${tail ? `: ${tail.slice(0, 300)}` : ''}`;
}
