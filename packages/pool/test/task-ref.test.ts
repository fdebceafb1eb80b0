/** Naming tasks: task(), defineTask(), defineTasks(), and the options that choose a back end. */
import { afterEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '@tsmpi/pool';
// The registry's internals are read from the same module instance that registers: tsc's own
// module (dist/task/task-ref.js), not the package bundle (dist/index.js), which holds its own copy.
import { defineTask, defineTasks, isTaskRef, registeredFunction, registeredRef, task } from '../dist/task/task-ref.js';
import { resolveTask } from '../dist/task/resolve.js';

const URL_A = 'file:///somewhere/tasks.js';

describe('task references', () => {
  it('task(module, name) makes a frozen reference from a URL or a URL string', () => {
    const r = task(new URL(URL_A), 'square');
    expect(r).toEqual({ module: URL_A, name: 'square' });
    expect(isTaskRef(r)).toBe(true);
    expect(Object.isFrozen(r)).toBe(true);
    expect(isTaskRef({ module: URL_A, name: 'square' })).toBe(false);
    expect(task(URL_A, 'cube').module).toBe(URL_A);
  });

  it('task() refuses what is not a module URL or an export name', () => {
    expect(() => task('./tasks.js', 'f')).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_ARG', message: expect.stringMatching(/not a module URL; pass import\.meta\.url/) }));
    expect(() => task(URL_A, '')).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_ARG' }));
  });

  it('defineTask registers a function under its module and name, and returns it', () => {
    function square(x: number) { return x * x; }
    expect(defineTask(URL_A, square)).toBe(square);
    expect(registeredRef(square)).toEqual({ module: URL_A, name: 'square' });
    expect(registeredFunction(URL_A, 'square')).toBe(square);
    expect(defineTask(URL_A, square)).toBe(square); // again: fine
    const renamed = defineTask(URL_A, 'area', (w: number, h: number) => w * h);
    expect(registeredFunction(URL_A, 'area')).toBe(renamed);
    const both = defineTasks('file:///elsewhere/m.js', { one: () => 1, two: () => 2 });
    expect(registeredFunction('file:///elsewhere/m.js', 'two')).toBe(both.two);
    expect(resolveTask(square)).toEqual({ ref: { module: URL_A, name: 'square' }, fn: square });
  });

  it('defineTask refuses anonymous functions, clashing names and non-functions', () => {
    expect(() => defineTask(URL_A, (() => (x: number) => x)())).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_VALUE', message: expect.stringMatching(/anonymous function cannot be a pool task/) }));
    expect(() => defineTask(URL_A, function square() { return 0; })).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_ARG', message: expect.stringMatching(/already registered/) }));
    expect(() => defineTask(URL_A, 42 as unknown as () => void)).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_ARG' }));
  });

  it('resolving rejects what cannot be a task, with the fix', async () => {
    expect(() => resolveTask(42)).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_ARG' }));
    expect(() => resolveTask((() => () => 1)())).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_VALUE', message: expect.stringMatching(/export it from the top level of its module.*defineTask\(import\.meta\.url, f\)/s) }));
    function f() { return 1; }
    expect(() => resolveTask(f.bind(null))).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_VALUE', message: expect.stringMatching(/bound function/) }));
    await expect(resolveTask(Math.max)).rejects.toMatchObject({ code: 'TSMPI_ERR_VALUE', message: expect.stringMatching(/built in/) });
  });
});

describe('choosing a back end', () => {
  const saved = { pool: process.env.TSMPI_POOL, rank: process.env.TSMPI_RANK };
  afterEach(() => {
    for (const [k, v] of [['TSMPI_POOL', saved.pool], ['TSMPI_RANK', saved.rank]] as const) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });

  it('takes the option, else TSMPI_POOL, else ranks under tsmpiexec, else local', () => {
    delete process.env.TSMPI_POOL;
    delete process.env.TSMPI_RANK;
    expect(chooseBackend()).toBe('local');
    process.env.TSMPI_RANK = '0';
    expect(chooseBackend()).toBe('ranks');
    process.env.TSMPI_POOL = 'serial';
    expect(chooseBackend()).toBe('serial');
    expect(chooseBackend('local')).toBe('local');
  });

  it('names the variable or option that is wrong', () => {
    process.env.TSMPI_POOL = 'threads';
    expect(() => chooseBackend()).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_ARG', message: 'TSMPI_POOL=threads: choose serial, local or ranks' }));
    expect(() => chooseBackend('mpi')).toThrow(expect.objectContaining({ message: 'backend=mpi: choose serial, local or ranks' }));
  });
});
