// Hello world: mirrors mpi4py's demo/helloworld.py (rank, size, processor name).
import { init, getProcessorName } from 'tsmpi';

const comm = await init();
console.log(`Hello, World! I am process ${comm.rank} of ${comm.size} on ${getProcessorName()}.`);
