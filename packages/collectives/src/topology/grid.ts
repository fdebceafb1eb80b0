/** Cartesian grid arithmetic (row-major, as in MPI: the last dimension varies fastest). */
import { ErrorCode, PROC_NULL, describe, tsmpiError } from '@tsmpi/runtime';

export interface Grid { dims: number[]; periods: boolean[] }

/** Check the arguments of createCart against a communicator of `size` ranks. */
export function checkGrid(dims: unknown, periods: unknown, size: number): Grid {
  if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw tsmpiError(ErrorCode.ARG, `createCart: dims must be an array of positive integers, got ${describe(dims)}; computeDims(size, ndims) makes one`);
  }
  const cells = cellCount(dims);
  if (cells > size) {
    throw tsmpiError(ErrorCode.ARG, `createCart: a grid of ${dims.join('x')} = ${cells} cells needs ${cells} ranks, but the communicator has ${size}`);
  }
  let p: boolean[];
  if (periods === undefined || periods === null) p = dims.map(() => false);
  else if (typeof periods === 'boolean') p = dims.map(() => periods);
  else if (Array.isArray(periods) && periods.length === dims.length) p = periods.map(Boolean);
  else throw tsmpiError(ErrorCode.ARG, `createCart: periods must be one boolean per dimension (${dims.length}), got ${describe(periods)}`);
  return { dims: [...dims] as number[], periods: p };
}

export function cellCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function coordsOf(rank: number, dims: readonly number[]): number[] {
  const c = new Array<number>(dims.length);
  for (let i = dims.length - 1; i >= 0; i--) {
    c[i] = rank % dims[i]!;
    rank = Math.floor(rank / dims[i]!);
  }
  return c;
}

/** The rank at `coords`; periodic dimensions wrap, others must be in range (else PROC_NULL when `outside` allows). */
export function rankAt(coords: readonly number[], grid: Grid, outside: 'throw' | 'null' = 'throw'): number {
  if (coords.length !== grid.dims.length) {
    throw tsmpiError(ErrorCode.ARG, `coordinates ${JSON.stringify(coords)} have ${coords.length} entries; this grid has ${grid.dims.length} dimensions`);
  }
  let rank = 0;
  for (let i = 0; i < coords.length; i++) {
    const d = grid.dims[i]!;
    let c = coords[i]!;
    if (!Number.isInteger(c)) throw tsmpiError(ErrorCode.ARG, `coordinate ${String(c)} is not an integer`);
    if (grid.periods[i]) c = ((c % d) + d) % d;
    else if (c < 0 || c >= d) {
      if (outside === 'null') return PROC_NULL;
      throw tsmpiError(ErrorCode.RANK, `coordinate ${c} is outside dimension ${i} (0..${d - 1}, not periodic)`);
    }
    rank = rank * d + c;
  }
  return rank;
}
