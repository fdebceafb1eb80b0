/** The predefined ops of MPI, with mpi4py's semantics on values (see values.ts). */
import { elementKernel, locKernel } from './kernels.js';
import { Op } from './op.js';
import { bitwiseValues, extremeValues, locValues, logicalValues, prodValues, sumValues } from './values.js';

function builtin(name: string, commute: boolean, values: (k: ReturnType<typeof elementKernel>) => (a: unknown, b: unknown) => unknown, kernel: ReturnType<typeof elementKernel>, unit = 1): Op {
  return new Op({ name, commute, unit, values: values(kernel), kernel });
}

/** a + b (strings and arrays concatenate, typed arrays add element-wise). */
export const SUM = builtin('SUM', true, sumValues, elementKernel('SUM', 'a + b'));
export const PROD = builtin('PROD', true, prodValues, elementKernel('PROD', 'a * b'));
export const MAX = builtin('MAX', true, (k) => extremeValues('MAX', k), elementKernel('MAX', 'b > a ? b : a'));
export const MIN = builtin('MIN', true, (k) => extremeValues('MIN', k), elementKernel('MIN', 'b < a ? b : a'));
export const LAND = builtin('LAND', true, (k) => logicalValues('LAND', (x, y) => x && y, k), elementKernel('LAND', '(a && b) ? ONE : ZERO'));
export const LOR = builtin('LOR', true, (k) => logicalValues('LOR', (x, y) => x || y, k), elementKernel('LOR', '(a || b) ? ONE : ZERO'));
export const LXOR = builtin('LXOR', true, (k) => logicalValues('LXOR', (x, y) => x !== y, k), elementKernel('LXOR', '(!a !== !b) ? ONE : ZERO'));
export const BAND = builtin('BAND', true, (k) => bitwiseValues('BAND', (x, y) => x & y, k), elementKernel('BAND', 'a & b', true));
export const BOR = builtin('BOR', true, (k) => bitwiseValues('BOR', (x, y) => x | y, k), elementKernel('BOR', 'a | b', true));
export const BXOR = builtin('BXOR', true, (k) => bitwiseValues('BXOR', (x, y) => x ^ y, k), elementKernel('BXOR', 'a ^ b', true));
/** [value, index] pairs: the larger value, a tie to the lower index. Typed arrays hold interleaved pairs. */
export const MAXLOC = builtin('MAXLOC', true, (k) => locValues('MAXLOC', k), locKernel('MAXLOC', '>'), 2);
export const MINLOC = builtin('MINLOC', true, (k) => locValues('MINLOC', k), locKernel('MINLOC', '<'), 2);
/** The higher rank's value. */
export const REPLACE = builtin('REPLACE', false, () => (_a, b) => b, elementKernel('REPLACE', 'b'));
/** The lower rank's value. */
export const NO_OP = builtin('NO_OP', false, () => (a) => a, elementKernel('NO_OP', 'a'));
