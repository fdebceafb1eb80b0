// Every rank reads its stdin to the end. Rank 0 echoes what it read (as
// `rank 0 read: ...` lines); every rank reports how many bytes it got and how
// long the end took to come, so other ranks can show they saw EOF at once.
import { init } from '@tsmpi/runtime';

const comm = await init();
const t0 = performance.now();
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const ms = Math.round(performance.now() - t0);
const text = Buffer.concat(chunks).toString('utf8');
if (comm.rank === 0) for (const line of text.split('\n').filter(Boolean)) console.log(`rank 0 read: ${line}`);
console.log(JSON.stringify({ rank: comm.rank, bytes: Buffer.byteLength(text), eofMs: ms }));
