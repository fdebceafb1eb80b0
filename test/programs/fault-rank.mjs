// One rank fails in a chosen way right after init(); the other ranks block in
// recv() from it, so the job ends only because the launcher ends them.
// Usage: fault-rank.mjs <how> [failing rank = 1]
//   how: throw | exit:N | kill (SIGKILL) | abort:N
// The failing rank first prints `fault: rank R pid P failing (how) at <epoch ms>`
// to stderr (a pipe: written synchronously, before the failure).
import { init } from '@tsmpi/runtime';

const [how = 'throw', who = '1'] = process.argv.slice(2);
const comm = await init();
const failing = Number(who);

if (comm.rank === failing) {
  process.stderr.write(`fault: rank ${comm.rank} pid ${process.pid} failing (${how}) at ${Date.now()}\n`);
  const [kind, arg] = how.split(':');
  if (kind === 'throw') throw new Error(`rank ${comm.rank} fails on purpose`);
  if (kind === 'exit') process.exit(Number(arg));
  if (kind === 'kill') process.kill(process.pid, 'SIGKILL');
  if (kind === 'abort') comm.abort(Number(arg));
  throw new Error(`unknown failure ${how}`);
}
// Blocked on the failed peer: nothing will ever come.
await comm.recv(failing, 99);
throw new Error(`rank ${comm.rank} received from rank ${failing}, which should have failed`);
