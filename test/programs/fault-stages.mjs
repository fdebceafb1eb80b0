// The 20 points at which fault-points.mjs can make a rank fail, in the order it runs them.
export const STAGES = [
  'before-init', 'after-init',
  'send', 'recv', 'isend-irecv', 'sendrecv', 'probe', 'Send-Recv',
  'barrier', 'bcast', 'scatter', 'gather', 'allgather', 'alltoall', 'reduce', 'allreduce', 'scan', 'Bcast', 'Allreduce',
  'finalize',
];
