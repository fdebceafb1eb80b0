"""Collectives baseline in mpi4py, the same plan as bench/programs/collectives.mjs.

mpirun -n P python3 collectives.py CFG_JSON -> rank 0 prints "@@BENCH {json}".
small: one number through the lowercase (pickle) family; a byte count: float64 ndarrays through
the Uppercase (buffer) family, the count being each rank's block.
"""
import json
import math
import sys
import time

import numpy as np
from mpi4py import MPI

cfg = json.loads(sys.argv[-1])
comm = MPI.COMM_WORLD
p = comm.Get_size()
me = comm.Get_rank()
wtime = MPI.Wtime


def f64(n, v=1.0):
    return np.full(n, v, dtype=np.float64)


def runner(op, size):
    if size == 'small':
        v = list(range(p))
        return {
            'barrier': lambda: comm.barrier(),
            'bcast': lambda: comm.bcast(42 if me == 0 else None, 0),
            'reduce': lambda: comm.reduce(me + 1, MPI.SUM, 0),
            'allreduce': lambda: comm.allreduce(me + 1, MPI.SUM),
            'gather': lambda: comm.gather(me, 0),
            'scatter': lambda: comm.scatter(v if me == 0 else None, 0),
            'allgather': lambda: comm.allgather(me),
            'alltoall': lambda: comm.alltoall(v),
        }.get(op)
    n = size // 8
    if op == 'bcast':
        b = f64(n)
        return lambda: comm.Bcast(b, 0)
    if op == 'reduce':
        s, r = f64(n), (f64(n, 0) if me == 0 else None)
        return lambda: comm.Reduce(s, r, MPI.SUM, 0)
    if op == 'allreduce':
        s, r = f64(n), f64(n, 0)
        return lambda: comm.Allreduce(s, r, MPI.SUM)
    if op == 'gather':
        s, r = f64(n), (f64(n * p, 0) if me == 0 else None)
        return lambda: comm.Gather(s, r, 0)
    if op == 'scatter':
        s, r = (f64(n * p) if me == 0 else None), f64(n, 0)
        return lambda: comm.Scatter(s, r, 0)
    if op == 'allgather':
        s, r = f64(n), f64(n * p, 0)
        return lambda: comm.Allgather(s, r)
    if op == 'alltoall':
        s, r = f64(n * p), f64(n * p, 0)
        return lambda: comm.Alltoall(s, r)
    return None


def probe_for(size):
    return 50 if size == 'small' else 20 if size <= 1024 else 3


def iterations_for(estimate_s, budget, lo, hi):
    return int(round(max(lo, min(hi, math.ceil(budget / max(estimate_s, 1e-7))))))


for op in cfg['ops']:  # the same pre-warm as the tsmpi program (Python has no JIT; kept for symmetry)
    run = runner(op, 'small')
    for _ in range(cfg['prewarm']):
        run()

results = {}
for op in cfg['ops']:
    for size in (['small'] if op == 'barrier' else cfg['sizes']):
        run = runner(op, size)
        if run is None:
            continue
        comm.Barrier()
        w = probe_for(size)
        t0 = wtime()
        for _ in range(w):
            run()
        estimate = (wtime() - t0) / w
        # Warm-up: cfg['warmup'] seconds, and at least cfg['warmCalls'] calls where they fit in cfg['warmupMax'] seconds (as in the tsmpi program).
        warm_calls = max(iterations_for(estimate, cfg['warmup'], 0, 20000), iterations_for(estimate, cfg['warmupMax'], 0, cfg['warmCalls']))
        counts = [warm_calls, iterations_for(estimate, cfg['budget'], 3, cfg['maxIters'])]
        warm, n = comm.bcast(counts if me == 0 else None, 0)
        for _ in range(warm):
            run()
        comm.Barrier()
        c0 = time.process_time()
        t0 = wtime()
        for _ in range(n):
            run()
        mine = (wtime() - t0) / n
        cpu = (time.process_time() - c0) / n
        every = comm.gather((mine, cpu), 0)
        if me == 0:
            times = [x[0] for x in every]
            results.setdefault(op, {})[str(size)] = {
                'us': max(times) * 1e6, 'mean_us': sum(times) / p * 1e6,
                'cpu_us': sum(x[1] for x in every) / p * 1e6, 'n': n}

if me == 0:
    print('@@BENCH ' + json.dumps({'kind': 'collectives', 'ranks': p, 'results': results}), flush=True)
