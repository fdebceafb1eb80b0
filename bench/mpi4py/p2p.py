"""Point-to-point baseline in mpi4py, the same plan as bench/lib/p2p-driver.mjs.

mpirun -n 2 python3 p2p.py CFG_JSON  -> rank 0 prints "@@BENCH {json}".
Modes: object = comm.send of {'a','b','c','data': ndarray} (pickled), typed = comm.send of
a bare float64 ndarray (pickled), buffer = Send/Recv of a float64 ndarray into a preallocated one.
"""
import json
import math
import sys
import time

import numpy as np
from mpi4py import MPI

CTRL, DATA, ACK = 99, 1, 2
cfg = json.loads(sys.argv[-1])
comm = MPI.COMM_WORLD
rank = comm.Get_rank()
wtime = MPI.Wtime


def payload(mode, size):
    if mode == 'object':
        o = {'a': 1, 'b': 'x', 'c': [1, 2, 3]}
        if size:
            o['data'] = np.full(size // 8, 1.5)
        return o
    return np.full(size // 8, 1.5)


def warmup_for(size):
    w = 400 if size <= 1024 else 80 if size <= 65536 else 8 if size <= 1 << 20 else 2
    return max(2, w >> 1) if cfg['quick'] else w


def min_iters_for(size):
    m = 200 if size <= 65536 else 20 if size <= 1 << 20 else 5
    return math.ceil(m / 2) if cfg['quick'] else m


def iterations_for(estimate_s, budget, lo, hi):
    return int(round(max(lo, min(hi, math.ceil(budget / max(estimate_s, 1e-7))))))


def rtt(mode, size, n):
    comm.send({'op': 'rtt', 'mode': mode, 'size': size, 'n': n}, 1, CTRL)
    times = [0.0] * n
    msg = payload(mode, size)
    if mode == 'buffer':
        back = np.empty(size // 8)
        for i in range(n):
            t0 = wtime()
            comm.Send(msg, 1, DATA)
            comm.Recv(back, 1, DATA)
            times[i] = wtime() - t0
    else:
        for i in range(n):
            t0 = wtime()
            comm.send(msg, 1, DATA)
            comm.recv(source=1, tag=DATA)
            times[i] = wtime() - t0
    return times


def bw(mode, size, n):
    comm.send({'op': 'bw', 'mode': mode, 'size': size, 'n': n}, 1, CTRL)
    comm.recv(source=1, tag=ACK)
    msg = payload(mode, size)
    t0 = wtime()
    if mode == 'buffer':
        for _ in range(n):
            comm.Send(msg, 1, DATA)
    else:
        for _ in range(n):
            comm.send(msg, 1, DATA)
    comm.recv(source=1, tag=ACK)
    return wtime() - t0


def summarize(times):
    s = sorted(times)
    k = len(s) // 2
    med = s[k] if len(s) % 2 else (s[k - 1] + s[k]) / 2
    return {'median_us': med * 1e6, 'mean_us': sum(s) / len(s) * 1e6, 'n': len(s)}


def drive():
    out = {'rtt': {}, 'bw': {}}
    for mode in cfg['modes']:
        rtt(mode, 8, 1000 if cfg['quick'] else 3000)
    for mode in cfg['modes']:
        for size in cfg['sizes']:
            warm = rtt(mode, size, warmup_for(size))
            n = iterations_for(sum(warm) / len(warm), cfg['budget'], min_iters_for(size), cfg['maxIters'])
            c0 = time.process_time()
            rec = summarize(rtt(mode, size, n))
            rec['cpu_us'] = (time.process_time() - c0) / n * 1e6
            out['rtt'].setdefault(mode, {})[str(size)] = rec
    for mode in cfg['bwModes']:
        for size in cfg['bwSizes']:
            w = 2 if size >= 1 << 24 else 8
            warm = bw(mode, size, w)
            n = iterations_for(warm / w, cfg['bwBudget'], 3 if cfg['quick'] else 6, 5000)
            secs = bw(mode, size, n)
            out['bw'].setdefault(mode, {})[str(size)] = {'MBps': n * size / secs / 1e6, 'n': n}
    return out


def follow():
    while True:
        cmd = comm.recv(source=0, tag=CTRL)
        if cmd['op'] == 'stop':
            return
        mode, size, n = cmd['mode'], cmd['size'], cmd['n']
        if cmd['op'] == 'rtt':
            if mode == 'buffer':
                buf = np.empty(size // 8)
                for _ in range(n):
                    comm.Recv(buf, 0, DATA)
                    comm.Send(buf, 0, DATA)
            else:
                for _ in range(n):
                    comm.send(comm.recv(source=0, tag=DATA), 0, DATA)
        else:
            comm.send(0, 0, ACK)
            if mode == 'buffer':
                buf = np.empty(size // 8)
                for _ in range(n):
                    comm.Recv(buf, 0, DATA)
            else:
                for _ in range(n):
                    comm.recv(source=0, tag=DATA)
            comm.send(0, 0, ACK)


if rank == 0:
    result = drive()
    comm.send({'op': 'stop'}, 1, CTRL)
    print('@@BENCH ' + json.dumps({'kind': 'p2p', **result}), flush=True)
elif rank == 1:
    follow()
