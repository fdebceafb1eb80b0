/**
 * Cartesian communicators (mpi4py's `Cartcomm`) for stencil codes: ranks laid
 * out row-major on a grid, with neighbours by `shift` and sub-grids by `sub`.
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { Communicator } from '../communicator.js';
import { splitPlacement } from '../context.js';
import { type Grid, cellCount, coordsOf, rankAt } from './grid.js';

export class CartComm extends Communicator {
  private grid: Grid = { dims: [], periods: [] };
  private here: number[] = [];

  /** @internal Set the grid (every constructor path calls this). */
  withGrid(grid: Grid): this {
    if (cellCount(grid.dims) !== this.size) throw tsmpiError(ErrorCode.INTERNAL, 'grid size differs from communicator size');
    this.grid = { dims: [...grid.dims], periods: [...grid.periods] };
    this.here = coordsOf(this.rank, this.grid.dims);
    return this;
  }

  /** Sides of the grid. */
  get dims(): number[] { return [...this.grid.dims]; }
  /** Which dimensions wrap around. */
  get periods(): boolean[] { return [...this.grid.periods]; }
  /** This rank's coordinates. */
  get coords(): number[] { return [...this.here]; }
  /** Number of dimensions. */
  get ndim(): number { return this.grid.dims.length; }

  /** Coordinates of `rank`. */
  getCoords(rank: number): number[] {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.size) {
      throw tsmpiError(ErrorCode.RANK, `getCoords: rank ${String(rank)} is not in this grid of ${this.size} ranks`);
    }
    return coordsOf(rank, this.grid.dims);
  }

  /** Rank at `coords` (periodic dimensions wrap). */
  getCartRank(coords: readonly number[]): number { return rankAt(coords, this.grid); }

  /**
   * `[source, dest]` for a shift by `disp` along `direction`: dest is `disp`
   * steps up, source `disp` steps down; PROC_NULL past a non-periodic edge.
   */
  shift(direction: number, disp = 1): [number, number] {
    if (!Number.isInteger(direction) || direction < 0 || direction >= this.ndim) {
      throw tsmpiError(ErrorCode.ARG, `shift: direction ${String(direction)} is not a dimension of this ${this.ndim}-d grid (0..${this.ndim - 1})`);
    }
    if (!Number.isInteger(disp)) throw tsmpiError(ErrorCode.ARG, `shift: disp must be an integer, got ${String(disp)}`);
    const at = (delta: number) => {
      const c = [...this.here];
      c[direction]! += delta;
      return rankAt(c, this.grid, 'null');
    };
    return [at(-disp), at(disp)];
  }

  /**
   * The sub-grid through this rank that keeps the dimensions marked true
   * (a row, a column, a plane...). Collective on this communicator.
   */
  async sub(remainDims: readonly boolean[]): Promise<CartComm> {
    if (!Array.isArray(remainDims) || remainDims.length !== this.ndim) {
      throw tsmpiError(ErrorCode.ARG, `sub: pass one boolean per dimension (${this.ndim})`);
    }
    const keep = remainDims.map(Boolean);
    // Ranks that agree on every dropped coordinate share a color.
    let color = 0;
    keep.forEach((k, i) => { if (!k) color = color * this.grid.dims[i]! + this.here[i]!; });
    const place = (await splitPlacement(this, color, this.rank))!;
    const c = new CartComm(this.engine, place.context, place.group, this.hooks);
    return c.withGrid({
      dims: this.grid.dims.filter((_, i) => keep[i]),
      periods: this.grid.periods.filter((_, i) => keep[i]),
    });
  }

  override async dup(): Promise<this> {
    const c = await super.dup();
    return c.withGrid(this.grid);
  }

  /** A split of a Cartesian communicator has no grid. */
  protected override spawn(context: number, group: readonly number[]): Communicator {
    return new Communicator(this.engine, context, group, this.hooks);
  }

  // mpi4py spellings
  Get_coords(rank: number): number[] { return this.getCoords(rank); }
  Get_cart_rank(coords: readonly number[]): number { return this.getCartRank(coords); }
  Shift(direction: number, disp = 1): [number, number] { return this.shift(direction, disp); }
  Sub(remainDims: readonly boolean[]): Promise<CartComm> { return this.sub(remainDims); }
  Get_dim(): number { return this.ndim; }
  /** `[dims, periods, coords]`. */
  Get_topo(): [number[], boolean[], number[]] { return [this.dims, this.periods, this.coords]; }
}
// The bundle turns this declaration into `var CartComm = class _CartComm`; the name users see stays CartComm
// (test/packaging/export-names.test.ts).
Object.defineProperty(CartComm, 'name', { value: 'CartComm' });
