/**
 * On a worker: from a task reference to the function. The registry first
 * (defineTask ran when the module was evaluated here), then the module's
 * exports (importing it once). The main script is never imported by a worker
 * that is running it; a local worker thread, which is not, evaluates it once
 * in worker mode (its pool entry point parks instead of returning).
 */
import { mainNotRegistered, taskNotFound } from '../errors.js';
import { type AnyFunction, registeredFunction, type TaskRef } from './task-ref.js';

export interface LoaderOptions {
  /** The URL of the main script. */
  mainUrl: string | undefined;
  /**
   * Evaluate the main script, up to its pool entry point, so its defineTask
   * lines run. Absent: this process is running the main script already.
   */
  loadMain?: () => Promise<void>;
}

export class TaskLoader {
  private readonly cache = new Map<string, AnyFunction | Promise<AnyFunction>>();

  constructor(private readonly o: LoaderOptions) {}

  /** The function, synchronously when it is loaded already. */
  get(ref: Pick<TaskRef, 'module' | 'name'>): AnyFunction | Promise<AnyFunction> {
    const key = `${ref.module}#${ref.name}`;
    let f = this.cache.get(key);
    if (f === undefined) {
      f = registeredFunction(ref.module, ref.name) ?? this.load(ref);
      this.cache.set(key, f);
      if (typeof f !== 'function') {
        void f.then((fn) => this.cache.set(key, fn), () => { /* the failure stays cached: each task gets the same error */ });
      }
    }
    return f;
  }

  private async load(ref: Pick<TaskRef, 'module' | 'name'>): Promise<AnyFunction> {
    if (ref.module === this.o.mainUrl) {
      if (this.o.loadMain) {
        try {
          await this.o.loadMain();
        } catch (err) {
          throw taskNotFound(ref, `evaluating the main script on the worker failed: ${(err as Error).message ?? String(err)}`, err);
        }
      }
      const fn = registeredFunction(ref.module, ref.name);
      if (fn) return fn;
      throw mainNotRegistered(ref.name, ref.module);
    }
    let ns: Record<string, unknown>;
    try {
      ns = await import(ref.module) as Record<string, unknown>;
    } catch (err) {
      throw taskNotFound(ref, `importing its module failed: ${(err as Error).message ?? String(err)}`, err);
    }
    const fn = registeredFunction(ref.module, ref.name) ?? ns[ref.name];
    if (typeof fn === 'function') return fn as AnyFunction;
    if (fn === undefined) throw taskNotFound(ref, `the module has no export named ${ref.name} (exports: ${Object.keys(ns).join(', ') || 'none'})`);
    throw taskNotFound(ref, `its export ${ref.name} is a ${typeof fn}, not a function`);
  }
}
