"""Start-up baseline: mpi4py's hello (import, a barrier, one line)."""
from mpi4py import MPI

comm = MPI.COMM_WORLD
comm.Barrier()
print(f"Hello, World! I am process {comm.Get_rank()} of {comm.Get_size()}.", flush=True)
