// Every rank starts, says so, then waits forever in recv() (nobody sends):
// the job ends only when something ends it (a signal, --timeout, a lost launcher).
// With `noinit` as argument the program never calls init() and just waits.
import { init } from '@tsmpi/runtime';

if (process.argv[2] === 'noinit') {
  console.log(`rank ${process.env.TSMPI_RANK} waiting without init`);
  setInterval(() => {}, 1000);
} else {
  const comm = await init();
  console.log(`rank ${comm.rank} waiting`);
  await comm.recv();
}
