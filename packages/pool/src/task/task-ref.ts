/**
 * How a task is named: a module URL and an export name (a TaskRef), because a
 * function cannot travel between processes. `task()` builds a reference from
 * the two strings; `defineTask()` registers a module-level function under its
 * module and name, so every process that evaluates that module finds it
 * without importing it again (the only way for the main script's own tasks).
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { notPortable } from '../errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => unknown;

const REF = Symbol.for('tsmpi.pool.task-ref');

/** A task named by module URL and export name. `F` types the call (`task<typeof f>(...)`). */
export interface TaskRef<F extends AnyFunction = AnyFunction> {
  readonly module: string;
  readonly name: string;
  /** Type only: the function this reference names. */
  readonly __fn?: F;
}

/** A task: a module-level function (exported, or registered with defineTask), or a TaskRef. */
export type Task<F extends AnyFunction = AnyFunction> = F | TaskRef<F>;

export function isTaskRef(value: unknown): value is TaskRef {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[REF] === true;
}

function moduleUrl(module: string | URL, what: string): string {
  const s = String(module);
  try {
    return new URL(s).href;
  } catch {
    throw tsmpiError(ErrorCode.ARG, `${what}: "${s}" is not a module URL; pass import.meta.url, or new URL('./tasks.js', import.meta.url)`);
  }
}

function makeRef<F extends AnyFunction>(module: string, name: string): TaskRef<F> {
  const ref = { module, name };
  Object.defineProperty(ref, REF, { value: true });
  return Object.freeze(ref) as TaskRef<F>;
}

/**
 * A reference to the export `name` of the module at `module` (a URL:
 * `import.meta.url`, `new URL('./tasks.js', import.meta.url)`, `import.meta.resolve('./tasks.js')`).
 * Workers import the module and call the export; the module need not be loaded here.
 */
export function task<F extends AnyFunction = AnyFunction>(module: string | URL, name: string): TaskRef<F> {
  if (typeof name !== 'string' || name === '') throw tsmpiError(ErrorCode.ARG, 'task(module, name): name must be the export name, a non-empty string');
  return makeRef<F>(moduleUrl(module, 'task(module, name)'), name);
}

const byFunction = new WeakMap<AnyFunction, TaskRef>();
const byKey = new Map<string, AnyFunction>();
const keyOf = (module: string, name: string) => `${module}#${name}`;

/**
 * Register `fn`, a function at the top level of the module whose URL is
 * `module` (pass `import.meta.url`), as a task named `name` (default: the
 * function's name). Returns `fn`, so `export const f = defineTask(import.meta.url, function f() {...})` works.
 * Call it at the top level of the module, before the pool starts: every
 * worker evaluates that line too, which is how it finds the function.
 */
export function defineTask<F extends AnyFunction>(module: string | URL, fn: F): F;
export function defineTask<F extends AnyFunction>(module: string | URL, name: string, fn: F): F;
export function defineTask<F extends AnyFunction>(module: string | URL, a: string | F, b?: F): F {
  const fn = (typeof a === 'function' ? a : b) as F;
  if (typeof fn !== 'function') throw tsmpiError(ErrorCode.ARG, 'defineTask(import.meta.url, fn): fn must be a function');
  const name = typeof a === 'string' ? a : fn.name;
  if (!name || name.startsWith('bound ')) {
    throw notPortable('an anonymous function', 'defineTask needs a name for it; pass one: defineTask(import.meta.url, "name", fn), or use a named function');
  }
  const url = moduleUrl(module, 'defineTask(import.meta.url, fn)');
  const key = keyOf(url, name);
  const existing = byKey.get(key);
  if (existing && existing !== fn) {
    throw tsmpiError(ErrorCode.ARG, `defineTask: ${name} is already registered for ${url} with another function; task names must be unique in a module`);
  }
  byKey.set(key, fn);
  if (!byFunction.has(fn)) byFunction.set(fn, makeRef(url, name));
  return fn;
}

/** Register several functions of one module at once: `defineTasks(import.meta.url, { square, cube })`. */
export function defineTasks<T extends Record<string, AnyFunction>>(module: string | URL, fns: T): T {
  for (const [name, fn] of Object.entries(fns)) defineTask(module, name, fn);
  return fns;
}

/** @internal The reference under which `fn` was registered. */
export function registeredRef(fn: AnyFunction): TaskRef | undefined {
  return byFunction.get(fn);
}

/** @internal The function registered as `name` of `module`. */
export function registeredFunction(module: string, name: string): AnyFunction | undefined {
  return byKey.get(keyOf(module, name));
}

/** @internal A TaskRef for an already checked module and name. */
export function refOf(module: string, name: string): TaskRef {
  return makeRef(module, name);
}
