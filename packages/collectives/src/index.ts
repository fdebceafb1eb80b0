/**
 * @tsmpi/collectives: communicators with every collective operation,
 * reduction ops and Cartesian topologies, on top of @tsmpi/runtime.
 */
import { init as runtimeInit } from '@tsmpi/runtime';
import { Communicator } from './communicator.js';

export { Communicator, type SendBuffer, type VectorBuffer } from './communicator.js';
export { CartComm } from './topology/cart.js';
export { computeDims } from './topology/compute-dims.js';
export { Op, type OpFunction, type OpLike, type OpOptions } from './ops/op.js';
export { SUM, PROD, MAX, MIN, LAND, LOR, LXOR, BAND, BOR, BXOR, MAXLOC, MINLOC, REPLACE, NO_OP } from './ops/builtin.js';
export { IN_PLACE, type InPlace, UNDEFINED } from './constants.js';
export { tuning, type Tuning } from './tuning.js';

/** The world communicator, with collectives (starts the runtime on first call). */
export function init(): Promise<Communicator> {
  return runtimeInit({ Comm: Communicator });
}

/** mpi4py spelling of computeDims. */
export { computeDims as Compute_dims } from './topology/compute-dims.js';
