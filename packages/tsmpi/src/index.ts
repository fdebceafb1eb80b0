/**
 * tsmpi: MPI-style message passing for TypeScript. One import gives the
 * runtime (point-to-point, init/finalize), the collectives and communicators.
 */
export * from '@tsmpi/runtime';
export * from '@tsmpi/collectives';
export * from '@tsmpi/pool';
export { init } from '@tsmpi/collectives';
