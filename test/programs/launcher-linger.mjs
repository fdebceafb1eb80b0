// A program that finalizes, then keeps running (a timer): it must not outlive tsmpiexec.
import { init, finalize } from 'tsmpi';
const comm = await init();
await finalize();
console.log(`rank ${comm.rank} finalized, lingering`);
setInterval(() => {}, 1000);
