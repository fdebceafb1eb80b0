"""Tiny tasks for bench/pool-throughput.mjs, the mpi4py.futures side of bench/pool/tiny-tasks.mjs:
inc(x) = x + 1, submitted N at a time (futures) and mapped (chunksize 1), after a warm-up.
Run as: mpirun -n 5 python3 -m mpi4py.futures tiny_tasks.py N   (rank 0 submits, 4 workers serve).
Prints one JSON line."""
import json
import sys
import time

from mpi4py.futures import MPIPoolExecutor


def inc(x):
    return x + 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    with MPIPoolExecutor() as executor:
        # Warm-up (both phases, as in tiny-tasks.mjs).
        list(executor.map(inc, range(2000)))
        [f.result() for f in [executor.submit(inc, i) for i in range(2000)]]
        t0 = time.perf_counter()
        fs = [executor.submit(inc, i) for i in range(n)]
        total = sum(f.result() for f in fs)
        submit_s = time.perf_counter() - t0
        assert total == n * (n + 1) // 2, total
        t0 = time.perf_counter()
        count = sum(1 for v in executor.map(inc, range(n)) if v > 0)
        map_s = time.perf_counter() - t0
        assert count == n, count
        print(json.dumps({'impl': 'mpi4py.futures', 'backend': 'ranks', 'workers': executor._max_workers,
                          'n': n, 'submit': n / submit_s, 'map': n / map_s}))


if __name__ == '__main__':
    main()
