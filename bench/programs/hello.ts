// Start-up benchmark: the same hello as hello.mjs, as TypeScript (run through tsmpi's TypeScript loader by tsmpiexec).
import { init, finalize } from 'tsmpi';

const comm = await init();
await comm.barrier();
const line: string = `Hello, World! I am process ${comm.rank} of ${comm.size}.`;
console.log(line);
await finalize();
