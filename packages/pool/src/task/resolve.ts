/**
 * On the root: from what the program passed (a function or a TaskRef) to the
 * reference workers can load. A registered function is known at once; a plain
 * function is looked up once (which script defines it, then which export of
 * that module it is) and remembered. A closure, a nested or unexported
 * function fails here, with the fix, before anything is sent.
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { mainNotRegistered, notPortable } from '../errors.js';
import { scriptOf } from './locate.js';
import { mainScriptUrl } from './main-script.js';
import { type AnyFunction, isTaskRef, refOf, registeredRef, type TaskRef } from './task-ref.js';

/** A task ready to send: its reference, and the function itself when this process has it. */
export interface ResolvedTask { ref: TaskRef; fn?: AnyFunction }

const cache = new WeakMap<AnyFunction, Promise<ResolvedTask>>();

function label(fn: AnyFunction): string {
  return fn.name ? `the function ${fn.name}` : 'an anonymous function (an arrow function or closure)';
}

/** The reference for `task`: at once when it is known, else a promise (rejecting with the fix when it cannot travel). */
export function resolveTask(task: unknown): ResolvedTask | Promise<ResolvedTask> {
  if (isTaskRef(task)) return { ref: task };
  if (typeof task !== 'function') {
    throw tsmpiError(ErrorCode.ARG, `a task must be a function or a task(moduleUrl, name) reference, not ${task === null ? 'null' : typeof task}`);
  }
  const fn = task as AnyFunction;
  const ref = registeredRef(fn);
  if (ref) return { ref, fn };
  if (!fn.name) throw notPortable(label(fn), 'it has no name, so no module exports it');
  if (fn.name.startsWith('bound ')) throw notPortable(`the bound function ${fn.name}`, 'bind() makes a new function that no module exports; pass the arguments to submit() instead');
  let found = cache.get(fn);
  if (!found) {
    found = locate(fn);
    cache.set(fn, found);
  }
  return found;
}

async function locate(fn: AnyFunction): Promise<ResolvedTask> {
  const url = await scriptOf(fn);
  if (!url) {
    const native = /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(fn));
    throw notPortable(label(fn), native ? 'it is built in, not defined by a module; wrap it in an exported function' : 'tsmpi cannot tell which module defines it');
  }
  if (url === mainScriptUrl()) {
    const again = registeredRef(fn);
    if (again) return { ref: again, fn };
    throw mainNotRegistered(fn.name, url);
  }
  if (!/^(file|data|https?):/.test(url)) throw notPortable(label(fn), `it is defined in ${url}, which is not a module file workers can import`);
  let ns: Record<string, unknown>;
  try {
    ns = await import(url) as Record<string, unknown>;
  } catch (err) {
    throw notPortable(label(fn), `its script ${url} cannot be imported as a module (${(err as Error).message})`, err);
  }
  // A module may register its functions when it is evaluated.
  const registered = registeredRef(fn);
  if (registered) return { ref: registered, fn };
  if (ns[fn.name] === fn) return { ref: refOf(url, fn.name), fn };
  const alias = Object.keys(ns).find((k) => ns[k] === fn);
  if (alias) return { ref: refOf(url, alias), fn };
  throw notPortable(label(fn), `it is not an export of ${url} (a closure, a nested or an unexported function)`);
}
