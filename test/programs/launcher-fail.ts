// One rank fails in a chosen way after init(); the others block in recv() forever,
// so the job ends only if the launcher ends them.
// Usage: launcher-fail.ts <how> <rank> [then <how> <rank> after <ms>]
//   how: ok | throw | reject | exit:N | kill:SIGNAL | abort:N
// A second failure (`then ...`) happens <ms> later on another rank, which
// ignores SIGTERM meanwhile (so it fails by itself, not by the launcher's hand).
// The failing rank first prints `rank R pid P failing (how) at <epoch ms>` to stderr.
import { init } from '@tsmpi/runtime';

const [how = 'ok', who = '0', , how2, who2, , after = '500'] = process.argv.slice(2);
const second = how2 !== undefined && process.env.TSMPI_RANK === who2;
// Before init(): the first failure may come as soon as every rank has its address table.
if (second) process.on('SIGTERM', () => { /* fail by ourselves, later */ });
const comm = await init();

function fail(how: string): void {
  const [kind, arg] = how.split(':');
  if (kind === 'ok') return;
  // When and who: the tests time the job's end from here, and check the pid the launcher names.
  process.stderr.write(`rank ${comm.rank} pid ${process.pid} failing (${how}) at ${Date.now()}\n`);
  switch (kind) {
    case 'throw': throw new Error(`rank ${comm.rank} failed on purpose`);
    case 'reject': void Promise.reject(new Error(`rank ${comm.rank} rejected on purpose`)); return;
    case 'exit': return process.exit(Number(arg));
    case 'kill': process.kill(process.pid, arg as NodeJS.Signals); return;
    case 'abort': return comm.abort(Number(arg));
    default: throw new Error(`unknown failure ${how}`);
  }
}

if (comm.rank === Number(who)) {
  fail(how);
} else if (second) {
  setTimeout(() => fail(how2!), Number(after));
  await new Promise(() => {});
}
if (how !== 'ok') await comm.recv();   // blocks: nobody sends
