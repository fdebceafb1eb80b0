import { init } from '@tsmpi/runtime';
const comm = await init();
const mode = process.argv[2];
if (comm.rank === 1) {
  if (mode === 'throw') throw new Error('boom');
  if (mode === 'exit3') process.exit(3);
  if (mode === 'kill') process.kill(process.pid, 'SIGKILL');
  if (mode === 'abort') comm.abort(7);
}
if (mode === 'early') {
  // rank 0 sends many and finishes at once; rank 1 is slow
  if (comm.rank === 0) { for (let i = 0; i < 1000; i++) comm.isend(i, 1, 0); }
  if (comm.rank === 1) { await new Promise(r => setTimeout(r, 500)); let s = 0; for (let i = 0; i < 1000; i++) s += await comm.recv(0, 0); console.log('sum', s); }
} else {
  await comm.recv(); // block forever
}
