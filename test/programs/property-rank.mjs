// One rank of the delivery property test through tsmpiexec: rebuild the
// schedule from its seed (property-schedule.mjs), run this rank's part, check it.
// Usage: property-rank.mjs <seed | every-kind>   (a seed's schedule has the job's size; every-kind needs -n 3)
// Prints `property: rank R received N messages` or `property: rank R: <problem>` lines; exit 1 on a problem.
import { init } from '@tsmpi/runtime';
import { everyKindSchedule, runRank, scheduleOf } from './property-schedule.mjs';

const comm = await init();
const sched = process.argv[2] === 'every-kind' ? everyKindSchedule() : scheduleOf(Number(process.argv[2]), comm.size, { minMessages: 20, maxMessages: 60 });
if (sched.np !== comm.size) throw new Error(`the schedule is for ${sched.np} ranks, the job has ${comm.size}`);
const { problems, received } = await runRank(comm, sched);
for (const p of problems) console.log(`property: ${p}`);
if (problems.length) process.exitCode = 1;
else console.log(`property: rank ${comm.rank} received ${received} messages`);
