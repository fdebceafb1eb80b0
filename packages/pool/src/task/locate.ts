/**
 * Which script defines a function. JavaScript has no API for it, but V8's
 * inspector reports a function's `[[FunctionLocation]]` (a script id), and the
 * Debugger domain maps script ids to URLs. The inspector session is opened
 * in this process only, on first use (only the root needs it, and only for
 * plain functions that were not registered with defineTask).
 */
import type { AnyFunction } from './task-ref.js';

interface Inspector {
  post(method: string, params?: object): Record<string, unknown>;
  urls: Map<string, string>;
}

let inspector: Inspector | null | undefined;

async function open(): Promise<Inspector | null> {
  try {
    const { Session } = await import('node:inspector');
    const session = new Session();
    session.connect();
    const urls = new Map<string, string>();
    session.on('Debugger.scriptParsed', (m: { params: { scriptId: string; url: string } }) => urls.set(m.params.scriptId, m.params.url));
    // The in-process session answers synchronously: the callback has run when post() returns.
    const post = (method: string, params?: object): Record<string, unknown> => {
      let result: Record<string, unknown> | undefined, error: Error | null = null;
      session.post(method, params, (err: Error | null, res?: object) => { error = err; result = res as Record<string, unknown>; });
      if (error) throw error;
      return result ?? {};
    };
    return { post, urls };
  } catch {
    return null;
  }
}

const PROBE = Symbol.for('tsmpi.pool.locate-probe');

/** The URL of the script that defines `fn`, or undefined (a built-in, a bound function, no inspector). */
export async function scriptOf(fn: AnyFunction): Promise<string | undefined> {
  if (inspector === undefined) inspector = await open();
  const ins = inspector;
  if (!ins) return undefined;
  const g = globalThis as unknown as Record<symbol, unknown>;
  g[PROBE] = fn;
  try {
    const { result } = ins.post('Runtime.evaluate', { expression: `globalThis[Symbol.for('tsmpi.pool.locate-probe')]` }) as { result: { objectId?: string } };
    if (!result.objectId) return undefined;
    const { internalProperties } = ins.post('Runtime.getProperties', { objectId: result.objectId, ownProperties: true }) as {
      internalProperties?: { name: string; value?: { value?: { scriptId?: string } } }[];
    };
    ins.post('Runtime.releaseObject', { objectId: result.objectId });
    const scriptId = internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value?.scriptId;
    if (scriptId === undefined) return undefined;
    if (!ins.urls.has(scriptId)) {
      // Enabling the Debugger domain reports every script parsed so far (then it is switched off again).
      ins.post('Debugger.enable');
      ins.post('Debugger.disable');
    }
    return ins.urls.get(scriptId) || undefined;
  } finally {
    delete g[PROBE];
  }
}
