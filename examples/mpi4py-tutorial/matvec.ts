// Mirrors mpi4py's tutorial, "Collective Communication" → "Parallel matrix-vector product" (matvec.py):
//
//   def matvec(comm, A, x):
//       m = A.shape[0] # local rows
//       p = comm.Get_size()
//       xg = numpy.zeros(m*p, dtype='d')
//       comm.Allgather([x,  MPI.DOUBLE],
//                      [xg, MPI.DOUBLE])
//       y = numpy.dot(A, xg)
//       return y
//
// A module, not a program: 10-matvec.ts is the driver that runs it and checks it against a serial product.
// A 2-D NumPy array becomes a flat Float64Array in row-major order plus its shape.
import type { Communicator } from 'tsmpi';

/** A dense row-major matrix: element [i, j] is data[i * shape[1] + j]. */
export interface Matrix { shape: [rows: number, cols: number]; data: Float64Array }

/** y = A · x, where this rank holds m rows of A (all columns) and m entries of x. */
export async function matvec(comm: Communicator, A: Matrix, x: Float64Array): Promise<Float64Array> {
  const m = A.shape[0]; // local rows
  const p = comm.size;
  const xg = new Float64Array(m * p);
  await comm.Allgather(x, xg);
  return dot(A, xg);
}

/** numpy.dot(A, x) for a matrix and a vector, summing each row left to right. */
export function dot(A: Matrix, x: Float64Array): Float64Array {
  const [rows, cols] = A.shape;
  if (x.length !== cols) throw new Error(`dot: matrix has ${cols} columns but the vector has ${x.length} entries`);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const row = i * cols;
    for (let j = 0; j < cols; j++) s += A.data[row + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}
