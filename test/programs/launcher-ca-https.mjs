// Makes one HTTPS request to https://127.0.0.1:<port>/ (argv[2]) and prints, as one JSON line, whether
// the server's certificate was trusted, with the NODE_EXTRA_CA_CERTS this process started with (from
// /proc) and the one its program sees.
import { readFileSync } from 'node:fs';
import { get } from 'node:https';

const startedWith = readFileSync('/proc/self/environ', 'latin1').split('\0')
  .find((kv) => kv.startsWith('NODE_EXTRA_CA_CERTS='))?.slice('NODE_EXTRA_CA_CERTS='.length) ?? null;
const result = await new Promise((resolve) => {
  const req = get(`https://127.0.0.1:${process.argv[2]}/`, { timeout: 10_000 }, (res) => {
    res.resume();
    resolve({ trusted: true, status: res.statusCode });
  });
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', (err) => resolve({ trusted: false, error: err.code ?? err.message }));
});
console.log(JSON.stringify({ rank: Number(process.env.TSMPI_RANK), ...result, startedWith, certs: process.env.NODE_EXTRA_CA_CERTS ?? null }));
